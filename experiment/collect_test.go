package experiment

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ghl-dev/ghl"
	"github.com/ghl-dev/ghl/train"
)

// writeJSONFile writes v as JSON to path, creating its folder.
func writeJSONFile(t *testing.T, path string, v any) {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestCollectResults: trials of several folders pool (other seeds of the
// same cell make one row), summary-only folders add their rows, the kernel
// paths and sources are noted, and conflicts and empty folders are errors
// of the documented kinds.
func TestCollectResults(t *testing.T) {
	classes := []string{"NC", "F"}
	trialOf := func(dir, protocol string, seed int, pred []int, loss float64) {
		labels := []int{0, 1, 1, 1}
		r := TrialResult{Protocol: protocol, Set: "s", Method: "m", Seed: seed, Classes: classes, Test: train.Evaluate(pred, labels, classes, 0),
			Log: []train.IterLog{{Iter: 1, Loss: loss, Seconds: float64(len(dir))}}}
		writeJSONFile(t, filepath.Join(dir, "trials", Cell{Protocol: protocol, Set: "s", Method: Method{Name: "m"}, Seed: seed}.Key()+".json"), r)
	}
	trial := func(dir string, seed int, pred []int) { trialOf(dir, "", seed, pred, 0.5) }
	tmp := t.TempDir()
	a, b, sum, empty := filepath.Join(tmp, "a"), filepath.Join(tmp, "b"), filepath.Join(tmp, "sum"), filepath.Join(tmp, "empty")
	trial(a, 0, []int{0, 1, 1, 0})
	writeJSONFile(t, filepath.Join(a, "summary.json"), Summary{Kernel: "avx512", Command: "ghl reproduce --seeds 1"})
	trial(b, 1, []int{0, 0, 0, 1})
	writeJSONFile(t, filepath.Join(b, "summary.json"), Summary{Kernel: "avx2"})
	writeJSONFile(t, filepath.Join(sum, "summary.json"), Summary{Kernel: "avx512", Rows: []Row{{Protocol: "ratio", Set: "s", Method: "m", Trials: 1}}})
	if err := os.MkdirAll(empty, 0o755); err != nil {
		t.Fatal(err)
	}

	// load0 holds the same trainings as a and b (another timing aside);
	// other differs in its training log only.
	same, other := filepath.Join(tmp, "same"), filepath.Join(tmp, "other")
	trialOf(same, "load0", 0, []int{0, 1, 1, 0}, 0.5)
	trialOf(same, "load0", 1, []int{0, 0, 0, 1}, 0.5)
	trialOf(other, "noise", 0, []int{0, 1, 1, 0}, 0.5)
	trialOf(other, "noise", 1, []int{0, 0, 0, 1}, 0.25)

	c, err := CollectResults(a, b, sum, same, other)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Duplicates) != 1 || c.Duplicates[0] != (DuplicateCell{Cell: "load0/s", Of: "s"}) {
		t.Errorf("duplicates %+v, want load0/s as a repeat of s (and not noise/s, whose log differs)", c.Duplicates)
	}
	if len(c.Rows) != 3 || CellOf(c.Rows[1]) != "noise/s" {
		t.Fatalf("rows %+v, want s, noise/s and ratio/s", c.Rows)
	}
	c.Rows = append(c.Rows[:1], c.Rows[2])
	if len(c.Rows) != 2 || c.Rows[0].Trials != 2 || len(c.Rows[0].Missed) != 2 || c.Rows[0].Missed[0] != 1 || c.Rows[0].Missed[1] != 2 ||
		CellOf(c.Rows[1]) != "ratio/s" {
		t.Fatalf("rows %+v, want s/m pooled over seeds 0 and 1 (missed 1 and 2 of 3) and ratio/s from the summary", c.Rows)
	}
	notes := strings.Join(c.Notes(), "\n")
	for _, want := range []string{a + ": read from 1 trial file in trials/", "`ghl reproduce --seeds 1`", sum + ": read from summary.json (no trials/)",
		"cell load0/s left out: its trials are those of s",
		"different kernel paths: avx2 (" + b + "); avx512 (" + a + ", " + sum + ")"} {
		if !strings.Contains(notes, want) {
			t.Errorf("notes lack %q:\n%s", want, notes)
		}
	}
	for _, tc := range []struct {
		name string
		dirs []string
		kind error
		say  string
	}{
		{"same trial twice", []string{a, a}, ghl.ErrUsage, "both hold the trial of m on s, seed 0"},
		{"same row twice", []string{sum, sum}, ghl.ErrUsage, "rank them separately"},
		{"empty folder", []string{a, empty}, ghl.ErrBadInput, "no trials/*.json and no summary.json"},
		{"missing folder", []string{filepath.Join(tmp, "nope")}, ghl.ErrBadInput, "nope"},
	} {
		_, err := CollectResults(tc.dirs...)
		if !errors.Is(err, tc.kind) || !strings.Contains(err.Error(), tc.say) {
			t.Errorf("%s: %v, want %v saying %q", tc.name, err, tc.kind, tc.say)
		}
	}
}
