package main

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ghl-dev/ghl"
)

// TestExportCommand exports a model with and without the preprocessing and
// checks the files and the printed metadata; the graphs themselves are
// checked by export/onnx's tests and, in CI, by the ONNX checker and two
// runtimes (export/onnx/check/run.sh).
func TestExportCommand(t *testing.T) {
	model, _ := predictFixture(t)
	dir := t.TempDir()
	with, without := filepath.Join(dir, "m.onnx"), filepath.Join(dir, "m-raw.onnx")
	out, err := runCmd(t, newExportCmd, model, "-o", with)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"wrote " + with, `classes: ["NC","IF","OF"]`, "healthy_class: NC", "rate_hz: 1000",
		"window: 256", "normalisation: zscore", "preprocessing_in_graph: yes", "ghl_version: "} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	out, err = runCmd(t, newExportCmd, model, "--format", "onnx", "-o", without, "--with-preprocessing=false")
	if err != nil || !strings.Contains(out, "preprocessing_in_graph: no") {
		t.Fatalf("err %v, output:\n%s", err, out)
	}
	a, errA := os.ReadFile(with)
	b, errB := os.ReadFile(without)
	if errA != nil || errB != nil || len(b) == 0 || len(a) <= len(b) {
		t.Errorf("files of %d and %d bytes (%v, %v): the one with preprocessing should be larger", len(a), len(b), errA, errB)
	}
	// Exporting again is refused without --force and leaves the file alone.
	if _, err := runCmd(t, newExportCmd, model, "-o", without); !errors.Is(err, ghl.ErrUsage) || !strings.Contains(err.Error(), "--force") {
		t.Errorf("existing file: err = %v", err)
	}
	if c, _ := os.ReadFile(without); string(c) != string(b) {
		t.Error("a refused export changed the existing file")
	}
	if _, err := runCmd(t, newExportCmd, model, "-o", without, "--force"); err != nil {
		t.Errorf("--force: %v", err)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 2 {
		t.Errorf("%d files in the output folder, want 2 (no temporary leftovers)", len(ents))
	}
}

func TestExportErrors(t *testing.T) {
	model, _ := predictFixture(t)
	dir := t.TempDir()
	garbage := filepath.Join(dir, "bad.ghl")
	os.WriteFile(garbage, []byte("not a model"), 0o644)
	data, _ := os.ReadFile(model)
	corrupt := filepath.Join(dir, "corrupt.ghl")
	data[len(data)-5] ^= 0xff
	os.WriteFile(corrupt, data, 0o644)
	out := filepath.Join(dir, "out.onnx")
	tests := []struct {
		name string
		args []string
		want error
		msg  string
	}{
		{"not a model", []string{garbage, "-o", out}, ghl.ErrBadInput, "bad.ghl"},
		{"corrupt weights", []string{corrupt, "-o", out}, ghl.ErrBadInput, "checksum"},
		{"missing model", []string{filepath.Join(dir, "none.ghl"), "-o", out}, ghl.ErrBadInput, "none.ghl"},
		{"missing folder", []string{model, "-o", filepath.Join(dir, "no", "m.onnx")}, ghl.ErrUsage, "does not exist"},
		{"folder as output", []string{model, "-o", dir}, ghl.ErrUsage, "is a folder"},
		{"no output", []string{model}, ghl.ErrUsage, "-o"},
		{"other format", []string{model, "-o", out, "--format", "tflite"}, ghl.ErrUsage, "onnx"},
		{"two models", []string{model, model, "-o", out}, ghl.ErrUsage, "arg"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := runCmd(t, newExportCmd, tc.args...)
			if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("err = %v, want %v mentioning %q", err, tc.want, tc.msg)
			}
			if _, serr := os.Stat(out); serr == nil {
				t.Errorf("a failed export left %s", out)
			}
		})
	}
}
