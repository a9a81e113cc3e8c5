package experiment

import (
	"math"
	"strings"
	"testing"
)

// TestNemenyiQ checks q_α against Demšar (2006), Table 5a (α = 0.05).
func TestNemenyiQ(t *testing.T) {
	want := map[int]float64{2: 1.960, 3: 2.343, 4: 2.569, 5: 2.728, 6: 2.850, 7: 2.949, 8: 3.031, 9: 3.102, 10: 3.164}
	for k, q := range want {
		if got := NemenyiQ(k, 0.05); math.Abs(got-q) > 0.0015 {
			t.Errorf("k = %d: q = %.4f, Demšar's table %.3f", k, got, q)
		}
	}
	if q10, q12 := NemenyiQ(10, 0.05), NemenyiQ(12, 0.05); !(q12 > q10) {
		t.Errorf("q must grow with k: q10 %g, q12 %g", q10, q12)
	}
}

func TestRankDesc(t *testing.T) {
	for _, tc := range []struct {
		xs, want []float64
		ties     float64
	}{
		{[]float64{90, 95, 80}, []float64{2, 1, 3}, 0},
		{[]float64{99, 99, 98, 99}, []float64{2, 2, 4, 2}, 24},
		{[]float64{5, 5}, []float64{1.5, 1.5}, 6},
	} {
		got, ties := rankDesc(tc.xs)
		for i := range got {
			if got[i] != tc.want[i] {
				t.Errorf("rankDesc(%v) = %v, want %v", tc.xs, got, tc.want)
				break
			}
		}
		if ties != tc.ties {
			t.Errorf("rankDesc(%v) ties %g, want %g", tc.xs, ties, tc.ties)
		}
	}
}

// rowsFor builds rows of 108 test windows from per-seed correct counts:
// acc[cell][method] lists each seed's correct windows.
func rowsFor(cells, methods []string, correct [][][]int) []Row {
	var rows []Row
	for ci, c := range cells {
		for mi, m := range methods {
			r := Row{Set: c, Method: m, TestWindows: 108, Trials: len(correct[ci][mi])}
			var acc []float64
			for s, k := range correct[ci][mi] {
				r.Seeds = append(r.Seeds, s)
				r.Correct = append(r.Correct, k)
				acc = append(acc, 100*float64(k)/108)
			}
			r.Accuracies = acc
			r.AccuracyMean, r.AccuracyStd = MeanStd(acc)
			r.MacroF1Mean = r.AccuracyMean
			rows = append(rows, r)
		}
	}
	return rows
}

// TestLeaderboardConsistentRanking: three methods ranked 1, 2, 3 in each
// of four cells give χ² = 8 (p = e^−4), and the best is compared against.
func TestLeaderboardConsistentRanking(t *testing.T) {
	cells := []string{"a", "b", "c", "d"}
	methods := []string{"dcnn", "dcnnc", "x"}
	var correct [][][]int
	for range cells {
		correct = append(correct, [][]int{{100, 101, 102}, {98, 99, 100}, {90, 91, 92}})
	}
	rows := rowsFor(cells, methods, correct)
	rows = append(rows, Row{Set: "balanced", Method: "dcnn", AccuracyMean: 50}) // only one method: left out
	lb := NewLeaderboard(rows)
	if lb == nil {
		t.Fatal("no leaderboard")
	}
	if len(lb.Cells) != 4 || !strings.Contains(strings.Join(lb.Notes, ";"), "balanced") {
		t.Errorf("cells %v, notes %v: want a, b, c, d and a note on balanced", lb.Cells, lb.Notes)
	}
	if lb.Best != "dcnn" || lb.Methods[2].Method != "x" || lb.Methods[0].MeanRank != 1 {
		t.Errorf("order %+v", lb.Methods)
	}
	f := lb.Friedman
	if f == nil || math.Abs(f.ChiSq-8) > 1e-12 || math.Abs(f.P-math.Exp(-4)) > 1e-9 || f.F != 0 {
		t.Fatalf("Friedman %+v, want χ² = 8, p = e^-4 and no F (perfect agreement)", f)
	}
	// CD = q(3)·√(3·4/(6·4)) = 2.343·0.7071 = 1.657: 1 and 2 group, 2 and 3 do not (gap 1 < CD, group), 1 and 3 not.
	if math.Abs(lb.CD-2.343*math.Sqrt(0.5)) > 0.002 {
		t.Errorf("CD %g", lb.CD)
	}
	if len(lb.Groups) != 2 || lb.Groups[0] != [2]int{0, 1} || lb.Groups[1] != [2]int{1, 2} {
		t.Errorf("groups %v, want [0 1] [1 2]", lb.Groups)
	}
	if len(lb.VsBest) != 2 || len(lb.VsDCNNC) != 2 {
		t.Fatalf("vs best %v, vs dcnnc %v", lb.VsBest, lb.VsDCNNC)
	}
	for _, p := range lb.VsBest {
		// 12 pairs, all losses: exact p = 2/2^12.
		if p.Pairs != 12 || p.Losses != 12 || math.Abs(p.P-2/4096.0) > 1e-15 || p.PHolm < p.P {
			t.Errorf("vs best %+v", p)
		}
	}
	if lb.VsBest[0].PHolm != 2*lb.VsBest[0].P {
		t.Errorf("Holm over 2 equal p-values: %g, want %g", lb.VsBest[0].PHolm, 2*lb.VsBest[0].P)
	}
	md := LeaderboardMarkdown(lb, "ghl reproduce --methods zoo")
	for _, s := range []string{"Friedman test", "p = 0.01832", "critical difference", "Against dcnnc", "| 1 | dcnn | 1.00 |"} {
		if !strings.Contains(md, s) {
			t.Errorf("leaderboard.md lacks %q:\n%s", s, md)
		}
	}
}

// TestLeaderboardTiesAndEdges: all-tied cells give χ² = 0 (p = 1), one
// cell gives no Friedman test, two methods no leaderboard.
func TestLeaderboardTiesAndEdges(t *testing.T) {
	methods := []string{"a", "b", "c"}
	same := [][]int{{100, 100}, {100, 100}, {100, 100}}
	lb := NewLeaderboard(rowsFor([]string{"x", "y"}, methods, [][][]int{same, same}))
	if lb.Friedman == nil || lb.Friedman.ChiSq != 0 || lb.Friedman.P != 1 || lb.Methods[0].MeanRank != 2 {
		t.Errorf("all tied: %+v %+v", lb.Friedman, lb.Methods)
	}
	if lb.VsBest[0].P != 1 || lb.VsBest[0].Ties != 4 {
		t.Errorf("all tied pairs: %+v", lb.VsBest[0])
	}
	one := NewLeaderboard(rowsFor([]string{"x"}, methods, [][][]int{{{1}, {2}, {3}}}))
	if one == nil || one.Friedman != nil {
		t.Errorf("one cell: %+v", one)
	}
	if two := NewLeaderboard(rowsFor([]string{"x", "y"}, methods[:2], [][][]int{{{1}, {2}}, {{1}, {2}}})); two != nil {
		t.Errorf("two methods: %+v", two)
	}
}

// TestFriedmanWithTies checks the tie-corrected statistic against a
// hand computation: k = 3, n = 2, cell 1 ranks (1, 2.5, 2.5), cell 2 ranks
// (1, 2, 3): R = (1, 2.25, 2.75), Σ R² = 13.625, χ² uncorrected =
// 12·2/12·(13.625 − 12) = 3.25, correction 1 − 6/(2·24) = 0.875, χ² = 3.714.
func TestFriedmanWithTies(t *testing.T) {
	lb := NewLeaderboard(rowsFor([]string{"x", "y"}, []string{"a", "b", "c"},
		[][][]int{{{100}, {90}, {90}}, {{100}, {95}, {90}}}))
	want := 3.25 / 0.875
	if f := lb.Friedman; math.Abs(f.ChiSq-want) > 1e-12 || math.Abs(f.P-math.Exp(-want/2)) > 1e-12 {
		t.Errorf("Friedman %+v, want χ² = %g", f, want)
	}
}

func TestCellOf(t *testing.T) {
	for _, tc := range []struct {
		r    Row
		want string
	}{{Row{Set: "set1"}, "set1"}, {Row{Protocol: "paper", Set: "set2"}, "set2"}, {Row{Protocol: "ratio", Set: "3200/64"}, "ratio/3200/64"}} {
		if got := CellOf(tc.r); got != tc.want {
			t.Errorf("CellOf(%+v) = %q, want %q", tc.r, got, tc.want)
		}
	}
}
