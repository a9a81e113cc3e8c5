package main

import (
	"fmt"
	"maps"
	"math"
	"path/filepath"
	"strconv"

	"github.com/ghl-dev/ghl"
	"github.com/ghl-dev/ghl/dataset"
	"github.com/ghl-dev/ghl/dataset/cwru"
	"github.com/ghl-dev/ghl/dataset/represent"
	"github.com/ghl-dev/ghl/nn"
)

// inputModel is a saved model with the input representation it was
// trained on: predict and eval feed it windows cut as in training, and it
// computes the representation (a spectrum, an envelope spectrum) first.
type inputModel struct {
	*nn.Model
	in *represent.Transformer // nil: raw windows
}

// modelRepresentation returns the input representation a model's data
// contract names (raw when it names none). An unknown one is bad input:
// feeding raw windows to a spectrum model would give confident nonsense.
//
// It also returns the order domain's reference speed (0: time domain),
// which the contract keeps as the representation option "order_rpm".
func modelRepresentation(meta *nn.Metadata) (represent.Spec, float64, error) {
	c := meta.Contract
	opts := maps.Clone(c.RepresentationOptions)
	order := 0.0
	if v, ok := opts[orderKey]; ok {
		var err error
		if order, err = strconv.ParseFloat(v, 64); err != nil || !(order > 0) || math.IsInf(order, 0) {
			return represent.Spec{}, 0, fmt.Errorf("%w: order-domain speed %q in the model's contract: want a positive rpm", ghl.ErrBadInput, v)
		}
		delete(opts, orderKey)
	}
	spec, err := represent.FromOptions(c.Representation, opts)
	if err != nil {
		return spec, 0, fmt.Errorf("%w: input representation %q %v in the model's contract: %v (a newer ghl wrote it?)", ghl.ErrBadInput, c.Representation, c.RepresentationOptions, err)
	}
	return spec, order, nil
}

// orderKey is the representation option of the contract that holds the
// order domain's reference speed in rpm.
const orderKey = "order_rpm"

// orderOptions returns opts with the order domain's reference speed added.
func orderOptions(opts map[string]string, rpm float64) map[string]string {
	out := maps.Clone(opts)
	if out == nil {
		out = map[string]string{}
	}
	out[orderKey] = strconv.FormatFloat(rpm, 'g', -1, 64)
	return out
}

// orderRPM returns the order domain's reference speed for --domain (0: the
// time domain).
func orderRPM(domain string) (float64, error) {
	switch domain {
	case "", "time":
		return 0, nil
	case "order":
		return dataset.DefaultOrderRPM, nil
	}
	return 0, usageError("--domain %q: want time or order", domain)
}

// recordingRPM returns the shaft speed of one recording file read on its
// own (by predict): --rpm, else an rpm.txt beside it, else the CWRU
// catalog's nominal speed for a CWRU file name; 0 when none is known. When
// need is set (an order-domain model) an unknown speed is an error saying
// how to give one.
func (r *recordingFlags) recordingRPM(path string, need bool) (float64, error) {
	if r.rpm > 0 {
		return r.rpm, nil
	}
	rpm, _, err := dataset.SidecarRPM(filepath.Dir(path))
	if err != nil || rpm > 0 {
		return rpm, err
	}
	if f, ok := cwru.LookupName(filepath.Base(path)); ok && f.RPM() > 0 {
		return f.RPM(), nil
	}
	if need {
		return 0, fmt.Errorf("%s: %w: the model works in the order domain and needs the shaft speed: pass --rpm or put an %s (revolutions per minute) beside the file", path, ghl.ErrBadInput, dataset.RPMFile)
	}
	return 0, nil
}

// withInput pairs a model with the representation its metadata names, for
// windows of the given length.
func withInput(m *nn.Model, meta *nn.Metadata, window int) (*inputModel, error) {
	spec, _, err := modelRepresentation(meta)
	if err != nil {
		return nil, err
	}
	if spec.IsRaw() {
		return &inputModel{Model: m}, nil
	}
	tr, err := represent.New(spec, window)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ghl.ErrBadInput, err)
	}
	if tr.OutLen() != m.InputLen() {
		return nil, fmt.Errorf("%w: representation %s of %d-point windows has %d values, the model takes %d", ghl.ErrBadInput, spec, window, tr.OutLen(), m.InputLen())
	}
	return &inputModel{Model: m, in: tr}, nil
}

// inputs returns the model's input for the windows of s.
func (m *inputModel) inputs(s *dataset.Samples) []float32 {
	if m.in == nil {
		return s.X
	}
	return m.in.ApplyAll(nil, s.X)
}
