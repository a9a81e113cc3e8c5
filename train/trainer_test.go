package train_test

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/ghl-dev/ghl/dataset"
	"github.com/ghl-dev/ghl/loss"
	"github.com/ghl-dev/ghl/nn"
	"github.com/ghl-dev/ghl/train"
)

const L = 128

// toySet makes classes of noisy tones at distinct frequencies, with an
// imbalanced training part (class 0 the majority).
func toySet(seed uint64, counts []int) *train.Set { return toySetDup(seed, counts, false) }

// toySetDup is toySet whose majority training windows are, with dup, all
// the same window (as heavily overlapping windows of one recording nearly are).
func toySetDup(seed uint64, counts []int, dup bool) *train.Set {
	r := rand.New(rand.NewPCG(seed, 1))
	mk := func(per []int, dup bool) dataset.Samples {
		s := dataset.Samples{L: L}
		for c, n := range per {
			for i := 0; i < n; i++ {
				ph, noise := r.Float64()*2*math.Pi, 0.3
				if dup && c == 0 {
					ph, noise = 0, 0
				}
				for t := 0; t < L; t++ {
					s.X = append(s.X, float32(math.Sin(ph+float64(t)*0.15*float64(c+1))+noise*r.NormFloat64()))
				}
				s.Y = append(s.Y, c)
			}
		}
		return s
	}
	val := make([]int, len(counts))
	for i := range val {
		val[i] = 6
	}
	classes := []string{"NC", "A", "B", "C"}[:len(counts)]
	return &train.Set{Classes: classes, Train: mk(counts, dup), Val: mk(val, false)}
}

// macroF1On returns m's macro-F1 on the windows of s (four classes).
func macroF1On(t *testing.T, m train.Model, s *dataset.Samples) float64 {
	t.Helper()
	var buf []float32
	pred, err := train.Predict(m, s, &buf, 4)
	if err != nil {
		t.Fatal(err)
	}
	return train.MacroF1(pred, s.Y, 4)
}

type stepper struct {
	opt   *nn.Adam
	model *nn.Model
}

func (s stepper) Step() error      { return s.opt.Step(s.model.Params()) }
func (s stepper) SetLR(lr float64) { s.opt.SetLR(lr) }

func run(t *testing.T, scheme string, opt loss.Options, set *train.Set, cfg train.Config) (*train.Result, *nn.Model) {
	t.Helper()
	m, err := nn.NewDCNN(nn.DCNNConfig{InputLen: L, Classes: len(set.Classes), Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	s, err := loss.New(scheme, opt)
	if err != nil {
		t.Fatal(err)
	}
	res, err := train.Run(context.Background(), m, stepper{nn.NewAdam(nn.AdamConfig{LR: cfg.LR}), m}, s, set, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return res, m
}

func TestRunIsDeterministicAndKeepsTheBestWeights(t *testing.T) {
	set := toySet(1, []int{64, 8, 8, 8})
	opt := loss.DefaultOptions()
	opt.Base = loss.CrossEntropy
	cfg := train.Config{Iterations: 6, BatchSize: 16, LR: 3e-3, Schedule: "cosine", Seed: 3,
		Augment: train.Augment{Shift: 20, Scale: 0.1, Noise: 0.05}, LogAngles: true}
	a, ma := run(t, "ghl", opt, set, cfg)
	b, mb := run(t, "ghl", opt, set, cfg)
	for i := range a.Log {
		a.Log[i].Seconds, b.Log[i].Seconds = 0, 0
	}
	if !reflect.DeepEqual(a.Log, b.Log) || !reflect.DeepEqual(ma.Snapshot(), mb.Snapshot()) {
		t.Fatal("the same seed gave different training runs")
	}
	if len(a.Log[0].Angles) != 4 {
		t.Fatalf("angles logged for %d classes, want 4", len(a.Log[0].Angles))
	}
	// The model holds the weights of the best validation evaluation.
	if got := macroF1On(t, ma, &set.Val); got != a.BestValF1 {
		t.Fatalf("restored weights give validation macro-F1 %v, the run reported %v", got, a.BestValF1)
	}
	if a.BestValF1 < 0.9 {
		t.Fatalf("validation macro-F1 %v on an easy toy set, want ≥ 0.9", a.BestValF1)
	}
}

func TestFullBatchEliminationAndMinSteps(t *testing.T) {
	set := toySetDup(2, []int{200, 8, 8}, true)
	opt := loss.DefaultOptions() // MSE, γ = F1, ε = 0.01: the paper's rule
	opt.Alpha = 4
	res, _ := run(t, "ghl-paper", opt, set, train.Config{Iterations: 8, LR: 1e-3})
	elim := 0
	for _, l := range res.Log {
		elim += l.Eliminated
		if len(l.Thresholds) != 3 || l.Thresholds[0] <= 0 || l.Thresholds[1] >= 0 {
			t.Fatalf("thresholds %v: want the majority's positive and the minorities' negative", l.Thresholds)
		}
	}
	if elim == 0 {
		t.Fatal("full-batch literal GHL eliminated no sample of the near-identical majority")
	}
	// 216 windows in batches of 16 are 14 steps per epoch; 60 steps need 5 epochs.
	res, _ = run(t, "plain", opt, set, train.Config{Iterations: 1, BatchSize: 16, MinSteps: 60, LR: 1e-3})
	if res.Iterations != 5 {
		t.Fatalf("%d epochs, want 5 to reach 60 steps", res.Iterations)
	}
	// Every epoch trains on each of the 216 windows once.
	m, _ := nn.NewDCNN(nn.DCNNConfig{InputLen: L, Classes: 3, Seed: 7})
	_, perSample := m.FLOPs()
	if res.TrainSamples != 5*216 || res.TrainFLOPs != float64(5*216)*perSample {
		t.Fatalf("TrainSamples %d, TrainFLOPs %g; want %d and %g", res.TrainSamples, res.TrainFLOPs, 5*216, float64(5*216)*perSample)
	}
}

func TestDivergenceIsReported(t *testing.T) {
	set := toySet(3, []int{32, 8})
	opt := loss.DefaultOptions()
	opt.Base = loss.CrossEntropy
	m, _ := nn.NewDCNN(nn.DCNNConfig{InputLen: L, Classes: 2, Seed: 1})
	s, _ := loss.New("plain", opt)
	_, err := train.Run(context.Background(), m, stepper{nn.NewAdam(nn.AdamConfig{LR: 1e9}), m}, s, set,
		train.Config{Iterations: 20, BatchSize: 8, LR: 1e9})
	if !errors.Is(err, train.ErrDiverged) {
		t.Fatalf("err = %v, want ErrDiverged", err)
	}
}

func TestConfigErrors(t *testing.T) {
	set := toySet(4, []int{8, 8})
	cases := []train.Config{
		{Iterations: 0, LR: 1},
		{Iterations: 1, LR: 0},
		{Iterations: 1, LR: 1, BatchSize: -1},
		{Iterations: 1, LR: 1, Schedule: "linear"},
		{Iterations: 1, LR: 1, Select: train.SelectShift},
		{Iterations: 1, LR: 1, Select: "test", ValShift: train.DefaultValShift},
		{Iterations: 1, LR: 1, ValShift: train.ValShift{Stretch: 0.6}},
	}
	m, _ := nn.NewDCNN(nn.DCNNConfig{InputLen: L, Classes: 2, Seed: 1})
	s, _ := loss.New("plain", loss.DefaultOptions())
	for _, c := range cases {
		if _, err := train.Run(context.Background(), m, nil, s, set, c); err == nil {
			t.Errorf("config %+v accepted", c)
		}
	}
}

func TestGHLIsLoggedForEveryGammaSource(t *testing.T) {
	set := toySet(5, []int{96, 8, 8, 8})
	opt := loss.DefaultOptions()
	opt.Base, opt.Anneal, opt.Epsilon = loss.CrossEntropy, loss.AnnealOneMinusF1, 0
	cfg := train.Config{Iterations: 4, BatchSize: 16, LR: 3e-3, Seed: 1}
	for _, from := range train.GammaSources() {
		cfg.GammaFrom = from
		res, _ := run(t, "ghl", opt, set, cfg)
		if res.GHLActiveFraction < 0 || res.GHLActiveFraction > 1 {
			t.Fatalf("%s: active fraction %v", from, res.GHLActiveFraction)
		}
		for _, l := range res.Log {
			if l.GHL == nil || l.GHL.MajorityGD < 1 || l.GHL.Gamma < 0 || l.GHL.Gamma > 1 {
				t.Fatalf("%s: epoch %d GHL log %+v", from, l.Epoch, l.GHL)
			}
		}
	}
	res, _ := run(t, "plain", opt, set, cfg)
	if res.GHLActiveFraction != -1 || res.Log[0].GHL != nil {
		t.Fatalf("plain scheme logged GHL: %v %+v", res.GHLActiveFraction, res.Log[0].GHL)
	}
	cfg.GammaFrom = "nope"
	m, _ := nn.NewDCNN(nn.DCNNConfig{InputLen: L, Classes: 4, Seed: 1})
	s, _ := loss.New("plain", opt)
	if _, err := train.Run(context.Background(), m, nil, s, set, cfg); err == nil {
		t.Fatal("unknown γ source accepted")
	}
}
