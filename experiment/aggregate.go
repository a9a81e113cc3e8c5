package experiment

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/ghl-dev/ghl/internal/atomicfile"
)

// Aggregate groups trial results into Table III rows (set, method) in the
// order they first appear, with paired comparisons of every dcnng* method
// against dcnn and dcnnc on each set: with the same ":key=value" overrides
// when it has any ("dcnng:aug=0" against "dcnn:aug=0" and "dcnnc:aug=0").
func Aggregate(results []*TrialResult) ([]Row, []Paired) {
	type key struct{ set, method string }
	groups := map[key][]*TrialResult{}
	var order []key
	for _, r := range results {
		if r == nil {
			continue
		}
		k := key{r.Set, r.Method}
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], r)
	}
	var rows []Row
	for _, k := range order {
		g := groups[k]
		sort.Slice(g, func(i, j int) bool { return g[i].Seed < g[j].Seed })
		row := Row{Set: k.set, Method: k.method, Trials: len(g), Classes: g[0].Classes,
			RecallMean: make([]float64, len(g[0].Classes))}
		var acc, f1, gm, vf1 []float64
		for _, r := range g {
			acc = append(acc, 100*r.Test.Accuracy)
			f1 = append(f1, 100*r.Test.MacroF1)
			gm = append(gm, r.Test.GMean)
			vf1 = append(vf1, 100*r.Val.MacroF1)
			row.Seeds = append(row.Seeds, r.Seed)
			row.FalseAlarmMean += r.Test.FalseAlarm / float64(len(g))
			row.MissedMean += r.Test.MissedFault / float64(len(g))
			for c := range row.RecallMean {
				if c < len(r.Test.Recall) {
					row.RecallMean[c] += r.Test.Recall[c] / float64(len(g))
				}
			}
		}
		row.Accuracies = acc
		row.AccuracyMean, row.AccuracyStd = MeanStd(acc)
		row.MacroF1Mean, row.MacroF1Std = MeanStd(f1)
		row.GMeanMean, _ = MeanStd(gm)
		row.ValMacroF1Mean, _ = MeanStd(vf1)
		rows = append(rows, row)
	}
	var paired []Paired
	for _, a := range rows {
		base, suffix, _ := strings.Cut(a.Method, ":")
		if !strings.HasPrefix(base, "dcnng") {
			continue
		}
		for _, b := range rows {
			bBase, bSuffix, _ := strings.Cut(b.Method, ":")
			if b.Set != a.Set || (bBase != "dcnn" && bBase != "dcnnc") || bSuffix != suffix {
				continue
			}
			paired = append(paired, pair(a, b))
		}
	}
	return rows, paired
}

func pair(a, b Row) Paired {
	bySeed := map[int]float64{}
	for i, s := range b.Seeds {
		bySeed[s] = b.Accuracies[i]
	}
	var d []float64
	for i, s := range a.Seeds {
		if v, ok := bySeed[s]; ok {
			d = append(d, a.Accuracies[i]-v)
		}
	}
	m, _ := MeanStd(d)
	return Paired{Set: a.Set, A: a.Method, B: b.Method, Pairs: len(d), MeanDiff: m, PValue: Wilcoxon(d)}
}

// PaperTable3 holds the paper's Table III: test accuracy mean and std in
// percent by set and method.
var PaperTable3 = map[string]map[string][2]float64{
	"set1": {"dcnn": {88.83, 5.78}, "dcnnc": {88.45, 5.46}, "dcnng": {95.28, 2.51}},
	"set2": {"dcnn": {70.36, 8.59}, "dcnnc": {76.21, 7.07}, "dcnng": {81.84, 3.98}},
}

// TableMarkdown renders rows in Table III's layout with the paper's figures
// beside ours.
func TableMarkdown(s *Summary) string {
	var b strings.Builder
	fmt.Fprintf(&b, "| set | method | trials | accuracy %% (mean ± std) | macro-F1 %% | NC recall | val macro-F1 %% | paper accuracy %% |\n")
	fmt.Fprintf(&b, "|---|---|---|---|---|---|---|---|\n")
	for _, r := range s.Rows {
		paper := "–"
		if p, ok := PaperTable3[r.Set][strings.TrimSuffix(r.Method, "-paper")]; ok {
			paper = fmt.Sprintf("%.2f ± %.2f", p[0], p[1])
		}
		nc := "–"
		if len(r.RecallMean) > 0 {
			nc = fmt.Sprintf("%.3f", r.RecallMean[0])
		}
		fmt.Fprintf(&b, "| %s | %s | %d | %.2f ± %.2f | %.2f ± %.2f | %s | %.2f | %s |\n",
			r.Set, r.Method, r.Trials, r.AccuracyMean, r.AccuracyStd, r.MacroF1Mean, r.MacroF1Std, nc, r.ValMacroF1Mean, paper)
	}
	if len(s.Paired) > 0 {
		fmt.Fprintf(&b, "\nPaired across seeds (accuracy difference, exact Wilcoxon signed-rank, two-sided):\n\n")
		fmt.Fprintf(&b, "| set | A − B | pairs | mean diff (pp) | p |\n|---|---|---|---|---|\n")
		for _, p := range s.Paired {
			fmt.Fprintf(&b, "| %s | %s − %s | %d | %+.2f | %.4f |\n", p.Set, p.A, p.B, p.Pairs, p.MeanDiff, p.PValue)
		}
	}
	return b.String()
}

// WriteOutputs writes summary.json, table.md and trials.csv into dir, each
// atomically.
func WriteOutputs(dir string, s *Summary, results []*TrialResult) error {
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	if err := atomicfile.WriteFile(filepath.Join(dir, "summary.json"), append(b, '\n')); err != nil {
		return err
	}
	if err := atomicfile.WriteFile(filepath.Join(dir, "table.md"), []byte(TableMarkdown(s))); err != nil {
		return err
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write([]string{"set", "method", "seed", "accuracy", "macro_f1", "g_mean", "false_alarm", "missed_fault", "best_iter", "iterations", "wall_seconds"})
	for _, r := range results {
		if r == nil {
			continue
		}
		w.Write([]string{r.Set, r.Method, fmt.Sprint(r.Seed),
			fmt.Sprintf("%.4f", 100*r.Test.Accuracy), fmt.Sprintf("%.4f", 100*r.Test.MacroF1),
			fmt.Sprintf("%.4f", r.Test.GMean), fmt.Sprintf("%.4f", r.Test.FalseAlarm),
			fmt.Sprintf("%.4f", r.Test.MissedFault), fmt.Sprint(r.BestIter), fmt.Sprint(r.Iterations),
			fmt.Sprintf("%.2f", r.WallSeconds)})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	return atomicfile.WriteFile(filepath.Join(dir, "trials.csv"), buf.Bytes())
}
