package dataset_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/ghl-dev/ghl"
	"github.com/ghl-dev/ghl/dataset"
)

func TestSidecarRPM(t *testing.T) {
	for _, tc := range []struct {
		content string
		want    float64
		bad     bool
	}{
		{"1750\n", 1750, false},
		{" 1797 rpm\n", 1797, false},
		{"fast", 0, true},
		{"-3", 0, true},
		{"0", 0, true},
	} {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, dataset.RPMFile), []byte(tc.content), 0o644); err != nil {
			t.Fatal(err)
		}
		got, path, err := dataset.SidecarRPM(filepath.Join(dir, "absent"), dir)
		if tc.bad {
			if !errors.Is(err, ghl.ErrBadInput) {
				t.Errorf("%q: error %v, want bad input", tc.content, err)
			}
			continue
		}
		if err != nil || got != tc.want || path != filepath.Join(dir, dataset.RPMFile) {
			t.Errorf("%q: %v %q %v, want %v from %s", tc.content, got, path, err, tc.want, dir)
		}
	}
	if got, path, err := dataset.SidecarRPM(t.TempDir()); got != 0 || path != "" || err != nil {
		t.Errorf("no file: %v %q %v", got, path, err)
	}
}
