package main

// Numerical safety (issue 7): training that diverges stops with a clear
// message and leaves no model; GHL on a class whose gradients are all
// identical, or on a class of one training window, trains without NaN.

import (
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/ghl-dev/ghl"
	"github.com/ghl-dev/ghl/nn"
	"github.com/ghl-dev/ghl/train"
)

func TestDivergenceStops(t *testing.T) {
	data := goodFolder(t, filepath.Join(t.TempDir(), "data"), "NC", "IF", "OF")
	tests := []struct {
		method string
		skip   string
	}{
		{method: "dcnnc:lr=1e12"},
		{method: "dcnng:lr=1e12"},
		{method: "dcnn:opt=sgd:lr=1e6"},
		{method: "dcnnc:batch=0:lr=1e12"},
		{method: "dcnng:batch=0:lr=1e12"},
		{method: "dcnng-paper:lr=1e12"},
		{method: "dcnnc:lr=1e6"},
	}
	for _, tc := range tests {
		t.Run(tc.method, func(t *testing.T) {
			if tc.skip != "" {
				t.Skip(tc.skip)
			}
			dir := t.TempDir()
			model := filepath.Join(dir, "m.ghl")
			_, stderr, err := runGHL(t, "train", "--data", data, "--set", "8/4", "--quick", "--threads", "1",
				"--method", tc.method, "--out", model)
			if !errors.Is(err, train.ErrDiverged) {
				t.Fatalf("err = %v, want train.ErrDiverged\n%s", err, stderr)
			}
			if errors.Is(err, ghl.ErrBadInput) || errors.Is(err, ghl.ErrUsage) || exitCode(err) != 1 {
				t.Errorf("exit code %d for a divergence, want 1 (neither bad data nor usage): %v", exitCode(err), err)
			}
			if !strings.Contains(err.Error(), "diverged") {
				t.Errorf("message %q does not say the training diverged", err)
			}
			if entries, _ := os.ReadDir(dir); len(entries) != 0 {
				t.Errorf("left behind in the output folder: %v", entries)
			}
		})
	}
}

// lossLine matches the loss of a --verbose epoch (or full-batch step) line.
var lossLine = regexp.MustCompile(`(?m)^(?:epoch|full-batch step) +\d+/\d+ +loss (\S+)`)

// trainFinite trains with --verbose --json and asserts that every
// iteration's loss, the test metrics and the saved weights are finite.
func trainFinite(t *testing.T, data, set, method string) {
	t.Helper()
	model := filepath.Join(t.TempDir(), "m.ghl")
	stdout, stderr, err := runGHL(t, "train", "--data", data, "--set", set, "--threads", "1",
		"--method", method, "--out", model, "--verbose", "--json")
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	losses := lossLine.FindAllStringSubmatch(stderr, -1)
	if len(losses) == 0 {
		t.Fatalf("no iteration lines in stderr:\n%s", stderr)
	}
	for _, m := range losses {
		v, err := strconv.ParseFloat(m[1], 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			t.Errorf("loss %q is not finite", m[1])
		}
	}
	if strings.Contains(stderr, "NaN") || strings.Contains(stdout, "NaN") {
		t.Errorf("NaN in the output:\n%s\n%s", stderr, stdout)
	}
	checkTrainJSON(t, stdout)
	m, _, err := nn.Load(model)
	if err != nil {
		t.Fatal(err)
	}
	for i, w := range m.Snapshot() {
		if math.IsNaN(float64(w)) || math.IsInf(float64(w), 0) {
			t.Fatalf("weight %d of the saved model is %v", i, w)
		}
	}
}

// ghlVariants are the harmonized methods: ours (mini-batch and full batch,
// each density) and the paper's.
var ghlVariants = []string{"dcnng", "dcnng:batch=0", "dcnng:density=plane2d", "dcnng:density=sampled", "dcnng-paper"}

func TestGHLIdenticalGradients(t *testing.T) {
	// BF is a constant recording: every BF window normalises to all
	// zeros, so every BF sample has the same logits and the same gradient
	// (zero spread within the class, the degenerate case of the density).
	root := goodFolder(t, filepath.Join(t.TempDir(), "data"), "NC", "IF", "OF")
	writeFile(t, filepath.Join(root, "BF", "flat.csv"), []byte(strings.Repeat("-0.75\n", hostilePoints)))
	for _, m := range ghlVariants {
		t.Run(m, func(t *testing.T) { trainFinite(t, root, "NC=16,*=8", m) })
	}
}

func TestGHLOneSampleClass(t *testing.T) {
	root := goodFolder(t, filepath.Join(t.TempDir(), "data"), "NC", "IF", "OF")
	for _, m := range ghlVariants {
		t.Run(m, func(t *testing.T) { trainFinite(t, root, "NC=16,IF=1,OF=8", m) })
	}
	// One window, and that class constant: both degenerate cases at once.
	writeFile(t, filepath.Join(root, "BF", "flat.csv"), []byte(strings.Repeat("2\n", hostilePoints)))
	t.Run("constant one-window class", func(t *testing.T) { trainFinite(t, root, "NC=16,BF=1,*=8", "dcnng") })
}

// TestAnglesIdenticalGradients runs reproduce with Fig. 3's angle logging
// (set1's first seed of dcnn and dcnng, the balanced set) on data with a
// constant class: Eq. 18's angle between identical (all-zero input)
// gradients must come out finite, or the trial file could not be written.
func TestAnglesIdenticalGradients(t *testing.T) {
	root := goodFolder(t, filepath.Join(t.TempDir(), "data"), "NC", "IF", "OF")
	writeFile(t, filepath.Join(root, "BF", "flat.csv"), []byte(strings.Repeat("-0.75\n", hostilePoints)))
	out := filepath.Join(t.TempDir(), "r")
	if _, stderr, err := runGHL(t, "reproduce", "--data", root, "--sets", "set1", "--methods", "dcnn,dcnng", "--seeds", "1",
		"--quick", "--no-report", "--out", out); err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	if n := checkComplete(t, out); n != 3 {
		t.Fatalf("%d trial files, want 3 (set1 dcnn, set1 dcnng, balanced dcnn)", n)
	}
	for _, name := range trialFiles(t, out) {
		b, err := os.ReadFile(filepath.Join(out, "trials", name))
		if err != nil {
			t.Fatal(err)
		}
		var trial struct {
			Log []struct {
				Angles []float64 `json:"angles"`
			} `json:"log"`
		}
		if err := json.Unmarshal(b, &trial); err != nil {
			t.Fatal(err)
		}
		if len(trial.Log) == 0 || len(trial.Log[0].Angles) != 4 {
			t.Fatalf("%s: no angles for 4 classes logged", name)
		}
		for i, l := range trial.Log {
			for c, a := range l.Angles {
				if !(a >= 0 && a <= math.Pi) {
					t.Errorf("%s: iteration %d, class %d: angle %v outside [0, π]", name, i+1, c, a)
				}
			}
		}
	}
}
