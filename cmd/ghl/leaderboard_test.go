package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ghl-dev/ghl/experiment"
)

// rankedFlags are the plan flags of rankedRun's run (without --data).
var rankedFlags = []string{"--sets", "8/4", "--methods", "dcnn,dcnnc,dcnng", "--seeds", "2", "--quick", "--no-report", "--no-fig3"}

// rankedRun runs a small quick reproduce of three methods, two seeds,
// ranked on rankBy, and returns its results folder and data folder.
func rankedRun(t *testing.T, rankBy string) (out, data string) {
	t.Helper()
	data = goodFolder(t, filepath.Join(t.TempDir(), "data"), "NC", "IF", "OF")
	out = filepath.Join(t.TempDir(), "results")
	args := append([]string{"reproduce", "--data", data, "--rank-by", rankBy, "--out", out}, rankedFlags...)
	if _, stderr, err := runGHL(t, args...); err != nil {
		t.Fatalf("reproduce: %v\n%s", err, stderr)
	}
	return out, data
}

// body is leaderboard.md without its command line and the source notes
// 'ghl leaderboard' adds: the part two rankings of the same rows share.
func body(md string) string {
	var keep []string
	for i, l := range strings.Split(md, "\n") {
		if i == 2 || strings.Contains(l, ": read from ") {
			continue
		}
		keep = append(keep, l)
	}
	return strings.Join(keep, "\n")
}

// copyTrials copies the trial files of dir whose name matches keep into a
// new results folder and returns it.
func copyTrials(t *testing.T, dir string, keep func(name string) bool) string {
	t.Helper()
	out := t.TempDir()
	paths, _ := filepath.Glob(filepath.Join(dir, "trials", "*.json"))
	for _, p := range paths {
		if keep(filepath.Base(p)) {
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			writeFile(t, filepath.Join(out, "trials", filepath.Base(p)), b)
		}
	}
	return out
}

// TestLeaderboardCommand: 'reproduce --rank-by missed' ranks on the
// missed-fault rate; 'ghl leaderboard' re-ranks the same folder (from its
// trials, from its summary.json alone, and split by seed into two folders)
// to the same leaderboard, and ranks it on the other metrics without
// retraining.
func TestLeaderboardCommand(t *testing.T) {
	run, data := rankedRun(t, "missed")
	var s experiment.Summary
	b, err := os.ReadFile(filepath.Join(run, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatal(err)
	}
	if s.Leaderboard == nil || s.Leaderboard.Metric != experiment.RankMissed || len(s.Leaderboard.VsBest) != 2 {
		t.Fatalf("summary leaderboard %+v, want one ranked on missed with paired tests", s.Leaderboard)
	}
	for _, r := range s.Rows {
		if len(r.Missed) != 2 || r.FaultWindows == 0 || len(r.MacroF1s) != 2 {
			t.Errorf("row %s %s lacks per-seed values: missed %v of %d, macro-F1 %v", r.Set, r.Method, r.Missed, r.FaultWindows, r.MacroF1s)
		}
	}
	written, err := os.ReadFile(filepath.Join(run, "leaderboard.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(written), "lower is better: rank 1 = fewest missed faults") {
		t.Errorf("leaderboard.md does not say it ranks on missed faults, lower first:\n%s", written)
	}

	summaryOnly := t.TempDir()
	writeFile(t, filepath.Join(summaryOnly, "summary.json"), b)
	seed0 := copyTrials(t, run, func(n string) bool { return strings.HasSuffix(n, "seed0.json") })
	seed1 := copyTrials(t, run, func(n string) bool { return strings.HasSuffix(n, "seed1.json") })
	for _, tc := range []struct {
		name string
		dirs []string
	}{{"trials", []string{run}}, {"summary.json only", []string{summaryOnly}}, {"split by seed", []string{seed0, seed1}}} {
		args := append([]string{"leaderboard", "--rank-by", "missed"}, tc.dirs...)
		out, stderr, err := runGHL(t, args...)
		if err != nil {
			t.Fatalf("%s: %v\n%s", tc.name, err, stderr)
		}
		if body(out) != body(string(written)) {
			t.Errorf("%s: re-ranked leaderboard differs from reproduce's:\n%s\n--- reproduce's:\n%s", tc.name, out, written)
		}
		if !strings.Contains(out, "`ghl leaderboard --rank-by missed "+tc.dirs[0]) {
			t.Errorf("%s: the command line is not in the output:\n%s", tc.name, out)
		}
	}

	md := filepath.Join(t.TempDir(), "f1.md")
	if _, stderr, err := runGHL(t, "leaderboard", "--rank-by", "macro-f1", run, "--out", md); err != nil {
		t.Fatalf("--out: %v\n%s", err, stderr)
	}
	f1, err := os.ReadFile(md)
	if err != nil || !strings.Contains(string(f1), "Ranked on mean test macro-F1 per cell (higher is better") ||
		!strings.Contains(string(f1), "per-seed difference in test macro-F1") {
		t.Errorf("macro-F1 leaderboard (%v):\n%s", err, f1)
	}
	acc, _, err := runGHL(t, "leaderboard", run)
	if err != nil || !strings.Contains(acc, "Ranked on mean test accuracy per cell") {
		t.Errorf("default ranking (%v):\n%s", err, acc)
	}

	// 'ghl aggregate --rank-by' re-writes the run's outputs ranked on
	// macro-F1, from the same trials.
	args := append([]string{"aggregate", run, "--data", data, "--rank-by", "macro-f1"}, rankedFlags...)
	if _, stderr, err := runGHL(t, args...); err != nil {
		t.Fatalf("aggregate: %v\n%s", err, stderr)
	}
	if agg, err := os.ReadFile(filepath.Join(run, "leaderboard.md")); err != nil || body(string(agg)) != body(string(f1)) {
		t.Errorf("aggregate --rank-by macro-f1 (%v):\n%s\n--- leaderboard --rank-by macro-f1:\n%s", err, agg, f1)
	}

	// Another kernel path in one folder is noted, not refused (whichever
	// path this machine ran: an AVX2-only machine runs avx2).
	other := copyTrials(t, run, func(n string) bool { return strings.HasSuffix(n, "seed1.json") })
	otherKernel := "avx2"
	if s.Kernel == otherKernel {
		otherKernel = "avx512"
	}
	s.Kernel = otherKernel
	b2, _ := json.Marshal(s)
	writeFile(t, filepath.Join(other, "summary.json"), b2)
	writeFile(t, filepath.Join(seed0, "summary.json"), b)
	out, _, err := runGHL(t, "leaderboard", seed0, other)
	if err != nil || !strings.Contains(out, "different kernel paths") || !strings.Contains(out, otherKernel+" ("+other+")") {
		t.Errorf("mixed kernels (%v):\n%s", err, out)
	}
}

// TestLeaderboardCommandErrors: folders without results, corrupt files,
// the same trial twice and bad flags fail with the documented exit code and
// a message naming the problem, writing nothing.
func TestLeaderboardCommandErrors(t *testing.T) {
	tmp := t.TempDir()
	empty := filepath.Join(tmp, "empty")
	if err := os.MkdirAll(empty, 0o755); err != nil {
		t.Fatal(err)
	}
	corrupt := filepath.Join(tmp, "corrupt")
	writeFile(t, filepath.Join(corrupt, "trials", "set1__dcnn__seed0.json"), []byte("{not json"))
	badSummary := filepath.Join(tmp, "badsummary")
	writeFile(t, filepath.Join(badSummary, "summary.json"), []byte(`{"rows": 3}`))
	twoMethods := filepath.Join(tmp, "two")
	writeFile(t, filepath.Join(twoMethods, "summary.json"), []byte(`{"kernel":"avx2","rows":[{"set":"s","method":"a","trials":1},{"set":"s","method":"b","trials":1}]}`))
	file := filepath.Join(tmp, "file.txt")
	writeFile(t, file, []byte("x"))
	outFile := filepath.Join(tmp, "out.md")
	for _, tc := range []struct {
		name string
		args []string
		code int
		say  string
	}{
		{"no folder", []string{"leaderboard"}, 2, "at least 1 arg"},
		{"missing folder", []string{"leaderboard", filepath.Join(tmp, "nope")}, 3, "nope"},
		{"a file", []string{"leaderboard", file}, 3, "not a folder"},
		{"empty folder", []string{"leaderboard", empty}, 3, "no trials/*.json and no summary.json"},
		{"corrupt trial", []string{"leaderboard", corrupt}, 3, "set1__dcnn__seed0.json"},
		{"corrupt summary", []string{"leaderboard", badSummary}, 3, "summary.json"},
		{"two methods", []string{"leaderboard", twoMethods, "--out", outFile}, 3, "three or more methods"},
		{"same folder twice", []string{"leaderboard", twoMethods, twoMethods}, 2, "rank them separately"},
		{"unknown metric", []string{"leaderboard", "--rank-by", "recall", twoMethods}, 2, "macro-f1"},
		{"out is a folder", []string{"leaderboard", twoMethods, "--out", empty}, 2, "is a folder"},
		{"reproduce unknown metric", []string{"reproduce", "--rank-by", "f1", "--out", filepath.Join(tmp, "r")}, 2, "missed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := runGHL(t, tc.args...)
			if code := exitCode(err); code != tc.code || err == nil || !strings.Contains(err.Error(), tc.say) {
				t.Errorf("exit %d, err %v; want exit %d saying %q", code, err, tc.code, tc.say)
			}
		})
	}
	for _, p := range []string{outFile, filepath.Join(tmp, "r", "summary.json")} {
		if _, err := os.Stat(p); err == nil {
			t.Errorf("%s written by a failed command", p)
		}
	}
}
