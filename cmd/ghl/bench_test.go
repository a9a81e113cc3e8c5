package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"

	"github.com/ghl-dev/ghl"
)

// TestBenchJSON: --json prints the contract's keys with sane values.
func TestBenchJSON(t *testing.T) {
	cmd := newBenchCmd()
	var out, errOut bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&errOut)
	cmd.SetArgs([]string{"--batch", "8", "--steps", "1", "--json"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	var v map[string]any
	if err := json.Unmarshal(out.Bytes(), &v); err != nil {
		t.Fatalf("output %q is not JSON: %v", out.String(), err)
	}
	for _, k := range []string{"batch", "samples_per_sec", "gflops", "kernel", "infer_samples_per_sec", "peak_rss_bytes"} {
		if _, ok := v[k]; !ok {
			t.Errorf("key %q missing from %s", k, out.String())
		}
	}
	if v["batch"] != 8.0 || !(v["samples_per_sec"].(float64) > 0) || !(v["gflops"].(float64) > 0) {
		t.Errorf("implausible result %s", out.String())
	}
}

func TestBenchUsage(t *testing.T) {
	cmd := newBenchCmd()
	cmd.SetOut(&bytes.Buffer{})
	cmd.SetErr(&bytes.Buffer{})
	cmd.SetArgs([]string{"--batch", "0"})
	if err := cmd.Execute(); !errors.Is(err, ghl.ErrUsage) {
		t.Errorf("--batch 0: %v, want a usage error", err)
	}
}
