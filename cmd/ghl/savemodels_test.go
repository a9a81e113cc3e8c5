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
	"github.com/ghl-dev/ghl/nn"
)

// TestReproduceSaveModels checks that --save-models writes one model per
// trial and that 'ghl eval' of a saved model gives the trial's own test
// accuracy (the model file carries everything needed to window the data,
// and to compute the input representation of a spectrum model).
func TestReproduceSaveModels(t *testing.T) {
	for _, tc := range []struct {
		method string
		args   []string // data flags of both reproduce and eval
	}{
		{"dcnnc", nil},
		{"dcnnc:repr=envelope:stretch=0.05:tilt=6", nil},
		{"dcnn:repr=spectrum", nil},
		{"dcnnc:repr=logspectrum:select=shift", nil},
		{"dcnn:repr=envelope/0.2-0.7:aug=0", nil},
		{"dcnn:repr=envelope", []string{"--domain", "order", "--rpm", "1500"}},
	} {
		t.Run(tc.method+strings.Join(tc.args, ""), func(t *testing.T) { testSaveModels(t, tc.method, tc.args...) })
	}
}

func testSaveModels(t *testing.T, method string, dataArgs ...string) {
	data := goodFolder(t, filepath.Join(t.TempDir(), "data"), "NC", "IF", "OF")
	out := filepath.Join(t.TempDir(), "r")
	if _, stderr, err := runGHL(t, append([]string{"reproduce", "--data", data, "--sets", "8/4", "--methods", method, "--seeds", "2",
		"--quick", "--no-report", "--no-fig3", "--save-models", "--out", out}, dataArgs...)...); err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	for seed := 0; seed < 2; seed++ {
		key := experiment.Cell{Set: "8/4", Method: experiment.Method{Name: method}, Seed: seed}.Key()
		b, err := os.ReadFile(filepath.Join(out, "trials", key+".json"))
		if err != nil {
			t.Fatal(err)
		}
		var trial experiment.TrialResult
		if err := json.Unmarshal(b, &trial); err != nil {
			t.Fatal(err)
		}
		var rpm []string // eval takes the speed of the recordings, not the domain: the model knows that
		if len(dataArgs) > 0 {
			rpm = dataArgs[2:]
			// Without a speed, an order-domain model cannot window the data.
			_, _, err := runGHL(t, "eval", filepath.Join(out, "models", key+".ghl"), data, "--set", "8/4")
			if !errors.Is(err, ghl.ErrBadInput) || !strings.Contains(err.Error(), "--rpm") {
				t.Errorf("eval of an order-domain model without --rpm: %v, want bad input naming --rpm", err)
			}
		}
		stdout, stderr, err := runGHL(t, append([]string{"eval", filepath.Join(out, "models", key+".ghl"), data, "--set", "8/4", "--json"}, rpm...)...)
		if err != nil {
			t.Fatalf("eval: %v\n%s", err, stderr)
		}
		var ev struct {
			Metrics struct {
				Accuracy float64 `json:"accuracy"`
			} `json:"metrics"`
		}
		if err := json.Unmarshal([]byte(stdout), &ev); err != nil {
			t.Fatalf("eval --json: %v\n%s", err, stdout)
		}
		if ev.Metrics.Accuracy != trial.Test.Accuracy {
			t.Errorf("seed %d: eval of the saved model gives accuracy %v, the trial reported %v", seed, ev.Metrics.Accuracy, trial.Test.Accuracy)
		}
		// The saved model carries an open-set threshold, on its input
		// representation: --open-set works on it.
		stdout, stderr, err = runGHL(t, append([]string{"eval", filepath.Join(out, "models", key+".ghl"), data, "--set", "8/4", "--open-set", "--json"}, rpm...)...)
		var doc struct {
			OpenSet *nn.OpenSet `json:"open_set"`
		}
		if err != nil || json.Unmarshal([]byte(stdout), &doc) != nil || doc.OpenSet == nil || doc.OpenSet.Above > doc.OpenSet.Windows/100 {
			t.Errorf("eval --open-set of the saved model: %v, %+v\n%s", err, doc.OpenSet, stderr)
		}
	}
}
