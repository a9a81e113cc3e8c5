package main

import (
	"fmt"

	"github.com/ghl-dev/ghl"
	"github.com/ghl-dev/ghl/dataset"
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
func modelRepresentation(meta *nn.Metadata) (represent.Spec, error) {
	c := meta.Contract
	spec, err := represent.FromOptions(c.Representation, c.RepresentationOptions)
	if err != nil {
		return spec, fmt.Errorf("%w: input representation %q %v in the model's contract: %v (a newer ghl wrote it?)", ghl.ErrBadInput, c.Representation, c.RepresentationOptions, err)
	}
	return spec, nil
}

// withInput pairs a model with the representation its metadata names, for
// windows of the given length.
func withInput(m *nn.Model, meta *nn.Metadata, window int) (*inputModel, error) {
	spec, err := modelRepresentation(meta)
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
