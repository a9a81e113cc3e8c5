package nn

import (
	"fmt"
	"math"

	"github.com/ghl-dev/ghl"
)

// Optimizer updates parameters from their accumulated gradients.
type Optimizer interface {
	// Step applies one update to every parameter from its G. It does not
	// zero the gradients.
	Step(params []*Param) error
}

// AdamConfig configures Adam (Kingma & Ba), computed as PyTorch's
// torch.optim.Adam does. Zero fields take the defaults shown.
type AdamConfig struct {
	LR    float64 // learning rate, default 1e-3
	Beta1 float64 // default 0.9
	Beta2 float64 // default 0.999
	Eps   float64 // default 1e-8
	// WeightDecay adds WeightDecay·w to the gradient (L2, as Adam in
	// PyTorch) or, when Decoupled, shrinks w by LR·WeightDecay·w before the
	// step (AdamW). Default 0.
	WeightDecay float64
	Decoupled   bool
}

// Adam is the Adam optimiser. Its moment estimates are kept per parameter
// (by pointer), in float32.
type Adam struct {
	cfg   AdamConfig
	t     int
	state map[*Param][2][]float32
}

// NewAdam returns an Adam optimiser; invalid settings are reported by the
// first Step (wrapping ghl.ErrUsage).
func NewAdam(cfg AdamConfig) *Adam {
	if cfg.LR == 0 {
		cfg.LR = 1e-3
	}
	if cfg.Beta1 == 0 {
		cfg.Beta1 = 0.9
	}
	if cfg.Beta2 == 0 {
		cfg.Beta2 = 0.999
	}
	if cfg.Eps == 0 {
		cfg.Eps = 1e-8
	}
	return &Adam{cfg: cfg, state: map[*Param][2][]float32{}}
}

// Config returns the settings in use, defaults filled in.
func (o *Adam) Config() AdamConfig { return o.cfg }

// Step applies one Adam update:
//
//	g ← G + wd·w (not Decoupled);  w ← w·(1 − lr·wd) (Decoupled)
//	m ← β1·m + (1−β1)·g;  v ← β2·v + (1−β2)·g²
//	w ← w − lr/(1−β1^t) · m / (√v/√(1−β2^t) + ε)
func (o *Adam) Step(params []*Param) error {
	c := o.cfg
	if !(c.LR > 0) || c.Beta1 < 0 || c.Beta1 >= 1 || c.Beta2 < 0 || c.Beta2 >= 1 || !(c.Eps > 0) || c.WeightDecay < 0 {
		return fmt.Errorf("nn: adam: %w: invalid settings %+v", ghl.ErrUsage, c)
	}
	o.t++
	bc1 := 1 - math.Pow(c.Beta1, float64(o.t))
	bc2 := math.Sqrt(1 - math.Pow(c.Beta2, float64(o.t)))
	step := float32(c.LR / bc1)
	b1, b2 := float32(c.Beta1), float32(c.Beta2)
	wd, eps, ibc2 := float32(c.WeightDecay), float32(c.Eps), float32(1/bc2)
	shrink := float32(1 - c.LR*c.WeightDecay)
	for _, p := range params {
		s, ok := o.state[p]
		if !ok {
			s = [2][]float32{make([]float32, len(p.W)), make([]float32, len(p.W))}
			o.state[p] = s
		}
		m, v := s[0], s[1]
		for i, g := range p.G {
			w := p.W[i]
			if c.Decoupled {
				w *= shrink
			} else if wd != 0 {
				g += wd * w
			}
			m[i] = b1*m[i] + (1-b1)*g
			v[i] = b2*v[i] + (1-b2)*g*g
			p.W[i] = w - step*m[i]/(float32(math.Sqrt(float64(v[i])))*ibc2+eps)
		}
	}
	return nil
}

// SGDConfig configures stochastic gradient descent with momentum, computed
// as PyTorch's torch.optim.SGD (no dampening).
type SGDConfig struct {
	LR          float64 // learning rate (required, > 0)
	Momentum    float64 // 0 for plain SGD
	WeightDecay float64 // L2: adds WeightDecay·w to the gradient
	Nesterov    bool
}

// SGD is gradient descent with optional momentum and weight decay.
type SGD struct {
	cfg   SGDConfig
	state map[*Param][]float32
}

// NewSGD returns an SGD optimiser; invalid settings are reported by the
// first Step (wrapping ghl.ErrUsage).
func NewSGD(cfg SGDConfig) *SGD { return &SGD{cfg: cfg, state: map[*Param][]float32{}} }

// Step applies g ← G + wd·w; b ← μ·b + g (b ← g on the first step);
// g ← g + μ·b (Nesterov) or g ← b; w ← w − lr·g.
func (o *SGD) Step(params []*Param) error {
	c := o.cfg
	if !(c.LR > 0) || c.Momentum < 0 || c.WeightDecay < 0 || (c.Nesterov && c.Momentum == 0) {
		return fmt.Errorf("nn: sgd: %w: invalid settings %+v", ghl.ErrUsage, c)
	}
	lr, mu, wd := float32(c.LR), float32(c.Momentum), float32(c.WeightDecay)
	for _, p := range params {
		b, ok := o.state[p]
		if !ok && mu != 0 {
			b = make([]float32, len(p.W))
			o.state[p] = b
		}
		for i, g := range p.G {
			g += wd * p.W[i]
			if mu != 0 {
				if ok {
					b[i] = mu*b[i] + g
				} else {
					b[i] = g
				}
				if c.Nesterov {
					g += mu * b[i]
				} else {
					g = b[i]
				}
			}
			p.W[i] -= lr * g
		}
	}
	return nil
}

// ClipGradNorm scales all gradients so their joint L2 norm is at most
// maxNorm (by maxNorm/(norm+1e-6), as PyTorch's clip_grad_norm_) and
// returns the norm before clipping. maxNorm ≤ 0 only measures.
func ClipGradNorm(params []*Param, maxNorm float64) float64 {
	var s float64
	for _, p := range params {
		for _, g := range p.G {
			s += float64(g) * float64(g)
		}
	}
	norm := math.Sqrt(s)
	if maxNorm > 0 && norm > maxNorm {
		f := float32(maxNorm / (norm + 1e-6))
		for _, p := range params {
			for i := range p.G {
				p.G[i] *= f
			}
		}
	}
	return norm
}
