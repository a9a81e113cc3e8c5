package main

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ghl-dev/ghl"
	"github.com/ghl-dev/ghl/experiment"
)

// TestReproduceProtocolErrors: a bad --protocol, --load or protocol file is a
// usage error (exit 2) that says what to fix, and writes no results.
func TestReproduceProtocolErrors(t *testing.T) {
	tmp := t.TempDir()
	data := goodFolder(t, filepath.Join(tmp, "data"), "NC", "IF", "OF")
	bad := filepath.Join(tmp, "bad.toml")
	writeFile(t, bad, []byte("name = \"x\"\nsets = [\"set1\"]\nseeds = \"ten\"\n"))
	for _, tc := range []struct {
		name string
		args []string
		say  string
	}{
		{"unknown protocol", []string{"--protocol", "nope"}, "nope"},
		{"missing file", []string{"--protocol", filepath.Join(tmp, "none.toml")}, "none.toml"},
		{"bad file", []string{"--protocol", bad}, "bad.toml:3"},
		{"both flags", []string{"--protocol", "ratio", "--load", "1"}, "--load"},
		{"no loads", []string{"--protocol", "cross-load", "--data", data}, "two or more loads"},
		{"absent load", []string{"--load", "1", "--data", data}, "1hp"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(tmp, "out-"+strings.ReplaceAll(tc.name, " ", "-"))
			args := append([]string{"reproduce", "--quick", "--no-report", "--out", out}, tc.args...)
			_, _, err := runGHL(t, args...)
			if !errors.Is(err, ghl.ErrUsage) || exitCode(err) != 2 || !strings.Contains(err.Error(), tc.say) {
				t.Fatalf("err = %v (exit %d), want a usage error saying %q", err, exitCode(err), tc.say)
			}
			if _, err := os.Stat(filepath.Join(out, "summary.json")); err == nil {
				t.Error("summary.json written on error")
			}
		})
	}
}

// TestReproduceUserProtocol runs a user's cross-load protocol file on a
// folder whose loads the file assigns, then resumes it.
func TestReproduceUserProtocol(t *testing.T) {
	tmp := t.TempDir()
	data := goodFolder(t, filepath.Join(tmp, "data"), "NC", "IF", "OF")
	for i, c := range []string{"IF", "OF"} {
		writeFile(t, filepath.Join(data, c, "b.csv"), csvBytes(tone(hostilePoints, float64(22+15*i), uint32(9+i))))
	}
	proto := filepath.Join(tmp, "mine.toml")
	writeFile(t, proto, []byte(`name = "mine"
about = "two loads of my rig"
kind = "cross-load"
sets = ["8/4"]
methods = ["dcnn"]
seeds = 1
[conditions]
low = ["*/a.csv"]
high = ["*/b.csv"]
`))
	out := filepath.Join(tmp, "r")
	args := []string{"reproduce", "--data", data, "--protocol", proto, "--quick", "--no-report", "--out", out}
	stdout, stderr, err := runGHL(t, args...)
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	if n := checkComplete(t, out); n != 2 {
		t.Errorf("%d trial files, want 2 (sources high and low)", n)
	}
	for _, want := range []string{"| 8/4@high→low | dcnn | 1 |", "| 8/4@low→high | dcnn | 1 |", "Protocol **mine** (cross-load)"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("table lacks %q:\n%s", want, stdout)
		}
	}
	if !strings.Contains(stderr, "NC has no recording at high: taken from a.csv (low)") {
		t.Errorf("stderr does not say where NC came from:\n%s", stderr)
	}
	var s experiment.Summary
	b, err := os.ReadFile(filepath.Join(out, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatal(err)
	}
	if s.Protocol == nil || s.Protocol.Name != "mine" || s.Protocol.Source != proto {
		t.Errorf("summary protocol %+v", s.Protocol)
	}
	for _, r := range s.Rows {
		if r.Set == "8/4@high→low" && (len(r.Absent) != 1 || r.Absent[0] != "NC") {
			t.Errorf("high→low absent %v, want [NC] (trained on)", r.Absent)
		}
	}
	if _, stderr, err = runGHL(t, args...); err != nil || !strings.Contains(stderr, "resuming: 2 of 2 trials") {
		t.Errorf("rerun did not resume (%v):\n%s", err, stderr)
	}
}

// TestPlanEveryProtocol: every built-in protocol's trials can be listed (and
// their plan hashed) from the folder's file names alone.
func TestPlanEveryProtocol(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"97.mat", "130.mat", "132.mat"} {
		writeFile(t, filepath.Join(dir, f), nil)
	}
	for _, p := range experiment.ProtocolNames() {
		out, stderr, err := runGHL(t, "plan", "--protocol", p, "--data", dir, "--seeds", "1", "--methods", "dcnn")
		if err != nil {
			t.Errorf("plan --protocol %s: %v\n%s", p, err, stderr)
			continue
		}
		if p != "paper" && !strings.Contains(out, `"key": "`+p+`__`) {
			t.Errorf("plan --protocol %s lists no %s__ trial:\n%s", p, p, out)
		}
	}
}
