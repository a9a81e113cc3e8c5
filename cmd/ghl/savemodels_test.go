package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/ghl-dev/ghl/experiment"
)

// TestReproduceSaveModels checks that --save-models writes one model per
// trial and that 'ghl eval' of a saved model gives the trial's own test
// accuracy (the model file carries everything needed to window the data,
// and to compute the input representation of a spectrum model).
func TestReproduceSaveModels(t *testing.T) {
	for _, method := range []string{"dcnnc", "dcnnc:repr=envelope:stretch=0.05:tilt=6", "dcnn:repr=spectrum", "dcnn:repr=envelope/0.2-0.7:aug=0"} {
		t.Run(method, func(t *testing.T) { testSaveModels(t, method) })
	}
}

func testSaveModels(t *testing.T, method string) {
	data := goodFolder(t, filepath.Join(t.TempDir(), "data"), "NC", "IF", "OF")
	out := filepath.Join(t.TempDir(), "r")
	if _, stderr, err := runGHL(t, "reproduce", "--data", data, "--sets", "8/4", "--methods", method, "--seeds", "2",
		"--quick", "--no-report", "--no-fig3", "--save-models", "--out", out); err != nil {
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
		stdout, stderr, err := runGHL(t, "eval", filepath.Join(out, "models", key+".ghl"), data, "--set", "8/4", "--json")
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
	}
}
