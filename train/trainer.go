package train

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/ghl-dev/ghl/dataset"
	"github.com/ghl-dev/ghl/loss"
)

// Model is what the trainer needs of a network. *nn.Model implements it.
type Model interface {
	// Forward computes the logits of n windows and caches what Backward needs.
	Forward(x []float32, n int) ([]float32, error)
	// Backward accumulates parameter gradients from per-sample logit
	// gradients, back-propagating only the samples in keep (nil: all).
	Backward(dlogits []float32, keep []int) error
	// ZeroGrad clears the accumulated gradients.
	ZeroGrad()
	// Infer computes logits without caching, for evaluation.
	Infer(x []float32, n int, out []float32) ([]float32, error)
	// Snapshot and Restore copy the weights out and back (early stopping).
	Snapshot() []float32
	Restore(w []float32) error
}

// Optimizer updates the model's parameters from their gradients.
type Optimizer interface {
	Step() error
	SetLR(lr float64)
}

// Augment describes the random perturbations applied to training windows
// each time they are used. The zero value applies none. The same
// augmentation is applied to every method, so comparisons stay fair.
type Augment struct {
	// Shift rolls each window circularly by up to ±Shift points.
	Shift int
	// Scale multiplies each window by a factor drawn from [1−Scale, 1+Scale].
	Scale float64
	// Noise adds Gaussian noise with this standard deviation (the windows
	// are normalised, so it is relative to the signal's scale).
	Noise float64
	// Stretch time-stretches each window by a factor drawn from
	// [1−Stretch, 1+Stretch] (a speed perturbation: every frequency f
	// moves to f/factor), before the other perturbations.
	Stretch float64
	// Tilt filters each window with a random smooth gain: a tilt of up to
	// ±Tilt dB across the band plus a ripple of up to Tilt/4 dB.
	Tilt float64
}

// Enabled reports whether any perturbation is set.
func (a Augment) Enabled() bool {
	return a.Shift > 0 || a.Scale > 0 || a.Noise > 0 || a.Stretch > 0 || a.Tilt > 0
}

// Config sets up one training run.
type Config struct {
	// Iterations is the number of full-batch steps, or of epochs when
	// BatchSize > 0.
	Iterations int
	// MinSteps raises the number of epochs of mini-batch training so that
	// at least MinSteps mini-batch steps run: a small set (the balanced
	// set of Fig. 3 has 192 windows) then trains as long as a large one.
	MinSteps int
	// BatchSize is the mini-batch size; 0 trains full batch (every
	// iteration forwards the whole training set, SPEC 5).
	BatchSize int
	// LR is the base learning rate; Schedule shapes it: "const" or "cosine"
	// (cosine decay to LR/20 over the run).
	LR       float64
	Schedule string
	// EvalEvery evaluates the validation block every EvalEvery iterations
	// (full batch) or epochs (mini-batch); 0 means 5 (full batch) or 1.
	EvalEvery int
	// Patience stops training after this many validation evaluations
	// without a better macro-F1; 0 never stops early. The weights with the
	// best validation macro-F1 are kept either way.
	Patience int
	// Seed drives shuffling and augmentation.
	Seed uint64
	// Augment is applied to training windows.
	Augment Augment
	// Input, if set, maps every window (training windows after
	// augmentation, validation windows once) to the model's input, e.g. a
	// spectrum; nil feeds the windows themselves.
	Input Input
	// Sampler draws the mini-batches: SamplerNone, SamplerROS or
	// SamplerSMOTE; SmoteK is SMOTE's neighbour count (DefaultSmoteK if 0).
	Sampler string
	SmoteK  int
	// LogAngles computes Eq. 18's mean within-class gradient angle every
	// iteration (every epoch for mini-batch training) for Fig. 3.
	LogAngles bool
	// Base is the scheme's base loss; Fig. 3's angles in mini-batch training
	// are computed from its δ on the whole training set.
	Base loss.Base
	// Healthy is the label of the healthy class, for the metrics.
	Healthy int
	// Progress, if set, is called after every logged iteration.
	Progress func(IterLog)
	// GammaFrom is the F1 that GHL's annealing follows (GammaBatch when
	// empty; see GammaSources).
	GammaFrom string
	// ValShift, when enabled, scores the kept weights also on the
	// validation windows under a fixed synthetic condition shift
	// (Result.ValShift; see ValShift).
	ValShift ValShift
	// Select is what early stopping keeps the weights of: SelectVal (or
	// empty), the best validation macro-F1, or SelectShift, the best
	// macro-F1 on the shifted validation windows (ValShift must be set;
	// both blocks are then scored at every evaluation).
	Select string
}

// The checkpoint selection criteria of Config.Select.
const (
	SelectVal   = "val"
	SelectShift = "shift"
)

// Result is the outcome of a training run.
type Result struct {
	Log      []IterLog
	BestIter int
	// BestValF1 is the validation macro-F1 of the kept weights.
	BestValF1  float64
	Iterations int
	Val        Metrics
	// ValShift holds the kept weights' metrics on the shifted validation
	// windows (nil without Config.ValShift).
	ValShift *Metrics
	// GHLActiveFraction is the share of training steps in which a GHL
	// scheme acted on the majority class (see GHLLog.Active); −1 for
	// schemes without thresholds.
	GHLActiveFraction float64
	// TrainSamples counts the windows that went through a training step
	// (forward, loss and backward), over all iterations.
	TrainSamples int
	// TrainFLOPs is TrainSamples times the model's training FLOPs per
	// sample, when the model reports them (a FLOPs() (forward, train
	// float64) method, as nn.Model has); else 0. Validation, angle logging
	// and prediction are not counted.
	TrainFLOPs float64
}

// flopser is the optional method of a Model that reports its FLOPs per
// sample (nn.Model.FLOPs).
type flopser interface {
	FLOPs() (forward, train float64)
}

// ErrDiverged is returned when the loss becomes NaN or Inf or a logit
// leaves ±MaxLogit: the run stops with no result rather than report one.
var ErrDiverged = errors.New("training diverged")

// Run trains model on set with scheme. Training windows come from set.Train;
// early stopping uses set.Val by macro-F1 (the test windows are never seen).
// On return the model holds the weights of the best validation evaluation.
func Run(ctx context.Context, model Model, opt Optimizer, scheme loss.Scheme, set *Set, cfg Config) (*Result, error) {
	if err := cfg.check(set); err != nil {
		return nil, err
	}
	cfg.Iterations = cfg.Planned(set.Train.Len())
	t := &trainer{model: model, opt: opt, scheme: scheme, set: set, cfg: cfg,
		rng: rand.New(rand.NewPCG(cfg.Seed, 0x9e3779b97f4a7c15)), start: time.Now(),
		best: -1}
	t.lctx = loss.Context{ClassCounts: set.Counts(), Epochs: cfg.Iterations}
	t.gamma = gammaSource{from: cfg.GammaFrom, value: -1, stepsPerEpoch: 1, plannedSteps: cfg.Iterations}
	if cfg.BatchSize > 0 {
		t.gamma.stepsPerEpoch = (set.Train.Len() + cfg.BatchSize - 1) / cfg.BatchSize
		t.gamma.plannedSteps = cfg.Iterations * t.gamma.stepsPerEpoch
	}
	t.ghl = newGHLStats(t.lctx.ClassCounts)
	smp, err := newSampler(cfg, &set.Train, len(set.Classes))
	if err != nil {
		return nil, err
	}
	t.smp = smp
	t.val = inputSamples(cfg.Input, &set.Val)
	if cfg.ValShift.Enabled() {
		sh, err := ShiftWindows(&set.Val, cfg.ValShift)
		if err != nil {
			return nil, err
		}
		t.valShift = inputSamples(cfg.Input, sh)
	}
	byShift := cfg.Select == SelectShift
	evalEvery := cfg.EvalEvery
	if evalEvery <= 0 {
		evalEvery = 1
		if cfg.BatchSize == 0 {
			evalEvery = 5
		}
	}
	since := 0
	for it := 1; it <= cfg.Iterations; it++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if opt != nil {
			opt.SetLR(cfg.lrAt(it))
		}
		var rec IterLog
		var err error
		if cfg.BatchSize == 0 {
			rec, err = t.fullBatchStep(it)
		} else {
			rec, err = t.epoch(it)
		}
		if err != nil {
			return nil, fmt.Errorf("iteration %d: %w", it, err)
		}
		rec.ValMacroF1 = -1
		if it%evalEvery == 0 || it == cfg.Iterations {
			m, err := t.evaluate(t.val)
			if err != nil {
				return nil, fmt.Errorf("iteration %d: validation: %w", it, err)
			}
			rec.ValMacroF1 = m.MacroF1
			t.gamma.afterVal(m.MacroF1)
			score := m.MacroF1
			var ms Metrics
			if byShift {
				if ms, err = t.evaluate(t.valShift); err != nil {
					return nil, fmt.Errorf("iteration %d: shifted validation: %w", it, err)
				}
				score = ms.MacroF1
				rec.ValShiftMacroF1 = &ms.MacroF1
			}
			if score > t.best {
				t.best, t.bestIter, t.bestW, t.bestVal = score, it, model.Snapshot(), m
				t.bestShift = ms
				since = 0
			} else {
				since++
			}
		}
		rec.Seconds = time.Since(t.start).Seconds()
		t.log = append(t.log, rec)
		if cfg.Progress != nil {
			cfg.Progress(rec)
		}
		if cfg.Patience > 0 && since >= cfg.Patience {
			break
		}
	}
	if t.bestW != nil {
		if err := model.Restore(t.bestW); err != nil {
			return nil, fmt.Errorf("restore best weights: %w", err)
		}
	}
	bestVal := t.best
	if byShift && t.bestW != nil {
		bestVal = t.bestVal.MacroF1
	}
	res := &Result{Log: t.log, BestIter: t.bestIter, BestValF1: bestVal, Iterations: len(t.log), Val: t.bestVal,
		GHLActiveFraction: t.ghl.activeFraction(), TrainSamples: t.samples}
	if t.valShift != nil {
		ms := t.bestShift
		if !byShift {
			var err error
			if ms, err = t.evaluate(t.valShift); err != nil {
				return nil, fmt.Errorf("shifted validation: %w", err)
			}
		}
		res.ValShift = &ms
	}
	if f, ok := model.(flopser); ok {
		_, perSample := f.FLOPs()
		res.TrainFLOPs = float64(t.samples) * perSample
	}
	return res, nil
}

// Set is the part of a sample set the trainer uses.
type Set struct {
	Classes    []string
	Train, Val dataset.Samples
}

// Counts returns the training windows per class.
func (s *Set) Counts() []int {
	c := make([]int, len(s.Classes))
	for _, y := range s.Train.Y {
		if y >= 0 && y < len(c) {
			c[y]++
		}
	}
	return c
}

// Planned returns how many iterations a run on n training windows makes at
// most: Iterations, raised for mini-batch training until MinSteps steps fit.
func (cfg Config) Planned(n int) int {
	if cfg.BatchSize <= 0 || cfg.MinSteps <= 0 || n <= 0 {
		return cfg.Iterations
	}
	perEpoch := (n + cfg.BatchSize - 1) / cfg.BatchSize
	return max(cfg.Iterations, (cfg.MinSteps+perEpoch-1)/perEpoch)
}

func (cfg *Config) check(set *Set) error {
	switch {
	case set == nil || set.Train.Len() == 0:
		return errors.New("train: empty training set")
	case set.Val.Len() == 0:
		return errors.New("train: empty validation block")
	case cfg.Iterations <= 0:
		return fmt.Errorf("train: iterations must be positive, got %d", cfg.Iterations)
	case cfg.BatchSize < 0:
		return fmt.Errorf("train: batch size must be ≥ 0, got %d", cfg.BatchSize)
	case !(cfg.LR > 0):
		return fmt.Errorf("train: learning rate must be positive, got %v", cfg.LR)
	}
	if err := checkGammaFrom(cfg.GammaFrom); err != nil {
		return err
	}
	switch cfg.Select {
	case "", SelectVal:
	case SelectShift:
		if !cfg.ValShift.Enabled() {
			return errors.New("train: selection on the shifted validation needs a validation shift (Config.ValShift)")
		}
	default:
		return fmt.Errorf("train: unknown selection %q (%s, %s)", cfg.Select, SelectVal, SelectShift)
	}
	switch cfg.Schedule {
	case "", "const", "cosine":
	default:
		return fmt.Errorf("train: unknown schedule %q (const, cosine)", cfg.Schedule)
	}
	return nil
}

func (cfg *Config) lrAt(it int) float64 {
	if cfg.Schedule != "cosine" || cfg.Iterations <= 1 {
		return cfg.LR
	}
	lo := cfg.LR / 20
	p := float64(it-1) / float64(cfg.Iterations-1)
	return lo + (cfg.LR-lo)*0.5*(1+math.Cos(math.Pi*p))
}

type trainer struct {
	model  Model
	opt    Optimizer
	scheme loss.Scheme
	plain  loss.Scheme // for the δ of Fig. 3 in mini-batch training
	smp    *sampler    // nil: shuffled epochs
	set    *Set
	cfg    Config
	rng    *rand.Rand
	lctx   loss.Context
	gamma  gammaSource
	ghl    *ghlStats
	start  time.Time
	log    []IterLog

	best     float64
	bestIter int
	bestW    []float32
	bestVal  Metrics

	xbuf    []float32 // augmented or gathered windows
	rollBuf []float32 // one window, for the circular shift
	// For the condition-shift augmentations and Config.Input (shift.go).
	stretchBuf []float32
	filt       filterState
	inBuf      []float32
	val        *dataset.Samples // the validation windows as model input
	valShift   *dataset.Samples // their shifted copies (nil: none)
	bestShift  Metrics          // the kept weights' shifted-validation metrics (SelectShift)
	ybuf       []int
	pred       []int
	logits     []float32
	samples    int // windows through a training step so far
}

// fullBatchStep forwards the whole training set, weighs it, and
// back-propagates the samples the scheme keeps.
func (t *trainer) fullBatchStep(it int) (IterLog, error) {
	tr := &t.set.Train
	x, L := t.input(t.windows(tr.X, tr.L), tr.L)
	t.lctx.Iteration, t.lctx.Epoch, t.lctx.Full = it, it, true
	out, acc, f1, err := t.step(x, tr.Y, L)
	if err != nil {
		return IterLog{}, err
	}
	t.gamma.afterEpoch(f1)
	rec := IterLog{Iter: it, Epoch: it, Loss: out.Loss, TrainAccuracy: acc, TrainMacroF1: f1,
		Thresholds: out.Thresholds, Eliminated: out.Eliminated, GHL: t.ghl.flush()}
	if t.cfg.LogAngles {
		rec.Angles = loss.MeanAngles(out.Delta, tr.Y, len(t.set.Classes))
	}
	return rec, nil
}

// epoch runs one shuffled pass of mini-batches over the training set.
func (t *trainer) epoch(it int) (IterLog, error) {
	tr := &t.set.Train
	n, L := tr.Len(), tr.L
	order := t.order(n)
	var lossSum float64
	elim := 0
	preds := make([]int, 0, n)
	labels := make([]int, 0, n)
	t.lctx.Epoch, t.lctx.Full = it, false
	for b := 0; b < n; b += t.cfg.BatchSize {
		e := min(b+t.cfg.BatchSize, n)
		m := e - b
		t.xbuf = grow(t.xbuf, m*L)
		t.ybuf = t.ybuf[:0]
		for i, idx := range order[b:e] {
			t.smp.fill(t.xbuf[i*L:(i+1)*L], tr, b+i, idx)
			t.ybuf = append(t.ybuf, tr.Y[idx])
		}
		t.augment(t.xbuf[:m*L], L)
		t.lctx.Iteration++
		x, inL := t.input(t.xbuf[:m*L], L)
		out, _, _, err := t.step(x, t.ybuf, inL)
		if err != nil {
			return IterLog{}, err
		}
		lossSum += out.Loss * float64(m)
		elim += out.Eliminated
		preds = append(preds, t.pred...)
		labels = append(labels, t.ybuf...)
	}
	c := len(t.set.Classes)
	m := Evaluate(preds, labels, t.set.Classes, -1)
	t.gamma.afterEpoch(m.MacroF1)
	rec := IterLog{Iter: it, Epoch: it, Loss: lossSum / float64(n), TrainAccuracy: m.Accuracy,
		TrainMacroF1: m.MacroF1, Eliminated: elim, GHL: t.ghl.flush()}
	if t.cfg.LogAngles {
		angles, err := t.fullSetAngles(c)
		if err != nil {
			return IterLog{}, err
		}
		rec.Angles = angles
	}
	return rec, nil
}

// step runs forward, the scheme, backward and the optimiser on one batch.
// It returns the scheme's output and the batch's training accuracy and
// macro-F1 (from the predictions before the update).
func (t *trainer) step(x []float32, y []int, L int) (*loss.Output, float64, float64, error) {
	n := len(y)
	t.samples += n
	c := len(t.set.Classes)
	logits, err := t.model.Forward(x, n)
	if err != nil {
		return nil, 0, 0, err
	}
	if err := checkLogits(logits[:n*c]); err != nil {
		return nil, 0, 0, err
	}
	t.pred = argmaxRows(t.pred, logits, n, c)
	m := Evaluate(t.pred, y, t.set.Classes, -1)
	t.lctx.PrevF1 = t.gamma.before(m.MacroF1)
	out, err := t.scheme.Apply(loss.Batch{Logits: logits, Labels: y, N: n, C: c}, &t.lctx)
	if err != nil {
		return nil, 0, 0, err
	}
	t.ghl.observe(out, y)
	if math.IsNaN(out.Loss) || math.IsInf(out.Loss, 0) {
		return nil, 0, 0, fmt.Errorf("%w: loss is %v (lower the learning rate)", ErrDiverged, out.Loss)
	}
	t.model.ZeroGrad()
	if err := t.model.Backward(out.DLogits, out.Keep); err != nil {
		return nil, 0, 0, err
	}
	if t.opt != nil {
		if err := t.opt.Step(); err != nil {
			return nil, 0, 0, err
		}
	}
	t.gamma.afterBatch(m.MacroF1)
	return out, m.Accuracy, m.MacroF1, nil
}

// fullSetAngles forwards the whole training set (no update) and returns the
// mean within-class gradient angle of the scheme's δ.
func (t *trainer) fullSetAngles(c int) ([]float64, error) {
	tr := &t.set.Train
	n := tr.Len()
	x, _ := t.input(tr.X, tr.L)
	var err error
	t.logits, err = t.model.Infer(x, n, t.logits)
	if err != nil {
		return nil, err
	}
	if t.plain == nil {
		if t.plain, err = loss.New("plain", loss.Options{Base: t.cfg.Base}); err != nil {
			return nil, err
		}
	}
	out, err := t.plain.Apply(loss.Batch{Logits: t.logits, Labels: tr.Y, N: n, C: c}, &loss.Context{ClassCounts: t.lctx.ClassCounts})
	if err != nil {
		return nil, err
	}
	return loss.MeanAngles(out.Delta, tr.Y, c), nil
}

// evaluate returns the metrics of the model on s.
func (t *trainer) evaluate(s *dataset.Samples) (Metrics, error) {
	pred, err := Predict(t.model, s, &t.logits, len(t.set.Classes))
	if err != nil {
		return Metrics{}, err
	}
	return Evaluate(pred, s.Y, t.set.Classes, t.cfg.Healthy), nil
}

// Predict returns the predicted labels of s's windows. buf is reused for the
// logits when large enough.
func Predict(m Model, s *dataset.Samples, buf *[]float32, c int) ([]int, error) {
	n := s.Len()
	logits, err := m.Infer(s.X, n, *buf)
	if err != nil {
		return nil, err
	}
	*buf = logits
	if err := checkLogits(logits[:n*c]); err != nil {
		return nil, err
	}
	return argmaxRows(nil, logits, n, c), nil
}

// MaxLogit bounds the logits of a healthy model. A trained DCNN's logits
// stay within a few tens; beyond this the softmax is saturated to the last
// bit, the loss is meaningless and training has diverged, even when no NaN
// has appeared yet.
const MaxLogit = 1e6

// checkLogits returns ErrDiverged when a logit is NaN, infinite or beyond
// ±MaxLogit.
func checkLogits(logits []float32) error {
	for i, v := range logits {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) || v > MaxLogit || v < -MaxLogit {
			return fmt.Errorf("%w: logit %d is %v (lower the learning rate)", ErrDiverged, i, v)
		}
	}
	return nil
}

// windows returns the training windows, augmented into a scratch buffer
// when augmentation is on (the sample set itself is never modified).
func (t *trainer) windows(x []float32, L int) []float32 {
	if !t.cfg.Augment.Enabled() {
		return x
	}
	t.xbuf = grow(t.xbuf, len(x))
	copy(t.xbuf, x)
	t.augment(t.xbuf, L)
	return t.xbuf
}

// augment perturbs each window of x in place.
func (t *trainer) augment(x []float32, L int) {
	a := t.cfg.Augment
	if !a.Enabled() {
		return
	}
	t.rollBuf = grow(t.rollBuf, L)
	tmp := t.rollBuf
	for off := 0; off+L <= len(x); off += L {
		w := x[off : off+L]
		if a.Stretch > 0 || a.Tilt > 0 {
			t.conditionShift(w)
		}
		if a.Shift > 0 {
			s := t.rng.IntN(2*a.Shift+1) - a.Shift
			if s != 0 {
				s = ((s % L) + L) % L
				copy(tmp, w[L-s:])
				copy(tmp[s:], w[:L-s])
				copy(w, tmp)
			}
		}
		if a.Scale > 0 {
			f := float32(1 + a.Scale*(2*t.rng.Float64()-1))
			for i := range w {
				w[i] *= f
			}
		}
		if a.Noise > 0 {
			for i := range w {
				w[i] += float32(a.Noise * t.rng.NormFloat64())
			}
		}
	}
}

func argmaxRows(dst []int, logits []float32, n, c int) []int {
	dst = dst[:0]
	for i := 0; i < n; i++ {
		row := logits[i*c : (i+1)*c]
		best := 0
		for j := 1; j < c; j++ {
			if row[j] > row[best] {
				best = j
			}
		}
		dst = append(dst, best)
	}
	return dst
}

func grow(b []float32, n int) []float32 {
	if cap(b) < n {
		return make([]float32, n)
	}
	return b[:n]
}
