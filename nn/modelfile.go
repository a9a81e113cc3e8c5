package nn

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strconv"

	"github.com/ghl-dev/ghl"
	"github.com/ghl-dev/ghl/internal/atomicfile"
)

// FormatVersion is the model file format this package writes and the
// newest it reads. Format 2 added Metadata.Contract: a format-1 reader
// would ignore it silently (feeding raw windows to a model trained on
// another input representation, dropping the open-set threshold), so the
// version says it must not read such files; format-1 files read as a
// zero Contract, which means what format 1 meant.
const FormatVersion = 2

// formatName is the value of the "format" metadata key.
const formatName = "ghl.model"

// maxModelFile bounds the size of a model file Load reads.
const maxModelFile = 1 << 30

// Metadata describes how a model was trained and how its input must be
// prepared; the trainer fills it and the model file keeps it.
type Metadata struct {
	// Classes are the class names, one per output, in output order.
	Classes []string `json:"classes,omitempty"`
	// RateHz is the sampling rate the model's windows were taken at.
	RateHz float64 `json:"rate_hz,omitempty"`
	// Window is the window length in samples (the model's input length).
	Window int `json:"window,omitempty"`
	// Normalisation names how each window was normalised (e.g. "zscore").
	Normalisation string `json:"normalisation,omitempty"`
	// Training records the training options (method, loss, seed, ...).
	Training map[string]string `json:"training,omitempty"`
	// Created is the creation time (RFC 3339), GhlVersion the ghl version.
	Created    string `json:"created,omitempty"`
	GhlVersion string `json:"ghl_version,omitempty"`
	// Extra holds anything else a caller wants to keep.
	Extra map[string]string `json:"extra,omitempty"`
	// Contract is the rest of the model's data contract (format 2).
	Contract Contract `json:"contract"`
}

// Contract is a model's data contract beyond Classes, RateHz, Window and
// Normalisation: how a recording file is read and turned into the model's
// input exactly as its training data was, so that eval, predict and export
// need no data flag after training. Its zero value is what a format-1
// file meant: rate from each file, the reader's default variable and
// channel, the common low-pass applied, raw windows, the healthy class
// found by name, no open-set threshold.
type Contract struct {
	// InputRateHz is the sampling rate in Hz to assume for a recording
	// whose rate nothing more specific gives (a --input-rate flag or a
	// rate.txt beside it): set when the user gave the training recordings'
	// rate ("--input-rate" or "rate.txt"), the same for all, rather than
	// each file stating it; 0 otherwise.
	InputRateHz float64 `json:"input_rate_hz,omitempty"`
	// InputRateSource says where the training recordings' rates came from,
	// as dataset.RateSource names them: "--input-rate", "rate.txt", "file"
	// (stated by each file), "CWRU catalog", "model", or "simulated";
	// several joined by "+".
	InputRateSource string `json:"input_rate_source,omitempty"`
	// Variable is the MAT variable or CSV column the training recordings
	// were read from, as given to recording.Options ("": the reader's own
	// choice).
	Variable string `json:"variable,omitempty"`
	// Channel is the channel read, counted as recording.Options counts it
	// (from 0), and PickChannel says it was chosen (a CSV column, a
	// matrix's channel) rather than left to the reader.
	Channel     int  `json:"channel,omitempty"`
	PickChannel bool `json:"pick_channel,omitempty"`
	// CSVDelimiter ("," ";" "tab" "space"; "": detected), DecimalComma
	// and AllowIncreasing are the CSV reading options training used.
	CSVDelimiter    string `json:"csv_delimiter,omitempty"`
	DecimalComma    bool   `json:"decimal_comma,omitempty"`
	AllowIncreasing bool   `json:"allow_increasing,omitempty"`
	// Windows, Labels, IndependentWindows and WindowClassNames say how a
	// windowed-dataset file was read (the matrix and label vector named,
	// whether its windows are independent, the class names of its label
	// values; empty: the defaults, or not a windowed file).
	Windows            string   `json:"windows,omitempty"`
	Labels             string   `json:"labels,omitempty"`
	IndependentWindows bool     `json:"independent_windows,omitempty"`
	WindowClassNames   []string `json:"window_class_names,omitempty"`
	// NoLowPass says the common low-pass was not applied; LowPassHz is
	// the band edge it had when it was (informative: the edge follows
	// from RateHz).
	NoLowPass bool    `json:"no_lowpass,omitempty"`
	LowPassHz float64 `json:"lowpass_hz,omitempty"`
	// Healthy names the healthy class, against which false alarms and
	// missed faults are counted ("": found by name as format 1 did).
	Healthy string `json:"healthy,omitempty"`
	// Representation names the input representation computed from each
	// normalised window ("" or "raw": the window itself);
	// RepresentationOptions holds its parameters. A reader that does not
	// know a representation must refuse the model, not feed it raw
	// windows.
	Representation        string            `json:"representation,omitempty"`
	RepresentationOptions map[string]string `json:"representation_options,omitempty"`
	// OpenSet, when not nil, is the novelty threshold calibrated after
	// training: windows scoring above it are "unknown".
	OpenSet *OpenSet `json:"open_set,omitempty"`
}

// OpenSet is a novelty threshold calibrated on validation windows.
type OpenSet struct {
	// Score names the novelty score, larger for windows unlike the
	// training classes: "energy" is −log Σ_k exp(z_k) of the logits z;
	// "distance" is the distance of the time-pooled activations f of the
	// last convolution block (openset.Features) to the nearest class mean,
	// min_k mean_d ((f_d − Means[k][d]) / Scale[d])².
	Score string `json:"score"`
	// Threshold is the score above which a window is unknown.
	Threshold float64 `json:"threshold"`
	// FalseAlarmRate is the share of validation windows of the known
	// classes the threshold was set to call unknown at most (e.g. 0.01),
	// Windows the number of validation windows it was calibrated on and
	// Above how many of them it calls unknown.
	FalseAlarmRate float64 `json:"false_alarm_rate"`
	Windows        int     `json:"windows"`
	Above          int     `json:"above"`
	// Means (one row per class) and Scale (one per feature) are the
	// "distance" score's class means and per-feature scales.
	Means [][]float64 `json:"means,omitempty"`
	Scale []float64   `json:"scale,omitempty"`
}

// check returns an error when o cannot be applied to a model of classes
// outputs.
func (o *OpenSet) check(classes int) error {
	if math.IsNaN(o.Threshold) || !(o.FalseAlarmRate > 0 && o.FalseAlarmRate < 1) {
		return fmt.Errorf("open-set threshold %g at false-alarm rate %g: want a number and a rate in (0, 1)", o.Threshold, o.FalseAlarmRate)
	}
	switch o.Score {
	case "energy":
		return nil
	case "distance":
		if len(o.Means) != classes || len(o.Scale) == 0 {
			return fmt.Errorf("open-set distance: %d class means and %d scales for %d classes", len(o.Means), len(o.Scale), classes)
		}
		for _, row := range o.Means {
			if len(row) != len(o.Scale) {
				return fmt.Errorf("open-set distance: a class mean of %d values for %d scales", len(row), len(o.Scale))
			}
		}
		for _, v := range o.Scale {
			if !(v > 0) || math.IsInf(v, 0) {
				return fmt.Errorf("open-set distance: scale %g", v)
			}
		}
		return nil
	}
	return fmt.Errorf("open-set score %q: want energy or distance", o.Score)
}

// IsRaw reports whether the model takes raw (normalised) windows, cut in
// the time domain: no representation and no representation options (an
// order-domain model, "order_rpm", takes raw windows of a recording
// resampled by its shaft speed, which a reader must also do).
func (c Contract) IsRaw() bool {
	return (c.Representation == "" || c.Representation == "raw") && len(c.RepresentationOptions) == 0
}

// architecture is the JSON form of a Sequential model.
type architecture struct {
	Input  Shape       `json:"input"`
	Layers []layerSpec `json:"layers"`
}

// MarshalJSON writes a Shape as {"width": W, "channels": C}.
func (s Shape) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Width    int `json:"width"`
		Channels int `json:"channels"`
	}{s.Width, s.Channels})
}

// UnmarshalJSON reads a Shape written by MarshalJSON.
func (s *Shape) UnmarshalJSON(b []byte) error {
	var v struct {
		Width    int `json:"width"`
		Channels int `json:"channels"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	s.Width, s.Channels = v.Width, v.Channels
	return nil
}

func (m *Model) architecture() architecture {
	a := architecture{Input: m.in}
	for _, l := range m.layers {
		a.Layers = append(a.Layers, l.spec())
	}
	return a
}

// fromSpec rebuilds a model from its architecture (weights initialised
// with seed 0, to be overwritten).
func fromSpec(a architecture) (*Model, error) {
	var layers []Layer
	for i, s := range a.Layers {
		var l Layer
		switch s.Type {
		case "conv1d":
			l = &Conv1D{Filters: s.Filters, Kernel: s.Kernel, Padding: s.Padding}
		case "maxpool1d":
			l = &MaxPool1D{Size: s.Size}
		case "dense":
			l = &Dense{Units: s.Units}
		case "relu":
			l = &ReLU{}
		case "flatten":
			l = &Flatten{}
		default:
			return nil, fmt.Errorf("layer %d: unknown type %q", i, s.Type)
		}
		layers = append(layers, l)
	}
	return NewSequential(a.Input, 0, layers...)
}

// torchTensors returns the model's weights in PyTorch layout under their
// state_dict names: conv kernels [out, in, k], dense matrices [out, in]
// with the input in PyTorch's channel-major flatten order.
func (m *Model) torchTensors() []tensor {
	var ts []tensor
	for i, l := range m.layers {
		for j, p := range l.Params() {
			t := tensor{Name: p.Name, Data: make([]float32, len(p.W))}
			switch {
			case j == 1: // bias: same layout
				t.Shape = []int{len(p.W)}
				copy(t.Data, p.W)
			default:
				perm, shape := m.torchPerm(i)
				t.Shape = shape
				for k, v := range p.W {
					t.Data[perm[k]] = v
				}
			}
			ts = append(ts, t)
		}
	}
	return ts
}

// torchPerm returns, for layer i's weight tensor, where each ghl element
// goes in the PyTorch tensor, and the PyTorch shape.
func (m *Model) torchPerm(i int) ([]int, []int) {
	switch l := m.layers[i].(type) {
	case *Conv1D:
		k, cin, cout := l.Kernel, l.in.Channels, l.Filters
		perm := make([]int, k*cin*cout)
		for j := range k {
			for ci := range cin {
				for co := range cout {
					perm[(j*cin+ci)*cout+co] = (co*cin+ci)*k + j
				}
			}
		}
		return perm, []int{cout, cin, k}
	case *Dense:
		src := l.in
		if i > 0 {
			if f, ok := m.layers[i-1].(*Flatten); ok {
				src = f.in
			}
		}
		nin, nout := src.Size(), l.Units
		perm := make([]int, nin*nout)
		for t := range src.Width {
			for c := range src.Channels {
				d, dt := t*src.Channels+c, c*src.Width+t
				for o := range nout {
					perm[d*nout+o] = o*nin + dt
				}
			}
		}
		return perm, []int{nout, nin}
	}
	panic("nn: torchPerm of a layer without weights")
}

// setTorchTensors sets the model's weights from PyTorch-layout tensors;
// every parameter must be present with the right shape.
func (m *Model) setTorchTensors(ts []tensor) error {
	byName := map[string]tensor{}
	for _, t := range ts {
		byName[t.Name] = t
	}
	want := m.torchTensors()
	if len(ts) != len(want) {
		return fmt.Errorf("%d tensors, the architecture has %d", len(ts), len(want))
	}
	for i, l := range m.layers {
		for j, p := range l.Params() {
			t, ok := byName[p.Name]
			if !ok {
				return fmt.Errorf("tensor %q missing", p.Name)
			}
			var shape []int
			var perm []int
			if j == 1 {
				shape = []int{len(p.W)}
			} else {
				perm, shape = m.torchPerm(i)
			}
			if fmt.Sprint(shape) != fmt.Sprint(t.Shape) {
				return fmt.Errorf("tensor %q has shape %v, want %v", p.Name, t.Shape, shape)
			}
			for k := range p.W {
				if perm == nil {
					p.W[k] = t.Data[k]
				} else {
					p.W[k] = t.Data[perm[k]]
				}
			}
		}
	}
	return nil
}

// Save writes m and meta to path as a ghl model file (see the package
// documentation), atomically: a temporary file in the same directory,
// fsync, rename. meta.Classes, when given, must name every output and
// meta.Window, when given, must equal the input length.
func Save(path string, m *Model, meta Metadata) error {
	if err := checkMeta(m, &meta); err != nil {
		return fmt.Errorf("nn: save %s: %w: %w", path, ghl.ErrUsage, err)
	}
	return atomicfile.Write(path, func(w io.Writer) error { return Encode(w, m, meta) })
}

// Encode writes m and meta in the model file format to w.
func Encode(w io.Writer, m *Model, meta Metadata) error {
	if err := checkMeta(m, &meta); err != nil {
		return fmt.Errorf("nn: encode: %w: %w", ghl.ErrUsage, err)
	}
	arch, err := json.Marshal(m.architecture())
	if err != nil {
		return err
	}
	mj, err := json.Marshal(meta)
	if err != nil {
		return fmt.Errorf("nn: encode metadata: %w", err)
	}
	ts := m.torchTensors()
	var data []byte
	for _, t := range ts {
		data = appendFloats(data, t.Data)
	}
	return encodeSafetensors(w, ts, map[string]string{
		"format":         formatName,
		"format_version": strconv.Itoa(FormatVersion),
		"architecture":   string(arch),
		"metadata":       string(mj),
		"data_sha256":    sha256Hex(data),
		"header_sha256":  sha256Hex(headerDigestInput(string(arch), string(mj))),
	})
}

func checkMeta(m *Model, meta *Metadata) error {
	if len(meta.Classes) > 0 && len(meta.Classes) != m.Classes() {
		return fmt.Errorf("%d class names for a model of %d outputs", len(meta.Classes), m.Classes())
	}
	// A model whose input is computed from the window (a spectrum: the
	// contract's Representation) has its own input length; the window is
	// the length before it, checked by whoever computes the representation.
	if meta.Window != 0 && meta.Window != m.InputLen() && meta.Contract.IsRaw() {
		return fmt.Errorf("window %d for a model of input length %d", meta.Window, m.InputLen())
	}
	c := meta.Contract
	if c.Healthy != "" && len(meta.Classes) > 0 && !slices.Contains(meta.Classes, c.Healthy) {
		return fmt.Errorf("healthy class %q is not one of the classes %v", c.Healthy, meta.Classes)
	}
	if !(c.InputRateHz >= 0) || math.IsInf(c.InputRateHz, 0) {
		return fmt.Errorf("input rate %g Hz", c.InputRateHz)
	}
	if c.OpenSet != nil {
		if err := c.OpenSet.check(m.Classes()); err != nil {
			return err
		}
	}
	return nil
}

// upgradeV1 fills the Contract of a format-1 file from what format 1 kept
// elsewhere: the training option "lowpass_hz" ("0": no low-pass).
func upgradeV1(meta *Metadata) {
	meta.Contract = Contract{}
	if v, ok := meta.Training["lowpass_hz"]; ok {
		hz, err := strconv.ParseFloat(v, 64)
		meta.Contract.NoLowPass = err != nil || hz == 0
		if err == nil {
			meta.Contract.LowPassHz = hz
		}
	}
}

func sha256Hex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// headerDigestInput is what header_sha256 covers: the architecture and
// metadata JSON strings, so a damaged class name is caught like damaged
// weights.
func headerDigestInput(arch, meta string) []byte {
	return []byte(arch + "\x00" + meta)
}

// Load reads a model file written by Save. A damaged, truncated or foreign
// file gives an error wrapping ghl.ErrBadInput; a file from a newer format
// version says so.
func Load(path string) (*Model, *Metadata, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("nn: load: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxModelFile+1))
	if err != nil {
		return nil, nil, fmt.Errorf("nn: load %s: %w", path, err)
	}
	if len(data) > maxModelFile {
		return nil, nil, fmt.Errorf("nn: load %s: %w: larger than %d bytes", path, ghl.ErrBadInput, maxModelFile)
	}
	m, meta, err := Decode(data)
	if err != nil {
		return nil, nil, fmt.Errorf("nn: load %s: %w", path, err)
	}
	return m, meta, nil
}

// Decode parses a model file held in memory (see Load).
func Decode(data []byte) (*Model, *Metadata, error) {
	bad := func(format string, args ...any) (*Model, *Metadata, error) {
		return nil, nil, fmt.Errorf("%w: model file: %s", ghl.ErrBadInput, fmt.Sprintf(format, args...))
	}
	ts, kv, body, err := decodeSafetensors(data)
	if err != nil {
		return nil, nil, err
	}
	if kv["format"] != formatName {
		return bad("not a ghl model (format %q, want %q)", kv["format"], formatName)
	}
	v, err := strconv.Atoi(kv["format_version"])
	switch {
	case err != nil || v < 1:
		return bad("format version %q is not valid", kv["format_version"])
	case v > FormatVersion:
		return bad("made by a newer ghl (format %d), this reads ≤ %d", v, FormatVersion)
	}
	if sha256Hex(body) != kv["data_sha256"] {
		return bad("weights checksum mismatch (corrupted file)")
	}
	if sha256Hex(headerDigestInput(kv["architecture"], kv["metadata"])) != kv["header_sha256"] {
		return bad("header checksum mismatch (corrupted file)")
	}
	var arch architecture
	dec := json.NewDecoder(bytes.NewReader([]byte(kv["architecture"])))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&arch); err != nil {
		return bad("architecture: %v", err)
	}
	// Refuse architectures whose weights the file cannot hold before
	// building them (NewSequential allocates).
	if err := checkArchSize(arch, len(body)/4); err != nil {
		return bad("architecture: %v", err)
	}
	m, err := fromSpec(arch)
	if err != nil {
		return bad("architecture: %v", err)
	}
	if err := m.setTorchTensors(ts); err != nil {
		return bad("%v", err)
	}
	meta := new(Metadata)
	if err := json.Unmarshal([]byte(kv["metadata"]), meta); err != nil {
		return bad("metadata: %v", err)
	}
	if err := checkMeta(m, meta); err != nil {
		return bad("metadata: %v", err)
	}
	if v == 1 {
		upgradeV1(meta)
	}
	return m, meta, nil
}

// checkArchSize estimates the parameter count of arch without allocating
// and fails if it exceeds limit values or a dimension is out of range.
func checkArchSize(a architecture, limit int) error {
	w, c := a.Input.Width, a.Input.Channels
	if w < 1 || c < 1 || w > maxDim || c > maxDim {
		return fmt.Errorf("input %d×%d out of range", w, c)
	}
	total := 0.0
	for _, s := range a.Layers {
		switch s.Type {
		case "conv1d":
			total += float64(s.Kernel)*float64(c)*float64(s.Filters) + float64(s.Filters)
			c = s.Filters
			if s.Padding == "valid" {
				w = max(w-s.Kernel+1, 1)
			}
		case "maxpool1d":
			if s.Size > 0 {
				w = max(w/s.Size, 1)
			}
		case "dense":
			total += float64(w)*float64(c)*float64(s.Units) + float64(s.Units)
			w, c = 1, s.Units
		case "flatten":
			w, c = 1, w*c
		}
		if total > float64(limit) || c > maxDim || c < 0 {
			return fmt.Errorf("more weights than the file holds")
		}
	}
	return nil
}
