package experiment

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestMeanStd(t *testing.T) {
	m, s := MeanStd([]float64{2, 4, 4, 4, 5, 5, 7, 9})
	if m != 5 || math.Abs(s-2.138089935) > 1e-8 {
		t.Fatalf("MeanStd = %v, %v; want 5, 2.138089935", m, s)
	}
	if m, s := MeanStd([]float64{3}); m != 3 || s != 0 {
		t.Fatalf("one value: %v %v", m, s)
	}
}

// bruteWilcoxon enumerates all sign patterns directly.
func bruteWilcoxon(d []float64) float64 {
	var nz []float64
	for _, x := range d {
		if x != 0 {
			nz = append(nz, x)
		}
	}
	n := len(nz)
	if n == 0 {
		return 1
	}
	rank := make([]float64, n)
	for i, r2 := range countRanks2(nz) {
		rank[i] = float64(r2) / 2
	}
	w := 0.0
	for i, x := range nz {
		if x > 0 {
			w += rank[i]
		}
	}
	lo, hi := 0, 0
	for mask := 0; mask < 1<<n; mask++ {
		s := 0.0
		for i := 0; i < n; i++ {
			if mask&(1<<i) != 0 {
				s += rank[i]
			}
		}
		if s <= w+1e-9 {
			lo++
		}
		if s >= w-1e-9 {
			hi++
		}
	}
	return math.Min(1, 2*float64(min(lo, hi))/float64(int(1)<<n))
}

func TestWilcoxon(t *testing.T) {
	cases := []struct {
		name string
		d    []float64
		want float64 // <0: compare with brute force only
	}{
		{"all positive n=10", []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 2.0 / 1024},
		// Siegel (1956), Table G: n = 10, two-sided α = 0.05 critical T = 8;
		// P(T ≤ 8) = 25/1024.
		{"n=10 T=8 (Siegel Table G)", []float64{-1, -3, -4, 2, 5, 6, 7, 8, 9, 10}, 50.0 / 1024},
		// Darwin's Zea mays data (Fisher, The Design of Experiments, 1935,
		// §17), cross- minus self-fertilised heights in eighths of an inch;
		// T = 24, exact two-sided p = 0.041259765625 (= 1352/32768, the
		// value scipy.stats.wilcoxon documents for these data).
		{"Darwin Zea mays", []float64{6, 8, 14, 16, 23, 24, 28, 29, 41, -48, 49, 56, 60, -67, 75}, 0.041259765625},
		{"all zero", []float64{0, 0, 0}, 1},
		{"symmetric", []float64{1, -1, 2, -2}, 1},
		// Ranks 1.5, 1.5, 3: sign patterns give W+ ∈ {0, 1.5, 1.5, 3, 3,
		// 4.5, 4.5, 6}; W+ = 4.5, P(W+ ≥ 4.5) = 3/8, p = 6/8.
		{"hand: tied pair", []float64{1, 1, -2}, 1},
		{"hand: tied pair, W+=4.5", []float64{1, -1, 2}, 0.75},
		{"ties", []float64{1, 1, 1, -2, 3, 3, -0.5, 4}, -1},
		{"ties and zeros", []float64{0, 1, -1, 0, 2, 2, 2, -3, 3, 1, 0, 4, 4}, -1},
		{"mixed", []float64{0.9, -1.8, 2.7, 0, 5.4, 6.3, -0.1, 8.1, 9.0, 1.1}, -1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := Wilcoxon(c.d)
			want := c.want
			if want < 0 {
				want = bruteWilcoxon(c.d)
			}
			if math.Abs(got-want) > 1e-12 {
				t.Fatalf("Wilcoxon(%v) = %v, want %v", c.d, got, want)
			}
			if b := bruteWilcoxon(c.d); math.Abs(got-b) > 1e-12 {
				t.Fatalf("Wilcoxon(%v) = %v, brute force %v", c.d, got, b)
			}
		})
	}
}

// TestWilcoxonBruteRandom compares the counting algorithm with enumeration
// of every sign pattern on random whole-window differences, which have many
// ties and zeros.
func TestWilcoxonBruteRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range 300 {
		n := 1 + rng.IntN(16)
		d := make([]float64, n)
		for i := range d {
			d[i] = float64(rng.IntN(9) - 4)
		}
		got, want := Wilcoxon(d), bruteWilcoxon(d)
		if math.Abs(got-want) > 1e-12 {
			t.Fatalf("trial %d: Wilcoxon(%v) = %v, brute force %v", trial, d, got, want)
		}
	}
}

// TestWilcoxonNormal checks the normal approximation above ExactMaxPairs.
func TestWilcoxonNormal(t *testing.T) {
	// 60 differences with ties and two zeros: 1..5 windows, mostly positive.
	var d []float64
	for i := range 60 {
		v := float64(i%5 + 1)
		if i%4 == 0 {
			v = -v
		}
		if i == 7 || i == 33 {
			v = 0
		}
		d = append(d, v)
	}
	r := WilcoxonTest(d)
	if r.Exact || r.N != 58 {
		t.Fatalf("got %+v, want normal approximation on 58 pairs", r)
	}
	// Reference: scipy 1.10.1, scipy.stats.wilcoxon(d, zero_method="wilcox",
	// correction=True, method="approx") on the same d (tie-corrected
	// variance, continuity correction): W+ = 1265.5 of n = 58.
	const wantNormalP = 0.001442432101905831
	if math.Abs(r.P-wantNormalP) > 1e-9 {
		t.Fatalf("normal approximation p = %.12g, want %.12g", r.P, wantNormalP)
	}
	// The exact count on the same ranks agrees to within the approximation.
	exact := exactP(d)
	if math.Abs(r.P-exact) > 0.01 {
		t.Fatalf("normal %v vs exact %v", r.P, exact)
	}
}

// countRanks2 returns the doubled average ranks of |x| by counting, for
// each value, the smaller and the equal magnitudes (independent of the
// sort in WilcoxonTest).
func countRanks2(x []float64) []int {
	r := make([]int, len(x))
	for i := range x {
		less, eq := 0, 0
		for j := range x {
			if math.Abs(x[j]) < math.Abs(x[i]) {
				less++
			} else if math.Abs(x[j]) == math.Abs(x[i]) {
				eq++
			}
		}
		r[i] = 2*less + eq + 1
	}
	return r
}

// exactP is the exact p-value of d whatever its length: doubled average
// ranks computed by counting, then the package's counting of sign patterns.
func exactP(d []float64) float64 {
	var nz []float64
	for _, x := range d {
		if x != 0 {
			nz = append(nz, x)
		}
	}
	rank2 := countRanks2(nz)
	w2 := 0
	for i := range nz {
		if nz[i] > 0 {
			w2 += rank2[i]
		}
	}
	return exactSignedRankP(rank2, w2)
}

func TestHolm(t *testing.T) {
	cases := []struct {
		ps, want []float64
	}{
		// Sorted 0.005·4 = 0.02, 0.01·3 = 0.03, 0.03·2 = 0.06, max(0.04·1, 0.06) = 0.06.
		{[]float64{0.01, 0.04, 0.03, 0.005}, []float64{0.03, 0.06, 0.06, 0.02}},
		{[]float64{0.5, 0.6}, []float64{1, 1}},
		{[]float64{0.2}, []float64{0.2}},
		{nil, []float64{}},
	}
	for _, c := range cases {
		got := Holm(c.ps)
		if len(got) != len(c.want) {
			t.Fatalf("Holm(%v) = %v", c.ps, got)
		}
		for i := range got {
			if math.Abs(got[i]-c.want[i]) > 1e-12 {
				t.Fatalf("Holm(%v) = %v, want %v", c.ps, got, c.want)
			}
		}
	}
}

func TestMedianBootstrap(t *testing.T) {
	if m := Median([]float64{3, 1, 2}); m != 2 {
		t.Fatalf("median %v", m)
	}
	if m := Median([]float64{4, 1, 2, 3}); m != 2.5 {
		t.Fatalf("median %v", m)
	}
	lo, hi := BootstrapMeanCI([]float64{2, 2, 2}, 1000, 0.95, 1)
	if lo != 2 || hi != 2 {
		t.Fatalf("constant data: [%v, %v]", lo, hi)
	}
	d := []float64{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}
	lo, hi = BootstrapMeanCI(d, BootstrapResamples, 0.95, BootstrapSeed)
	lo2, hi2 := BootstrapMeanCI(d, BootstrapResamples, 0.95, BootstrapSeed)
	if lo != lo2 || hi != hi2 {
		t.Fatal("bootstrap not reproducible with a fixed seed")
	}
	// Normal theory: mean 4.5 ± 1.96·σ̂/√n with the plug-in σ̂ = 2.872: ±1.78.
	if math.Abs(lo-(4.5-1.78)) > 0.25 || math.Abs(hi-(4.5+1.78)) > 0.25 {
		t.Fatalf("bootstrap CI [%v, %v], want about [2.72, 6.28]", lo, hi)
	}
}
