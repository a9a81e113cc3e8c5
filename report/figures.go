package report

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/ghl-dev/ghl/experiment"
	"github.com/ghl-dev/ghl/internal/atomicfile"
)

// Figures builds every figure the results allow, in page order: accuracy,
// the leaderboard's critical-difference diagram, Fig. 2 per set, Fig. 3, learning curves per set and confusion matrices
// per set. The notes say which figures could not be drawn and why.
func Figures(r *Results) ([]*Figure, []string) {
	var (
		figs  []*Figure
		notes []string
	)
	if f := ProtocolFigure(r.Summary); f != nil {
		figs = append(figs, f)
	} else if f := AccuracyFigure(r.Rows); f != nil {
		figs = append(figs, f)
	} else {
		notes = append(notes, "accuracy figure: no finished trials.")
	}
	if r.Summary != nil {
		if f := CDFigure(r.Summary.Leaderboard); f != nil {
			figs = append(figs, f)
		}
	}
	sets := setsOf(r.Trials)
	for _, set := range sets {
		f, note := thresholdFigureFor(r.Trials, set)
		if note != "" {
			notes = append(notes, note)
		}
		if f != nil {
			figs = append(figs, f)
		}
	}
	if f, missing := AngleFigure(r.Trials, Fig3Panels); f != nil {
		figs = append(figs, f)
	} else {
		notes = append(notes, "Fig. 3 cannot be drawn: no trials with logged gradient angles for "+strings.Join(missing, ", ")+".")
	}
	for _, set := range sets {
		if f := LearningFigure(r.Trials, set); f != nil {
			figs = append(figs, f)
		}
	}
	// Tests of whole recordings (cross-load targets, held-out recordings)
	// get confusion matrices of their own, as if they were trials.
	var further []experiment.TrialResult
	for _, t := range r.Trials {
		for _, e := range t.Evals {
			if e.Axis == "target" || e.Axis == "test" {
				c := t
				c.Set, c.Test, c.Evals = e.Name, e.Test, nil
				further = append(further, c)
			}
		}
	}
	all := append(append([]experiment.TrialResult(nil), r.Trials...), further...)
	for _, set := range append(sets, setsOf(further)...) {
		var mats [][][]int
		var titles []string
		var classes []string
		for _, m := range methodsOf(all, set) {
			sel := selectTrials(all, set, m)
			sum, cls := sumConfusion(sel)
			if sum == nil || (classes != nil && strings.Join(cls, ",") != strings.Join(classes, ",")) {
				continue
			}
			classes = cls
			mats = append(mats, sum)
			titles = append(titles, fmt.Sprintf("%s on %s (%d seed%s)", m, set, len(sel), plural(len(sel))))
		}
		if f := ConfusionFigure("confusion-"+fileSafe(set), "Test confusion matrices on "+set, mats, titles, classes); f != nil {
			figs = append(figs, f)
		}
	}
	return figs, notes
}

// sumConfusion adds up the test confusion matrices of trials that share
// one class list; it returns nil when there are none.
func sumConfusion(trials []experiment.TrialResult) ([][]int, []string) {
	var sum [][]int
	var classes []string
	for _, t := range trials {
		m := t.Test.Confusion
		if len(m) == 0 || len(m) != len(t.Classes) {
			continue
		}
		if sum == nil {
			classes = t.Classes
			sum = make([][]int, len(m))
			for i := range sum {
				sum[i] = make([]int, len(m))
			}
		}
		if len(m) != len(sum) {
			continue
		}
		for i := range m {
			for j := range m[i] {
				if j < len(sum) {
					sum[i][j] += m[i][j]
				}
			}
		}
	}
	return sum, classes
}

// setsOf lists the sets of the trials in set order.
func setsOf(trials []experiment.TrialResult) []string {
	var sets []string
	for _, t := range trials {
		if indexOf(sets, t.Set) < 0 {
			sets = append(sets, t.Set)
		}
	}
	sortSets(sets)
	return sets
}

// protocolCounts are the training windows per class of the paper's sets
// (SPEC section 6): the healthy class first, then every fault class.
var protocolCounts = map[string][2]int{"set1": {3200, 64}, "set2": {3200, 16}, "balanced": {16, 16}}

// thresholdFigureFor draws Fig. 2 for the GHL trials of one set: α from
// the trial's options, γ = 1 (Eq. 12; γ only scales the curve), and the
// class counts from the "train_counts" option (comma-separated, label
// order) or else from the protocol's definition of the set. Sets without
// GHL trials get no figure and no note.
func thresholdFigureFor(trials []experiment.TrialResult, set string) (*Figure, string) {
	var t *experiment.TrialResult
	for _, m := range []string{"dcnng", "dcnng-paper", ""} {
		for i := range trials {
			tr := &trials[i]
			if tr.Set == set && (tr.Method == m || m == "") && tr.Options["alpha"] != "" {
				t = tr
				break
			}
		}
		if t != nil {
			break
		}
	}
	if t == nil {
		return nil, ""
	}
	alpha, err := strconv.ParseFloat(t.Options["alpha"], 64)
	if err != nil {
		return nil, fmt.Sprintf("Fig. 2 for %s: option alpha %q is not a number.", set, t.Options["alpha"])
	}
	counts, source := countsOf(t)
	if counts == nil {
		return nil, fmt.Sprintf("Fig. 2 for %s: the trials do not record the training counts per class (option train_counts).", set)
	}
	f, err := ThresholdFigure(counts, t.Classes, alpha, 1)
	if err != nil {
		return nil, fmt.Sprintf("Fig. 2 for %s: %v", set, err)
	}
	f.Name += "-" + fileSafe(set)
	f.Title += " (" + set + ", " + t.Method + ")"
	f.Caption += " Class counts: " + source + "."
	return f, ""
}

// countsOf returns the training counts per class of a trial and where they
// came from, or nil.
func countsOf(t *experiment.TrialResult) ([]int, string) {
	if s := t.Options["train_counts"]; s != "" {
		parts := strings.Split(s, ",")
		counts := make([]int, len(parts))
		for i, p := range parts {
			n, err := strconv.Atoi(strings.TrimSpace(p))
			if err != nil {
				return nil, ""
			}
			counts[i] = n
		}
		if len(counts) == len(t.Classes) {
			return counts, "as recorded by the trial"
		}
		return nil, ""
	}
	pc, ok := protocolCounts[t.Set]
	if !ok || len(t.Classes) < 2 {
		return nil, ""
	}
	healthy := t.Test.Healthy
	if healthy < 0 || healthy >= len(t.Classes) {
		healthy = 0
	}
	counts := make([]int, len(t.Classes))
	for c := range counts {
		counts[c] = pc[1]
		if c == healthy {
			counts[c] = pc[0]
		}
	}
	return counts, fmt.Sprintf("the protocol's definition of %s (%d healthy, %d per fault class), not recorded by the trial", t.Set, pc[0], pc[1])
}

// SaveFigures writes every figure of r into dir as NAME.png and NAME.svg
// (each atomically) and returns the notes on figures that could not be
// drawn.
func SaveFigures(r *Results, dir string) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("figures: %w", err)
	}
	figs, notes := Figures(r)
	for _, f := range figs {
		for _, format := range []string{"png", "svg"} {
			path := filepath.Join(dir, f.Name+"."+format)
			if err := atomicfile.Write(path, func(w io.Writer) error { return f.Render(w, format) }); err != nil {
				return notes, err
			}
		}
	}
	return notes, nil
}
