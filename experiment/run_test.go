package experiment

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/ghl-dev/ghl/dataset"
	"github.com/ghl-dev/ghl/train"
)

// fakeTrainer "predicts" each test window correctly unless (seed+i) is a
// multiple of 3 plus the method's length, so results vary by cell but are
// deterministic.
type fakeTrainer struct {
	calls atomic.Int32
	fail  string
}

func (f *fakeTrainer) Train(ctx context.Context, c Cell, set *SetData, threads int) (*train.Result, []int, error) {
	f.calls.Add(1)
	if c.Key() == f.fail {
		return nil, nil, errors.New("boom")
	}
	pred := make([]int, set.Test.Len())
	for i, y := range set.Test.Y {
		pred[i] = y
		if (c.Seed+i+len(c.Method.Name))%3 == 0 {
			pred[i] = (y + 1) % len(set.Set.Classes)
		}
	}
	log := []train.IterLog{{Iter: 1, Epoch: 1, Loss: 1, ValMacroF1: 0.5}}
	return &train.Result{Log: log, BestIter: 1, Iterations: 1}, pred, nil
}

func fakeSets() map[string]*SetData {
	classes := []string{"NC", "A", "B"}
	mk := func(n int) dataset.Samples {
		s := dataset.Samples{L: 4}
		for i := 0; i < n; i++ {
			s.Y = append(s.Y, i%3)
			s.X = append(s.X, 0, 1, 2, 3)
		}
		return s
	}
	return map[string]*SetData{
		"set1": {Name: "set1", Set: train.Set{Classes: classes, Train: mk(12), Val: mk(6)}, Test: mk(9), Healthy: 0},
		"set2": {Name: "set2", Set: train.Set{Classes: classes, Train: mk(12), Val: mk(6)}, Test: mk(9), Healthy: 0},
	}
}

func TestRunnerResumesAndAggregates(t *testing.T) {
	plan := Plan{Sets: []string{"set1", "set2"}, Methods: []string{"dcnn", "dcnng"}, Seeds: []int{0, 1, 2}, Profile: Quick}
	cells, err := plan.Cells()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	ft := &fakeTrainer{fail: "set2__dcnng__seed1"}
	r := &Runner{Out: dir, Sets: fakeSets(), Trainer: ft, Workers: 1}
	if _, err := r.Run(context.Background(), cells); err == nil || !strings.Contains(err.Error(), "boom") {
		t.Fatalf("Run with a failing trial: err = %v, want boom", err)
	}
	done, _ := filepath.Glob(filepath.Join(dir, "trials", "*.json"))
	if len(done) == 0 || len(done) >= len(cells) {
		t.Fatalf("%d trial files after a failure, want some but not all", len(done))
	}
	// Rerun: finished trials are not trained again.
	ft2 := &fakeTrainer{}
	r.Trainer = ft2
	r.Workers = 2
	res, err := r.Run(context.Background(), cells)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := int(ft2.calls.Load()), len(cells)-len(done); got != want {
		t.Fatalf("resumed run trained %d trials, want %d", got, want)
	}
	// A fresh uninterrupted run with another worker count gives the same results.
	dir2 := t.TempDir()
	r2 := &Runner{Out: dir2, Sets: fakeSets(), Trainer: &fakeTrainer{}, Workers: 3}
	res2, err := r2.Run(context.Background(), cells)
	if err != nil {
		t.Fatal(err)
	}
	rows, paired := Aggregate(res)
	rows2, paired2 := Aggregate(res2)
	if !reflect.DeepEqual(rows, rows2) || !reflect.DeepEqual(paired, paired2) {
		t.Fatalf("resumed and uninterrupted runs differ:\n%+v\n%+v", rows, rows2)
	}
	if len(rows) != 4 || rows[0].Trials != 3 {
		t.Fatalf("rows = %+v, want 4 rows of 3 trials", rows)
	}
	if len(paired) != 2 {
		t.Fatalf("paired = %+v, want dcnng vs dcnn on each set", paired)
	}
	s := &Summary{WallSeconds: 1, Data: "fake", Command: "test", Kernel: "purego", Rows: rows, Paired: paired}
	if err := WriteOutputs(dir, s, res); err != nil {
		t.Fatal(err)
	}
	var back Summary
	b, err := os.ReadFile(filepath.Join(dir, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back.Rows[0].AccuracyMean != rows[0].AccuracyMean {
		t.Fatal("summary.json does not round-trip")
	}
	table, _ := os.ReadFile(filepath.Join(dir, "table.md"))
	if !strings.Contains(string(table), "| set1 | dcnn | 3 |") || !strings.Contains(string(table), "88.83 ± 5.78") {
		t.Fatalf("table.md lacks rows or the paper's figures:\n%s", table)
	}
}

func TestRunnerRefusesOtherSettings(t *testing.T) {
	dir := t.TempDir()
	plan := Plan{Sets: []string{"set1"}, Methods: []string{"dcnn"}, Seeds: []int{0}, Profile: Quick}
	cells, _ := plan.Cells()
	r := &Runner{Out: dir, Sets: fakeSets(), Trainer: &fakeTrainer{}}
	if _, err := r.Run(context.Background(), cells); err != nil {
		t.Fatal(err)
	}
	plan.Profile = Full
	cells, _ = plan.Cells()
	if _, err := r.Run(context.Background(), cells); err == nil || !strings.Contains(err.Error(), "other settings") {
		t.Fatalf("rerun with other settings: err = %v, want a refusal", err)
	}
}

func TestParseSeeds(t *testing.T) {
	cases := []struct {
		in   string
		want []int
		ok   bool
	}{
		{"3", []int{0, 1, 2}, true},
		{"2-4", []int{2, 3, 4}, true},
		{"0,4,9", []int{0, 4, 9}, true},
		{"0", nil, false},
		{"4-2", nil, false},
		{"1,1", nil, false},
		{"x", nil, false},
	}
	for _, c := range cases {
		got, err := ParseSeeds(c.in)
		if (err == nil) != c.ok || (c.ok && !reflect.DeepEqual(got, c.want)) {
			t.Errorf("ParseSeeds(%q) = %v, %v", c.in, got, err)
		}
	}
}

func TestCellKeyIsAFileName(t *testing.T) {
	seen := map[string]string{}
	for _, set := range []string{"set1", "8/4", "NC=8,*=4", "a__b", "a_b"} {
		for _, m := range []string{"dcnn", "dcnng:alpha=2", "dcnng/x"} {
			k := Cell{Set: set, Method: Method{Name: m}, Seed: 1}.Key()
			if strings.ContainsAny(k, "/\\:*,") {
				t.Errorf("key %q for set %q method %q is not a portable file name", k, set, m)
			}
			if prev, ok := seen[k]; ok {
				t.Errorf("key %q shared by %s and %s/%s", k, prev, set, m)
			}
			seen[k] = set + "/" + m
		}
	}
}
