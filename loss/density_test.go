package loss

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/ghl-dev/ghl"
)

// adversarial builds a δ set with identical, scaled, zero and antiparallel
// gradients and a single-sample class (class C-1), C classes.
func adversarial(r *rand.Rand, C int) ([]float32, []int) {
	var d []float32
	var l []int
	add := func(c int, v []float32) { d = append(d, v...); l = append(l, c) }
	for c := 0; c < C-1; c++ {
		base := make([]float32, C)
		for k := range base {
			base[k] = float32(r.NormFloat64())
		}
		neg := make([]float32, C)
		dbl := make([]float32, C)
		for k, v := range base {
			neg[k], dbl[k] = -v, 2*v
		}
		add(c, base)
		add(c, base)
		add(c, dbl)
		add(c, neg)
		add(c, make([]float32, C))
		add(c, make([]float32, C))
		for k := 0; k < 6; k++ {
			v := make([]float32, C)
			for q := range v {
				v[q] = base[q] + float32(0.3*float64(k)*r.NormFloat64())
			}
			add(c, v)
		}
	}
	v := make([]float32, C)
	v[0] = 1
	add(C-1, v)
	return d, l
}

func TestExactMatchesBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	C := 6
	thresholds := []float64{-0.3, 0, 1e-9, 0.2, 0.7, 1.5, math.Pi - 1e-5, math.Pi, 4}
	type input struct {
		name  string
		delta []float32
		lab   []int
	}
	var inputs []input
	d, l := adversarial(r, C)
	inputs = append(inputs, input{"adversarial", d, l})
	labels := imbalancedLabels(r, []int{300, 40, 7, 1, 0, 2})
	batch := Batch{Logits: randLogits(r, labels, C, 1.5, 2), Labels: labels, N: len(labels), C: C}
	inputs = append(inputs, input{"softmax", deltas(MSE, batch), labels})
	raw := make([]float32, len(labels)*C)
	for i := range raw {
		raw[i] = float32(r.NormFloat64())
	}
	inputs = append(inputs, input{"gaussian", raw, labels})
	for _, in := range inputs {
		for _, th := range thresholds {
			T := make([]float64, C)
			for c := range T {
				T[c] = th
			}
			want := bruteGD(in.delta, in.lab, C, T)
			for _, threads := range []int{1, 2, 3} {
				got, err := Density(in.delta, in.lab, C, T, DensityOptions{Mode: DensityExact, Threads: threads})
				if err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(got, want) {
					t.Errorf("%s T=%g threads=%d: exact %v\nbrute %v", in.name, th, threads, got, want)
				}
			}
		}
	}
}

func TestDensityProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	C := 12
	counts := []int{800, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64}
	labels := imbalancedLabels(r, counts)
	batch := Batch{Logits: randLogits(r, labels, C, 2, 1), Labels: labels, N: len(labels), C: C}
	delta := deltas(MSE, batch)
	// Make minority gradients identical: they must stay uncompressed.
	for i, y := range labels {
		if y == 3 {
			copy(delta[i*C:(i+1)*C], delta[:C])
		}
	}
	T := Thresholds(counts, 2, 1)
	if !(T[0] > 0) || !(T[3] < 0) {
		t.Fatalf("thresholds %v: want majority > 0 > minority", T)
	}
	perm := r.Perm(len(labels))
	pd := make([]float32, len(delta))
	pl := make([]int, len(labels))
	for k, i := range perm {
		pl[k] = labels[i]
		copy(pd[k*C:(k+1)*C], delta[i*C:(i+1)*C])
	}
	for _, mode := range DensityModes() {
		gd, err := Density(delta, labels, C, T, DensityOptions{Mode: mode, SampleM: 50, Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		n0 := float64(counts[0])
		for i, g := range gd {
			if !(g >= 1) || g > n0 {
				t.Errorf("%s: GD[%d] = %g outside [1, %g]", mode, i, g, n0)
			}
			if labels[i] != 0 && g != 1 {
				t.Errorf("%s: minority sample %d (T=%g) has GD %g, want 1", mode, i, T[labels[i]], g)
			}
		}
		if mode == DensitySampled {
			continue // references depend on positions
		}
		pg, err := Density(pd, pl, C, T, DensityOptions{Mode: mode})
		if err != nil {
			t.Fatal(err)
		}
		for k, i := range perm {
			if pg[k] != gd[i] {
				t.Errorf("%s: permuted GD[%d] = %g, want %g", mode, k, pg[k], gd[i])
				break
			}
		}
	}
}

// brute2D counts neighbours in the plane2d projection pair by pair.
func brute2D(delta []float32, labels []int, C int, T []float64, pca bool) []float64 {
	var e Estimator
	if err := e.group(delta, labels, C); err != nil {
		panic(err)
	}
	gd := make([]float64, len(labels))
	for i := range gd {
		gd[i] = 1
	}
	for c := 0; c < C; c++ {
		lo, n := e.start[c], e.nz[c]-e.start[c]
		if n < 2 || T[c] < 0 {
			continue
		}
		cl := class{x: e.x[lo*C : (lo+n)*C], ord: e.order[lo : lo+n], C: C, c: c}
		keys := project2d(nil, cl, pca)
		for _, a := range keys {
			for _, b := range keys {
				if a.row == b.row {
					continue
				}
				ca, sa := math.Cos(a.phi), math.Sin(a.phi)
				cb, sb := math.Cos(b.phi), math.Sin(b.phi)
				if math.Acos(max(-1, min(1, ca*cb+sa*sb))) <= T[c]+TieTol {
					gd[cl.ord[a.row]]++
				}
			}
		}
	}
	return gd
}

func TestPlane2DMatchesBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	C := 12
	labels := imbalancedLabels(r, []int{500, 30, 30, 30, 1, 30, 30, 30, 30, 30, 30, 30})
	batch := Batch{Logits: randLogits(r, labels, C, 2, 2), Labels: labels, N: len(labels), C: C}
	delta := deltas(RMSE, batch)
	for _, mode := range []string{DensityPlane2D, DensityPlanePCA} {
		for _, th := range []float64{-1, 0, 0.05, 0.4, 1.2, 3, math.Pi} {
			T := make([]float64, C)
			for c := range T {
				T[c] = th
			}
			got, err := Density(delta, labels, C, T, DensityOptions{Mode: mode})
			if err != nil {
				t.Fatal(err)
			}
			want := brute2D(delta, labels, C, T, mode == DensityPlanePCA)
			if th+TieTol >= math.Pi {
				want = bruteGD(delta, labels, C, T) // everyone, by definition
			}
			if !slices.Equal(got, want) {
				t.Errorf("%s T=%g: differs from the brute-force 2-D count", mode, th)
			}
		}
	}
}

func TestPlane2DExactForThreeClasses(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	C := 3
	labels := imbalancedLabels(r, []int{400, 50, 20})
	batch := Batch{Logits: randLogits(r, labels, C, 1, 2), Labels: labels, N: len(labels), C: C}
	for _, b := range []Base{MSE, CrossEntropy} {
		delta := deltas(b, batch)
		for _, th := range []float64{0.01, 0.3, 1, 2.5} {
			T := []float64{th, th, th}
			ex, _ := Density(delta, labels, C, T, DensityOptions{Mode: DensityExact})
			for _, mode := range []string{DensityPlane2D, DensityPlanePCA} {
				p2, _ := Density(delta, labels, C, T, DensityOptions{Mode: mode})
				if !slices.Equal(ex, p2) {
					t.Errorf("%v T=%g: %s != exact for C = 3", b, th, mode)
				}
			}
		}
	}
}

// TestSampledUnbiased averages ĜD over many seeds: each mean must lie within
// 5 standard errors of the exact GD, and the error must shrink with M.
func TestSampledUnbiased(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	C := 4
	labels := imbalancedLabels(r, []int{300, 10, 10, 10})
	batch := Batch{Logits: randLogits(r, labels, C, 1, 1.5), Labels: labels, N: len(labels), C: C}
	delta := deltas(MSE, batch)
	T := []float64{0.5, 0.5, 0.5, 0.5}
	exact, _ := Density(delta, labels, C, T, DensityOptions{})
	const seeds = 300
	prev := math.Inf(1)
	for _, M := range []int{8, 32, 128} {
		e, err := NewEstimator(DensityOptions{Mode: DensitySampled, SampleM: M})
		if err != nil {
			t.Fatal(err)
		}
		sum := make([]float64, len(labels))
		sq := make([]float64, len(labels))
		gd := make([]float64, len(labels))
		meanAbs := 0.0
		for s := uint64(0); s < seeds; s++ {
			e.SetSeed(s)
			if err := e.GD(gd, delta, labels, C, T); err != nil {
				t.Fatal(err)
			}
			for i, g := range gd {
				sum[i] += g
				sq[i] += g * g
				meanAbs += math.Abs(1/g-1/exact[i]) / float64(len(gd)*seeds)
			}
		}
		bad := 0
		for i := range sum {
			m := sum[i] / seeds
			se := math.Sqrt(max(sq[i]/seeds-m*m, 0) / seeds)
			if math.Abs(m-exact[i]) > 5*se+1e-9 {
				bad++
			}
		}
		if bad > 0 {
			t.Errorf("M=%d: %d of %d samples' mean ĜD off by > 5 SE", M, bad, len(sum))
		}
		if meanAbs >= prev {
			t.Errorf("M=%d: mean |w − w_exact| %g did not shrink (was %g)", M, meanAbs, prev)
		}
		prev = meanAbs
	}
	if prev > 0.05 {
		t.Errorf("M=128: mean |w − w_exact| = %g > 0.05", prev)
	}
}

func TestSampledDeterministic(t *testing.T) {
	r := rand.New(rand.NewPCG(15, 16))
	C := 5
	labels := imbalancedLabels(r, []int{5000, 20, 20, 20, 20})
	batch := Batch{Logits: randLogits(r, labels, C, 1, 1.5), Labels: labels, N: len(labels), C: C}
	delta := deltas(MSE, batch)
	T := []float64{0.4, 0.4, 0.4, 0.4, 0.4}
	var first []float64
	for _, th := range []int{1, 2, 4} {
		gd, err := Density(delta, labels, C, T, DensityOptions{Mode: DensitySampled, SampleM: 64, Seed: 3, Threads: th})
		if err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = gd
		} else if !slices.Equal(first, gd) {
			t.Errorf("threads=%d: sampled result changed", th)
		}
	}
}

func TestDensityErrors(t *testing.T) {
	for _, o := range []DensityOptions{{Mode: "fast"}, {SampleM: -1}, {SampleM: 1}, {Threads: -2}} {
		if _, err := NewEstimator(o); !errors.Is(err, ghl.ErrUsage) {
			t.Errorf("%+v: error %v, want ErrUsage", o, err)
		}
	}
	for name, f := range map[string]func() error{
		"size": func() error {
			_, err := Density([]float32{1, 2, 3}, []int{0, 1}, 2, []float64{0, 0}, DensityOptions{})
			return err
		},
		"label": func() error {
			_, err := Density([]float32{1, 2}, []int{3}, 2, []float64{0, 0}, DensityOptions{})
			return err
		},
		"nan threshold": func() error {
			_, err := Density([]float32{1, 2}, []int{0}, 2, []float64{math.NaN(), 0}, DensityOptions{})
			return err
		},
		"inf delta": func() error {
			_, err := Density([]float32{float32(math.Inf(1)), 2}, []int{0}, 2, []float64{0, 0}, DensityOptions{})
			return err
		},
	} {
		if err := f(); !errors.Is(err, ghl.ErrBadInput) {
			t.Errorf("%s: error %v, want ErrBadInput", name, err)
		}
	}
}

func ExampleDensity() {
	// Three gradients of class 0: two 10° apart, one opposite.
	rad := math.Pi / 180
	delta := []float32{
		1, 0, -1,
		float32(math.Cos(10 * rad)), float32(math.Sin(10 * rad)), -float32(math.Cos(10*rad) + math.Sin(10*rad)),
		-1, 0, 1,
	}
	labels := []int{0, 0, 0}
	gd, err := Density(delta, labels, 3, []float64{0.5, 0, 0}, DensityOptions{Mode: DensityExact})
	if err != nil {
		panic(err)
	}
	fmt.Println(gd)
	// Output: [2 2 1]
}

// TestExactKernelsAgree runs the SIMD and the pure-Go exact kernels on
// class sizes around the tile and group edges (SIMD absent: both are Go).
func TestExactKernelsAgree(t *testing.T) {
	r := rand.New(rand.NewPCG(25, 26))
	C := 7
	sizes := []int{1, 2, 3, 4, 5, 7, 8, 9, 95, 96, 97, 191, 193, 250}
	for _, n := range sizes {
		counts := make([]int, C)
		counts[0], counts[1] = n, 3
		labels := imbalancedLabels(r, counts)
		delta := make([]float32, len(labels)*C)
		for i := range delta {
			delta[i] = float32(r.NormFloat64())
		}
		for _, th := range []float64{0, 0.8, 1.6, 2.5} {
			T := []float64{th, th, th, th, th, th, th}
			var got [2][]float64
			for k, scalar := range []bool{false, true} {
				e, err := NewEstimator(DensityOptions{Threads: 2})
				if err != nil {
					t.Fatal(err)
				}
				e.scalar = scalar
				got[k] = make([]float64, len(labels))
				if err := e.GD(got[k], delta, labels, C, T); err != nil {
					t.Fatal(err)
				}
			}
			if !slices.Equal(got[0], got[1]) {
				t.Errorf("n=%d T=%g: SIMD and Go kernels differ", n, th)
			}
			if want := bruteGD(delta, labels, C, T); !slices.Equal(got[0], want) {
				t.Errorf("n=%d T=%g: exact differs from brute force", n, th)
			}
		}
	}
}
