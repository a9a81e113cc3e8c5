package experiment

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/ghl-dev/ghl"
	"github.com/ghl-dev/ghl/train"
)

func TestParseRankMetric(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want RankMetric
		err  bool
	}{{"", RankAccuracy, false}, {"accuracy", RankAccuracy, false}, {"macro-f1", RankMacroF1, false},
		{"missed", RankMissed, false}, {"f1", "", true}, {"Missed", "", true}} {
		got, err := ParseRankMetric(tc.in)
		if got != tc.want || (err != nil) != tc.err {
			t.Errorf("ParseRankMetric(%q) = %q, %v", tc.in, got, err)
		}
		if err != nil && (!errors.Is(err, ghl.ErrUsage) || !strings.Contains(err.Error(), "macro-f1")) {
			t.Errorf("ParseRankMetric(%q): error %v should be a usage error naming the metrics", tc.in, err)
		}
	}
}

// metricRows builds one cell of three methods a, b, c from per-method,
// per-seed correct, missed (of 50 fault windows) and macro-F1 values.
func metricRows(cell string, correct, missed [3][]int, f1 [3][]float64) []Row {
	var rows []Row
	for mi, m := range []string{"a", "b", "c"} {
		r := Row{Set: cell, Method: m, TestWindows: 100, FaultWindows: 50, Trials: len(correct[mi])}
		var acc []float64
		rate := 0.0
		for s := range correct[mi] {
			r.Seeds = append(r.Seeds, s)
			r.Correct = append(r.Correct, correct[mi][s])
			r.Missed = append(r.Missed, missed[mi][s])
			acc = append(acc, float64(correct[mi][s]))
			rate += float64(missed[mi][s]) / 50 / float64(len(correct[mi]))
		}
		r.Accuracies, r.MacroF1s, r.MissedMean = acc, f1[mi], rate
		r.AccuracyMean, r.AccuracyStd = MeanStd(acc)
		r.MacroF1Mean, r.MacroF1Std = MeanStd(f1[mi])
		rows = append(rows, r)
	}
	return rows
}

// TestRankDirection: accuracy and macro-F1 rank the highest mean first,
// the missed-fault rate the lowest; ties share their average rank.
func TestRankDirection(t *testing.T) {
	rows := metricRows("x",
		[3][]int{{90, 92}, {95, 95}, {80, 82}},     // accuracy: b 95, a 91, c 81
		[3][]int{{1, 3}, {5, 5}, {0, 0}},           // missed: c 0, a 4 %, b 10 %
		[3][]float64{{70, 72}, {70, 72}, {90, 91}}) // macro-F1: c, then a and b tied
	for _, tc := range []struct {
		metric RankMetric
		ranks  map[string]float64
		first  string
	}{
		{RankAccuracy, map[string]float64{"a": 2, "b": 1, "c": 3}, "b"},
		{RankMacroF1, map[string]float64{"a": 2.5, "b": 2.5, "c": 1}, "c"},
		{RankMissed, map[string]float64{"a": 2, "b": 3, "c": 1}, "c"},
	} {
		lb := NewLeaderboardBy(rows, tc.metric)
		if lb == nil || lb.Metric != tc.metric {
			t.Fatalf("%s: leaderboard %+v", tc.metric, lb)
		}
		if lb.Best != tc.first {
			t.Errorf("%s: best %s, want %s", tc.metric, lb.Best, tc.first)
		}
		for _, m := range lb.Methods {
			if m.Ranks[0] != tc.ranks[m.Method] {
				t.Errorf("%s: %s rank %g, want %g", tc.metric, m.Method, m.Ranks[0], tc.ranks[m.Method])
			}
		}
	}
}

// TestRankTiesAfterRounding: means of equal counts summed in another order
// differ in the last bit; ranked on macro-F1 or missed they still tie.
func TestRankTiesAfterRounding(t *testing.T) {
	rows := metricRows("x", [3][]int{{1, 1, 1}, {1, 1, 1}, {1, 1, 1}}, [3][]int{{1, 2, 3}, {3, 2, 1}, {9, 9, 9}},
		[3][]float64{{1, 2, 3}, {3, 2, 1}, {0, 0, 0}})
	x, y, z := 0.1, 0.2, 0.3                              // variables: constant sums would be exact
	rows[0].MissedMean, rows[1].MissedMean = x+y+z, z+y+x // 0.6000000000000001 and 0.6
	rows[0].MacroF1Mean, rows[1].MacroF1Mean = x+y+z, z+y+x
	rows[2].MissedMean = 0.9
	if rows[0].MissedMean == rows[1].MissedMean {
		t.Fatal("the sums should differ in the last bit")
	}
	for _, m := range []RankMetric{RankMacroF1, RankMissed} {
		lb := NewLeaderboardBy(rows, m)
		for _, e := range lb.Methods {
			if e.Method != "c" && e.Ranks[0] != 1.5 {
				t.Errorf("%s: %s rank %g, want the shared 1.5", m, e.Method, e.Ranks[0])
			}
		}
	}
}

// TestAllTiedCells: cells where every method missed no fault are noted as
// carrying no information; the tie-corrected Friedman χ² equals that of the
// informative cells alone; with every cell tied χ² = 0 and p = 1.
func TestAllTiedCells(t *testing.T) {
	zero := [3][]int{{0, 0}, {0, 0}, {0, 0}}
	acc := [3][]int{{90, 91}, {92, 93}, {94, 95}}
	f1 := [3][]float64{{1, 1}, {1, 1}, {1, 1}}
	informative := append(metricRows("p", acc, [3][]int{{4, 5}, {2, 3}, {0, 1}}, f1),
		metricRows("q", acc, [3][]int{{3, 3}, {4, 4}, {0, 2}}, f1)...)
	for _, tc := range []struct {
		name      string
		rows      []Row
		tied      int // all-tied cells expected in the note
		wantChi   float64
		wantNote  string
		wantPairs bool // paired tests still present
	}{
		{"two of four tied", append(append([]Row(nil), informative...), append(metricRows("z1", acc, zero, f1), metricRows("z2", acc, zero, f1)...)...),
			2, -1, "equals that of the other 2 cells alone", true},
		{"every cell tied", append(metricRows("z1", acc, zero, f1), metricRows("z2", acc, zero, f1)...),
			2, 0, "χ² = 0, p = 1 by construction", true},
		{"no tie", informative, 0, -1, "", true},
	} {
		lb := NewLeaderboardBy(tc.rows, RankMissed)
		notes := strings.Join(lb.Notes, "\n")
		if got := strings.Contains(notes, "all-tied cell"); got != (tc.tied > 0) {
			t.Errorf("%s: all-tied note present %v:\n%s", tc.name, got, notes)
		}
		if tc.wantNote != "" && !strings.Contains(notes, tc.wantNote) {
			t.Errorf("%s: notes lack %q:\n%s", tc.name, tc.wantNote, notes)
		}
		if tc.tied > 0 && (!strings.Contains(notes, "z1 (0.00 %)") || !strings.Contains(notes, "no seed of any method missed")) {
			t.Errorf("%s: the note should name cell z1 and its value:\n%s", tc.name, notes)
		}
		want := tc.wantChi
		if want < 0 {
			want = NewLeaderboardBy(informative, RankMissed).Friedman.ChiSq
		}
		if f := lb.Friedman; math.Abs(f.ChiSq-want) > 1e-12 || (want == 0 && f.P != 1) {
			t.Errorf("%s: Friedman %+v, want χ² %g", tc.name, f, want)
		}
		if (len(lb.VsBest) > 0) != tc.wantPairs {
			t.Errorf("%s: paired tests %v", tc.name, lb.VsBest)
		}
	}
}

// TestMissedPairedIsWilcoxon: the paired test on the missed-fault rate is
// WilcoxonTest on the per-(cell, seed) differences in missed fault windows,
// with wins counting the pairs where A missed fewer.
func TestMissedPairedIsWilcoxon(t *testing.T) {
	rows := append(metricRows("p", [3][]int{{1, 1, 1}, {1, 1, 1}, {1, 1, 1}},
		[3][]int{{4, 6, 5}, {2, 3, 0}, {1, 1, 7}}, [3][]float64{{1, 1, 1}, {1, 1, 1}, {1, 1, 1}}),
		metricRows("q", [3][]int{{1, 1, 1}, {1, 1, 1}, {1, 1, 1}},
			[3][]int{{3, 8, 2}, {0, 0, 1}, {3, 2, 2}}, [3][]float64{{1, 1, 1}, {1, 1, 1}, {1, 1, 1}})...)
	lb := NewLeaderboardBy(rows, RankMissed)
	if lb.Best != "b" {
		t.Fatalf("best %s, want b (fewest missed)", lb.Best)
	}
	missed := map[string][]int{}
	for _, r := range rows {
		missed[r.Method] = append(missed[r.Method], r.Missed...)
	}
	for _, p := range lb.VsBest {
		var d []float64
		wins, losses, mean := 0, 0, 0.0
		for i := range missed[p.A] {
			k := missed[p.A][i] - missed[p.B][i]
			d = append(d, float64(k))
			mean += 100 * float64(k) / 50 / 6
			if k < 0 {
				wins++
			} else if k > 0 {
				losses++
			}
		}
		w := WilcoxonTest(d)
		if p.P != w.P || p.PExact != w.Exact || p.Pairs != 6 || p.Wins != wins || p.Losses != losses || math.Abs(p.MeanDiff-mean) > 1e-12 {
			t.Errorf("%s − %s: %+v, want p %g, wins %d, losses %d, mean %g (d = %v)", p.A, p.B, p, w.P, wins, losses, mean, d)
		}
	}
}

// TestMacroF1PairedIsWilcoxon: on macro-F1 the test takes the per-seed
// differences rounded to 1e-9 points, so differences equal but for
// summation order tie.
func TestMacroF1PairedIsWilcoxon(t *testing.T) {
	f1 := [3][]float64{{90.1, 95, 0.1 + 0.2}, {92.3, 93, 0.3}, {80, 85, 0.5}}
	rows := metricRows("x", [3][]int{{1, 1, 1}, {1, 1, 1}, {1, 1, 1}}, [3][]int{{0, 0, 0}, {0, 0, 0}, {0, 0, 0}}, f1)
	lb := NewLeaderboardBy(rows, RankMacroF1)
	if lb.Best != "b" || len(lb.VsBest) != 2 {
		t.Fatalf("best %s, pairs %+v", lb.Best, lb.VsBest)
	}
	for _, p := range lb.VsBest {
		a := map[string]int{"a": 0, "c": 2}[p.A]
		var d []float64
		for i := range f1[a] {
			d = append(d, math.Round((f1[a][i]-f1[1][i])*1e9)/1e9)
		}
		w := WilcoxonTest(d)
		if p.P != w.P || (p.A == "a" && (p.Ties != 1 || p.Wins != 1 || p.Losses != 1)) {
			t.Errorf("%s − b: %+v, want p %g (d = %v; a − b: 1 win, 1 tie, 1 loss)", p.A, p, w.P, d)
		}
	}
}

// TestOldSummaryRows: rows of a summary.json written before per-seed
// macro-F1 and missed counts existed still rank; the paired tests are
// left out with a note, never computed from something else.
func TestOldSummaryRows(t *testing.T) {
	rows := metricRows("x", [3][]int{{90, 92}, {95, 95}, {80, 82}}, [3][]int{{1, 3}, {5, 5}, {0, 0}},
		[3][]float64{{70, 72}, {71, 72}, {90, 91}})
	for i := range rows {
		rows[i].MacroF1s, rows[i].Missed, rows[i].FaultWindows = nil, nil, 0
	}
	for _, m := range []RankMetric{RankMacroF1, RankMissed} {
		lb := NewLeaderboardBy(rows, m)
		if lb == nil || lb.VsBest != nil || lb.VsDCNNC != nil {
			t.Fatalf("%s: %+v", m, lb)
		}
		notes := strings.Join(lb.Notes, "\n")
		if !strings.Contains(notes, "no paired tests") || !strings.Contains(notes, "a in x") {
			t.Errorf("%s: notes %q", m, notes)
		}
		if md := LeaderboardMarkdown(lb, ""); strings.Contains(md, "Wilcoxon") || !strings.Contains(md, "no paired tests") {
			t.Errorf("%s: leaderboard.md:\n%s", m, md)
		}
	}
	if lb := NewLeaderboardBy(rows, RankAccuracy); len(lb.VsBest) != 2 {
		t.Errorf("accuracy keeps its paired tests: %+v", lb.VsBest)
	}
	// Missed counts over different numbers of fault windows do not pair.
	rows = metricRows("x", [3][]int{{90, 92}, {95, 95}, {80, 82}}, [3][]int{{1, 3}, {5, 5}, {0, 0}},
		[3][]float64{{70, 72}, {71, 72}, {90, 91}})
	rows[2].FaultWindows = 49
	if lb := NewLeaderboardBy(rows, RankMissed); lb.VsBest != nil || !strings.Contains(strings.Join(lb.Notes, " "), "no paired tests: the rows of a in x, b in x do not carry") {
		t.Errorf("missed counts of 50 and 49 fault windows paired: %+v, notes %q", lb.VsBest, lb.Notes)
	}
}

// TestAggregatePerSeed: Aggregate stores each seed's macro-F1 and missed
// fault windows, and the fault-window count only when the trials agree.
func TestAggregatePerSeed(t *testing.T) {
	classes := []string{"NC", "F1", "F2"}
	trial := func(seed int, pred, labels []int) *TrialResult {
		return &TrialResult{Set: "s", Method: "m", Seed: seed, Classes: classes, Test: train.Evaluate(pred, labels, classes, 0)}
	}
	labels := []int{0, 0, 1, 1, 2, 2}
	rows, _ := Aggregate([]*TrialResult{
		trial(1, []int{0, 0, 0, 1, 2, 0}, labels), // 2 of 4 fault windows missed
		trial(0, []int{0, 0, 1, 1, 2, 2}, labels), // none
	})
	r := rows[0]
	if r.FaultWindows != 4 || len(r.Missed) != 2 || r.Missed[0] != 0 || r.Missed[1] != 2 {
		t.Errorf("fault windows %d, missed %v, want 4 and [0 2] in seed order", r.FaultWindows, r.Missed)
	}
	if len(r.MacroF1s) != 2 || r.MacroF1s[0] != 100 || math.Abs(r.MacroF1Mean-(r.MacroF1s[0]+r.MacroF1s[1])/2) > 1e-12 {
		t.Errorf("macro-F1s %v, mean %g", r.MacroF1s, r.MacroF1Mean)
	}
	rows, _ = Aggregate([]*TrialResult{trial(0, []int{0, 0, 1, 1, 2, 2}, labels), trial(1, []int{0, 1}, []int{0, 1})})
	if rows[0].FaultWindows != 0 || rows[0].Missed != nil {
		t.Errorf("trials over different fault windows: %d, %v, want 0 and none", rows[0].FaultWindows, rows[0].Missed)
	}
}
