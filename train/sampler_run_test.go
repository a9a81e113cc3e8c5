package train_test

import (
	"context"
	"math"
	"testing"

	"github.com/ghl-dev/ghl/loss"
	"github.com/ghl-dev/ghl/nn"
	"github.com/ghl-dev/ghl/train"
)

// recorder is a loss scheme that records what the trainer passes it.
type recorder struct {
	loss.Scheme
	epochs, lastEpoch int
	labels            []int
}

func (r *recorder) Apply(b loss.Batch, ctx *loss.Context) (*loss.Output, error) {
	r.epochs, r.lastEpoch = ctx.Epochs, ctx.Epoch
	r.labels = append(r.labels, b.Labels...)
	return r.Scheme.Apply(b, ctx)
}

// TestSamplersInTraining: with ros and smote the trainer's batches are
// class-balanced (each class within 5σ of uniform), the scheme sees the
// planned epoch count that ldam-drw's deferred re-weighting needs, and the
// toy set is still learned.
func TestSamplersInTraining(t *testing.T) {
	set := toySet(5, []int{96, 8, 8, 8})
	for _, s := range []string{train.SamplerROS, train.SamplerSMOTE} {
		m, err := nn.NewDCNN(nn.DCNNConfig{InputLen: L, Classes: 4, Seed: 7})
		if err != nil {
			t.Fatal(err)
		}
		ce, err := loss.New(loss.Plain, loss.Options{Base: loss.CrossEntropy})
		if err != nil {
			t.Fatal(err)
		}
		rec := &recorder{Scheme: ce}
		cfg := train.Config{Iterations: 3, MinSteps: 40, BatchSize: 16, LR: 3e-3, Seed: 1, Sampler: s}
		res, err := train.Run(context.Background(), m, stepper{nn.NewAdam(nn.AdamConfig{LR: cfg.LR}), m}, rec, set, cfg)
		if err != nil {
			t.Fatal(err)
		}
		if want := cfg.Planned(set.Train.Len()); rec.epochs != want || rec.lastEpoch != want {
			t.Errorf("%s: scheme saw Epochs %d, last epoch %d; want %d", s, rec.epochs, rec.lastEpoch, want)
		}
		n := float64(len(rec.labels))
		counts := make([]float64, 4)
		for _, y := range rec.labels {
			counts[y]++
		}
		for c, k := range counts {
			if math.Abs(k-n/4) > 5*math.Sqrt(n*3/16) {
				t.Errorf("%s: class %d drawn %v times of %v", s, c, k, n)
			}
		}
		if res.BestValF1 < 0.8 {
			t.Errorf("%s: validation macro-F1 %v on the toy set", s, res.BestValF1)
		}
	}
}
