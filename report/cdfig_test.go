package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/ghl-dev/ghl/experiment"
	"gonum.org/v1/plot/vg"
)

// TestCDFigure draws the diagram of a small leaderboard as PNG and SVG and
// checks that the report page carries the leaderboard and the figure.
func TestCDFigure(t *testing.T) {
	var rows []experiment.Row
	for ci, c := range []string{"set1", "set2", "set3"} {
		for mi, m := range []string{"dcnn", "dcnnc", "focal", "ros"} {
			acc := 90 + float64((mi*7+ci*3)%5)
			rows = append(rows, experiment.Row{Set: c, Method: m, Trials: 2, Seeds: []int{0, 1},
				Accuracies: []float64{acc, acc}, AccuracyMean: acc, MacroF1Mean: acc})
		}
	}
	lb := experiment.NewLeaderboard(rows)
	f := CDFigure(lb)
	if f == nil {
		t.Fatal("no figure")
	}
	for _, format := range []string{"png", "svg"} {
		var b bytes.Buffer
		if err := f.Render(&b, format); err != nil || b.Len() < 1000 {
			t.Fatalf("%s: %v (%d bytes)", format, err, b.Len())
		}
	}
	if CDFigure(nil) != nil {
		t.Error("a figure for no leaderboard")
	}
	r := &Results{Dir: t.TempDir(), Rows: rows, Summary: &experiment.Summary{Rows: rows, Leaderboard: lb},
		LeaderboardMarkdown: experiment.LeaderboardMarkdown(lb, "ghl reproduce --methods zoo")}
	var page bytes.Buffer
	if err := Render(&page, r); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`id="leaderboard"`, `id="cd-diagram"`, "Friedman test", "rank 1 = highest mean test accuracy"} {
		if !strings.Contains(page.String(), want) {
			t.Errorf("report lacks %s", want)
		}
	}
	// Ranked on the missed-fault rate, the figure and the page say so.
	for i := range rows {
		rows[i].MissedMean = float64(i%4) / 100
	}
	lb = experiment.NewLeaderboardBy(rows, experiment.RankMissed)
	r = &Results{Dir: t.TempDir(), Rows: rows, Summary: &experiment.Summary{Rows: rows, Leaderboard: lb},
		LeaderboardMarkdown: experiment.LeaderboardMarkdown(lb, "ghl leaderboard --rank-by missed results")}
	page.Reset()
	if err := Render(&page, r); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"rank 1 = lowest mean missed-fault rate", "lower is better"} {
		if !strings.Contains(page.String(), want) {
			t.Errorf("report ranked on missed faults lacks %q", want)
		}
	}
}

// TestCDLayoutFitsLongLabels checks that the diagram widens for long method
// names (zoo methods with settings) so their labels fit beside the axis, and
// keeps 8 inches for short ones.
func TestCDLayoutFitsLongLabels(t *testing.T) {
	for _, tc := range []struct {
		long      string
		wantWider bool
	}{
		{"ros", false},
		{"cb:base=focal:beta=0.999", true},
	} {
		var rows []experiment.Row
		names := []string{"dcnn", "dcnnc", "dcnng", "focal", "cb", "la", "bsm", "ghm", "ros2", "smote", "ldam-drw", tc.long}
		for ci, c := range []string{"set1", "set2"} {
			for mi, m := range names {
				acc := 90 + float64((mi*7+ci*3)%11)
				rows = append(rows, experiment.Row{Set: c, Method: m, Trials: 1, Seeds: []int{0},
					Accuracies: []float64{acc}, AccuracyMean: acc})
			}
		}
		lb := experiment.NewLeaderboard(rows)
		pad, width := cdLayout(lb)
		k := float64(len(lb.Methods))
		inches := float64(width / vg.Inch)
		if got := inches > 8; got != tc.wantWider {
			t.Errorf("%s: width %.2f in, wider than 8 in: %v, want %v", tc.long, inches, got, tc.wantWider)
		}
		// The room from the label's anchor to the figure's edge, in inches,
		// must hold the longest label at 0.075 in per character.
		perRank := inches / (k - 1 + 2*pad)
		room := (pad - 0.07*k) * perRank
		if need := 0.075 * float64(len(tc.long)+7); room < need {
			t.Errorf("%s: %.2f in beside the axis for a label of %.2f in", tc.long, room, need)
		}
	}
}
