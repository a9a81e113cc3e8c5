package experiment

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var updateGolden = flag.Bool("update", false, "rewrite experiment/testdata/leaderboard_*.golden.md from the current code")

// goldenRows is a small run with something in it for every part of
// leaderboard.md: three cells (one of another protocol), a cell left out,
// tied ranks, a cell whose rows disagree on the test-window count (the
// paired tests then fall back to rounded accuracies), per-seed missed-fault
// counts and macro-F1 values.
func goldenRows() []Row {
	type spec struct {
		protocol, set string
		windows       int
		// correct, missed and f1 per method (dcnn, dcnnc, dcnng, focal), per seed
		correct [4][3]int
		missed  [4][3]int
		f1      [4][3]float64
	}
	methods := []string{"dcnn", "dcnnc", "dcnng", "focal"}
	specs := []spec{
		{"", "set1", 108,
			[4][3]int{{108, 107, 108}, {107, 108, 108}, {108, 108, 108}, {106, 107, 108}},
			[4][3]int{{0, 1, 0}, {1, 0, 0}, {0, 0, 0}, {2, 1, 0}},
			[4][3]float64{{100, 99.1, 100}, {99.1, 100, 100}, {100, 100, 100}, {98.2, 99.1, 100}}},
		{"", "set2", 108,
			[4][3]int{{100, 104, 101}, {103, 105, 102}, {107, 106, 106}, {103, 105, 102}},
			[4][3]int{{6, 3, 5}, {2, 1, 4}, {0, 1, 1}, {3, 2, 4}},
			[4][3]float64{{91.5, 95.2, 92.8}, {94.9, 96.7, 93.9}, {99.0, 98.1, 98.1}, {94.9, 96.7, 93.9}}},
		{"ratio", "3200/64", 0,
			[4][3]int{{90, 91, 93}, {95, 94, 96}, {97, 97, 98}, {88, 92, 90}},
			[4][3]int{{10, 9, 7}, {5, 6, 4}, {3, 3, 2}, {12, 8, 10}},
			[4][3]float64{{80.5, 82.25, 85}, {88, 87.5, 89}, {92, 92, 93.5}, {77, 83, 80}}},
	}
	var rows []Row
	for _, s := range specs {
		for mi, m := range methods {
			r := Row{Protocol: s.protocol, Set: s.set, Method: m, Trials: 3, TestWindows: s.windows, FaultWindows: 99}
			var acc, f1 []float64
			missed := 0.0
			for seed := range 3 {
				n := 108
				r.Seeds = append(r.Seeds, seed)
				if s.windows > 0 {
					r.Correct = append(r.Correct, s.correct[mi][seed])
				} else {
					n = 100 + seed // trials disagree on the window count
				}
				acc = append(acc, 100*float64(s.correct[mi][seed])/float64(n))
				f1 = append(f1, s.f1[mi][seed])
				missed += float64(s.missed[mi][seed]) / 99 / 3
				r.Missed = append(r.Missed, s.missed[mi][seed])
			}
			r.MacroF1s = f1
			r.Accuracies = acc
			r.AccuracyMean, r.AccuracyStd = MeanStd(acc)
			r.MacroF1Mean, r.MacroF1Std = MeanStd(f1)
			r.MissedMean = missed
			rows = append(rows, r)
		}
	}
	rows = append(rows, Row{Set: "balanced", Method: "dcnn", Trials: 1, AccuracyMean: 50})
	return rows
}

// checkGolden compares got with testdata/name, or rewrites it with -update.
func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *updateGolden {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file (go test -run %s -update rewrites it):\n--- got\n%s\n--- want\n%s", name, t.Name(), got, want)
	}
}

// TestLeaderboardAccuracyGolden: ranking on accuracy writes leaderboard.md
// byte for byte as the code before ranking options did (the golden file
// was written by that code).
func TestLeaderboardAccuracyGolden(t *testing.T) {
	lb := NewLeaderboard(goldenRows())
	if lb == nil {
		t.Fatal("no leaderboard")
	}
	checkGolden(t, "leaderboard_accuracy.golden.md", LeaderboardMarkdown(lb, "ghl reproduce --methods dcnn,dcnnc,dcnng,focal"))
}

// TestLeaderboardMetricGolden pins leaderboard.md ranked on macro-F1 and on
// the missed-fault rate (written by this code; a change must be deliberate).
func TestLeaderboardMetricGolden(t *testing.T) {
	for _, m := range []RankMetric{RankMacroF1, RankMissed} {
		lb := NewLeaderboardBy(goldenRows(), m)
		if lb == nil {
			t.Fatalf("%s: no leaderboard", m)
		}
		checkGolden(t, "leaderboard_"+string(m)+".golden.md", LeaderboardMarkdown(lb, "ghl leaderboard --rank-by "+string(m)+" results"))
	}
}
