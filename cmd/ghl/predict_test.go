package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ghl-dev/ghl"
	"github.com/ghl-dev/ghl/dataset"
	"github.com/ghl-dev/ghl/nn"
	"github.com/ghl-dev/ghl/train"
	"github.com/spf13/cobra"
)

// runCmd runs a subcommand built by mk with args and returns stdout and
// the error.
func runCmd(t *testing.T, mk func() *cobra.Command, args ...string) (string, error) {
	t.Helper()
	cmd := mk()
	var out, errb bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&errb)
	cmd.SetArgs(args)
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	err := cmd.ExecuteContext(context.Background())
	return out.String(), err
}

// predictFixture writes an untrained DCNN for three classes (windows of
// 256 points at 1 kHz) and a folder ROOT/<class>/sig.csv of recordings at
// 2 kHz with a rate.txt, one tone per class. It returns the model path and
// the folder.
func predictFixture(t *testing.T) (string, string) {
	t.Helper()
	dir := t.TempDir()
	m, err := nn.NewDCNN(nn.DCNNConfig{InputLen: 256, Classes: 3, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	model := filepath.Join(dir, "m.ghl")
	meta := nn.Metadata{Classes: []string{"NC", "IF", "OF"}, RateHz: 1000, Window: 256, Normalisation: "zscore"}
	if err := nn.Save(model, m, meta); err != nil {
		t.Fatal(err)
	}
	root := filepath.Join(dir, "data")
	for c, name := range meta.Classes {
		d := filepath.Join(root, name)
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		for i := 0; i < 2000*12; i++ { // 12 s at 2 kHz: 46 windows of 256 at 1 kHz
			x := math.Sin(2*math.Pi*float64(40*(c+1))*float64(i)/2000) + 0.1*math.Sin(float64(i*i%97))
			fmt.Fprintf(&b, "%.6f\n", x)
		}
		if err := os.WriteFile(filepath.Join(d, "sig.csv"), []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(root, "rate.txt"), []byte("2000\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return model, root
}

func TestPredictAndEvalAgree(t *testing.T) {
	model, root := predictFixture(t)
	csv := filepath.Join(root, "IF", "sig.csv")
	out, err := runCmd(t, newPredictCmd, model, csv, "--input-rate", "2000", "--json", "--per-window")
	if err != nil {
		t.Fatal(err)
	}
	var doc predictOutput
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Recordings) != 1 {
		t.Fatalf("%d recordings", len(doc.Recordings))
	}
	r := doc.Recordings[0]
	if r.Windows != 46 || len(r.PerWindow) != 46 {
		t.Fatalf("%d windows (%d listed), want 46", r.Windows, len(r.PerWindow))
	}
	votes := make([]int, 3)
	for i, w := range r.PerWindow {
		sum := 0.0
		for _, p := range w.Probabilities {
			sum += p
		}
		if math.Abs(sum-1) > 1e-9 {
			t.Errorf("window %d: probabilities sum to %v", i, sum)
		}
		votes[argmax(w.Probabilities)]++
		if i > 0 && math.Abs(w.Start-r.PerWindow[i-1].Start-0.256) > 1e-9 {
			t.Errorf("window %d starts at %v, previous at %v", i, w.Start, r.PerWindow[i-1].Start)
		}
	}
	if fmt.Sprint(votes) != fmt.Sprint(r.Votes) || r.Share != float64(r.Votes[argmax(r.Votes)])/46 {
		t.Errorf("votes %v, share %v; per-window votes %v", r.Votes, r.Share, votes)
	}
	if end := r.PerWindow[45].Start + 0.256; math.Abs(end-12) > 1e-9 {
		t.Errorf("last window ends at %v s, want the recording's end (12 s)", end)
	}

	// The same file again, on one thread and on three: bit-identical output.
	for _, threads := range []string{"1", "3"} {
		again, err := runCmd(t, newPredictCmd, model, csv, "--input-rate", "2000", "--json", "--per-window", "--threads", threads)
		if err != nil || again != out {
			t.Errorf("run with %s threads differs (err %v)", threads, err)
		}
	}

	// eval --all sees the same windows: its IF row is predict's votes.
	evOut, err := runCmd(t, newEvalCmd, model, root, "--all", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var ev struct {
		Metrics train.Metrics `json:"metrics"`
	}
	if err := json.Unmarshal([]byte(evOut), &ev); err != nil {
		t.Fatal(err)
	}
	if ev.Metrics.N != 3*46 || fmt.Sprint(ev.Metrics.Confusion[1]) != fmt.Sprint(r.Votes) {
		t.Errorf("eval --all: %d windows, IF row %v; predict votes %v", ev.Metrics.N, ev.Metrics.Confusion[1], r.Votes)
	}
	if ev.Metrics.Healthy != 0 {
		t.Errorf("healthy class %d, want 0 (NC)", ev.Metrics.Healthy)
	}

	// Test windows of a set: 9 per class by default.
	evOut, err = runCmd(t, newEvalCmd, model, root, "--set", "balanced", "--json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(evOut), &ev); err != nil {
		t.Fatal(err)
	}
	if ev.Metrics.N != 27 {
		t.Errorf("eval: %d test windows, want 27", ev.Metrics.N)
	}
	text, err := runCmd(t, newEvalCmd, model, root)
	if err != nil || !strings.Contains(text, "confusion") || !strings.Contains(text, "false alarms") {
		t.Errorf("eval text output %q, err %v", text, err)
	}
}

func TestPredictEvalErrors(t *testing.T) {
	model, root := predictFixture(t)
	csv := filepath.Join(root, "NC", "sig.csv")
	garbage := filepath.Join(t.TempDir(), "bad.ghl")
	os.WriteFile(garbage, []byte("not a model"), 0o644)
	other := t.TempDir()
	for _, c := range []string{"NC", "RF"} {
		os.MkdirAll(filepath.Join(other, c), 0o755)
		os.WriteFile(filepath.Join(other, c, "x.csv"), []byte(strings.Repeat("0.5\n-0.25\n", 3000)), 0o644)
	}
	os.WriteFile(filepath.Join(other, "rate.txt"), []byte("1000"), 0o644)
	tests := []struct {
		name string
		mk   func() *cobra.Command
		args []string
		want error
	}{
		{"no rate", newPredictCmd, []string{model, csv}, ghl.ErrBadInput},
		{"bad rate", newPredictCmd, []string{model, csv, "--input-rate", "-3"}, ghl.ErrUsage},
		{"bad model", newPredictCmd, []string{garbage, csv, "--input-rate", "2000"}, ghl.ErrBadInput},
		{"one arg", newPredictCmd, []string{model}, ghl.ErrUsage},
		{"too short", newPredictCmd, []string{model, filepath.Join(other, "NC", "x.csv"), "--input-rate", "40000"}, ghl.ErrBadInput},
		{"other classes", newEvalCmd, []string{model, other}, ghl.ErrBadInput},
		{"bad set", newEvalCmd, []string{model, root, "--set", "nosuchset"}, ghl.ErrUsage},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := runCmd(t, tc.mk, tc.args...)
			if !errors.Is(err, tc.want) {
				t.Errorf("err = %v, want %v", err, tc.want)
			}
		})
	}
}

func TestHealthyShare(t *testing.T) {
	for _, tc := range []struct {
		votes   []int
		classes []string
		want    float64
	}{
		{[]int{3, 1, 0}, []string{"NC", "IF", "OF"}, 0.75},
		{[]int{0, 4, 4}, []string{"NC", "IF", "OF"}, 0},
		{[]int{2, 2}, []string{"IF", "OF"}, 0}, // no healthy class
		{[]int{0, 0}, []string{"NC", "OF"}, 0},
	} {
		if got := healthyShare(tc.votes, dataset.HealthyLabel(tc.classes)); got != tc.want {
			t.Errorf("healthyShare(%v, %v) = %v, want %v", tc.votes, tc.classes, got, tc.want)
		}
	}
}
