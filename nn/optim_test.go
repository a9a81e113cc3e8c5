package nn

import (
	"errors"
	"math"
	"testing"

	"github.com/ghl-dev/ghl"
)

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-6*(1+math.Abs(b)) }

// TestAdam follows two Adam steps of one weight by hand (PyTorch's formula).
func TestAdam(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  AdamConfig
	}{
		{"plain", AdamConfig{LR: 0.1}},
		{"l2", AdamConfig{LR: 0.1, WeightDecay: 0.5}},
		{"decoupled", AdamConfig{LR: 0.1, WeightDecay: 0.5, Decoupled: true}},
	} {
		p := &Param{Name: "w", Shape: []int{1}, W: []float32{2}, G: []float32{0}}
		o := NewAdam(tc.cfg)
		w, m, v := 2.0, 0.0, 0.0
		for step, g := range []float64{0.3, -1.2} {
			p.G[0] = float32(g)
			if err := o.Step([]*Param{p}); err != nil {
				t.Fatal(err)
			}
			if tc.cfg.Decoupled {
				w *= 1 - 0.1*0.5
			} else {
				g += tc.cfg.WeightDecay * w
			}
			m = 0.9*m + 0.1*g
			v = 0.999*v + 0.001*g*g
			k := float64(step + 1)
			w -= 0.1 / (1 - math.Pow(0.9, k)) * m / (math.Sqrt(v)/math.Sqrt(1-math.Pow(0.999, k)) + 1e-8)
			if !near(float64(p.W[0]), w) {
				t.Errorf("%s step %d: w = %v, want %v", tc.name, step, p.W[0], w)
			}
		}
	}
	if err := NewAdam(AdamConfig{LR: -1}).Step(nil); !errors.Is(err, ghl.ErrUsage) {
		t.Errorf("negative learning rate: %v", err)
	}
}

// TestSGD follows three momentum steps by hand (PyTorch's formula).
func TestSGD(t *testing.T) {
	for _, nesterov := range []bool{false, true} {
		p := &Param{W: []float32{1}, G: []float32{0}}
		o := NewSGD(SGDConfig{LR: 0.1, Momentum: 0.9, WeightDecay: 0.01, Nesterov: nesterov})
		w, b := 1.0, 0.0
		for step, g := range []float64{0.5, 0.25, -1} {
			p.G[0] = float32(g)
			if err := o.Step([]*Param{p}); err != nil {
				t.Fatal(err)
			}
			g += 0.01 * w
			if step == 0 {
				b = g
			} else {
				b = 0.9*b + g
			}
			if nesterov {
				g += 0.9 * b
			} else {
				g = b
			}
			w -= 0.1 * g
			if !near(float64(p.W[0]), w) {
				t.Errorf("nesterov=%v step %d: w = %v, want %v", nesterov, step, p.W[0], w)
			}
		}
	}
	if err := NewSGD(SGDConfig{}).Step(nil); !errors.Is(err, ghl.ErrUsage) {
		t.Errorf("zero learning rate: %v", err)
	}
}

func TestClipGradNorm(t *testing.T) {
	ps := []*Param{{G: []float32{3}}, {G: []float32{0, 4}}}
	if n := ClipGradNorm(ps, 10); n != 5 || ps[0].G[0] != 3 {
		t.Errorf("norm %v below the limit changed the gradient to %v", n, ps[0].G)
	}
	if n := ClipGradNorm(ps, 1); n != 5 || !near(float64(ps[0].G[0]), 0.6) || !near(float64(ps[1].G[1]), 0.8) {
		t.Errorf("clip to 1: norm %v, gradients %v %v", n, ps[0].G, ps[1].G)
	}
}

// TestSetLR: a changed learning rate applies from the next step on (with
// a constant gradient 1, both optimisers move w by exactly the rate).
func TestSetLR(t *testing.T) {
	for _, o := range []interface {
		Optimizer
		SetLR(float64)
	}{NewAdam(AdamConfig{LR: 0.1}), NewSGD(SGDConfig{LR: 0.1})} {
		p := &Param{W: []float32{1}, G: []float32{1}}
		for _, lr := range []float64{0.1, 0.001} {
			o.SetLR(lr)
			before := p.W[0]
			if err := o.Step([]*Param{p}); err != nil {
				t.Fatal(err)
			}
			if d := float64(before - p.W[0]); !near(d, lr) {
				t.Errorf("%T: step at learning rate %v moved w by %v", o, lr, d)
			}
		}
	}
}
