package main

import (
	"strings"
	"testing"

	"github.com/ghl-dev/ghl/experiment"
)

// TestZooList: 'ghl reproduce --methods zoo --list' names every method of
// the zoo with its citation; a bad zoo option or method is a usage error
// (exit 2) before anything runs.
func TestZooList(t *testing.T) {
	out, _, err := runGHL(t, "reproduce", "--methods", "zoo", "--list")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != len(experiment.ZooMethods()) {
		t.Errorf("%d lines for %d methods:\n%s", len(lines), len(experiment.ZooMethods()), out)
	}
	for i, m := range experiment.ZooMethods() {
		if i < len(lines) && !strings.HasPrefix(lines[i], m+" ") {
			t.Errorf("line %d %q does not name %s", i, lines[i], m)
		}
	}
	for _, name := range []string{"focal", "cb", "ldam-drw", "la", "bsm", "ghm", "ros", "smote", "dcnn", "dcnnc", "dcnng"} {
		if !strings.Contains(out, "\n"+name+" ") && !strings.HasPrefix(out, name+" ") {
			t.Errorf("listing lacks %s", name)
		}
	}
	dir := t.TempDir()
	for _, args := range [][]string{
		{"reproduce", "--methods", "focal:focus=-1", "--out", dir},
		{"reproduce", "--methods", "smote:k=0", "--out", dir},
		{"reproduce", "--methods", "zoo,nope", "--list"},
		{"train", "--method", "cb:beta=1", "--out", dir + "/m.ghl"},
	} {
		_, _, err := runGHL(t, args...)
		if code := exitCode(err); code != 2 {
			t.Errorf("%v: exit %d (%v), want 2", args, code, err)
		}
	}
}
