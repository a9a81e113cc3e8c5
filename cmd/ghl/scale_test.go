package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/ghl-dev/ghl/internal/samerun"
)

// TestPlanTrialAggregate splits a small run into 'ghl trial' tasks (indices
// from --index, $SLURM_ARRAY_TASK_ID with an offset and
// $JOB_COMPLETION_INDEX) and checks that 'ghl aggregate' writes what a
// local 'ghl reproduce' of the same flags writes, timing aside; then that a
// finished trial is skipped, a changed plan refused and missing trials
// listed.
func TestPlanTrialAggregate(t *testing.T) {
	data := goodFolder(t, filepath.Join(t.TempDir(), "data"), "NC", "IF", "OF")
	flags := []string{"--data", data, "--sets", "8/4", "--methods", "dcnn,dcnng", "--seeds", "2", "--quick", "--no-fig3"}
	local, split := filepath.Join(t.TempDir(), "local"), filepath.Join(t.TempDir(), "split")
	if _, stderr, err := runGHL(t, append([]string{"reproduce", "--out", local}, flags...)...); err != nil {
		t.Fatalf("reproduce: %v\n%s", err, stderr)
	}
	stdout, stderr, err := runGHL(t, append([]string{"plan", "--count"}, flags...)...)
	if err != nil {
		t.Fatalf("plan --count: %v\n%s", err, stderr)
	}
	n, err := strconv.Atoi(strings.TrimSpace(stdout))
	if err != nil || n != 4 {
		t.Fatalf("plan --count printed %q, want 4", stdout)
	}
	stdout, _, err = runGHL(t, append([]string{"plan"}, flags...)...)
	if err != nil {
		t.Fatal(err)
	}
	var entries []planEntry
	if err := json.Unmarshal([]byte(stdout), &entries); err != nil || len(entries) != n {
		t.Fatalf("plan: %v, %d entries, want %d:\n%s", err, len(entries), n, stdout)
	}
	for i, e := range entries {
		if e.Index != i || e.Key == "" || e.Plan != entries[0].Plan {
			t.Errorf("plan entry %d: %+v", i, e)
		}
		if _, err := os.Stat(filepath.Join(local, "trials", e.Key+".json")); err != nil {
			t.Errorf("plan key %s names no trial file of reproduce: %v", e.Key, err)
		}
	}

	trial := func(env map[string]string, extra ...string) (string, string, error) {
		for _, k := range indexEnv {
			t.Setenv(k, env[k])
		}
		return runGHL(t, append(append([]string{"trial", "--out", split}, flags...), extra...)...)
	}
	for i := 0; i < n; i++ {
		var env map[string]string
		var extra []string
		switch i % 3 {
		case 0:
			extra = []string{"--index", strconv.Itoa(i)}
		case 1:
			env = map[string]string{"SLURM_ARRAY_TASK_ID": strconv.Itoa(i + 1)}
			extra = []string{"--index-offset", "1"}
		case 2:
			env = map[string]string{"JOB_COMPLETION_INDEX": strconv.Itoa(i)}
		}
		stdout, stderr, err := trial(env, extra...)
		if err != nil {
			t.Fatalf("trial %d: %v\n%s", i, err, stderr)
		}
		if !strings.Contains(stdout, "accuracy=") || !strings.Contains(stdout, "macro_f1=") {
			t.Errorf("trial %d printed no metrics lines:\n%s", i, stdout)
		}
		if i == n-1 {
			// Aggregating before the last trial lists it as missing.
			if err := os.Rename(filepath.Join(split, "trials", entries[i].Key+".json"), filepath.Join(split, "held")); err != nil {
				t.Fatal(err)
			}
			_, stderr, err := runGHL(t, append([]string{"aggregate", split}, flags...)...)
			if err == nil || !strings.Contains(stderr, entries[i].Key) {
				t.Errorf("aggregate with trial %d missing: err %v, stderr does not list %s:\n%s", i, err, entries[i].Key, stderr)
			}
			if _, _, err := runGHL(t, append([]string{"aggregate", split, "--allow-partial", "--no-report"}, flags...)...); err != nil {
				t.Errorf("aggregate --allow-partial: %v", err)
			}
			if err := os.Rename(filepath.Join(split, "held"), filepath.Join(split, "trials", entries[i].Key+".json")); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, stderr, err := runGHL(t, append([]string{"aggregate", split}, flags...)...); err != nil {
		t.Fatalf("aggregate: %v\n%s", err, stderr)
	}
	if err := samerun.Compare(local, split); err != nil {
		t.Errorf("aggregate of the trials differs from reproduce: %v", err)
	}
	for _, name := range []string{"report.html"} {
		if _, err := os.Stat(filepath.Join(split, name)); err != nil {
			t.Errorf("aggregate wrote no %s: %v", name, err)
		}
	}

	// A finished trial is skipped with its metrics printed again.
	before, _ := os.ReadFile(filepath.Join(split, "trials", entries[0].Key+".json"))
	stdout, stderr, err = trial(nil, "--index", "0")
	after, _ := os.ReadFile(filepath.Join(split, "trials", entries[0].Key+".json"))
	if err != nil || !strings.Contains(stderr, "already done") || !strings.Contains(stdout, "accuracy=") || string(before) != string(after) {
		t.Errorf("rerun of a finished trial: err %v, stdout %q, stderr %q, file changed %v", err, stdout, stderr, string(before) != string(after))
	}
	// A changed plan (a third seed) is refused on a trial of the old one.
	_, _, err = runGHL(t, append(append([]string{"trial", "--out", split, "--index", "0"}, flags...), "--seeds", "3")...)
	if err == nil || !strings.Contains(err.Error(), "another --out folder") {
		t.Errorf("trial of a changed plan: err = %v, want a refusal", err)
	}
}

// TestTrialIndex covers where the index comes from and its range check.
func TestTrialIndex(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	for _, tc := range []struct {
		name          string
		flag          int
		given         bool
		offset, n     int
		env           map[string]string
		want          int
		wantErrSubstr string
	}{
		{name: "flag", flag: 2, given: true, n: 3, want: 2},
		{name: "flag wins over env", flag: 1, given: true, n: 3, env: map[string]string{"JOB_COMPLETION_INDEX": "2"}, want: 1},
		{name: "k8s", n: 3, env: map[string]string{"JOB_COMPLETION_INDEX": "2", "SLURM_ARRAY_TASK_ID": "0"}, want: 2},
		{name: "slurm from 1", n: 3, offset: 1, env: map[string]string{"SLURM_ARRAY_TASK_ID": "3"}, want: 2},
		{name: "none", n: 3, wantErrSubstr: "JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID"},
		{name: "not a number", n: 3, env: map[string]string{"SLURM_ARRAY_TASK_ID": "x"}, wantErrSubstr: "SLURM_ARRAY_TASK_ID=\"x\""},
		{name: "past the end", n: 3, env: map[string]string{"SLURM_ARRAY_TASK_ID": "3"}, wantErrSubstr: "plan has 3 trials"},
		{name: "offset below 0", n: 3, offset: 1, env: map[string]string{"JOB_COMPLETION_INDEX": "0"}, wantErrSubstr: "plan has 3 trials"},
	} {
		got, err := trialIndex(tc.flag, tc.given, tc.offset, tc.n, env(tc.env))
		switch {
		case tc.wantErrSubstr != "":
			if err == nil || !strings.Contains(err.Error(), tc.wantErrSubstr) || exitCode(err) != 2 {
				t.Errorf("%s: err = %v, want a usage error with %q", tc.name, err, tc.wantErrSubstr)
			}
		case err != nil || got != tc.want:
			t.Errorf("%s: got %d, %v; want %d", tc.name, got, err, tc.want)
		}
	}
}
