package main

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ghl-dev/ghl"
)

// TestConditionFlagsRefused: bad --domain, --rpm and method keys of the
// condition-shift options are usage errors naming the flag or key, and a
// folder without speeds cannot be cut in the order domain (bad input naming
// the file and --rpm); nothing is trained in any case.
func TestConditionFlagsRefused(t *testing.T) {
	data := goodFolder(t, filepath.Join(t.TempDir(), "data"), "NC", "IF", "OF")
	out := filepath.Join(t.TempDir(), "m.ghl")
	for _, tc := range []struct {
		args []string
		want error
		say  string
	}{
		{[]string{"--domain", "angle"}, ghl.ErrUsage, "--domain"},
		{[]string{"--rpm", "-5"}, ghl.ErrUsage, "--rpm"},
		{[]string{"--method", "dcnn:repr=wavelet"}, ghl.ErrUsage, "repr"},
		{[]string{"--method", "dcnn:stretch=2"}, ghl.ErrUsage, "stretch"},
		{[]string{"--domain", "order"}, ghl.ErrBadInput, "--rpm"},
	} {
		args := append([]string{"train", "--data", data, "--set", "8/4", "--quick", "--out", out}, tc.args...)
		_, _, err := runGHL(t, args...)
		if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.say) {
			t.Errorf("%v: error %v, want %v naming %s", tc.args, err, tc.want, tc.say)
		}
		if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
			t.Fatalf("%v: a model file appeared", tc.args)
		}
	}
}
