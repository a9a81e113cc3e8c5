package loss_test

import (
	"fmt"

	"github.com/ghl-dev/ghl/loss"
)

// Set 1's thresholds (Eq. 13 at α = 1, γ = 1): the 3200-window majority
// gets ≈ 0.5 rad, every 64-window fault class a negative threshold, i.e.
// no compression.
func ExampleThresholds() {
	counts := []int{3200, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64}
	t := loss.Thresholds(counts, 1, 1)
	fmt.Printf("NC %.3f rad, faults %.3f rad\n", t[0], t[1])
	// Output: NC 0.500 rad, faults -0.482 rad
}

// The curve of the paper's Fig. 2: threshold against class share, C = 12.
func ExampleThresholdCurve() {
	shares := []float64{0, 1.0 / 12, 0.2, 0.5, 1}
	for i, t := range loss.ThresholdCurve(12, 1, 1, shares) {
		fmt.Printf("share %.3f: %+.3f\n", shares[i], t)
	}
	// Output:
	// share 0.000: -0.493
	// share 0.083: +0.000
	// share 0.200: +0.499
	// share 0.500: +0.500
	// share 1.000: +0.500
}

// One full-batch step of the literal rule and of our balanced variant on a
// toy batch: three near-identical majority samples and one minority sample.
// The literal rule makes the majority weigh about one sample; the balanced
// variant keeps each class's total at N/C.
func ExampleNew() {
	batch := loss.Batch{
		Logits: []float32{
			2, 0, 0.1,
			2, 0, 0.11,
			2, 0, 0.12,
			0, 1, 0,
		},
		Labels: []int{0, 0, 0, 1},
		N:      4, C: 3,
	}
	ctx := &loss.Context{ClassCounts: []int{3, 1, 0}, PrevF1: 1, Full: true}
	for _, name := range []string{loss.GHLPaper, loss.GHL} {
		opt := loss.DefaultOptions()
		opt.Epsilon = 0 // keep every sample in this tiny example
		s, err := loss.New(name, opt)
		if err != nil {
			panic(err)
		}
		out, err := s.Apply(batch, ctx)
		if err != nil {
			panic(err)
		}
		fmt.Printf("%-10s GD %v weights %.3f\n", s.Name(), out.Density, out.Weights)
	}
	// Output:
	// ghl-paper  GD [3 3 3 1] weights [0.333 0.333 0.333 1.000]
	// ghl        GD [3 3 3 1] weights [0.667 0.667 0.667 2.000]
}

// Mean within-class gradient angle (Eq. 18), per class, for Fig. 3.
func ExampleMeanAngles() {
	delta := []float32{
		1, -1, 0, // class 0
		1, 0, -1, // class 0, 60° away
		-1, 1, 0, // class 1, alone
	}
	a := loss.MeanAngles(delta, []int{0, 0, 1}, 3)
	fmt.Printf("%.1f° %.1f° %.1f°\n", a[0]*180/3.141592653589793, a[1], a[2])
	// Output: 60.0° 0.0° 0.0°
}

// An Estimator reused across training iterations keeps its scratch
// buffers; the sampled mode is reseeded each iteration.
func ExampleEstimator() {
	e, err := loss.NewEstimator(loss.DensityOptions{Mode: loss.DensitySampled, SampleM: 2})
	if err != nil {
		panic(err)
	}
	// Five gradients of class 0, four of them nearly parallel.
	delta := []float32{
		1, -1, 0,
		1, -0.9, -0.1,
		0.9, -1, 0.1,
		1, -1.1, 0.1,
		-1, 0, 1,
	}
	labels := []int{0, 0, 0, 0, 0}
	gd := make([]float64, len(labels))
	for it := uint64(0); it < 2; it++ {
		e.SetSeed(it)
		if err := e.GD(gd, delta, labels, 3, []float64{0.3, 0, 0}); err != nil {
			panic(err)
		}
		fmt.Println(gd[4]) // the odd one out: no neighbour among any references
	}
	// Output:
	// 1
	// 1
}
