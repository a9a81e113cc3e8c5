package loss

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/ghl-dev/ghl"
)

// Batch is one forward pass's output: the logits of N samples (row-major
// N×C) and their labels in [0, C).
type Batch struct {
	Logits []float32
	Labels []int
	N, C   int
}

// Context is what a scheme may use besides the batch.
type Context struct {
	// ClassCounts are the training samples per class (whole training set).
	ClassCounts []int
	// Iteration and Epoch count from 0; the sampled density mode reseeds
	// itself from Iteration.
	Iteration, Epoch int
	// PrevF1 is the F1 the annealing factor γ follows (SPEC 3): the
	// trainer chooses which (train.Config.GammaFrom: the previous batch's
	// or epoch's training macro-F1, their moving average, the last
	// validation macro-F1, or the share of training done); on the first
	// iteration, the F1 of the untrained model's first forward pass.
	PrevF1 float64
	// Full is true when the batch is the whole training set (full-batch
	// training): only then do GHL schemes eliminate samples (Sec. II-D).
	Full bool
	// Epochs is the planned number of epochs (iterations in full batch),
	// for schemes that change with training progress (ldam-drw); 0 when
	// unknown.
	Epochs int
}

// Output is a scheme's result for one batch. Its slices belong to the
// scheme and are overwritten by its next Apply.
type Output struct {
	// Loss is the weighted loss Σ w_i L_i / Σ w_i over the kept samples
	// (see the package doc for why the weighted mean).
	Loss float64
	// PerSample holds L_i, the unweighted base loss.
	PerSample []float32
	// Weights holds the w_i used (0 for eliminated samples).
	Weights []float32
	// DLogits is the N×C gradient of Loss w.r.t. the logits, weights and
	// normalisation applied, weights held constant; rows of eliminated
	// samples are zero.
	DLogits []float32
	// Keep lists the samples to back-propagate (w_i > 0); nil means all.
	Keep []int
	// Delta is the N×C per-sample gradient δ_i the density uses (w.r.t. the
	// softmax output for MSE/RMSE, w.r.t. the logits for cross-entropy).
	Delta []float32
	// Thresholds holds T_c per class in radians (GHL schemes), else nil.
	Thresholds []float64
	// Density holds GD_i per sample (GHL schemes), else nil.
	Density []float32
	// Gamma is the annealing factor γ used (GHL schemes).
	Gamma float64
	// Eliminated counts the samples dropped by the ε rule.
	Eliminated int
	// ExactFallbacks counts the classes of this batch that the sampled
	// density counted exactly (at most SampleM+1 samples); 0 in other modes.
	ExactFallbacks int
}

// Scheme turns a batch into a weighted loss and its gradient. A Scheme may
// keep scratch buffers and state between calls: it is not safe for
// concurrent use.
type Scheme interface {
	// Name returns the name New accepts.
	Name() string
	// Apply computes the loss of one batch. Errors from bad batches wrap
	// ghl.ErrBadInput.
	Apply(b Batch, ctx *Context) (*Output, error)
}

// Scheme names, for New.
const (
	// Plain weighs every sample 1 (DCNN).
	Plain = "plain"
	// ClassCost weighs class c by N/(C'·N_c) (DCNNC, Jia et al. 2018).
	ClassCost = "class-cost"
	// GHL is our default GHL variant, DefaultGHL (DCNNG).
	GHL = "ghl"
	// GHLPaper is the paper's rule taken literally: w_i = 1/GD_i.
	GHLPaper = "ghl-paper"
	// GHLBalanced (ours) harmonizes by 1/GD_i within each class, then
	// rescales each class to its class-cost total.
	GHLBalanced = "ghl-balanced"
	// GHLFloor (ours) is GHLPaper with each class's total weight floored at
	// Options.Floor times its class-cost total.
	GHLFloor = "ghl-floor"
)

// DefaultGHL is the variant the name "ghl" stands for.
const DefaultGHL = GHLBalanced

// Where the elimination threshold ε applies, for Options.EpsilonOn.
const (
	// EpsilonRaw compares ε with the raw harmonizing weight 1/GD_i, before
	// any class rescaling (the paper's rule).
	EpsilonRaw = "raw"
	// EpsilonRelative compares ε with 1/GD_i divided by the largest 1/GD_j
	// of the sample's class: only samples far denser than their class's
	// sparsest one are dropped, so a class of near-identical gradients is
	// kept whole.
	EpsilonRelative = "relative"
)

// Options configure a scheme. Start from DefaultOptions: New uses α and ε
// as given (α = 0 and ε = 0 are meaningful); empty strings and zero
// SampleM and Floor take their defaults.
type Options struct {
	// Base is the base loss.
	Base Base
	// Alpha is α of Eq. 13, the threshold scale (radians at γ = 1 are at
	// most α/2).
	Alpha float64
	// Anneal is how γ follows training: AnnealF1 (default), AnnealOneMinusF1
	// or AnnealNone.
	Anneal string
	// Threshold is the rule for T_c: ThresholdEq13 (default, the paper's)
	// or ThresholdSpread.
	Threshold string
	// Density is the density mode (DensityExact by default).
	Density string
	// SampleM is the sampled mode's reference count (DefaultSampleM when 0).
	SampleM int
	// Epsilon is the elimination threshold ε; 0 eliminates nothing.
	Epsilon float64
	// EpsilonOn says what ε is compared with: EpsilonRaw (default) or
	// EpsilonRelative.
	EpsilonOn string
	// Floor is ghl-floor's minimum class total weight, as a fraction of the
	// class's class-cost total (N/C in full batch). 0 means DefaultFloor: a
	// zero floor would make ghl-floor ghl-paper.
	Floor float64
	// Seed seeds the sampled density mode.
	Seed uint64
	// Threads is the density's goroutine count (GOMAXPROCS when 0).
	Threads int
	// Zoo configures the published losses of ZooNames.
	Zoo ZooOptions
}

// DefaultFloor is ghl-floor's default Options.Floor.
const DefaultFloor = 0.2

// DefaultOptions returns the defaults: MSE (the paper's base loss), α = 1,
// γ = F1, exact density, ε = 0.01 on the raw weight, floor 0.2.
func DefaultOptions() Options {
	return Options{Base: MSE, Alpha: 1, Anneal: AnnealF1, Density: DensityExact,
		SampleM: DefaultSampleM, Epsilon: 0.01, EpsilonOn: EpsilonRaw, Floor: DefaultFloor}
}

// Names lists the scheme names New accepts.
func Names() []string {
	return []string{Plain, ClassCost, GHL, GHLPaper, GHLBalanced, GHLFloor}
}

// New returns the scheme called name (see Names and ZooNames). An unknown name or a bad
// option wraps ghl.ErrUsage.
func New(name string, opt Options) (Scheme, error) {
	if opt.Base < MSE || opt.Base > CrossEntropy {
		return nil, fmt.Errorf("loss: unknown base loss %d: %w", int(opt.Base), ghl.ErrUsage)
	}
	if isZoo(name) {
		return newZoo(name, opt)
	}
	s := &scheme{name: name, opt: opt}
	switch name {
	case Plain, ClassCost:
		return s, nil
	case GHL:
		s.variant = DefaultGHL
	case GHLPaper, GHLBalanced, GHLFloor:
		s.variant = name
	default:
		return nil, fmt.Errorf("loss: unknown scheme %q (valid: %s): %w", name, strings.Join(append(Names(), ZooNames()...), ", "), ghl.ErrUsage)
	}
	if s.opt.Anneal == "" {
		s.opt.Anneal = AnnealF1
	}
	if _, err := Gamma(s.opt.Anneal, 0); err != nil {
		return nil, err
	}
	switch s.opt.Threshold {
	case "":
		s.opt.Threshold = ThresholdEq13
	case ThresholdEq13, ThresholdSpread:
	default:
		return nil, fmt.Errorf("loss: unknown threshold rule %q (want eq13 or spread): %w", s.opt.Threshold, ghl.ErrUsage)
	}
	if s.opt.Floor == 0 {
		s.opt.Floor = DefaultFloor
	}
	if s.opt.EpsilonOn == "" {
		s.opt.EpsilonOn = EpsilonRaw
	}
	if s.opt.EpsilonOn != EpsilonRaw && s.opt.EpsilonOn != EpsilonRelative {
		return nil, fmt.Errorf("loss: unknown epsilon rule %q (want raw or relative): %w", s.opt.EpsilonOn, ghl.ErrUsage)
	}
	for _, f := range []struct {
		name string
		v    float64
	}{{"alpha", opt.Alpha}, {"epsilon", opt.Epsilon}, {"floor", opt.Floor}} {
		if !(f.v >= 0) || math.IsInf(f.v, 0) {
			return nil, fmt.Errorf("loss: %s = %v, want a finite value ≥ 0: %w", f.name, f.v, ghl.ErrUsage)
		}
	}
	est, err := NewEstimator(DensityOptions{Mode: opt.Density, SampleM: opt.SampleM, Seed: opt.Seed, Threads: opt.Threads})
	if err != nil {
		return nil, err
	}
	s.est = est
	return s, nil
}

// scheme implements every Scheme: plain and class-cost when variant is
// empty, a GHL variant otherwise.
type scheme struct {
	name    string
	variant string
	opt     Options
	est     *Estimator
	out     Output
	// scratch
	loss64 []float64
	gd     []float64
	dens   []float32
	thr    []float64
	buf    []float64
	classW []float64 // class-cost weight per class
	sums   []float64 // per-class sums
	best   []int     // per class: kept sample of largest raw weight
	keep   []int
}

// Name returns the name the scheme was made with.
func (s *scheme) Name() string { return s.name }

// Apply computes the scheme's loss of b; see Scheme.
func (s *scheme) Apply(b Batch, ctx *Context) (*Output, error) {
	o := &s.out
	ctx, err := begin(b, ctx, o, &s.loss64)
	if err != nil {
		return nil, err
	}
	C := b.C
	s.buf = grow(s.buf, 3*C)
	// Losses in float64 too: Loss must be accurate enough for
	// finite-difference checks.
	s.opt.Base.perSample(b, o.PerSample, s.loss64, o.Delta, o.DLogits, s.buf)

	if s.name != Plain {
		if err := s.classCost(b, ctx); err != nil {
			return nil, err
		}
	}
	switch {
	case s.name == Plain:
		for i := range o.Weights {
			o.Weights[i] = 1
		}
	case s.name == ClassCost:
		for i, y := range b.Labels {
			o.Weights[i] = float32(s.classW[y])
		}
	default:
		if err := s.harmonize(b, ctx); err != nil {
			return nil, err
		}
	}
	s.normalise(b)
	return o, nil
}

// classCost sets s.classW[c] = N/(C'·N_c), the class-cost weight (Jia et
// al. 2018): inversely proportional to the class's training count,
// normalised so that every class present in training carries the same
// total weight N/C' over the training set (C' classes with N_c > 0), and
// a balanced set gets weight 1 everywhere.
func (s *scheme) classCost(b Batch, ctx *Context) error {
	if len(ctx.ClassCounts) != b.C {
		return fmt.Errorf("loss: %s needs %d class counts, got %d: %w", s.name, b.C, len(ctx.ClassCounts), ghl.ErrBadInput)
	}
	total, present := 0, 0
	for c, n := range ctx.ClassCounts {
		if n < 0 {
			return fmt.Errorf("loss: class %d has count %d < 0: %w", c, n, ghl.ErrBadInput)
		}
		total += n
		if n > 0 {
			present++
		}
	}
	s.classW = grow(s.classW, b.C)
	for c, n := range ctx.ClassCounts {
		s.classW[c] = 0
		if n > 0 {
			s.classW[c] = float64(total) / (float64(present) * float64(n))
		}
	}
	for i, y := range b.Labels {
		if ctx.ClassCounts[y] == 0 {
			return fmt.Errorf("loss: sample %d has class %d, which has no training samples: %w", i, y, ghl.ErrBadInput)
		}
	}
	return nil
}

// harmonize sets the GHL weights: thresholds (Eq. 13), densities (Eq. 8),
// raw weights 1/GD (Eq. 11), elimination (Sec. II-D, full batch only), then
// the variant's class rescaling.
func (s *scheme) harmonize(b Batch, ctx *Context) error {
	N, C := b.N, b.C
	o := &s.out
	g, err := Gamma(s.opt.Anneal, ctx.PrevF1)
	if err != nil {
		return err
	}
	o.Gamma = g
	if s.opt.Threshold == ThresholdSpread {
		s.thr = spreadInto(grow(s.thr, C), ctx.ClassCounts, o.Delta, b.Labels, s.opt.Alpha, g)
	} else {
		s.thr = thresholdsInto(grow(s.thr, C), ctx.ClassCounts, s.opt.Alpha, g)
	}
	o.Thresholds = s.thr
	s.gd = grow(s.gd, N)
	s.est.SetSeed(mix(s.opt.Seed, uint64(ctx.Iteration)))
	before := s.est.ExactFallbacks()
	if err := s.est.GD(s.gd, o.Delta, b.Labels, C, o.Thresholds); err != nil {
		return err
	}
	o.ExactFallbacks = s.est.ExactFallbacks() - before
	o.Density = grow(s.dens, N)
	s.dens = o.Density
	for i, d := range s.gd {
		o.Density[i] = float32(d)
		o.Weights[i] = float32(1 / d)
	}
	// Per class: the largest raw weight (ties: lowest index).
	s.best = grow(s.best, C)
	for c := range s.best {
		s.best[c] = -1
	}
	for i, y := range b.Labels {
		if k := s.best[y]; k < 0 || o.Weights[i] > o.Weights[k] {
			s.best[y] = i
		}
	}
	if ctx.Full && s.opt.Epsilon > 0 {
		for i, y := range b.Labels {
			crit := float64(o.Weights[i])
			if s.opt.EpsilonOn == EpsilonRelative {
				crit /= float64(o.Weights[s.best[y]])
			}
			if crit < s.opt.Epsilon && i != s.best[y] {
				o.Weights[i] = 0
				o.Eliminated++
			}
		}
	}
	if s.variant == GHLPaper {
		return nil
	}
	// Rescale each class relative to its class-cost total in this batch,
	// target_c = n_c·N/(C'·N_c) (= N/C' in full batch).
	s.sums = grow(s.sums, 2*C)
	raw, target := s.sums[:C], s.sums[C:]
	clear(s.sums)
	for i, y := range b.Labels {
		raw[y] += float64(o.Weights[i])
		target[y] += s.classW[y]
	}
	for c := range raw {
		f := 1.0
		switch {
		case raw[c] == 0:
		case s.variant == GHLBalanced:
			f = target[c] / raw[c]
		case s.variant == GHLFloor && raw[c] < s.opt.Floor*target[c]:
			f = s.opt.Floor * target[c] / raw[c]
		}
		raw[c] = f
	}
	for i, y := range b.Labels {
		o.Weights[i] = float32(float64(o.Weights[i]) * raw[y])
	}
	return nil
}

// normalise divides by the total weight of the kept samples and scales the
// gradient rows; it fills Keep when samples were eliminated.
func (s *scheme) normalise(b Batch) {
	o := &s.out
	C := b.C
	sw, sl := 0.0, 0.0
	for i, w := range o.Weights {
		sw += float64(w)
		sl += float64(w) * s.loss64[i]
	}
	if sw > 0 {
		o.Loss = sl / sw
	} else {
		o.Loss = 0
	}
	for i, w := range o.Weights {
		f := 0.0
		if sw > 0 {
			f = float64(w) / sw
		}
		row := o.DLogits[i*C : (i+1)*C]
		for k := range row {
			row[k] = float32(float64(row[k]) * f)
		}
	}
	if o.Eliminated > 0 {
		s.keep = s.keep[:0]
		for i, w := range o.Weights {
			if w > 0 {
				s.keep = append(s.keep, i)
			}
		}
		o.Keep = slices.Clip(s.keep)
	}
}

// mix hashes a seed and an iteration into a new seed (SplitMix64 finaliser).
func mix(seed, it uint64) uint64 {
	z := seed + 0x9e3779b97f4a7c15*(it+1)
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}
