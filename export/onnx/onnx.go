// Package onnx writes a trained ghl model as an ONNX graph, so that it runs
// where ONNX runs (ONNX Runtime, OpenVINO, TensorRT, ...) without Go.
//
// # The graph
//
// The graph (opset 13, IR version 7) has one input, "window", float32 of
// shape [batch, 1, L] with a dynamic batch dimension, and two outputs,
// "logits" [batch, C] (exactly what nn.Model.Infer computes) and
// "probabilities" [batch, C] (their softmax). The layers map one to one:
//
//	nn.Conv1D    Conv (kernel [k], stride 1, pads [(k−1)/2, k−1−(k−1)/2] for
//	             "same", [0, 0] for "valid"), weight [cout, cin, k]
//	nn.ReLU      Relu
//	nn.MaxPool1D MaxPool (kernel = stride = size, no padding, floor)
//	nn.Flatten   Flatten (axis 1: channel-major, as PyTorch's)
//	nn.Dense     Gemm (transB = 1), weight [out, in] with its input columns
//	             reordered from ghl's channels-last flatten to ONNX's
//	             channel-major one
//
// Initialisers keep the names of the model file's tensors (conv1.weight,
// fc1.bias, ...), which are also the PyTorch state_dict names.
//
// # Preprocessing
//
// With Options.Preprocessing the per-window normalisation ghl applies
// before the network (the model's Metadata.Normalisation: zscore, rms,
// minmax or none; "recording", which needs the whole recording's
// statistics, is refused) is part of the graph, so a deployment feeds raw windows
// at the model's sampling rate. It is computed in float64, as ghl computes
// it, with ghl's rule for a constant window: when the window's divisor is
// not above dataset.ConstantTolerance times its peak |x|, the normalised
// window is all zero. Window maxima and minima use MaxPool over the whole
// window (every runtime has it; ReduceMax is missing from some pure-Go
// ones). What the graph cannot do is what ghl does to a whole recording
// before cutting windows: resampling to the model's rate and the common
// low-pass (metadata_props "input" says which); a deployment does these
// on its stream.
//
// # Metadata
//
// The model's metadata_props carry what a deployment needs to feed it
// (Props lists them): the class names, the healthy class, the sampling
// rate, the window length, the normalisation and whether the graph applies
// it, the model file's data contract (nn.Contract, as JSON, with the
// open-set threshold when there is one), the training options and ghl's
// version. A model on another input representation than raw windows (a
// spectrum) is refused.
package onnx

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"

	"google.golang.org/protobuf/proto"

	"github.com/ghl-dev/ghl"
	"github.com/ghl-dev/ghl/dataset"
	"github.com/ghl-dev/ghl/export/onnx/internal/onnxpb"
	"github.com/ghl-dev/ghl/internal/atomicfile"
	"github.com/ghl-dev/ghl/nn"
)

// Opset is the ONNX operator set version the graph uses, IRVersion the
// ONNX IR version of the file.
const (
	Opset     = 13
	IRVersion = 7
)

// Names of the graph's input and outputs.
const (
	InputName  = "window"
	LogitsName = "logits"
	ProbsName  = "probabilities"
)

// Options controls Encode.
type Options struct {
	// Preprocessing puts the model's per-window normalisation into the
	// graph: the graph then takes raw windows.
	Preprocessing bool
	// Version is the exporting ghl's version, written as the file's
	// producer_version and the "ghl_version" property ("" : "unknown").
	Version string
}

// Prop is one metadata_props entry.
type Prop struct{ Key, Value string }

// Props returns the metadata_props Encode writes for m and meta, in
// order. It fails as Encode does on what the graph cannot express.
func Props(m *nn.Model, meta nn.Metadata, opt Options) ([]Prop, error) {
	norm, err := checkModel(m, meta, opt.Preprocessing)
	if err != nil {
		return nil, err
	}
	classes := meta.Classes
	if len(classes) == 0 {
		for i := range m.Classes() {
			classes = append(classes, "class"+strconv.Itoa(i))
		}
	}
	cj, err := json.Marshal(classes)
	if err != nil {
		return nil, err
	}
	healthy := meta.Contract.Healthy
	if h := dataset.HealthyLabel(classes); healthy == "" && h >= 0 {
		healthy = classes[h]
	}
	rate := "unknown"
	if meta.RateHz > 0 {
		rate = strconv.FormatFloat(meta.RateHz, 'g', -1, 64)
	}
	pre := "no: feed windows already normalised by " + norm
	if opt.Preprocessing {
		pre = "yes: feed raw windows, the graph normalises each by " + norm
	}
	lowpass := "low-passed on the whole recording before windowing at the resampler's passband edge"
	switch c := meta.Contract; {
	case c.NoLowPass:
		lowpass = "no low-pass"
	case c.LowPassHz > 0:
		lowpass = strconv.FormatFloat(c.LowPassHz, 'g', -1, 64) + " Hz low-pass on the whole recording before windowing"
	}
	contract, err := json.Marshal(meta.Contract)
	if err != nil {
		return nil, err
	}
	version := opt.Version
	if version == "" {
		version = "unknown"
	}
	props := []Prop{
		{"classes", string(cj)},
		{"healthy_class", healthy},
		{"rate_hz", rate},
		{"window", strconv.Itoa(m.InputLen())},
		{"normalisation", norm},
		{"preprocessing_in_graph", pre},
		{"input", fmt.Sprintf("float32 [batch, 1, %d]: consecutive samples of one channel at %s Hz (resampled to it; %s)", m.InputLen(), rate, lowpass)},
		{"outputs", LogitsName + " [batch, C], " + ProbsName + " [batch, C] (softmax), C in the order of classes"},
		{"ghl_version", version},
		{"data_contract", string(contract)},
	}
	if meta.GhlVersion != "" {
		props = append(props, Prop{"trained_with_ghl_version", meta.GhlVersion})
	}
	if meta.Created != "" {
		props = append(props, Prop{"model_created", meta.Created})
	}
	if len(meta.Training) > 0 {
		tj, err := json.Marshal(meta.Training) // sorted keys
		if err != nil {
			return nil, err
		}
		props = append(props, Prop{"training", string(tj)})
	}
	return props, nil
}

// checkModel refuses what the graph cannot express and returns the
// normalisation's name ("" in a model file means the default, zscore).
// The per-recording normalisation can only stay outside the graph.
func checkModel(m *nn.Model, meta nn.Metadata, preprocessing bool) (string, error) {
	if in := m.InputShape(); in.Channels != 1 {
		return "", fmt.Errorf("onnx: %w: the model takes %d channels; export handles single-channel models", ghl.ErrBadInput, in.Channels)
	}
	if len(meta.Classes) > 0 && len(meta.Classes) != m.Classes() {
		return "", fmt.Errorf("onnx: %w: %d class names for %d outputs", ghl.ErrBadInput, len(meta.Classes), m.Classes())
	}
	if c := meta.Contract; !c.IsRaw() {
		repr := c.Representation
		if repr == "" {
			repr = "raw"
		}
		return "", fmt.Errorf("onnx: %w: the model takes the %q representation of each window (options %v), which export cannot express in ONNX (it exports models on plain raw windows)", ghl.ErrBadInput, repr, c.RepresentationOptions)
	}
	norm := meta.Normalisation
	if norm == "" {
		norm = dataset.NormZScore
	}
	if !slices.Contains(dataset.Norms, norm) {
		return "", fmt.Errorf("onnx: %w: normalisation %q cannot be expressed in ONNX (export knows %v)", ghl.ErrBadInput, norm, dataset.Norms)
	}
	if norm == dataset.NormRecording && preprocessing {
		return "", fmt.Errorf("onnx: %w: normalisation %q uses the mean and deviation of the whole recording, which a window does not carry: export without the preprocessing and feed windows normalised that way", ghl.ErrBadInput, norm)
	}
	return norm, nil
}

// Encode returns the ONNX file (a serialised ModelProto) of m, with meta's
// properties (see Props). It fails, wrapping ghl.ErrBadInput, on a model
// the graph cannot express: an input representation other than raw
// windows, several input channels, an unknown normalisation, a convolution
// or pooling after a flatten or dense layer, non-finite weights.
func Encode(m *nn.Model, meta nn.Metadata, opt Options) ([]byte, error) {
	mp, err := build(m, meta, opt)
	if err != nil {
		return nil, err
	}
	b, err := proto.MarshalOptions{Deterministic: true}.Marshal(mp)
	if err != nil {
		return nil, fmt.Errorf("onnx: encode: %w", err)
	}
	return b, nil
}

// Write writes the ONNX file of m to path atomically (a temporary file in
// the same folder, renamed over path), so path never holds half a file.
func Write(path string, m *nn.Model, meta nn.Metadata, opt Options) error {
	b, err := Encode(m, meta, opt)
	if err != nil {
		return err
	}
	return atomicfile.Write(path, func(w io.Writer) error {
		_, err := w.Write(b)
		return err
	})
}

// graph accumulates nodes and initialisers.
type graph struct {
	nodes []*onnxpb.NodeProto
	inits []*onnxpb.TensorProto
	n     int
}

// node appends a node with the given op, inputs and attributes and returns
// its (single) output name.
func (g *graph) node(op, prefix string, inputs []string, attrs ...*onnxpb.AttributeProto) string {
	g.n++
	out := fmt.Sprintf("%s/%s_%d", prefix, op, g.n)
	g.nodes = append(g.nodes, &onnxpb.NodeProto{
		OpType: proto.String(op), Name: proto.String(out), Input: inputs, Output: []string{out}, Attribute: attrs,
	})
	return out
}

func (g *graph) floatInit(name string, dims []int64, v []float32) string {
	t := &onnxpb.TensorProto{Name: proto.String(name), Dims: dims, DataType: proto.Int32(int32(onnxpb.TensorProto_FLOAT))}
	t.FloatData = v
	g.inits = append(g.inits, t)
	return name
}

func (g *graph) doubleScalar(name string, v float64) string {
	g.inits = append(g.inits, &onnxpb.TensorProto{
		Name: proto.String(name), DataType: proto.Int32(int32(onnxpb.TensorProto_DOUBLE)), DoubleData: []float64{v},
	})
	return name
}

func ints(name string, v ...int64) *onnxpb.AttributeProto {
	return &onnxpb.AttributeProto{Name: proto.String(name), Type: onnxpb.AttributeProto_INTS.Enum(), Ints: v}
}

func intAttr(name string, v int64) *onnxpb.AttributeProto {
	return &onnxpb.AttributeProto{Name: proto.String(name), Type: onnxpb.AttributeProto_INT.Enum(), I: proto.Int64(v)}
}

func floatAttr(name string, v float32) *onnxpb.AttributeProto {
	return &onnxpb.AttributeProto{Name: proto.String(name), Type: onnxpb.AttributeProto_FLOAT.Enum(), F: proto.Float32(v)}
}

// preprocess appends the normalisation of x ([batch, 1, L] float32) and
// returns the normalised float32 tensor; see normalise in package dataset,
// which this follows operation by operation.
func (g *graph) preprocess(x, norm string, L int) string {
	const p = "normalise"
	if norm == dataset.NormNone {
		return x
	}
	xd := g.node("Cast", p, []string{x}, intAttr("to", int64(onnxpb.TensorProto_DOUBLE)))
	windowMax := func(v string) string {
		return g.node("MaxPool", p, []string{v}, ints("kernel_shape", int64(L)), ints("strides", int64(L)), ints("pads", 0, 0))
	}
	mean := func(v string) string {
		return g.node("ReduceMean", p, []string{v}, ints("axes", 2), intAttr("keepdims", 1))
	}
	var shifted, scale string
	switch norm {
	case dataset.NormZScore:
		shifted = g.node("Sub", p, []string{xd, mean(xd)})
		scale = g.node("Sqrt", p, []string{mean(g.node("Mul", p, []string{shifted, shifted}))})
	case dataset.NormRMS:
		shifted = xd
		scale = g.node("Sqrt", p, []string{mean(g.node("Mul", p, []string{xd, xd}))})
	case dataset.NormMinMax:
		half := g.doubleScalar(p+"/half", 0.5)
		hi := windowMax(xd)
		lo := g.node("Neg", p, []string{windowMax(g.node("Neg", p, []string{xd}))})
		shifted = g.node("Sub", p, []string{xd, g.node("Mul", p, []string{g.node("Add", p, []string{lo, hi}), half})})
		scale = g.node("Mul", p, []string{g.node("Sub", p, []string{hi, lo}), half})
	}
	peak := windowMax(g.node("Abs", p, []string{xd}))
	tol := g.doubleScalar(p+"/constant_tolerance", dataset.ConstantTolerance)
	ok := g.node("Greater", p, []string{scale, g.node("Mul", p, []string{peak, tol})})
	z := g.node("Div", p, []string{shifted, scale})
	z = g.node("Where", p, []string{ok, z, g.doubleScalar(p+"/zero", 0)})
	return g.node("Cast", p, []string{z}, intAttr("to", int64(onnxpb.TensorProto_FLOAT)))
}

// layers appends the network (at least one node) and returns the name of
// the logits.
func (g *graph) layers(m *nn.Model, x string) (string, error) {
	cur := x
	rank3 := true        // the current tensor is [batch, C, W]; else [batch, n]
	var flatSrc nn.Shape // rank 2 after a Flatten: the shape it flattened
	for i, l := range m.Layers() {
		ps := l.Params()
		bad := func(why string) (string, error) {
			return "", fmt.Errorf("onnx: %w: layer %d (%T): %s", ghl.ErrBadInput, i, l, why)
		}
		switch l := l.(type) {
		case *nn.Conv1D:
			if !rank3 {
				return bad("a convolution after a flatten or dense layer cannot be expressed")
			}
			k, cin, cout := l.Kernel, l.InShape().Channels, l.Filters
			var left, right int
			switch l.Padding {
			case "same":
				left, right = (k-1)/2, k-1-(k-1)/2
			case "valid":
			default:
				return bad(fmt.Sprintf("padding %q", l.Padding))
			}
			w := make([]float32, k*cin*cout)
			for j := range k {
				for ci := range cin {
					for co := range cout {
						w[(co*cin+ci)*k+j] = ps[0].W[(j*cin+ci)*cout+co]
					}
				}
			}
			cur = g.node("Conv", "layer"+strconv.Itoa(i), []string{cur,
				g.floatInit(ps[0].Name, []int64{int64(cout), int64(cin), int64(k)}, w),
				g.floatInit(ps[1].Name, []int64{int64(cout)}, slices.Clone(ps[1].W))},
				ints("kernel_shape", int64(k)), ints("strides", 1), ints("dilations", 1),
				ints("pads", int64(left), int64(right)), intAttr("group", 1))
		case *nn.MaxPool1D:
			if !rank3 {
				return bad("a max-pool after a flatten or dense layer cannot be expressed")
			}
			cur = g.node("MaxPool", "layer"+strconv.Itoa(i), []string{cur},
				ints("kernel_shape", int64(l.Size)), ints("strides", int64(l.Size)), ints("pads", 0, 0))
		case *nn.ReLU:
			cur = g.node("Relu", "layer"+strconv.Itoa(i), []string{cur})
		case *nn.Flatten:
			if rank3 {
				cur = g.node("Flatten", "layer"+strconv.Itoa(i), []string{cur}, intAttr("axis", 1))
				rank3, flatSrc = false, l.InShape()
			}
		case *nn.Dense:
			src := l.InShape()
			switch {
			case rank3: // Dense flattens its input itself
				cur = g.node("Flatten", "layer"+strconv.Itoa(i), []string{cur}, intAttr("axis", 1))
			case flatSrc != nn.Shape{}:
				src = flatSrc
			}
			nin, nout := src.Size(), l.Units
			w := make([]float32, nin*nout)
			for t := range src.Width {
				for c := range src.Channels {
					d, dt := t*src.Channels+c, c*src.Width+t
					for o := range nout {
						w[o*nin+dt] = ps[0].W[d*nout+o]
					}
				}
			}
			cur = g.node("Gemm", "layer"+strconv.Itoa(i), []string{cur,
				g.floatInit(ps[0].Name, []int64{int64(nout), int64(nin)}, w),
				g.floatInit(ps[1].Name, []int64{int64(nout)}, slices.Clone(ps[1].W))},
				floatAttr("alpha", 1), floatAttr("beta", 1), intAttr("transA", 0), intAttr("transB", 1))
			rank3, flatSrc = false, nn.Shape{}
		default:
			return bad("unknown layer type")
		}
	}
	if rank3 {
		cur = g.node("Flatten", "output", []string{cur}, intAttr("axis", 1))
	}
	return cur, nil
}

func valueInfo(name string, dims ...any) *onnxpb.ValueInfoProto {
	shape := &onnxpb.TensorShapeProto{}
	for _, d := range dims {
		switch d := d.(type) {
		case string:
			shape.Dim = append(shape.Dim, &onnxpb.TensorShapeProto_Dimension{Value: &onnxpb.TensorShapeProto_Dimension_DimParam{DimParam: d}})
		case int:
			shape.Dim = append(shape.Dim, &onnxpb.TensorShapeProto_Dimension{Value: &onnxpb.TensorShapeProto_Dimension_DimValue{DimValue: int64(d)}})
		}
	}
	return &onnxpb.ValueInfoProto{Name: proto.String(name), Type: &onnxpb.TypeProto{Value: &onnxpb.TypeProto_TensorType{
		TensorType: &onnxpb.TypeProto_Tensor{ElemType: proto.Int32(int32(onnxpb.TensorProto_FLOAT)), Shape: shape}}}}
}

// build assembles the ModelProto.
func build(m *nn.Model, meta nn.Metadata, opt Options) (*onnxpb.ModelProto, error) {
	props, err := Props(m, meta, opt)
	if err != nil {
		return nil, err
	}
	norm, _ := checkModel(m, meta, opt.Preprocessing)
	for _, p := range m.Params() {
		for _, v := range p.W {
			if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
				return nil, fmt.Errorf("onnx: %w: %s holds %v", ghl.ErrBadInput, p.Name, v)
			}
		}
	}
	g := &graph{}
	x := InputName
	if opt.Preprocessing {
		x = g.preprocess(x, norm, m.InputLen())
	}
	if _, err := g.layers(m, x); err != nil {
		return nil, err
	}
	// The last node computes the logits: give its output the graph
	// output's name, then add the softmax.
	g.nodes[len(g.nodes)-1].Output[0] = LogitsName
	g.node("Softmax", "output", []string{LogitsName}, intAttr("axis", 1))
	g.nodes[len(g.nodes)-1].Output[0] = ProbsName
	c := m.Classes()
	mp := &onnxpb.ModelProto{
		IrVersion:       proto.Int64(IRVersion),
		ProducerName:    proto.String("ghl"),
		ProducerVersion: proto.String(props[slices.IndexFunc(props, func(p Prop) bool { return p.Key == "ghl_version" })].Value),
		DocString:       proto.String("ghl DCNN fault classifier; see metadata_props for classes, rate, window and input preparation"),
		OpsetImport:     []*onnxpb.OperatorSetIdProto{{Domain: proto.String(""), Version: proto.Int64(Opset)}},
		Graph: &onnxpb.GraphProto{
			Name:        proto.String("ghl"),
			Node:        g.nodes,
			Initializer: g.inits,
			Input:       []*onnxpb.ValueInfoProto{valueInfo(InputName, "batch", 1, m.InputLen())},
			Output:      []*onnxpb.ValueInfoProto{valueInfo(LogitsName, "batch", c), valueInfo(ProbsName, "batch", c)},
		},
	}
	for _, p := range props {
		mp.MetadataProps = append(mp.MetadataProps, &onnxpb.StringStringEntryProto{Key: proto.String(p.Key), Value: proto.String(p.Value)})
	}
	return mp, nil
}
