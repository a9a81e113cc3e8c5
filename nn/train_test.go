package nn

import (
	"math"
	"math/rand/v2"
	"testing"
)

// toneSet makes a balanced synthetic set: classes tones of different
// frequencies with random phase, amplitude and a decaying impulse train,
// plus white noise, perClass windows each.
func toneSet(classes, perClass, w int, seed uint64) ([]float32, []int) {
	r := rand.New(rand.NewPCG(seed, 1))
	x := make([]float32, classes*perClass*w)
	labels := make([]int, classes*perClass)
	for i := range labels {
		c := i % classes
		labels[i] = c
		f := 0.015 * math.Pow(2, float64(c)) // cycles per sample
		ph := r.Float64() * 2 * math.Pi
		a := 0.8 + 0.4*r.Float64()
		period := 40 + 30*c
		off := r.IntN(period)
		for t := range w {
			v := a*math.Sin(2*math.Pi*f*float64(t)+ph) + 0.5*r.NormFloat64()
			if k := (t + off) % period; k < 8 {
				v += 2 * math.Exp(-float64(k)/2)
			}
			x[i*w+t] = float32(v)
		}
	}
	return x, labels
}

// crossEntropyGrad writes ∂L/∂z of the mean cross-entropy into d and
// returns the number of correct argmax predictions.
func crossEntropyGrad(d, z []float32, labels []int, c int) int {
	n := len(labels)
	p := Softmax(d, z, n, c)
	correct := 0
	for i, y := range labels {
		best := 0
		for k := range c {
			if z[i*c+k] > z[i*c+best] {
				best = k
			}
		}
		if best == y {
			correct++
		}
		p[i*c+y] -= 1
		for k := range c {
			p[i*c+k] /= float32(n)
		}
	}
	return correct
}

// TestDCNNLearns: the DCNN reaches ≥ 99 % training accuracy on a small
// balanced set within a fixed number of full-batch Adam steps.
func TestDCNNLearns(t *testing.T) {
	const classes, perClass, w, steps = 4, 16, 1024, 40
	x, labels := toneSet(classes, perClass, w, 3)
	m, err := NewDCNN(DCNNConfig{InputLen: w, Classes: classes, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	opt := NewAdam(AdamConfig{LR: 1e-3})
	n := len(labels)
	d := make([]float32, n*classes)
	for step := range steps {
		z, err := m.Forward(x, n)
		if err != nil {
			t.Fatal(err)
		}
		correct := crossEntropyGrad(d, z, labels, classes)
		if step%10 == 0 {
			t.Logf("step %d: training accuracy %d/%d", step, correct, n)
		}
		m.ZeroGrad()
		if err := m.Backward(d, nil); err != nil {
			t.Fatal(err)
		}
		ClipGradNorm(m.Params(), 5)
		if err := opt.Step(m.Params()); err != nil {
			t.Fatal(err)
		}
	}
	z, _ := m.Infer(x, n, nil)
	correct := crossEntropyGrad(d, z, labels, classes)
	t.Logf("after %d steps: training accuracy %d/%d", steps, correct, n)
	if acc := float64(correct) / float64(n); acc < 0.99 {
		t.Errorf("training accuracy %.3f after %d steps, want ≥ 0.99", acc, steps)
	}
}
