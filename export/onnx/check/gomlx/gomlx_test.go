package gomlx

import (
	"encoding/binary"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/gomlx/gomlx/backends/simplego"
	"github.com/gomlx/gomlx/pkg/core/graph"
	"github.com/gomlx/gomlx/pkg/core/tensors"
	"github.com/gomlx/gomlx/pkg/ml/context"
	"github.com/gomlx/onnx-gomlx/onnx"
)

// fixtures is what internal/cmd/onnxfixtures writes (fixtures.json).
type fixtures struct {
	Windows int      `json:"windows"`
	Window  int      `json:"window"`
	Classes []string `json:"classes"`
	Source  []string `json:"source"`
}

func readF32(t *testing.T, path string) []float32 {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	v := make([]float32, len(b)/4)
	for i := range v {
		v[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
	}
	return v
}

// run executes the ONNX file on x ([n, 1, L]) and returns its logits and
// probabilities.
func run(t *testing.T, path string, x []float32, n, L int) (logits, probs []float32) {
	t.Helper()
	m, err := onnx.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	backend, err := simplego.New("")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.New()
	if err := m.VariablesToContext(ctx); err != nil {
		t.Fatal(err)
	}
	exec, err := context.NewExec(backend, ctx.Reuse(), func(ctx *context.Context, in *graph.Node) []*graph.Node {
		return m.CallGraph(ctx, in.Graph(), map[string]*graph.Node{"window": in})
	})
	if err != nil {
		t.Fatal(err)
	}
	in := tensors.FromFlatDataAndDimensions(x, n, 1, L)
	out, err := exec.Exec(in)
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != 2 {
		t.Fatalf("%s: %d outputs, want logits and probabilities", path, len(out))
	}
	if logits, err = tensors.CopyFlatData[float32](out[0]); err != nil {
		t.Fatal(err)
	}
	if probs, err = tensors.CopyFlatData[float32](out[1]); err != nil {
		t.Fatal(err)
	}
	return logits, probs
}

// rowErr returns, over the windows, the largest max|a−b| / max|b| of a
// window's C values (+Inf for an all-zero reference row), and its window.
func rowErr(a, b []float32, C int) (float64, int) {
	worst, at := 0.0, -1
	for i := 0; i*C < len(b); i++ {
		var d, s float64
		for j := i * C; j < (i+1)*C; j++ {
			d = math.Max(d, math.Abs(float64(a[j])-float64(b[j])))
			s = math.Max(s, math.Abs(float64(b[j])))
		}
		e := math.Inf(1)
		if s > 0 {
			e = d / s
		}
		if !(e <= worst) {
			worst, at = e, i
		}
	}
	return worst, at
}

func argmax(v []float32) int {
	k := 0
	for i, x := range v {
		if x > v[k] {
			k = i
		}
	}
	return k
}

// TestExportedGraphsMatchGhl runs the graph with preprocessing on the raw
// windows and the graph without it on ghl's normalised windows, and wants
// ghl's logits to 1e-4 relative per window, the same predicted classes,
// and probabilities equal to the softmax of the logits. A control run
// feeds raw windows to the graph without preprocessing, which must NOT
// match: the comparison can fail.
func TestExportedGraphsMatchGhl(t *testing.T) {
	dir := os.Getenv("GHL_ONNX_FIXTURES")
	if dir == "" {
		if os.Getenv("GHL_REQUIRE_DATA") == "1" {
			t.Fatal("GHL_ONNX_FIXTURES is not set (export/onnx/check/run.sh sets it)")
		}
		t.Skip("GHL_ONNX_FIXTURES not set: run export/onnx/check/run.sh")
	}
	var fx fixtures
	b, err := os.ReadFile(filepath.Join(dir, "fixtures.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &fx); err != nil {
		t.Fatal(err)
	}
	n, L, C := fx.Windows, fx.Window, len(fx.Classes)
	ref := readF32(t, filepath.Join(dir, "logits.f32"))
	raw := readF32(t, filepath.Join(dir, "raw.f32"))
	for _, tc := range []struct {
		model, input string
		x            []float32
	}{
		{"with-preprocessing.onnx", "raw windows", raw},
		{"without-preprocessing.onnx", "normalised windows", readF32(t, filepath.Join(dir, "normalised.f32"))},
	} {
		logits, probs := run(t, filepath.Join(dir, tc.model), tc.x, n, L)
		e, at := rowErr(logits, ref, C)
		differ, worstP := 0, 0.0
		for i := range n {
			a := logits[i*C : (i+1)*C]
			if argmax(a) != argmax(ref[i*C:(i+1)*C]) {
				differ++
			}
			mx, z := float64(a[argmax(a)]), 0.0
			for _, v := range a {
				z += math.Exp(float64(v) - mx)
			}
			for j, v := range a {
				worstP = math.Max(worstP, math.Abs(float64(probs[i*C+j])-math.Exp(float64(v)-mx)/z))
			}
		}
		t.Logf("%s on %d %s: max relative logit error %.3g (window %d: %s), %d predicted classes differ, max |p − softmax| %.2g",
			tc.model, n, tc.input, e, at, fx.Source[max(at, 0)], differ, worstP)
		if !(e <= 1e-4) || differ > 0 || !(worstP <= 1e-6) {
			t.Errorf("%s does not reproduce ghl's logits", tc.model)
		}
	}
	logits, _ := run(t, filepath.Join(dir, "without-preprocessing.onnx"), raw, n, L)
	if e, _ := rowErr(logits, ref, C); !(e > 1e-2) {
		t.Errorf("control: raw windows through the graph without preprocessing match ghl to %.3g; the comparison cannot tell", e)
	} else {
		t.Logf("control: raw windows through the graph without preprocessing: relative error %.3g (mismatch detected, as it must be)", e)
	}
}
