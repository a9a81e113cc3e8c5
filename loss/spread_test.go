package loss

import (
	"math"
	"math/rand/v2"
	"testing"
)

// clusteredBatch makes n samples per class of C classes whose logits form
// tight clusters (so gradients are similar within a cluster).
func clusteredBatch(n, C int, seed uint64) Batch {
	r := rand.New(rand.NewPCG(seed, 3))
	b := Batch{N: n * C, C: C}
	for c := 0; c < C; c++ {
		centres := [][]float64{make([]float64, C), make([]float64, C)}
		for _, ce := range centres {
			for k := range ce {
				ce[k] = 2 * r.NormFloat64()
			}
		}
		for i := 0; i < n; i++ {
			ce := centres[i%2]
			for k := 0; k < C; k++ {
				b.Logits = append(b.Logits, float32(ce[k]+0.05*r.NormFloat64()))
			}
			b.Labels = append(b.Labels, c)
		}
	}
	return b
}

func TestSpreadThresholds(t *testing.T) {
	b := clusteredBatch(16, 4, 1)
	out, err := mustScheme(t, Plain, Options{Base: CrossEntropy}).Apply(b, &Context{})
	if err != nil {
		t.Fatal(err)
	}
	spread := MeanAngles(out.Delta, b.Labels, b.C)
	cases := []struct {
		name   string
		counts []int
		factor []float64 // T_c / (α·γ·θ̄_c)
	}{
		{"balanced: half of each class's spread", []int{16, 16, 16, 16}, []float64{0.5, 0.5, 0.5, 0.5}},
		{"imbalanced: majority ≈ all, minorities ≈ 0", []int{3000, 16, 16, 16},
			[]float64{1 / (1 + math.Exp(-(3000.0/3048-0.25)*20)), 1 / (1 + math.Exp(-(16.0/3048-0.25)*20)),
				1 / (1 + math.Exp(-(16.0/3048-0.25)*20)), 1 / (1 + math.Exp(-(16.0/3048-0.25)*20))}},
	}
	for _, c := range cases {
		got := SpreadThresholds(c.counts, out.Delta, b.Labels, 2, 0.5)
		for k := range got {
			want := 2 * 0.5 * c.factor[k] * spread[k]
			if math.Abs(got[k]-want) > 1e-12 || !(spread[k] > 0) {
				t.Fatalf("%s: T = %v, want %v (spread %v)", c.name, got, want, spread[k])
			}
		}
	}
	if got := SpreadThresholds([]int{0, 0, 0, 0}, out.Delta, b.Labels, 1, 1); got[0] != 0 {
		t.Fatalf("no counts: %v", got)
	}
}

// TestSpreadCompressesBalancedSets: on a balanced batch Eq. 13 leaves every
// GD at 1 (GHL is the base loss), the spread rule finds the clusters.
func TestSpreadCompressesBalancedSets(t *testing.T) {
	b := clusteredBatch(16, 4, 2)
	ctx := &Context{ClassCounts: []int{16, 16, 16, 16}, PrevF1: 0}
	for _, rule := range []string{ThresholdEq13, ThresholdSpread} {
		s := mustScheme(t, GHL, Options{Base: CrossEntropy, Alpha: 1, Anneal: AnnealOneMinusF1, Threshold: rule})
		out, err := s.Apply(b, ctx)
		if err != nil {
			t.Fatal(err)
		}
		maxGD := float32(0)
		for _, d := range out.Density {
			maxGD = max(maxGD, d)
		}
		if rule == ThresholdEq13 && maxGD != 1 {
			t.Fatalf("eq13 on a balanced batch: max GD %v, want 1", maxGD)
		}
		// Each class is two clusters of 8: the spread rule's half-spread
		// threshold holds a cluster's members together.
		if rule == ThresholdSpread && maxGD < 4 {
			t.Fatalf("spread on a balanced batch: max GD %v, want clusters found", maxGD)
		}
	}
	if _, err := New(GHL, Options{Base: CrossEntropy, Threshold: "median"}); err == nil {
		t.Fatal("unknown threshold rule accepted")
	}
}

func mustScheme(t *testing.T, name string, opt Options) Scheme {
	t.Helper()
	s, err := New(name, opt)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestSampledFallbackIsCounted: with M ≥ the class size the sampled mode
// counts exactly, and says so.
func TestSampledFallbackIsCounted(t *testing.T) {
	b := clusteredBatch(16, 4, 3)
	ctx := &Context{ClassCounts: []int{3000, 16, 16, 16}, PrevF1: 0.5}
	for _, c := range []struct {
		m        int
		fallback bool
	}{{128, true}, {8, false}} {
		s := mustScheme(t, GHL, Options{Base: CrossEntropy, Alpha: 1, Anneal: AnnealOneMinusF1, Density: DensitySampled, SampleM: c.m})
		out, err := s.Apply(b, ctx)
		if err != nil {
			t.Fatal(err)
		}
		// Only classes with T_c ≥ 0 reach the density: the majority here;
		// the minorities' negative thresholds skip it.
		if got := out.ExactFallbacks; (got > 0) != c.fallback {
			t.Fatalf("M = %d: %d exact fallbacks, want some: %v", c.m, got, c.fallback)
		}
	}
}
