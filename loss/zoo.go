package loss

import (
	"fmt"

	"github.com/ghl-dev/ghl"
)

// The published imbalance losses, for New. Each is defined on the logits
// with cross-entropy (or focal) as its base, so Options.Base must be
// CrossEntropy. Every one returns the weighted mean Σ w_i L_i / Σ w_i
// (PyTorch's convention for weighted cross-entropy and the package's rule).
const (
	// Focal is the focal loss (Lin et al., ICCV 2017):
	// L = −α_y (1 − p_y)^γ log p_y, γ = Zoo.Gamma, α_y from Zoo.ClassWeights.
	Focal = "focal"
	// CB is the class-balanced loss (Cui et al., CVPR 2019): class weights
	// (1 − β)/(1 − β^{N_c}), normalised to sum to the class count, on
	// cross-entropy or, with Zoo.CBFocal, on focal loss.
	CB = "cb"
	// LDAMDRW is the label-distribution-aware margin loss with deferred
	// re-weighting (Cao et al., NeurIPS 2019): L = CE(s·(z − Δ_y e_y)),
	// Δ_c ∝ N_c^{−1/4} with the largest Δ equal to Zoo.MaxMargin; from the
	// epoch Zoo.DRW·Context.Epochs on, the class-balanced weights of β.
	LDAMDRW = "ldam-drw"
	// LA is the logit-adjusted loss (Menon et al., ICLR 2021):
	// L = CE(z + τ log π), π_c = N_c/N the training prior, τ = Zoo.Tau.
	LA = "la"
	// BSM is balanced softmax (Ren et al., NeurIPS 2020): L = CE(z + log N_c).
	// For single-label softmax it is LA with τ = 1 (log N_c and log π_c
	// differ by a constant the softmax cancels).
	BSM = "bsm"
	// GHM is GHM-C (Li et al., AAAI 2019): gradient-norm histogram density
	// of g_i = 1 − p_y over Zoo.Bins equal bins of [0, 1], each bin's count
	// a moving average with Zoo.Momentum, w_i = N / (n·count of i's bin),
	// n the non-empty bins; on cross-entropy.
	GHM = "ghm"
)

// ZooNames lists the published losses New accepts besides Names.
func ZooNames() []string { return []string{Focal, CB, LDAMDRW, LA, BSM, GHM} }

// Class weight rules for ZooOptions.ClassWeights (focal's α).
const (
	// WeightsNone gives every class α = 1.
	WeightsNone = "none"
	// WeightsCost gives class c α_c = N/(C'·N_c), the class-cost weights.
	WeightsCost = "cost"
)

// ZooOptions configure the published losses of ZooNames. Start from
// DefaultZooOptions (each paper's defaults); New uses Gamma, Beta,
// MaxMargin, DRW, Tau and Momentum as given (0 is meaningful), while zero
// Scale and Bins take their defaults.
type ZooOptions struct {
	// Gamma is focal's focusing parameter γ_f (focal, and cb with CBFocal).
	Gamma float64
	// ClassWeights is focal's α: WeightsNone (default) or WeightsCost.
	ClassWeights string
	// Beta is the class-balanced β in [0, 1) (cb, and ldam-drw's deferred
	// weights); β = 0 weighs every class 1, β → 1 approaches 1/N_c.
	Beta float64
	// CBFocal puts the class-balanced weights on focal loss (cb:base=focal).
	CBFocal bool
	// MaxMargin is LDAM's largest margin (the rarest class's), in units of
	// the logits before Scale.
	MaxMargin float64
	// Scale is LDAM's s, multiplying the margin-adjusted logits.
	Scale float64
	// DRW is the fraction of the planned epochs after which LDAM re-weights
	// (epoch > DRW·Context.Epochs); 1 never re-weights.
	DRW float64
	// Tau is the logit adjustment's τ.
	Tau float64
	// Bins is GHM's histogram bin count.
	Bins int
	// Momentum is GHM's moving-average momentum for the bin counts in
	// [0, 1); 0 counts each batch alone.
	Momentum float64
}

// DefaultZooOptions returns each paper's defaults: γ_f = 2 and α = 1 (Lin
// et al.'s multi-class form), β = 0.9999 (Cui et al.'s best on long-tailed
// CIFAR; also LDAM-DRW's), margin 0.5 with deferred re-weighting over the
// last fifth of training (Cao et al.: epoch 160 of 200), s = 1 (see
// LDAMDRW in the package doc: the DCNN's logits are not normalised), τ = 1
// (Menon et al.), 10 bins and momentum 0.75 (Li et al.).
func DefaultZooOptions() ZooOptions {
	return ZooOptions{Gamma: 2, ClassWeights: WeightsNone, Beta: 0.9999, MaxMargin: 0.5, Scale: 1,
		DRW: 0.8, Tau: 1, Bins: 10, Momentum: 0.75}
}

// isZoo reports whether name is one of ZooNames.
func isZoo(name string) bool {
	for _, n := range ZooNames() {
		if n == name {
			return true
		}
	}
	return false
}

// zooScheme implements every loss of ZooNames: a per-class additive
// adjustment or true-class margin on the logits, cross-entropy or focal on
// the adjusted logits, and a per-class or per-sample weight.
type zooScheme struct {
	name string
	opt  ZooOptions
	out  Output
	// scratch, per class
	bias   []float64 // added to the (scaled) logits; −Inf masks a class
	margin []float64 // subtracted from the true class's logit (LDAM)
	classW []float64
	a, p   []float64
	loss64 []float64
	grad   []float64 // unweighted dL_i/dz, N×C
	// GHM state: moving-average bin counts, and scratch per sample
	acc []float64
	bin []int
	num []float64
	g   []float64
	w64 []float64 // the weights in float64, for Loss and DLogits
}

func newZoo(name string, opt Options) (Scheme, error) {
	z := opt.Zoo
	if opt.Base != CrossEntropy {
		return nil, fmt.Errorf("loss: %s is defined on cross-entropy, not %v (drop base=%v): %w", name, opt.Base, opt.Base, ghl.ErrUsage)
	}
	if z.Scale == 0 {
		z.Scale = 1
	}
	if z.Bins == 0 {
		z.Bins = 10
	}
	if z.ClassWeights == "" {
		z.ClassWeights = WeightsNone
	}
	for _, f := range []struct {
		key    string
		v      float64
		lo, hi float64
		hiOpen bool
	}{
		{"gamma", z.Gamma, 0, 100, false}, {"beta", z.Beta, 0, 1, true}, {"margin", z.MaxMargin, 0, 1e6, false},
		{"s", z.Scale, 1e-6, 1e6, false}, {"drw", z.DRW, 0, 1, false}, {"tau", z.Tau, -100, 100, false},
		{"mmt", z.Momentum, 0, 1, true},
	} {
		if !(f.v >= f.lo && f.v <= f.hi) || (f.hiOpen && f.v == f.hi) {
			iv := "]"
			if f.hiOpen {
				iv = ")"
			}
			return nil, fmt.Errorf("loss: %s: %s = %v, want a value in [%g, %g%s: %w", name, f.key, f.v, f.lo, f.hi, iv, ghl.ErrUsage)
		}
	}
	if z.Bins < 1 || z.Bins > 1000 {
		return nil, fmt.Errorf("loss: %s: bins = %d, want 1 to 1000: %w", name, z.Bins, ghl.ErrUsage)
	}
	if z.ClassWeights != WeightsNone && z.ClassWeights != WeightsCost {
		return nil, fmt.Errorf("loss: %s: class weights %q, want none or cost: %w", name, z.ClassWeights, ghl.ErrUsage)
	}
	return &zooScheme{name: name, opt: z}, nil
}

// Name returns the name the scheme was made with.
func (s *zooScheme) Name() string { return s.name }

// needsCounts reports whether the scheme reads Context.ClassCounts.
func (s *zooScheme) needsCounts() bool {
	switch s.name {
	case GHM:
		return false
	case Focal:
		return s.opt.ClassWeights == WeightsCost
	}
	return true
}

// Apply computes the loss of b; see Scheme.
func (s *zooScheme) Apply(b Batch, ctx *Context) (*Output, error) {
	o := &s.out
	ctx, err := begin(b, ctx, o, &s.loss64)
	if err != nil {
		return nil, err
	}
	N, C := b.N, b.C
	s.grad = grow(s.grad, N*C)
	s.bias, s.margin, s.classW = grow(s.bias, C), grow(s.margin, C), grow(s.classW, C)
	s.a, s.p = grow(s.a, C), grow(s.p, C)
	if s.needsCounts() {
		if err := checkCounts(s.name, b, ctx.ClassCounts); err != nil {
			return nil, err
		}
	}
	s.classSetup(ctx)
	s.g = grow(s.g, N)
	s.w64 = grow(s.w64, N)
	scale := 1.0
	if s.name == LDAMDRW {
		scale = s.opt.Scale
	}
	gamma := 0.0
	if s.name == Focal || (s.name == CB && s.opt.CBFocal) {
		gamma = s.opt.Gamma
	}
	for i := 0; i < N; i++ {
		y := b.Labels[i]
		z := b.Logits[i*C : (i+1)*C]
		for k, v := range z {
			s.a[k] = scale*float64(v) + s.bias[k]
		}
		s.a[y] -= scale * s.margin[y]
		g := s.grad[i*C : (i+1)*C]
		l, r := focalRow(s.a, y, gamma, s.p, g)
		for k := range g {
			g[k] *= scale
		}
		s.loss64[i] = l
		o.PerSample[i] = toF32(l)
		s.w64[i] = s.classW[y]
		s.g[i] = r
	}
	if s.name == GHM {
		s.ghmWeights(s.w64, s.g)
	}
	sw, sl := 0.0, 0.0
	for i, w := range s.w64 {
		o.Weights[i] = float32(w)
		sw += w
		sl += w * s.loss64[i]
	}
	o.Loss = 0
	if sw > 0 {
		o.Loss = sl / sw
	}
	for i, w := range s.w64 {
		f := 0.0
		if sw > 0 {
			f = w / sw
		}
		for k := i * C; k < (i+1)*C; k++ {
			o.Delta[k] = toF32(s.grad[k])
			o.DLogits[k] = toF32(f * s.grad[k])
		}
	}
	return o, nil
}

// checkCounts checks that counts has one entry per class, none negative,
// and that no sample's class is empty; errors wrap ghl.ErrBadInput.
func checkCounts(name string, b Batch, counts []int) error {
	if len(counts) != b.C {
		return fmt.Errorf("loss: %s needs %d class counts, got %d: %w", name, b.C, len(counts), ghl.ErrBadInput)
	}
	for c, n := range counts {
		if n < 0 {
			return fmt.Errorf("loss: class %d has count %d < 0: %w", c, n, ghl.ErrBadInput)
		}
	}
	for i, y := range b.Labels {
		if counts[y] == 0 {
			return fmt.Errorf("loss: sample %d has class %d, which has no training samples: %w", i, y, ghl.ErrBadInput)
		}
	}
	return nil
}

// classSetup fills the per-class bias, margin and weight for this call.
// A class without training samples gets bias −Inf under LA and BSM (it has
// prior 0) and weight 0 elsewhere; no sample can carry its label.
func (s *zooScheme) classSetup(ctx *Context) {
	C := len(s.bias)
	counts := ctx.ClassCounts
	for c := 0; c < C; c++ {
		s.bias[c], s.margin[c], s.classW[c] = 0, 0, 1
	}
	switch s.name {
	case Focal:
		if s.opt.ClassWeights == WeightsCost {
			costWeights(s.classW, counts)
		}
	case CB:
		cbWeights(s.classW, counts, s.opt.Beta)
	case LA:
		logPrior(s.bias, counts, s.opt.Tau, true)
	case BSM:
		logPrior(s.bias, counts, 1, false)
	case LDAMDRW:
		ldamMargins(s.margin, counts, s.opt.MaxMargin)
		if deferredOn(ctx, s.opt.DRW) {
			cbWeights(s.classW, counts, s.opt.Beta)
		}
	}
}

// begin is the common start of every scheme's Apply: it checks b, gives a
// nil ctx its zero value, sizes o for b and loss64 for b.N samples.
func begin(b Batch, ctx *Context, o *Output, loss64 *[]float64) (*Context, error) {
	if err := b.check(); err != nil {
		return nil, err
	}
	if ctx == nil {
		ctx = &Context{}
	}
	o.reset(b.N, b.C)
	*loss64 = grow(*loss64, b.N)
	return ctx, nil
}

// reset sizes o's slices for N samples of C classes and clears the fields
// only some schemes set.
func (o *Output) reset(N, C int) {
	o.PerSample = grow(o.PerSample, N)
	o.Weights = grow(o.Weights, N)
	o.DLogits = grow(o.DLogits, N*C)
	o.Delta = grow(o.Delta, N*C)
	o.Thresholds, o.Density, o.Keep, o.Gamma, o.Eliminated, o.ExactFallbacks = nil, nil, nil, 0, 0, 0
}
