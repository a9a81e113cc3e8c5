package train

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/ghl-dev/ghl/dataset/represent"
	"github.com/ghl-dev/ghl/dataset/synth"
)

// peakBin returns the interpolated (parabolic) position of the largest
// value of x within bins [lo, hi].
func peakBin(x []float32, lo, hi int) float64 {
	k := lo
	for i := lo; i <= hi; i++ {
		if x[i] > x[k] {
			k = i
		}
	}
	a, b, c := float64(x[k-1]), float64(x[k]), float64(x[k+1])
	if d := a - 2*b + c; d != 0 {
		return float64(k) + 0.5*(a-c)/d
	}
	return float64(k)
}

// TestStretchMovesFrequency: stretching a sine by s moves its spectral peak
// from f to f/s.
func TestStretchMovesFrequency(t *testing.T) {
	const L = 4096
	spec, err := represent.New(represent.Spec{Name: represent.Spectrum}, L)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]float32, spec.OutLen())
	for _, f := range []float64{200.3, 613.7} { // cycles per window
		x := make([]float32, L)
		for i := range x {
			x[i] = float32(math.Sin(2 * math.Pi * f * float64(i) / L))
		}
		for _, s := range []float64{0.9, 0.95, 1, 1.03, 1.1} {
			y := make([]float32, L)
			stretchWindow(y, x, s)
			spec.Apply(out, y)
			got := peakBin(out, 10, L/2-10)
			if want := f / s; math.Abs(got-want) > 0.5 {
				t.Errorf("sine at %.1f cycles, stretch %.2f: peak at %.2f, want %.2f", f, s, got, want)
			}
		}
	}
}

// TestStretchMovesFaultFrequency: on simulated inner-race and outer-race
// faults, stretching every window by s moves the envelope spectrum's
// fault line (BPFI, BPFO) by the factor 1/s.
func TestStretchMovesFaultFrequency(t *testing.T) {
	const rate, L = 12000.0, 4096
	c, err := synth.Corpus(synth.Options{Seed: 4, Seconds: 4})
	if err != nil {
		t.Fatal(err)
	}
	fq := synth.DriveEnd6205().Frequencies(synth.DefaultShaftHz)
	env, err := represent.New(represent.Spec{Name: represent.Envelope}, L)
	if err != nil {
		t.Fatal(err)
	}
	df := rate / L
	for _, tc := range []struct {
		class string
		hz    float64
	}{{"IF3", fq.BPFI}, {"OF3", fq.BPFO}} {
		var x []float32
		for _, l := range c.Recordings {
			if l.Class == tc.class {
				for _, v := range l.Recording.Samples {
					x = append(x, float32(v))
				}
			}
		}
		for _, s := range []float64{1, 0.92, 1.08} {
			mean := make([]float32, env.OutLen())
			out := make([]float32, env.OutLen())
			y := make([]float32, L)
			for st := 0; st+L <= len(x); st += L {
				stretchWindow(y, x[st:st+L], s)
				env.Apply(out, y)
				for k, v := range out {
					mean[k] += v
				}
			}
			lo, hi := int(0.8*tc.hz/s/df), int(1.2*tc.hz/s/df)
			got := peakBin(mean, lo, hi) * df
			if want := tc.hz / s; math.Abs(got-want) > df {
				t.Errorf("%s stretched by %.2f: envelope line at %.1f Hz, want %.1f Hz (%.1f / %.2f) ± %.1f", tc.class, s, got, want, tc.hz, s, df)
			}
		}
	}
}

// TestRandomFilter: the filter keeps the window's RMS, changes its
// spectral balance by up to the tilt, and leaves a window unchanged at 0 dB.
func TestRandomFilter(t *testing.T) {
	const L = 1024
	rng := rand.New(rand.NewPCG(1, 2))
	x := make([]float32, L)
	for i := range x {
		x[i] = float32(rng.NormFloat64())
	}
	tr := &trainer{rng: rand.New(rand.NewPCG(3, 4))}
	rms := func(w []float32) float64 {
		s := 0.0
		for _, v := range w {
			s += float64(v) * float64(v)
		}
		return math.Sqrt(s / float64(len(w)))
	}
	var maxRatio float64
	for range 20 {
		w := append([]float32(nil), x...)
		tr.randomFilter(w, 12)
		if d := math.Abs(rms(w) - rms(x)); d > 1e-4 {
			t.Fatalf("filter changed the RMS by %g", d)
		}
		// Energy balance of the top and bottom quarter of the band, in dB,
		// relative to the input's.
		r := bandDB(w) - bandDB(x)
		maxRatio = max(maxRatio, math.Abs(r))
		if math.Abs(r) > 12+3+1 { // tilt spans ≤ 12·0.75 dB between quarter centres, ripple ≤ 3 dB each side
			t.Errorf("band balance moved %.1f dB, more than the tilt allows", r)
		}
	}
	if maxRatio < 2 {
		t.Errorf("20 random 12 dB filters moved the band balance by at most %.2f dB: the filter does nothing", maxRatio)
	}
	w := append([]float32(nil), x...)
	tr.randomFilter(w, 0)
	for i := range w {
		if math.Abs(float64(w[i]-x[i])) > 1e-5 {
			t.Fatalf("a 0 dB filter changed sample %d: %g → %g", i, x[i], w[i])
		}
	}
}

// bandDB returns 10·log10(energy of the top quarter of the band / energy
// of the bottom quarter).
func bandDB(w []float32) float64 {
	n := len(w)
	var lo, hi float64
	for k := 1; k < n/2; k++ {
		re, im := 0.0, 0.0
		for i, v := range w {
			a := 2 * math.Pi * float64(k*i) / float64(n)
			re += float64(v) * math.Cos(a)
			im -= float64(v) * math.Sin(a)
		}
		e := re*re + im*im
		switch {
		case k < n/8:
			lo += e
		case k >= 3*n/8:
			hi += e
		}
	}
	return 10 * math.Log10(hi/lo)
}

func BenchmarkConditionShift(b *testing.B) {
	const L = 1024
	tr := &trainer{rng: rand.New(rand.NewPCG(1, 2)), cfg: Config{Augment: Augment{Stretch: 0.05, Tilt: 6}}}
	w := make([]float32, L)
	for i := range w {
		w[i] = float32(math.Sin(float64(i)))
	}
	for b.Loop() {
		tr.conditionShift(w)
	}
}
