package experiment

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"path/filepath"
	"sort"
	"strings"

	"github.com/ghl-dev/ghl/internal/atomicfile"
	"github.com/ghl-dev/ghl/train"
)

// Aggregate groups trial results into Table III rows (set, method) in the
// order they first appear, with paired comparisons of every dcnng* method
// (and of the dg preset) against dcnn and dcnnc on each set: with the same
// ":key=value" overrides when it has any ("dcnng:aug=0" against
// "dcnn:aug=0" and "dcnnc:aug=0").
//
// A trial's further tests (TrialResult.Evals: cross-load targets, noisy
// windows) are rows of their own, named by the test. A class absent from a
// row's test (no window in any of its trials) is listed in Row.Absent.
func Aggregate(results []*TrialResult) ([]Row, []Paired) {
	type key struct{ protocol, set, method string }
	groups := map[key][]observation{}
	var order []key
	add := func(o observation) {
		k := key{o.protocol, o.set, o.method}
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], o)
	}
	for _, r := range results {
		if r == nil {
			continue
		}
		add(observation{protocol: r.Protocol, set: r.Set, axis: r.Axis, level: r.Level, method: r.Method,
			seed: r.Seed, classes: r.Classes, test: r.Test, val: r.Val, trial: r})
		for _, e := range r.Evals {
			add(observation{protocol: r.Protocol, set: e.Name, trained: r.Set, axis: e.Axis, level: e.Level, method: r.Method,
				seed: r.Seed, classes: r.Classes, test: e.Test, val: r.Val, trial: r})
		}
	}
	var rows []Row
	for _, k := range order {
		g := groups[k]
		sort.Slice(g, func(i, j int) bool { return g[i].seed < g[j].seed })
		row := Row{Protocol: k.protocol, Set: k.set, Trained: g[0].trained, Axis: g[0].axis, Level: g[0].level,
			Method: k.method, Trials: len(g), Classes: g[0].classes,
			RecallMean: make([]float64, len(g[0].classes))}
		var acc, f1, gm, vf1, minority []float64
		seen := make([]int, len(row.Classes))
		for _, o := range g {
			acc = append(acc, 100*o.test.Accuracy)
			f1 = append(f1, 100*o.test.MacroF1)
			gm = append(gm, o.test.GMean)
			vf1 = append(vf1, 100*o.val.MacroF1)
			row.Seeds = append(row.Seeds, o.seed)
			row.FalseAlarmMean += o.test.FalseAlarm / float64(len(g))
			row.MissedMean += o.test.MissedFault / float64(len(g))
			mr, nmr := 0.0, 0
			for c := range row.RecallMean {
				if c < len(o.test.Recall) && present(o.test, c) {
					row.RecallMean[c] += o.test.Recall[c]
					seen[c]++
					if c > 0 {
						mr += o.test.Recall[c]
						nmr++
					}
				}
			}
			if nmr > 0 {
				minority = append(minority, mr/float64(nmr))
			}
		}
		for c, n := range seen {
			if n > 0 {
				row.RecallMean[c] /= float64(n)
			} else {
				row.Absent = append(row.Absent, row.Classes[c])
			}
		}
		row.MinorityRecallMean, _ = MeanStd(minority)
		row.Accuracies = acc
		row.TestWindows = g[0].test.N
		for _, o := range g {
			if o.test.N != row.TestWindows {
				row.TestWindows = 0
			}
		}
		if row.TestWindows > 0 {
			for _, o := range g {
				row.Correct = append(row.Correct, int(math.Round(o.test.Accuracy*float64(o.test.N))))
			}
		}
		row.FaultWindows, row.Missed = faultCounts(g)
		row.AccuracyMean, row.AccuracyStd = MeanStd(acc)
		row.MacroF1Mean, row.MacroF1Std = MeanStd(f1)
		row.MacroF1s = f1
		row.GMeanMean, _ = MeanStd(gm)
		row.ValMacroF1Mean, _ = MeanStd(vf1)
		row.ValShiftMacroF1Mean = valShiftMean(g)
		trials := make([]*TrialResult, len(g))
		for i, o := range g {
			trials[i] = o.trial
		}
		row.GHLActiveFraction, row.MajorityGDMean = ghlMeans(trials)
		rows = append(rows, row)
	}
	return rows, PairRows(rows)
}

// faultCounts returns the number of fault windows the observations share
// and each one's count of them called healthy (0, nil when they differ or
// there are none).
func faultCounts(g []observation) (faults int, missed []int) {
	for i, o := range g {
		f, k := o.test.FaultCounts()
		if f == 0 || (i > 0 && f != faults) {
			return 0, nil
		}
		faults, missed = f, append(missed, k)
	}
	return faults, missed
}

// valShiftMean is the mean shifted-validation macro-F1 of g's trials in
// percent, or nil when one of them lacks it.
func valShiftMean(g []observation) *float64 {
	var v []float64
	for _, o := range g {
		if o.trial == nil || o.trial.ValShift == nil {
			return nil
		}
		v = append(v, 100*o.trial.ValShift.MacroF1)
	}
	m, _ := MeanStd(v)
	return &m
}

// ghlMeans averages the trials' GHL active fractions and majority-class
// GD (nil, nil when no trial ran GHL).
func ghlMeans(g []*TrialResult) (active, gd *float64) {
	var a, d []float64
	for _, r := range g {
		if r.GHLActiveFraction != nil {
			a = append(a, *r.GHLActiveFraction)
		}
		for _, l := range r.Log {
			if l.GHL != nil {
				d = append(d, l.GHL.MajorityGD)
			}
		}
	}
	if len(a) > 0 {
		m, _ := MeanStd(a)
		active = &m
	}
	if len(d) > 0 {
		m, _ := MeanStd(d)
		gd = &m
	}
	return active, gd
}

// PairRows returns the paired comparisons of every dcnng* row and every dg
// row (the preset for changing operating conditions) against the dcnn and
// dcnnc rows of the same set with the same ":key=value" overrides, with
// p_holm adjusted over all of them.
func PairRows(rows []Row) []Paired {
	var paired []Paired
	for _, a := range rows {
		base, suffix, _ := strings.Cut(a.Method, ":")
		if !strings.HasPrefix(base, "dcnng") && base != "dg" {
			continue
		}
		for _, b := range rows {
			bBase, bSuffix, _ := strings.Cut(b.Method, ":")
			if b.Protocol != a.Protocol || b.Set != a.Set || (bBase != "dcnn" && bBase != "dcnnc") || bSuffix != suffix {
				continue
			}
			paired = append(paired, pair(a, b))
		}
	}
	HolmPaired(paired)
	return paired
}

// PairMethods returns the paired comparisons of method a's rows against
// method b's rows of the same protocol and set, for comparisons PairRows
// does not make (two settings of one method, say); their PHolm is left for
// the caller to adjust over the whole family (HolmPaired).
func PairMethods(rows []Row, a, b string) []Paired {
	var paired []Paired
	for _, ra := range rows {
		if ra.Method != a {
			continue
		}
		for _, rb := range rows {
			if rb.Method == b && rb.Protocol == ra.Protocol && rb.Set == ra.Set {
				paired = append(paired, pair(ra, rb))
			}
		}
	}
	return paired
}

// HolmPaired sets every PHolm of ps to the Holm-adjusted p over ps.
func HolmPaired(ps []Paired) {
	holmEach(ps, func(p *Paired) float64 { return p.PValue }, func(p *Paired, h float64) { p.PHolm = h })
}

// pair compares rows a and b over the seeds both ran, on accuracy as the
// leaderboard's RankAccuracy does: on whole test windows when both rows
// carry Correct counts over the same number of windows; otherwise on the
// percentage differences rounded to 1e-9 points (so that equal window
// counts still tie).
func pair(a, b Row) Paired {
	exact, _ := RankAccuracy.pairing(a, b)
	d, dpp := RankAccuracy.seedDiffs(a, b, exact)
	p := Paired{Protocol: a.Protocol, Set: a.Set, A: a.Method, B: b.Method, Pairs: len(d)}
	if exact {
		p.TestWindows = a.TestWindows
		for _, x := range d {
			p.WindowDiffs = append(p.WindowDiffs, int(x))
		}
	}
	p.Wins, p.Ties, p.Losses = winsTiesLosses(d, 1)
	p.MeanDiff, _ = MeanStd(dpp)
	p.MedianDiff = Median(dpp)
	p.CI95[0], p.CI95[1] = BootstrapMeanCI(dpp, BootstrapResamples, 0.95, BootstrapSeed)
	w := WilcoxonTest(d)
	p.PValue, p.PExact = w.P, w.Exact
	return p
}

// Recompute re-derives the paired comparisons of a summary from the
// per-seed accuracies its rows store, for summaries written before the
// paired test worked on whole windows. testWindows is the number of test
// windows every trial was scored on (108 for the CWRU sets); each stored
// accuracy must be 100·k/testWindows for a whole k, else Recompute fails
// naming the row and seed. Rows gain TestWindows and Correct; Paired is
// replaced.
func Recompute(s *Summary, testWindows int) error {
	if testWindows <= 0 {
		return fmt.Errorf("recompute: test windows must be positive, got %d", testWindows)
	}
	for i := range s.Rows {
		r := &s.Rows[i]
		if len(r.Accuracies) != len(r.Seeds) {
			return fmt.Errorf("recompute: row %s %s: %d accuracies for %d seeds", r.Set, r.Method, len(r.Accuracies), len(r.Seeds))
		}
		if r.TestWindows != 0 && r.TestWindows != testWindows {
			return fmt.Errorf("recompute: row %s %s says %d test windows, not %d", r.Set, r.Method, r.TestWindows, testWindows)
		}
		r.TestWindows, r.Correct = testWindows, make([]int, len(r.Accuracies))
		for j, acc := range r.Accuracies {
			x := acc * float64(testWindows) / 100
			k := math.Round(x)
			if math.Abs(x-k) > 1e-6 {
				return fmt.Errorf("recompute: row %s %s seed %d: accuracy %v%% is not a whole number of %d windows", r.Set, r.Method, r.Seeds[j], acc, testWindows)
			}
			r.Correct[j] = int(k)
		}
	}
	s.Paired = PairRows(s.Rows)
	return nil
}

// observation is one trial's result on one test: its own, or a further one.
type observation struct {
	protocol, set, trained, axis, level, method string
	seed                                        int
	classes                                     []string
	test, val                                   train.Metrics
	trial                                       *TrialResult
}

// present reports whether class c has test windows in m (results written
// before Metrics.Support existed: a non-empty confusion row).
func present(m train.Metrics, c int) bool {
	if m.Support != nil {
		return c < len(m.Support) && m.Support[c] > 0
	}
	if c >= len(m.Confusion) {
		return false
	}
	n := 0
	for _, v := range m.Confusion[c] {
		n += v
	}
	return n > 0
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
	if s.Protocol != nil && s.Protocol.Name != "paper" {
		return protocolTable(s)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "| set | method | trials | accuracy %% (mean ± std) | macro-F1 %% | NC recall | missed faults %% | val macro-F1 %% | paper accuracy %% |\n")
	fmt.Fprintf(&b, "|---|---|---|---|---|---|---|---|---|\n")
	for _, r := range s.Rows {
		paper := "–"
		if p, ok := PaperTable3[r.Set][strings.TrimSuffix(r.Method, "-paper")]; ok {
			paper = fmt.Sprintf("%.2f ± %.2f", p[0], p[1])
		}
		nc := "–"
		if len(r.RecallMean) > 0 {
			nc = fmt.Sprintf("%.3f", r.RecallMean[0])
		}
		fmt.Fprintf(&b, "| %s | %s | %d | %.2f ± %.2f | %.2f ± %.2f | %s | %.2f | %.2f | %s |\n",
			r.Set, r.Method, r.Trials, r.AccuracyMean, r.AccuracyStd, r.MacroF1Mean, r.MacroF1Std, nc, 100*r.MissedMean, r.ValMacroF1Mean, paper)
	}
	var act []string
	for _, r := range s.Rows {
		if r.GHLActiveFraction != nil && r.MajorityGDMean != nil {
			act = append(act, fmt.Sprintf("| %s | %s | %.2f | %.1f |", r.Set, r.Method, *r.GHLActiveFraction, *r.MajorityGDMean))
		}
	}
	if len(act) > 0 {
		fmt.Fprintf(&b, "\nGHL activity: share of training steps in which the majority class had T_c > 0 and at least one GD_i > 1 "+
			"(mean over seeds), and the majority class's mean GD over all epochs and seeds:\n\n"+
			"| set | method | GHL active share | majority GD |\n|---|---|---|---|\n%s\n", strings.Join(act, "\n"))
	}
	sourceValMarkdown(&b, s)
	pairedMarkdown(&b, s)
	return b.String()
}

// pairedMarkdown renders the paired comparisons of s.
func pairedMarkdown(b *strings.Builder, s *Summary) {
	if len(s.Paired) > 0 {
		fmt.Fprintf(b, "\nPaired across seeds: accuracy(A) − accuracy(B) per seed; the test works on the "+
			"difference in correctly classified test windows (Wilcoxon signed-rank, two-sided, zero "+
			"differences dropped, average ranks for ties, exact null up to %d non-zero pairs); "+
			"W/T/L = seeds A won, tied, lost; CI = 95 %% paired bootstrap of the mean (%d resamples, seed %d); "+
			"p_holm = Holm-adjusted over the %d comparisons of this table.\n\n",
			ExactMaxPairs, BootstrapResamples, BootstrapSeed, len(s.Paired))
		fmt.Fprintf(b, "| set | A − B | pairs | W/T/L | mean diff (pp) | 95 %% CI (pp) | median (pp) | p | p_holm |\n|---|---|---|---|---|---|---|---|---|\n")
		for _, p := range s.Paired {
			approx := ""
			if !p.PExact {
				approx = " (normal approx.)"
			}
			fmt.Fprintf(b, "| %s | %s − %s | %d | %d/%d/%d | %+.2f | [%+.2f, %+.2f] | %+.2f | %.4f%s | %.4f |\n",
				p.Set, p.A, p.B, p.Pairs, p.Wins, p.Ties, p.Losses, p.MeanDiff, p.CI95[0], p.CI95[1], p.MedianDiff, p.PValue, approx, p.PHolm)
		}
	}
}

// WriteOutputs writes summary.json, table.md, trials.csv and, when the
// summary has a leaderboard, leaderboard.md into dir, each atomically.
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
	if s.Leaderboard != nil {
		if err := atomicfile.WriteFile(filepath.Join(dir, "leaderboard.md"), []byte(LeaderboardMarkdown(s.Leaderboard, s.Command))); err != nil {
			return err
		}
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
