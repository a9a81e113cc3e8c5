package onnx_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/ghl-dev/ghl/export/onnx"
	"github.com/ghl-dev/ghl/nn"
)

// A DCNN written as an ONNX file that normalises raw windows itself, and
// the metadata a deployment reads from it.
func Example() {
	m, err := nn.NewDCNN(nn.DCNNConfig{InputLen: 1024, Classes: 3, Seed: 1})
	if err != nil {
		panic(err)
	}
	meta := nn.Metadata{Classes: []string{"NC", "IR", "OR"}, RateHz: 12000, Window: 1024, Normalisation: "zscore"}
	opt := onnx.Options{Preprocessing: true, Version: "v1.0.0"}
	path := filepath.Join(os.TempDir(), "example-dcnn.onnx")
	if err := onnx.Write(path, m, meta, opt); err != nil {
		panic(err)
	}
	defer os.Remove(path)
	props, err := onnx.Props(m, meta, opt)
	if err != nil {
		panic(err)
	}
	for _, p := range props[:6] {
		fmt.Printf("%s: %s\n", p.Key, p.Value)
	}
	// Output:
	// classes: ["NC","IR","OR"]
	// healthy_class: NC
	// rate_hz: 12000
	// window: 1024
	// normalisation: zscore
	// preprocessing_in_graph: yes: feed raw windows, the graph normalises each by zscore
}
