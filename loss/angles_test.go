package loss

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestFastAcos(t *testing.T) {
	worst := 0.0
	for k := -200000; k <= 200000; k++ {
		x := float64(k) / 200000
		worst = max(worst, math.Abs(fastAcos(x)-math.Acos(x)))
	}
	if worst > 3e-8 {
		t.Errorf("fastAcos max error %g > 3e-8", worst)
	}
	if fastAcos(1.5) != 0 || math.Abs(fastAcos(-1.5)-math.Pi) > 1e-7 {
		t.Errorf("fastAcos does not clamp: %g %g", fastAcos(1.5), fastAcos(-1.5))
	}
}

func TestMeanAngles(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	C := 5
	labels := imbalancedLabels(r, []int{300, 20, 1, 0, 2})
	batch := Batch{Logits: randLogits(r, labels, C, 1, 2), Labels: labels, N: len(labels), C: C}
	delta := deltas(CrossEntropy, batch)
	// Zero one gradient of class 4: it has a single usable sample left.
	for i, y := range labels {
		if y == 4 {
			clear(delta[i*C : (i+1)*C])
			break
		}
	}
	got := MeanAngles(delta, labels, C)
	// Brute force over pairs, math.Acos.
	for c := 0; c < C; c++ {
		sum, n := 0.0, 0
		for i, yi := range labels {
			for j, yj := range labels {
				if i == j || yi != c || yj != c {
					continue
				}
				a, b := delta[i*C:(i+1)*C], delta[j*C:(j+1)*C]
				var d, na, nb float64
				for k := range a {
					d += float64(a[k]) * float64(b[k])
					na += float64(a[k]) * float64(a[k])
					nb += float64(b[k]) * float64(b[k])
				}
				if na == 0 || nb == 0 {
					continue
				}
				sum += math.Acos(max(-1, min(1, d/math.Sqrt(na*nb))))
				n++
			}
		}
		want := 0.0
		if n > 0 {
			want = sum / float64(n)
		}
		if math.Abs(got[c]-want) > 1e-7 {
			t.Errorf("class %d: mean angle %g, brute force %g", c, got[c], want)
		}
	}
	if got[2] != 0 || got[3] != 0 || got[4] != 0 {
		t.Errorf("classes with < 2 usable gradients: %v, want 0", got[2:])
	}
	// Identical gradients: angle 0; two antiparallel: π.
	d := []float32{1, -1, 0, 1, -1, 0, 2, -1, -1, -2, 1, 1}
	a := MeanAngles(d, []int{0, 0, 1, 1}, 3)
	if math.Abs(a[0]) > 1e-6 || math.Abs(a[1]-math.Pi) > 1e-7 || a[2] != 0 {
		t.Errorf("MeanAngles(identical, antiparallel) = %v", a)
	}
}

func TestMeanAnglesSampled(t *testing.T) {
	r := rand.New(rand.NewPCG(23, 24))
	C := 3
	labels := imbalancedLabels(r, []int{400, 30, 1})
	batch := Batch{Logits: randLogits(r, labels, C, 1, 2), Labels: labels, N: len(labels), C: C}
	delta := deltas(MSE, batch)
	exact := MeanAngles(delta, labels, C)
	// Enough pairs for class 1 (435 pairs): exact there.
	const pairs = 500
	const seeds = 200
	mean := make([]float64, C)
	sq := 0.0
	for s := uint64(0); s < seeds; s++ {
		for c, a := range MeanAnglesSampled(delta, labels, C, pairs, s) {
			mean[c] += a / seeds
			if c == 0 {
				sq += a * a / seeds
			}
			if c == 1 && math.Abs(a-exact[1]) > 1e-12 {
				t.Fatalf("class 1 with all pairs: %g, exact %g", a, exact[1])
			}
		}
	}
	// Unbiased: the mean over seeds lies within 5 standard errors.
	se := math.Sqrt(max(sq-mean[0]*mean[0], 0) / seeds)
	if math.Abs(mean[0]-exact[0]) > 5*se || se == 0 {
		t.Errorf("class 0: sampled mean %g ± %g, exact %g", mean[0], se, exact[0])
	}
	if mean[2] != 0 {
		t.Errorf("single-sample class: %g, want 0", mean[2])
	}
}

// TestMeanAnglesKernelsAgree compares the SIMD and Go angle sums on class
// sizes around the tile and group edges.
func TestMeanAnglesKernelsAgree(t *testing.T) {
	r := rand.New(rand.NewPCG(27, 28))
	C := 5
	for _, n := range []int{2, 3, 5, 8, 9, 95, 97, 193, 250} {
		var e Estimator
		delta := make([]float32, n*C)
		for i := range delta {
			delta[i] = float32(r.NormFloat64())
		}
		labels := make([]int, n)
		if err := e.group(delta, labels, C); err != nil {
			t.Fatal(err)
		}
		x := e.x[:n*C]
		want := angleSum(x, nil, C, 0, n, n, false)
		if haveSIMD {
			e.xt = transposeTiles(e.xt, x, n, C)
			if got := angleSum(x, e.xt, C, 0, n, n, true); math.Abs(got-want) > 1e-9*want {
				t.Errorf("n=%d: SIMD angle sum %.12g, Go %.12g", n, got, want)
			}
		}
		if got := MeanAngles(delta, labels, C)[0]; math.Abs(got-want/float64(n*(n-1)/2)) > 1e-9 {
			t.Errorf("n=%d: MeanAngles %g, want %g", n, got, want/float64(n*(n-1)/2))
		}
	}
}
