package train

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/ghl-dev/ghl/dataset"
)

// rampSamples returns counts[c] windows of class c, window j of a class
// filled with the value 100·c + j, so that its nearest same-class
// neighbours are the windows with the closest j.
func rampSamples(counts []int, L int) *dataset.Samples {
	s := &dataset.Samples{L: L}
	for c, n := range counts {
		for j := range n {
			for range L {
				s.X = append(s.X, float32(100*c+j))
			}
			s.Y = append(s.Y, c)
		}
	}
	return s
}

// TestSamplerClassFrequencies: ros and smote draw every class equally often
// (within 4 standard deviations of a binomial), smote's synthetic share of
// class c is 1 − N_c/N_max, and the largest class is never synthesised.
func TestSamplerClassFrequencies(t *testing.T) {
	counts := []int{200, 8, 8, 1, 20}
	tr := rampSamples(counts, 4)
	for _, kind := range []string{SamplerROS, SamplerSMOTE} {
		s, err := newSampler(Config{Sampler: kind, BatchSize: 16}, tr, len(counts))
		if err != nil {
			t.Fatal(err)
		}
		rng := rand.New(rand.NewPCG(1, 2))
		got := make([]float64, len(counts))
		synth := make([]float64, len(counts))
		draws := 0
		for range 100 {
			order := s.epoch(rng, tr.Len())
			for d, i := range order {
				c := tr.Y[i]
				got[c]++
				if kind == SamplerSMOTE && s.partner[d] >= 0 {
					synth[c]++
				}
			}
			draws += len(order)
		}
		p := 1 / float64(len(counts))
		sd := math.Sqrt(float64(draws) * p * (1 - p))
		for c, g := range got {
			if math.Abs(g-float64(draws)*p) > 4*sd {
				t.Errorf("%s: class %d drawn %v times of %d, want %.0f ± %.0f", kind, c, g, draws, float64(draws)*p, 4*sd)
			}
			if kind != SamplerSMOTE {
				continue
			}
			want := 1 - float64(counts[c])/float64(counts[0])
			if c == 3 {
				want = 0 // one window: nothing to interpolate with
			}
			if share := synth[c] / g; math.Abs(share-want) > 4*math.Sqrt(want*(1-want)/g)+1e-12 {
				t.Errorf("smote: class %d synthetic share %.3f, want %.3f", c, share, want)
			}
		}
	}
}

// TestSamplerDeterministic: the same seed gives the same draws and windows,
// another seed different ones.
func TestSamplerDeterministic(t *testing.T) {
	counts := []int{50, 6, 6}
	tr := rampSamples(counts, 3)
	run := func(seed uint64) ([]int, []float32) {
		s, err := newSampler(Config{Sampler: SamplerSMOTE, BatchSize: 8}, tr, len(counts))
		if err != nil {
			t.Fatal(err)
		}
		rng := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
		order := s.epoch(rng, tr.Len())
		x := make([]float32, len(order)*tr.L)
		for d, i := range order {
			s.fill(x[d*tr.L:(d+1)*tr.L], tr, d, i)
		}
		return order, x
	}
	o1, x1 := run(7)
	o2, x2 := run(7)
	o3, _ := run(8)
	if !slices.Equal(o1, o2) || !slices.Equal(x1, x2) {
		t.Error("same seed, different draws")
	}
	if slices.Equal(o1, o3) {
		t.Error("seeds 7 and 8 drew the same epoch")
	}
}

// TestSMOTEInterpolates: a synthetic window lies on the segment from its
// base window to one of the base's k nearest same-class neighbours.
func TestSMOTEInterpolates(t *testing.T) {
	counts := []int{40, 12}
	tr := rampSamples(counts, 5)
	const k = 3
	s, err := newSampler(Config{Sampler: SamplerSMOTE, SmoteK: k, BatchSize: 8}, tr, len(counts))
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	order := s.epoch(rng, 2000)
	seen := 0
	for d, i := range order {
		x := make([]float32, tr.L)
		s.fill(x, tr, d, i)
		base := tr.X[i*tr.L]
		p := s.partner[d]
		if p < 0 {
			if x[0] != base {
				t.Fatalf("real draw %d: window %v, want window %d", d, x, i)
			}
			continue
		}
		seen++
		if tr.Y[p] != tr.Y[i] {
			t.Fatalf("draw %d: partner %d of class %d, base of class %d", d, p, tr.Y[p], tr.Y[i])
		}
		// Ramp values: the k nearest neighbours of j are within ±k of j.
		if dj := math.Abs(float64(p - i)); dj > k || dj == 0 {
			t.Fatalf("draw %d: partner %d is not among the %d nearest of %d", d, p, k, i)
		}
		pv := tr.X[p*tr.L]
		lo, hi := min(base, pv), max(base, pv)
		for _, v := range x {
			if v < lo || v > hi || v != x[0] {
				t.Fatalf("draw %d: synthetic window %v not between windows %d and %d", d, x, i, p)
			}
		}
	}
	if seen == 0 {
		t.Error("no synthetic draws")
	}
}

func TestSamplerErrors(t *testing.T) {
	tr := rampSamples([]int{5, 2}, 2)
	for _, cfg := range []Config{{Sampler: "adasyn", BatchSize: 4}, {Sampler: SamplerROS}, {Sampler: SamplerSMOTE, SmoteK: -1, BatchSize: 4}} {
		if _, err := newSampler(cfg, tr, 2); err == nil {
			t.Errorf("%+v: no error", cfg)
		}
	}
	if s, err := newSampler(Config{Sampler: "none", BatchSize: 4}, tr, 2); s != nil || err != nil {
		t.Errorf("none: %v, %v", s, err)
	}
}
