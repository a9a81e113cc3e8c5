package experiment

import (
	"context"
	"fmt"

	"github.com/ghl-dev/ghl/dataset"
	"github.com/ghl-dev/ghl/dataset/represent"
	"github.com/ghl-dev/ghl/nn"
	"github.com/ghl-dev/ghl/train"
)

// EngineTrainer trains trials with ghl's own engine (package nn): a fresh
// DCNN per trial, initialised from the trial's seed.
type EngineTrainer struct {
	// ModelOut, if set, is called with each trained model so the caller can
	// save it.
	ModelOut func(cell Cell, m *nn.Model) error
}

// NewModel builds the DCNN and the optimiser of a method for a trial.
func NewModel(m Method, classes, inputLen int, seed uint64, threads int) (*nn.Model, train.Optimizer, error) {
	model, err := nn.NewDCNN(nn.DCNNConfig{InputLen: inputLen, Classes: classes, Seed: seed, Padding: "same"})
	if err != nil {
		return nil, nil, err
	}
	model.SetThreads(threads)
	var opt lrOptimizer
	switch m.Optimizer {
	case "", "adam":
		opt = nn.NewAdam(nn.AdamConfig{LR: m.Train.LR, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8})
	case "sgd":
		opt = nn.NewSGD(nn.SGDConfig{LR: m.Train.LR, Momentum: 0.9})
	default:
		return nil, nil, fmt.Errorf("unknown optimiser %q (adam, sgd)", m.Optimizer)
	}
	return model, &boundOptimizer{opt: opt, model: model}, nil
}

// lrOptimizer is an nn optimiser whose learning rate can be scheduled.
type lrOptimizer interface {
	nn.Optimizer
	SetLR(lr float64)
}

// boundOptimizer binds an nn optimiser to a model's parameters.
type boundOptimizer struct {
	opt   lrOptimizer
	model *nn.Model
}

func (b *boundOptimizer) Step() error      { return b.opt.Step(b.model.Params()) }
func (b *boundOptimizer) SetLR(lr float64) { b.opt.SetLR(lr) }

// Train implements Trainer.
func (e EngineTrainer) Train(ctx context.Context, cell Cell, set *SetData, threads int) (*train.Result, []int, error) {
	classes := len(set.Set.Classes)
	input, err := represent.New(cell.Method.Input, set.Set.Train.L)
	if err != nil {
		return nil, nil, err
	}
	model, opt, err := NewModel(cell.Method, classes, input.OutLen(), uint64(cell.Seed), threads)
	if err != nil {
		return nil, nil, err
	}
	scheme, err := SchemeFor(cell.Method, cell.Seed, threads)
	if err != nil {
		return nil, nil, err
	}
	cfg := cell.Method.Train
	cfg.Seed = uint64(cell.Seed)
	cfg.LogAngles = cell.LogAngles
	cfg.Healthy = set.Healthy
	cfg.Base = cell.Method.Loss.Base
	if !cell.Method.Input.IsRaw() {
		cfg.Input = input
	}
	res, err := train.Run(ctx, model, opt, scheme, &set.Set, cfg)
	if err != nil {
		return nil, nil, err
	}
	var buf []float32
	test := set.Test
	if !cell.Method.Input.IsRaw() {
		test = dataset.Samples{X: input.ApplyAll(nil, test.X), Y: test.Y, L: input.OutLen()}
	}
	pred, err := train.Predict(model, &test, &buf, classes)
	if err != nil {
		return nil, nil, err
	}
	if e.ModelOut != nil {
		if err := e.ModelOut(cell, model); err != nil {
			return nil, nil, err
		}
	}
	return res, pred, nil
}
