package main

import (
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ghl-dev/ghl"
	"github.com/ghl-dev/ghl/dataset/synth"
	"github.com/ghl-dev/ghl/nn"
	"github.com/ghl-dev/ghl/train"
)

// synthFolder writes simulated recordings of the named classes (seconds
// each at 12 kHz) as ROOT/<class>/<class>.npy, files that do not state
// their rate, and returns ROOT. A class "Name=IF2" is the simulator's IF2
// in a folder Name.
func synthFolder(t *testing.T, root string, seed uint64, seconds float64, classes ...string) string {
	t.Helper()
	c, err := synth.Corpus(synth.Options{Seed: seed, Seconds: seconds})
	if err != nil {
		t.Fatal(err)
	}
	for _, spec := range classes {
		name, class, ok := strings.Cut(spec, "=")
		if !ok {
			class = name
		}
		found := false
		for _, l := range c.Recordings {
			if l.Class == class {
				writeFile(t, filepath.Join(root, name, name+".npy"), npyBytes(l.Recording.Samples))
				found = true
			}
		}
		if !found {
			t.Fatalf("no simulated class %s", name)
		}
	}
	return root
}

// TestContractTrainEvalPredict trains with data flags, then runs eval and
// predict with none: the model file's contract supplies them. An explicit
// flag that contradicts it is obeyed with a warning.
func TestContractTrainEvalPredict(t *testing.T) {
	dir := t.TempDir()
	root := synthFolder(t, filepath.Join(dir, "data"), 5, 8, "Normal Zustand=NC", "IF2", "OF2")
	model := filepath.Join(dir, "m.ghl")
	_, stderr, err := runGHL(t, "train", "--data", root, "--input-rate", "12000", "--set", "*=40", "--quick",
		"--method", "dcnn:iters=3:minsteps=60", "--healthy", "Normal Zustand", "--out", model, "--threads", "2")
	if err != nil {
		t.Fatalf("train: %v\n%s", err, stderr)
	}
	_, meta, err := nn.Load(model)
	if err != nil {
		t.Fatal(err)
	}
	c := meta.Contract
	if c.InputRateHz != 12000 || c.InputRateSource != "--input-rate" || c.Healthy != "Normal Zustand" || c.OpenSet == nil || c.NoLowPass {
		t.Errorf("contract %+v", c)
	}
	// eval: no --input-rate (the .npy files state none), the healthy class
	// from the contract.
	out, stderr, err := runGHL(t, "eval", model, root, "--all", "--json")
	if err != nil {
		t.Fatalf("eval without data flags: %v\n%s", err, stderr)
	}
	var ev struct {
		Metrics train.Metrics `json:"metrics"`
	}
	if err := json.Unmarshal([]byte(out), &ev); err != nil {
		t.Fatal(err)
	}
	if h := ev.Metrics.Healthy; h < 0 || ev.Metrics.Classes[h] != "Normal Zustand" || ev.Metrics.N != 3*93 {
		t.Errorf("eval: healthy class %d of %v, %d windows (want Normal Zustand, 279)", h, ev.Metrics.Classes, ev.Metrics.N)
	}
	rec := filepath.Join(root, "IF2", "IF2.npy")
	out, stderr, err = runGHL(t, "predict", model, rec, "--json")
	if err != nil {
		t.Fatalf("predict without data flags: %v\n%s", err, stderr)
	}
	var pr predictOutput
	if err := json.Unmarshal([]byte(out), &pr); err != nil {
		t.Fatal(err)
	}
	if len(pr.Recordings) != 1 || pr.Recordings[0].RateHz != 12000 || !strings.Contains(stderr, "sampling rate 12000 Hz (model)") {
		t.Errorf("predict: %+v\nstderr %s", pr.Recordings, stderr)
	}
	// A contradicting flag is obeyed, with a warning.
	_, stderr, err = runGHL(t, "predict", model, rec, "--input-rate", "24000")
	if err != nil || !strings.Contains(stderr, "warning: --input-rate 24000 contradicts the model file's data contract") {
		t.Errorf("contradicting --input-rate: %v\n%s", err, stderr)
	}
	_, stderr, err = runGHL(t, "eval", model, root, "--healthy", "IF2")
	if err != nil || !strings.Contains(stderr, `warning: --healthy "IF2" contradicts`) {
		t.Errorf("contradicting --healthy: %v\n%s", err, stderr)
	}
}

// TestOpenSetHeldOutClass is issue 14's Found item 6: a model trained on
// inner- vs outer-race faults only, asked with --open-set about a healthy
// recording it never saw a class of, reports most of its windows unknown
// and the recording unknown, while a new recording of a known class stays
// known. The recordings predicted are other simulated recordings (another
// seed) than the ones trained on.
func TestOpenSetHeldOutClass(t *testing.T) {
	dir := t.TempDir()
	root := synthFolder(t, filepath.Join(dir, "data"), 5, 8, "IF2", "OF2")
	held := synthFolder(t, filepath.Join(dir, "held"), 6, 8, "NC", "IF2")
	model := filepath.Join(dir, "m.ghl")
	if _, stderr, err := runGHL(t, "train", "--data", root, "--input-rate", "12000", "--set", "*=40", "--quick",
		"--method", "dcnn", "--out", model, "--threads", "2"); err != nil {
		t.Fatalf("train: %v\n%s", err, stderr)
	}
	healthy, known := filepath.Join(held, "NC", "NC.npy"), filepath.Join(held, "IF2", "IF2.npy")
	// Without --open-set the healthy recording gets a fault class: the
	// failure this fixes.
	out, _, err := runGHL(t, "predict", model, healthy, "--json")
	var pr predictOutput
	if err != nil || json.Unmarshal([]byte(out), &pr) != nil || pr.Recordings[0].Class == unknownClass {
		t.Fatalf("predict without --open-set: %v %+v", err, pr)
	}
	out, stderr, err := runGHL(t, "predict", model, healthy, known, "--open-set", "--json")
	if err != nil {
		t.Fatalf("predict: %v\n%s", err, stderr)
	}
	pr = predictOutput{}
	if err := json.Unmarshal([]byte(out), &pr); err != nil {
		t.Fatal(err)
	}
	nc, ifr := pr.Recordings[0], pr.Recordings[1]
	t.Logf("held-out NC: %d of %d windows unknown; known IF2: %d of %d (%s threshold %.4g)", nc.Unknown, nc.Windows, ifr.Unknown, ifr.Windows, pr.OpenSet.Score, pr.OpenSet.Threshold)
	if nc.Class != unknownClass || 2*nc.Unknown <= nc.Windows {
		t.Errorf("held-out class: %s with %d of %d windows unknown, want unknown for most", nc.Class, nc.Unknown, nc.Windows)
	}
	if ifr.Class != "IF2" {
		t.Errorf("known class IF2 predicted %s (%d of %d unknown)", ifr.Class, ifr.Unknown, ifr.Windows)
	}
	// eval --open-set on a folder that also holds the unseen class: the
	// metrics cover IF2, NC's windows are counted as detected or not.
	out, stderr, err = runGHL(t, "eval", model, held, "--all", "--open-set", "--json")
	if err != nil {
		t.Fatalf("eval --open-set: %v\n%s", err, stderr)
	}
	var ev struct {
		Metrics train.Metrics `json:"metrics"`
		Novel   []novelClass  `json:"novel_classes"`
	}
	if err := json.Unmarshal([]byte(out), &ev); err != nil {
		t.Fatal(err)
	}
	if len(ev.Novel) != 1 || ev.Novel[0].Class != "NC" || ev.Novel[0].Windows != nc.Windows || ev.Novel[0].Unknown != nc.Unknown ||
		ev.Metrics.N != ifr.Windows {
		t.Errorf("eval --open-set: novel %+v, %d windows measured; predict said NC %d/%d unknown, IF2 %d windows",
			ev.Novel, ev.Metrics.N, nc.Unknown, nc.Windows, ifr.Windows)
	}
	if _, _, err := runGHL(t, "eval", model, held, "--all"); !errors.Is(err, ghl.ErrBadInput) {
		t.Errorf("eval without --open-set on a class the model does not know: %v, want bad input", err)
	}
	text, _, err := runGHL(t, "predict", model, healthy, "--open-set")
	if err != nil || !strings.Contains(text, "unknown, none of the model's classes") {
		t.Errorf("text output %q, %v", text, err)
	}
}
