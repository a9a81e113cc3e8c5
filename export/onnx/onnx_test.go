package onnx

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/ghl-dev/ghl"
	"github.com/ghl-dev/ghl/export/onnx/internal/onnxpb"
	"github.com/ghl-dev/ghl/nn"
)

var cwruClasses = []string{"NC", "OF1", "OF2", "OF3", "RF1", "RF2", "RF3", "RF4", "IF1", "IF2", "IF3", "IF4"}

func dcnn(t testing.TB, padding string) *nn.Model {
	t.Helper()
	m, err := nn.NewDCNN(nn.DCNNConfig{InputLen: 1024, Classes: 12, Seed: 5, Padding: padding})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func decode(t *testing.T, b []byte) *onnxpb.ModelProto {
	t.Helper()
	mp := &onnxpb.ModelProto{}
	if err := proto.Unmarshal(b, mp); err != nil {
		t.Fatal(err)
	}
	return mp
}

func dims(vi *onnxpb.ValueInfoProto) string {
	var s []string
	for _, d := range vi.GetType().GetTensorType().GetShape().GetDim() {
		if p := d.GetDimParam(); p != "" {
			s = append(s, p)
		} else {
			s = append(s, fmt.Sprint(d.GetDimValue()))
		}
	}
	return vi.GetName() + "[" + strings.Join(s, ",") + "]"
}

func attr(n *onnxpb.NodeProto, name string) *onnxpb.AttributeProto {
	for _, a := range n.GetAttribute() {
		if a.GetName() == name {
			return a
		}
	}
	return nil
}

// TestGraphStructure checks every normalisation with and without the
// preprocessing: the node sequence, that every node reads only the input,
// an initialiser or an earlier node's output, the inputs and outputs with
// their shapes, the opset and the metadata.
func TestGraphStructure(t *testing.T) {
	net := []string{"Conv", "Relu", "MaxPool", "Conv", "Relu", "MaxPool", "Flatten", "Gemm", "Relu", "Gemm", "Softmax"}
	tail := []string{"Abs", "MaxPool", "Mul", "Greater", "Div", "Where", "Cast"}
	pre := map[string][]string{
		"zscore":    append([]string{"Cast", "ReduceMean", "Sub", "Mul", "ReduceMean", "Sqrt"}, tail...),
		"":          append([]string{"Cast", "ReduceMean", "Sub", "Mul", "ReduceMean", "Sqrt"}, tail...),
		"rms":       append([]string{"Cast", "Mul", "ReduceMean", "Sqrt"}, tail...),
		"minmax":    append([]string{"Cast", "MaxPool", "Neg", "MaxPool", "Neg", "Add", "Mul", "Sub", "Sub", "Mul"}, tail...),
		"none":      nil,
		"recording": nil, // refused with the preprocessing
	}
	m := dcnn(t, "")
	for norm, preOps := range pre {
		for _, withPre := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/pre=%v", norm, withPre), func(t *testing.T) {
				meta := nn.Metadata{Classes: cwruClasses, RateHz: 12000, Window: 1024, Normalisation: norm}
				b, err := Encode(m, meta, Options{Preprocessing: withPre, Version: "test"})
				if norm == "recording" && withPre {
					if !errors.Is(err, ghl.ErrBadInput) {
						t.Errorf("recording normalisation in the graph: err = %v", err)
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				mp := decode(t, b)
				want := net
				if withPre {
					want = append(slices.Clone(preOps), net...)
				}
				var ops []string
				known := map[string]bool{InputName: true}
				for _, in := range mp.GetGraph().GetInitializer() {
					known[in.GetName()] = true
				}
				for _, n := range mp.GetGraph().GetNode() {
					ops = append(ops, n.GetOpType())
					for _, in := range n.GetInput() {
						if !known[in] {
							t.Errorf("node %s reads %q before anything writes it", n.GetName(), in)
						}
					}
					for _, o := range n.GetOutput() {
						if known[o] {
							t.Errorf("node %s writes %q a second time", n.GetName(), o)
						}
						known[o] = true
					}
				}
				if !slices.Equal(ops, want) {
					t.Errorf("ops\n %v\nwant\n %v", ops, want)
				}
				if got := mp.GetOpsetImport(); len(got) != 1 || got[0].GetDomain() != "" || got[0].GetVersion() != Opset {
					t.Errorf("opset %v", got)
				}
				if mp.GetIrVersion() != IRVersion || mp.GetProducerName() != "ghl" || mp.GetProducerVersion() != "test" {
					t.Errorf("IR %d producer %q %q", mp.GetIrVersion(), mp.GetProducerName(), mp.GetProducerVersion())
				}
				g := mp.GetGraph()
				if len(g.GetInput()) != 1 || dims(g.GetInput()[0]) != "window[batch,1,1024]" {
					t.Errorf("inputs %v", g.GetInput())
				}
				if len(g.GetOutput()) != 2 || dims(g.GetOutput()[0]) != "logits[batch,12]" || dims(g.GetOutput()[1]) != "probabilities[batch,12]" {
					t.Errorf("outputs %v", g.GetOutput())
				}
				for _, o := range g.GetOutput() {
					if !known[o.GetName()] {
						t.Errorf("no node writes output %s", o.GetName())
					}
				}
				props := map[string]string{}
				for _, p := range mp.GetMetadataProps() {
					props[p.GetKey()] = p.GetValue()
				}
				wantNorm := norm
				if norm == "" {
					wantNorm = "zscore"
				}
				var classes []string
				if err := json.Unmarshal([]byte(props["classes"]), &classes); err != nil || !slices.Equal(classes, cwruClasses) {
					t.Errorf("classes %q (%v)", props["classes"], err)
				}
				if props["healthy_class"] != "NC" || props["rate_hz"] != "12000" || props["window"] != "1024" ||
					props["normalisation"] != wantNorm || props["ghl_version"] != "test" ||
					strings.HasPrefix(props["preprocessing_in_graph"], "yes") != withPre {
					t.Errorf("metadata_props %v", props)
				}
			})
		}
	}
}

// safetensors parses a safetensors file: name → (shape, float32 data).
func safetensors(t *testing.T, b []byte) map[string]struct {
	shape []int64
	data  []float32
} {
	t.Helper()
	n := binary.LittleEndian.Uint64(b)
	var hdr map[string]json.RawMessage
	if err := json.Unmarshal(b[8:8+n], &hdr); err != nil {
		t.Fatal(err)
	}
	body := b[8+n:]
	out := map[string]struct {
		shape []int64
		data  []float32
	}{}
	for name, raw := range hdr {
		if name == "__metadata__" {
			continue
		}
		var e struct {
			Dtype   string   `json:"dtype"`
			Shape   []int64  `json:"shape"`
			Offsets [2]int64 `json:"data_offsets"`
		}
		if err := json.Unmarshal(raw, &e); err != nil || e.Dtype != "F32" {
			t.Fatalf("tensor %s: %s (%v)", name, raw, err)
		}
		d := body[e.Offsets[0]:e.Offsets[1]]
		v := make([]float32, len(d)/4)
		for i := range v {
			v[i] = math.Float32frombits(binary.LittleEndian.Uint32(d[4*i:]))
		}
		out[name] = struct {
			shape []int64
			data  []float32
		}{e.Shape, v}
	}
	return out
}

// TestWeightsMatchModelFile compares every initialiser with the tensor of
// the same name in the model file, which nn writes in PyTorch layout (and
// CI loads into the PyTorch DCNN): the export's own reordering of ghl's
// channels-last weights must give exactly the same values and shapes.
func TestWeightsMatchModelFile(t *testing.T) {
	for _, padding := range []string{"same", "valid"} {
		m := dcnn(t, padding)
		var file bytes.Buffer
		if err := nn.Encode(&file, m, nn.Metadata{}); err != nil {
			t.Fatal(err)
		}
		ref := safetensors(t, file.Bytes())
		b, err := Encode(m, nn.Metadata{}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		inits := decode(t, b).GetGraph().GetInitializer()
		seen := 0
		for _, in := range inits {
			r, ok := ref[in.GetName()]
			if in.GetDataType() != int32(onnxpb.TensorProto_FLOAT) {
				continue
			}
			if !ok {
				t.Errorf("%s: initialiser %s not in the model file", padding, in.GetName())
				continue
			}
			seen++
			if !slices.Equal(in.GetDims(), r.shape) || !slices.Equal(in.GetFloatData(), r.data) {
				t.Errorf("%s: %s: shape %v, file %v; values equal: %v", padding, in.GetName(), in.GetDims(), r.shape, slices.Equal(in.GetFloatData(), r.data))
			}
		}
		if seen != len(ref) || seen != 8 {
			t.Errorf("%s: %d initialisers matched, the model file has %d tensors", padding, seen, len(ref))
		}
	}
}

// TestConvPadding checks ghl's "same" padding ((k−1)/2 left, the rest
// right, for odd and even kernels) and "valid".
func TestConvPadding(t *testing.T) {
	tests := []struct {
		padding string
		kernel  int
		want    []int64
	}{
		{"same", 49, []int64{24, 24}},
		{"same", 4, []int64{1, 2}},
		{"valid", 5, []int64{0, 0}},
	}
	for _, tc := range tests {
		m, err := nn.NewSequential(nn.Shape{Width: 64, Channels: 1}, 1,
			&nn.Conv1D{Filters: 3, Kernel: tc.kernel, Padding: tc.padding}, &nn.Flatten{}, &nn.Dense{Units: 2})
		if err != nil {
			t.Fatal(err)
		}
		b, err := Encode(m, nn.Metadata{}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		conv := decode(t, b).GetGraph().GetNode()[0]
		if got := attr(conv, "pads").GetInts(); conv.GetOpType() != "Conv" || !slices.Equal(got, tc.want) {
			t.Errorf("%s k=%d: %s pads %v, want %v", tc.padding, tc.kernel, conv.GetOpType(), got, tc.want)
		}
	}
}

// TestRefusals checks that what the graph cannot express is refused with
// a bad-input error saying why.
func TestRefusals(t *testing.T) {
	twoCh, err := nn.NewSequential(nn.Shape{Width: 32, Channels: 2}, 1, &nn.Flatten{}, &nn.Dense{Units: 2})
	if err != nil {
		t.Fatal(err)
	}
	convAfterDense, err := nn.NewSequential(nn.Shape{Width: 32, Channels: 1}, 1, &nn.Dense{Units: 8}, &nn.Conv1D{Filters: 2, Kernel: 1, Padding: "same"})
	if err != nil {
		t.Fatal(err)
	}
	nanModel := dcnn(t, "")
	nanModel.Params()[3].W[0] = float32(math.NaN())
	tests := []struct {
		name string
		m    *nn.Model
		meta nn.Metadata
		want string
	}{
		{"two channels", twoCh, nn.Metadata{}, "2 channels"},
		{"conv after dense", convAfterDense, nn.Metadata{}, "convolution after a flatten or dense"},
		{"unknown normalisation", dcnn(t, ""), nn.Metadata{Normalisation: "spectrum"}, `normalisation "spectrum"`},
		{"class names", dcnn(t, ""), nn.Metadata{Classes: []string{"a", "b"}}, "2 class names for 12 outputs"},
		{"NaN weight", nanModel, nn.Metadata{}, "NaN"},
		{"order domain", dcnn(t, ""), nn.Metadata{Contract: nn.Contract{RepresentationOptions: map[string]string{"order_rpm": "1797"}}}, "order_rpm:1797"},
		{"spectrum input", dcnn(t, ""), nn.Metadata{Contract: nn.Contract{Representation: "envelope"}}, `"envelope" representation`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Encode(tc.m, tc.meta, Options{Preprocessing: true})
			if !errors.Is(err, ghl.ErrBadInput) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want bad input mentioning %q", err, tc.want)
			}
		})
	}
}

func BenchmarkEncodeDCNN(b *testing.B) {
	m := dcnn(b, "")
	meta := nn.Metadata{Classes: cwruClasses, RateHz: 12000, Window: 1024, Normalisation: "zscore"}
	for b.Loop() {
		if _, err := Encode(m, meta, Options{Preprocessing: true}); err != nil {
			b.Fatal(err)
		}
	}
}

// TestContractProps checks that the model file's data contract reaches the
// metadata: its healthy class wins over the name rule, its low-pass edge is
// described, and the whole contract (with the open-set threshold) is kept.
func TestContractProps(t *testing.T) {
	meta := nn.Metadata{Classes: []string{"normal", "IR", "OR"}, RateHz: 48828, Window: 1024, Contract: nn.Contract{
		Healthy: "OR", LowPassHz: 19531.2, InputRateSource: "file",
		OpenSet: &nn.OpenSet{Score: "energy", Threshold: -3.5, FalseAlarmRate: 0.01, Windows: 400}}}
	m, err := nn.NewDCNN(nn.DCNNConfig{InputLen: 1024, Classes: 3, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	props, err := Props(m, meta, Options{Preprocessing: true})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, p := range props {
		got[p.Key] = p.Value
	}
	var c nn.Contract
	if err := json.Unmarshal([]byte(got["data_contract"]), &c); err != nil || c.OpenSet == nil || c.OpenSet.Threshold != -3.5 || c.InputRateSource != "file" {
		t.Errorf("data_contract %q (%v)", got["data_contract"], err)
	}
	if got["healthy_class"] != "OR" || !strings.Contains(got["input"], "19531.2 Hz low-pass") || got["rate_hz"] != "48828" {
		t.Errorf("props %v", got)
	}
	meta.Contract = nn.Contract{NoLowPass: true}
	props, _ = Props(m, meta, Options{})
	for _, p := range props {
		if p.Key == "healthy_class" && p.Value != "normal" || p.Key == "input" && !strings.Contains(p.Value, "no low-pass") {
			t.Errorf("%s: %s", p.Key, p.Value)
		}
	}
}
