package loss

import (
	"fmt"
	"math/rand/v2"
	"os"
	"testing"
	"time"

	"github.com/ghl-dev/ghl/loss/internal/cputime"
)

// trainingLike returns MSE gradients of a partly trained 12-class model:
// a majority class of nMaj samples and 11 classes of 64, logits = a
// label-dependent mean plus noise, so that the majority's gradients spread
// over a cone, as in training.
func trainingLike(nMaj int, seed uint64) (delta []float32, labels []int, counts []int) {
	r := rand.New(rand.NewPCG(seed, 1))
	C := 12
	counts = make([]int, C)
	counts[0] = nMaj
	for c := 1; c < C; c++ {
		counts[c] = 64
	}
	labels = imbalancedLabels(r, counts)
	batch := Batch{Logits: randLogits(r, labels, C, 2, 1), Labels: labels, N: len(labels), C: C}
	return deltas(MSE, batch), labels, counts
}

func BenchmarkDensity(b *testing.B) {
	long := os.Getenv("GHL_LONG") == "1"
	for _, n := range []int{3200, 32000, 320000, 1000000} {
		var delta []float32
		var labels []int
		var T []float64
		for _, mode := range DensityModes() {
			if mode == DensityExact && n > 32000 && !long {
				continue // minutes per run: GHL_LONG=1
			}
			b.Run(fmt.Sprintf("%s/Nc=%d", mode, n), func(b *testing.B) {
				if delta == nil {
					var counts []int
					delta, labels, counts = trainingLike(n, 1)
					T = Thresholds(counts, 1, 1)
				}
				benchGD(b, DensityOptions{Mode: mode, Seed: 1}, delta, labels, T)
			})
		}
	}
}

func BenchmarkMeanAngles(b *testing.B) {
	for _, n := range []int{3200} {
		delta, labels, _ := trainingLike(n, 2)
		b.Run(fmt.Sprintf("Nc=%d", n), func(b *testing.B) {
			cpu := cputime.Now()
			for b.Loop() {
				MeanAngles(delta, labels, 12)
			}
			reportCPU(b, cpu)
		})
	}
}

// benchGD times Estimator.GD with its scratch already grown.
func benchGD(b *testing.B, opt DensityOptions, delta []float32, labels []int, T []float64) {
	e, err := NewEstimator(opt)
	if err != nil {
		b.Fatal(err)
	}
	gd := make([]float64, len(labels))
	if err := e.GD(gd, delta, labels, len(T), T); err != nil {
		b.Fatal(err)
	}
	cpu := cputime.Now()
	for b.Loop() {
		if err := e.GD(gd, delta, labels, len(T), T); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, cpu)
}

// BenchmarkExactThreshold is the exact mode at N_c = 3200 and 32000 with a
// wide (γ = 1, T = 0.5 rad) and a narrow (γ = 0.2, T = 0.1 rad) majority
// threshold: with branch-free counting the cost should not depend on T.
func BenchmarkExactThreshold(b *testing.B) {
	for _, n := range []int{3200, 32000} {
		delta, labels, counts := trainingLike(n, 1)
		for _, gamma := range []float64{1, 0.2} {
			T := Thresholds(counts, 1, gamma)
			b.Run(fmt.Sprintf("Nc=%d/T=%.1f", n, T[0]), func(b *testing.B) {
				benchGD(b, DensityOptions{Mode: DensityExact}, delta, labels, T)
			})
		}
	}
}

// BenchmarkApply is one full-batch Set 1 step of each scheme (3904 samples).
func BenchmarkApply(b *testing.B) {
	r := rand.New(rand.NewPCG(3, 1))
	counts := []int{3200, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64}
	labels := imbalancedLabels(r, counts)
	batch := Batch{Logits: randLogits(r, labels, 12, 2, 1), Labels: labels, N: len(labels), C: 12}
	ctx := &Context{ClassCounts: counts, PrevF1: 0.6, Full: true}
	for _, name := range Names() {
		b.Run(name, func(b *testing.B) {
			s, err := New(name, DefaultOptions())
			if err != nil {
				b.Fatal(err)
			}
			if _, err := s.Apply(batch, ctx); err != nil {
				b.Fatal(err)
			}
			cpu := cputime.Now()
			for b.Loop() {
				if _, err := s.Apply(batch, ctx); err != nil {
					b.Fatal(err)
				}
			}
			reportCPU(b, cpu)
		})
	}
}

// reportCPU adds the CPU time per operation since start (all goroutines,
// GC included) as the metric cpu-ms/op.
func reportCPU(b *testing.B, start time.Duration) {
	b.ReportMetric(float64(cputime.Now()-start)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
}
