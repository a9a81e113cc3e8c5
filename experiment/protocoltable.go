package experiment

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/ghl-dev/ghl/train"
)

// axisHeader names a protocol table's first column by the rows' axis.
var axisHeader = map[string]string{
	"target":   "train → test",
	"minority": "majority/minority (ratio)",
	"snr_db":   "set, SNR",
	"test":     "train → test",
}

// protocolTable renders a protocol's rows: accuracy, macro-F1 over the
// classes present in the row's test, minority recall and per-class recall
// with absent classes as "–", then the paired comparisons.
func protocolTable(s *Summary) string {
	var b strings.Builder
	p := s.Protocol
	fmt.Fprintf(&b, "Protocol **%s** (%s): %s\n\n", p.Name, p.Kind, p.About)
	head := "set"
	for _, r := range s.Rows {
		if h, ok := axisHeader[r.Axis]; ok {
			head = h
			break
		}
	}
	classes := []string{}
	if len(s.Rows) > 0 {
		classes = s.Rows[0].Classes
	}
	fmt.Fprintf(&b, "| %s | method | trials | accuracy %% (mean ± std) | macro-F1 %% (classes present) | minority recall | missed faults %% | %s |\n",
		head, strings.Join(classes, " | "))
	fmt.Fprintf(&b, "|---|---|---|---|---|---|---|%s\n", strings.Repeat("---|", len(classes)))
	for _, r := range s.Rows {
		cell := r.Set
		if r.Axis == "minority" {
			if k, err := strconv.Atoi(r.Level); err == nil && k > 0 {
				maj, _, _ := strings.Cut(r.Set, "/")
				if m, err := strconv.Atoi(maj); err == nil {
					cell = fmt.Sprintf("%s (1:%s)", r.Set, strconv.FormatFloat(float64(m)/float64(k), 'g', 4, 64))
				}
			}
		}
		fmt.Fprintf(&b, "| %s | %s | %d | %.2f ± %.2f | %.2f ± %.2f | %.3f | %.2f |", cell, r.Method, r.Trials,
			r.AccuracyMean, r.AccuracyStd, r.MacroF1Mean, r.MacroF1Std, r.MinorityRecallMean, 100*r.MissedMean)
		for i, c := range r.Classes {
			if slices.Contains(r.Absent, c) || i >= len(r.RecallMean) {
				b.WriteString(" – |")
			} else {
				fmt.Fprintf(&b, " %.3f |", r.RecallMean[i])
			}
		}
		b.WriteString("\n")
	}
	if len(s.Rows) > 0 {
		b.WriteString("\n– : the class has no test window in that row's test (not a recall of 0); macro-F1 is over the classes present.\n")
	}
	sourceValMarkdown(&b, s)
	pairedMarkdown(&b, s)
	return b.String()
}

// sourceValMarkdown renders, for each trained cell and method, the
// validation and shifted-validation macro-F1: the source-only figures a
// recipe is chosen on (nothing when no row has a shifted validation).
func sourceValMarkdown(b *strings.Builder, s *Summary) {
	var lines []string
	for _, r := range s.Rows {
		if r.Trained != "" || r.ValShiftMacroF1Mean == nil {
			continue
		}
		lines = append(lines, fmt.Sprintf("| %s | %s | %d | %.2f | %.2f |", r.Set, r.Method, r.Trials, r.ValMacroF1Mean, *r.ValShiftMacroF1Mean))
	}
	if len(lines) == 0 {
		return
	}
	fmt.Fprintf(b, "\nSource-only selection figures (mean over seeds): validation macro-F1 of the kept weights, and the same "+
		"weights on the validation windows under a fixed condition shift (%s: every window stretched and tilted each "+
		"way, %d copies). Test and target windows play no part in them.\n\n"+
		"| trained on | method | trials | val macro-F1 %% | shifted val macro-F1 %% |\n|---|---|---|---|---|\n%s\n",
		train.DefaultValShift, train.DefaultValShift.Copies(), strings.Join(lines, "\n"))
}
