package experiment

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/ghl-dev/ghl/train"
)

// trials builds results of one (set, method) cell from correct-window counts
// out of n test windows, seeds 0, 1, ….
func trials(set, method string, n int, correct ...int) []*TrialResult {
	var out []*TrialResult
	for seed, k := range correct {
		out = append(out, &TrialResult{Set: set, Method: method, Seed: seed, Classes: []string{"NC", "F"},
			Test: train.Metrics{N: n, Accuracy: float64(k) / float64(n), Recall: []float64{1, 1}}})
	}
	return out
}

func TestAggregatePairsOnWholeWindows(t *testing.T) {
	// Set 2 without augmentation, seeds 0–9, correct windows of 108
	// (docs/results/cwru/noaug): dcnng:aug=0 − dcnnc:aug=0 differs by
	// −1, 1, 4, 5, −1, −2, 6, 2, 9, 2 windows.
	base := []int{80, 77, 70, 75, 83, 85, 72, 79, 74, 76}
	diff := []int{-1, 1, 4, 5, -1, -2, 6, 2, 9, 2}
	g := make([]int, len(base))
	for i := range base {
		g[i] = base[i] + diff[i]
	}
	var res []*TrialResult
	res = append(res, trials("set2", "dcnnc:aug=0", 108, base...)...)
	res = append(res, trials("set2", "dcnng:aug=0", 108, g...)...)
	res = append(res, trials("set2", "dcnn:aug=0", 108, base...)...)
	rows, paired := Aggregate(res)
	if len(rows) != 3 || len(paired) != 2 {
		t.Fatalf("rows %d, paired %d", len(rows), len(paired))
	}
	p := paired[0]
	if p.A != "dcnng:aug=0" || p.B != "dcnnc:aug=0" {
		t.Fatalf("first pair %s − %s", p.A, p.B)
	}
	df := make([]float64, len(diff))
	for i, k := range diff {
		df[i] = float64(k)
	}
	if want := bruteWilcoxon(df); math.Abs(p.PValue-want) > 1e-12 || !p.PExact {
		t.Fatalf("p = %v (exact %v), brute force on windows %v", p.PValue, p.PExact, want)
	}
	// |−1| and |1| tie, as do the three 2s: with the ties handled the
	// comparison is not significant at 0.05 (the float-percent version gave 0.049).
	if p.PValue < 0.05 {
		t.Fatalf("p = %v, want ≥ 0.05", p.PValue)
	}
	if p.Wins != 7 || p.Ties != 0 || p.Losses != 3 || p.TestWindows != 108 {
		t.Fatalf("W/T/L %d/%d/%d windows %d", p.Wins, p.Ties, p.Losses, p.TestWindows)
	}
	if want := 100 * 2.5 / 108; math.Abs(p.MeanDiff-want) > 1e-9 {
		t.Fatalf("mean diff %v, want %v", p.MeanDiff, want)
	}
	if want := 100 * 2.0 / 108; math.Abs(p.MedianDiff-want) > 1e-9 {
		t.Fatalf("median diff %v, want %v", p.MedianDiff, want)
	}
	if !(p.CI95[0] < p.MeanDiff && p.MeanDiff < p.CI95[1]) {
		t.Fatalf("CI %v does not contain the mean %v", p.CI95, p.MeanDiff)
	}
	// Holm over the two comparisons: the smaller p doubled, the larger kept
	// at least that.
	lo, hi := paired[0], paired[1]
	if lo.PValue > hi.PValue {
		lo, hi = hi, lo
	}
	if math.Abs(lo.PHolm-math.Min(1, 2*lo.PValue)) > 1e-12 || hi.PHolm < lo.PHolm {
		t.Fatalf("Holm: %v→%v, %v→%v", lo.PValue, lo.PHolm, hi.PValue, hi.PHolm)
	}

	// Recompute from the stored percentages alone gives the same pairs.
	s := &Summary{Rows: rows}
	for i := range s.Rows {
		s.Rows[i].Correct, s.Rows[i].TestWindows = nil, 0
	}
	if err := Recompute(s, 108); err != nil {
		t.Fatal(err)
	}
	if len(s.Paired) != 2 || s.Paired[0].PValue != p.PValue || s.Paired[0].PHolm != p.PHolm || s.Paired[0].CI95 != p.CI95 {
		t.Fatalf("recomputed %+v, want %+v", s.Paired[0], p)
	}
	if err := Recompute(s, 100); err == nil || !strings.Contains(err.Error(), "108") {
		t.Fatalf("wrong window count accepted: %v", err)
	}
	md := TableMarkdown(s)
	for _, want := range []string{"p_holm", "7/0/3", "W/T/L", "bootstrap"} {
		if !strings.Contains(md, want) {
			t.Fatalf("table.md lacks %q:\n%s", want, md)
		}
	}
}

// TestPairRowsPairsThePreset: dcnng* and dg rows are each compared with
// dcnn and dcnnc of the same overrides; nothing else is paired.
func TestPairRowsPairsThePreset(t *testing.T) {
	var res []*TrialResult
	for _, m := range []string{"dcnn", "dcnnc", "dcnng", "dg", "dg:select=shift", "dcnnc:select=shift", "focal"} {
		res = append(res, trials("set1@2hp→0hp", m, 100, 90, 91, 92)...)
	}
	_, paired := Aggregate(res)
	var got []string
	for _, p := range paired {
		got = append(got, p.A+" − "+p.B)
	}
	want := []string{"dcnng − dcnn", "dcnng − dcnnc", "dg − dcnn", "dg − dcnnc", "dg:select=shift − dcnnc:select=shift"}
	if strings.Join(got, ", ") != strings.Join(want, ", ") {
		t.Fatalf("pairs %v, want %v", got, want)
	}
}

// TestPairMethods compares two settings of one method set by set, on whole
// windows, and leaves rows of other sets and methods alone.
func TestPairMethods(t *testing.T) {
	row := func(set, method string, correct ...int) Row {
		r := Row{Set: set, Method: method, TestWindows: 108, Correct: correct}
		for i, k := range correct {
			r.Seeds = append(r.Seeds, i)
			r.Accuracies = append(r.Accuracies, 100*float64(k)/108)
		}
		return r
	}
	rows := []Row{
		row("set1", "dcnng", 100, 101, 102, 103, 104),
		row("set1", "dcnng:threshold=spread", 101, 102, 102, 100, 106),
		row("set2", "dcnng", 90, 91),
		row("set2", "dcnnc", 80, 81),
	}
	ps := PairMethods(rows, "dcnng:threshold=spread", "dcnng")
	if len(ps) != 1 {
		t.Fatalf("%d comparisons, want 1 (set2 has no spread row)", len(ps))
	}
	p := ps[0]
	if p.Set != "set1" || p.Pairs != 5 || p.Wins != 3 || p.Ties != 1 || p.Losses != 1 {
		t.Errorf("got %+v, want set1, 5 pairs, 3/1/1", p)
	}
	if want := []int{1, 1, 0, -3, 2}; !slices.Equal(p.WindowDiffs, want) {
		t.Errorf("window differences %v, want %v", p.WindowDiffs, want)
	}
	if w := WilcoxonTest([]float64{1, 1, 0, -3, 2}); p.PValue != w.P {
		t.Errorf("p = %g, want %g", p.PValue, w.P)
	}
	ps = append(ps, PairMethods(rows, "dcnng", "dcnnc")...)
	HolmPaired(ps)
	for _, q := range ps {
		if q.PHolm < q.PValue || q.PHolm > 1 {
			t.Errorf("%s − %s: p_holm %g for p %g", q.A, q.B, q.PHolm, q.PValue)
		}
	}
}
