package train

import (
	"math"
	"testing"

	"github.com/ghl-dev/ghl/loss"
)

func TestGammaSources(t *testing.T) {
	// Four steps per epoch, two epochs; batch F1s 0.2, 0.4, 1, 1 | 1, 1, 1, 1;
	// epoch F1 0.6 then 1; one validation at 0.5 after epoch 1.
	batches := [][]float64{{0.2, 0.4, 1, 1}, {1, 1, 1, 1}}
	epochF1 := []float64{0.6, 1}
	cases := []struct {
		from string
		want []float64 // F1 fed to the scheme before each of the 8 steps
	}{
		{GammaBatch, []float64{0.2, 0.2, 0.4, 1, 1, 1, 1, 1}},
		{GammaEpoch, []float64{0.2, 0.2, 0.2, 0.2, 0.6, 0.6, 0.6, 0.6}},
		{GammaVal, []float64{0.2, 0.2, 0.2, 0.2, 0.5, 0.5, 0.5, 0.5}},
		{GammaProgress, []float64{0, 1. / 8, 2. / 8, 3. / 8, 4. / 8, 5. / 8, 6. / 8, 7. / 8}},
		// EMA with weight 1/4: 0.2 → 0.2 → 0.25 → 0.4375 → 0.578125 → …
		{GammaEMA, []float64{0.2, 0.2, 0.25, 0.4375, 0.578125, 0.68359375, 0.7626953125, 0.822021484375}},
	}
	for _, c := range cases {
		g := gammaSource{from: c.from, value: -1, stepsPerEpoch: 4, plannedSteps: 8}
		var got []float64
		for e, bs := range batches {
			for _, f := range bs {
				got = append(got, g.before(f))
				g.afterBatch(f)
			}
			g.afterEpoch(epochF1[e])
			if e == 0 {
				g.afterVal(0.5)
			}
		}
		for i := range got {
			if math.Abs(got[i]-c.want[i]) > 1e-12 {
				t.Fatalf("%s: fed %v, want %v", c.from, got, c.want)
			}
		}
	}
	if err := checkGammaFrom("batchy"); err == nil {
		t.Fatal("unknown source accepted")
	}
}

func TestGHLStats(t *testing.T) {
	s := newGHLStats([]int{5, 100, 3}) // majority is class 1
	labels := []int{1, 1, 0, 2}
	steps := []struct {
		thr  []float64
		dens []float32
	}{
		{[]float64{-0.1, 0.3, -0.2}, []float32{1, 3, 1, 1}}, // active
		{[]float64{-0.1, 0.3, -0.2}, []float32{1, 1, 5, 1}}, // majority all GD 1: not active
		{[]float64{-0.1, 0, -0.2}, []float32{2, 2, 1, 1}},   // T = 0 (γ = 0): not active
	}
	for _, st := range steps {
		s.observe(&loss.Output{Thresholds: st.thr, Density: st.dens, Gamma: 0.5}, labels)
	}
	s.observe(&loss.Output{}, labels) // a scheme without thresholds is ignored
	l := s.flush()
	if l == nil || math.Abs(l.Active-1./3) > 1e-12 || math.Abs(l.MajorityGD-10./6) > 1e-12 ||
		math.Abs(l.MajorityThreshold-0.2) > 1e-12 || l.Gamma != 0.5 {
		t.Fatalf("log %+v", l)
	}
	if s.flush() != nil {
		t.Fatal("an iteration without GHL steps logged GHL")
	}
	if got := s.activeFraction(); math.Abs(got-1./3) > 1e-12 {
		t.Fatalf("active fraction %v", got)
	}
	if newGHLStats([]int{1}).activeFraction() != -1 {
		t.Fatal("no GHL steps should give −1")
	}
}
