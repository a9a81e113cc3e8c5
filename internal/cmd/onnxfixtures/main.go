// Command onnxfixtures writes the windows and the logits that the ONNX
// export checks (export/onnx/check) compare an exported graph against:
// ghl's own logits for a model file on real recordings.
//
//	onnxfixtures -model m.ghl -data ../shared/data/cwru [-set set1] -out DIR
//
// (-data must be the data the model was trained on: the same classes.)
// It cuts the validation and test windows of the sample set twice, as ghl
// does for the model: raw (resampled and low-passed as in training, not
// normalised) and normalised by the model's normalisation, and adds a few
// hand-made edge windows (all zero, constant, alternating between two
// adjacent float32 values, a large offset). It writes, little-endian
// float32, row after row:
//
//	raw.f32         [n, 1, L]  what a deployment feeds the graph with preprocessing
//	normalised.f32  [n, 1, L]  what ghl feeds its network (the graph without it)
//	logits.f32      [n, C]     nn.Model.Infer on normalised.f32
//
// and fixtures.json: n, L, C, the class names and each window's source.
package main

import (
	"encoding/binary"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"

	"github.com/ghl-dev/ghl/dataset"
	"github.com/ghl-dev/ghl/internal/atomicfile"
	"github.com/ghl-dev/ghl/nn"
)

// Fixtures is the JSON description written beside the arrays.
type Fixtures struct {
	Windows int      `json:"windows"`
	Window  int      `json:"window"`
	Classes []string `json:"classes"`
	Norm    string   `json:"normalisation"`
	Source  []string `json:"source"` // per window: "cwru val NC", "edge constant", ...
}

func main() {
	model := flag.String("model", "", "ghl model file")
	data := flag.String("data", "", "CWRU folder or user folder the model was trained on")
	set := flag.String("set", "set1", "sample set whose validation and test windows to use")
	out := flag.String("out", "", "output folder (created)")
	flag.Parse()
	if *model == "" || *data == "" || *out == "" || flag.NArg() != 0 {
		fmt.Fprintln(os.Stderr, "usage: onnxfixtures -model m.ghl -data DIR [-set set1] -out DIR")
		os.Exit(2)
	}
	if err := run(*model, *data, *set, *out); err != nil {
		fmt.Fprintln(os.Stderr, "onnxfixtures:", err)
		os.Exit(1)
	}
}

func run(modelPath, data, set, out string) error {
	m, meta, err := nn.Load(modelPath)
	if err != nil {
		return err
	}
	c, err := dataset.Load(data, dataset.LoadOptions{})
	if err != nil {
		return err
	}
	spec, err := dataset.ParseSet(set)
	if err != nil {
		return err
	}
	// Validation and test windows only (as 'ghl eval' cuts them).
	spec.Train = map[string]int{"*": 0}
	if !meta.Contract.IsRaw() {
		return fmt.Errorf("%s takes the %q representation; ONNX export handles raw windows", modelPath, meta.Contract.Representation)
	}
	opt := dataset.BuildOptions{Window: m.InputLen(), Rate: meta.RateHz, Norm: meta.Normalisation, NoLowPass: meta.Contract.NoLowPass}
	if opt.Norm == "" {
		opt.Norm = dataset.NormZScore
	}
	if opt.Norm == dataset.NormRecording {
		return fmt.Errorf("%s: normalisation %q is per recording; these fixtures are for per-window ones", modelPath, opt.Norm)
	}
	norm, err := dataset.Build(c, spec, opt)
	if err != nil {
		return err
	}
	opt.Norm = dataset.NormNone
	raw, err := dataset.Build(c, spec, opt)
	if err != nil {
		return err
	}
	if len(meta.Classes) > 0 && !slices.Equal(meta.Classes, norm.Classes) {
		return fmt.Errorf("%s has classes %v, the model %v: give the data it was trained on", data, norm.Classes, meta.Classes)
	}
	L := m.InputLen()
	f := Fixtures{Window: L, Classes: norm.Classes, Norm: norm.Norm}
	var xr, xn []float32
	for _, part := range []struct {
		name    string
		raw, nm *dataset.Samples
	}{{"val", &raw.Val, &norm.Val}, {"test", &raw.Test, &norm.Test}} {
		xr = append(xr, part.raw.X...)
		xn = append(xn, part.nm.X...)
		for _, y := range part.nm.Y {
			f.Source = append(f.Source, part.name+" "+norm.Classes[y])
		}
	}
	edges := edgeWindows(L, xr[:L])
	for _, e := range edges {
		src := make([]float64, L)
		for i, v := range e.x {
			src[i] = float64(v)
		}
		z := make([]float32, L)
		dataset.NormaliseWindow(z, src, norm.Norm)
		xr, xn = append(xr, e.x...), append(xn, z...)
		f.Source = append(f.Source, "edge "+e.name)
	}
	f.Windows = len(f.Source)
	logits, err := m.Infer(xn, f.Windows, nil)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	for name, v := range map[string][]float32{"raw.f32": xr, "normalised.f32": xn, "logits.f32": logits} {
		b := make([]byte, 4*len(v))
		for i, x := range v {
			binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(x))
		}
		if err := atomicfile.WriteFile(filepath.Join(out, name), b); err != nil {
			return err
		}
	}
	j, err := json.MarshalIndent(f, "", " ")
	if err != nil {
		return err
	}
	if err := atomicfile.WriteFile(filepath.Join(out, "fixtures.json"), j); err != nil {
		return err
	}
	fmt.Printf("onnxfixtures: %d windows of %d (%d real, %d edge cases), %d classes, normalisation %s → %s\n",
		f.Windows, L, f.Windows-len(edges), len(edges), m.Classes(), f.Norm, out)
	return nil
}

type edge struct {
	name string
	x    []float32
}

// edgeWindows returns the hand-made windows, built around a real one.
func edgeWindows(L int, real []float32) []edge {
	zero, constant, twoValues, offset := make([]float32, L), make([]float32, L), make([]float32, L), make([]float32, L)
	next := math.Nextafter32(0.3, 1)
	for i := range L {
		constant[i] = 0.3
		twoValues[i] = 0.3
		if i%3 == 0 {
			twoValues[i] = next
		}
		offset[i] = 1000 + 0.01*real[i]
	}
	return []edge{{"zero", zero}, {"constant 0.3", constant},
		{"0.3 and the next float32 (spread 6e-8 of the peak: normalised, not constant)", twoValues},
		{"offset 1000 + 0.01 × a real window", offset}}
}
