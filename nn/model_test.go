package nn

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/ghl-dev/ghl"
)

// randInput returns n samples of length w with values N(0,1).
func randInput(seed uint64, n, w int) []float32 {
	r := rand.New(rand.NewPCG(seed, 7))
	x := make([]float32, n*w)
	for i := range x {
		x[i] = float32(r.NormFloat64())
	}
	return x
}

// trainSteps trains m for steps Adam steps on x with the MSE-on-softmax
// loss, back-propagating keep (nil: all).
func trainSteps(t testing.TB, m *Model, x []float32, labels []int, keep []int, steps int) {
	t.Helper()
	opt := NewAdam(AdamConfig{LR: 1e-3})
	d := make([]float32, len(labels)*m.Classes())
	for range steps {
		z, err := m.Forward(x, len(labels))
		if err != nil {
			t.Fatal(err)
		}
		MSESoftmaxGrad(d, z, labels, m.Classes())
		m.ZeroGrad()
		if err := m.Backward(d, keep); err != nil {
			t.Fatal(err)
		}
		if err := opt.Step(m.Params()); err != nil {
			t.Fatal(err)
		}
	}
}

// TestThreadsBitIdentical: the same seed gives bit-identical weights after
// several steps whatever the thread count (run it with -race too).
func TestThreadsBitIdentical(t *testing.T) {
	const n, w = 77, 96 // 3 blocks, the last one partial
	x := randInput(3, n, w)
	labels := make([]int, n)
	for i := range labels {
		labels[i] = i % 5
	}
	var keep []int
	for i := range n {
		if i%3 != 1 {
			keep = append(keep, i)
		}
	}
	for _, k := range [][]int{nil, keep} {
		var ref []float32
		for _, threads := range []int{1, 2, 3, 8} {
			m, err := NewDCNN(DCNNConfig{InputLen: w, Classes: 5, Seed: 42})
			if err != nil {
				t.Fatal(err)
			}
			m.SetThreads(threads)
			trainSteps(t, m, x, labels, k, 3)
			got := m.Snapshot()
			if ref == nil {
				ref = got
				continue
			}
			for i := range got {
				if math.Float32bits(got[i]) != math.Float32bits(ref[i]) {
					t.Fatalf("keep=%v threads=%d: weight %d = %v, threads=1 gave %v", k != nil, threads, i, got[i], ref[i])
				}
			}
		}
	}
}

// TestBackwardSubset: back-propagating a subset equals back-propagating
// everything with the other samples' gradients zeroed, and never reads
// the skipped samples' gradient rows.
func TestBackwardSubset(t *testing.T) {
	const n, w, c = 40, 64, 3
	m, err := NewDCNN(DCNNConfig{InputLen: w, Classes: c, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	x := randInput(5, n, w)
	if _, err := m.Forward(x, n); err != nil {
		t.Fatal(err)
	}
	d := make([]float32, n*c)
	r := rand.New(rand.NewPCG(9, 9))
	for i := range d {
		d[i] = float32(r.NormFloat64())
	}
	keep := []int{39, 3, 17, 0, 22}
	masked := make([]float32, n*c)
	poisoned := make([]float32, n*c)
	for i := range poisoned {
		poisoned[i] = float32(math.NaN())
	}
	for _, k := range keep {
		copy(masked[k*c:(k+1)*c], d[k*c:(k+1)*c])
		copy(poisoned[k*c:(k+1)*c], d[k*c:(k+1)*c])
	}
	m.ZeroGrad()
	if err := m.Backward(masked, nil); err != nil {
		t.Fatal(err)
	}
	want := append([]float32(nil), m.flatG...)
	m.ZeroGrad()
	if err := m.Backward(poisoned, keep); err != nil {
		t.Fatal(err)
	}
	for i, g := range m.flatG {
		if math.IsNaN(float64(g)) || math.Abs(float64(g-want[i])) > 1e-5*(1+math.Abs(float64(want[i]))) {
			t.Fatalf("gradient %d: subset %v, masked full batch %v", i, g, want[i])
		}
	}
	// Accumulation: a second Backward doubles the gradient.
	if err := m.Backward(poisoned, keep); err != nil {
		t.Fatal(err)
	}
	for i, g := range m.flatG {
		if math.Abs(float64(g-2*want[i])) > 1e-5*(1+math.Abs(float64(want[i]))) {
			t.Fatalf("gradient %d after two Backward calls: %v, want %v", i, g, 2*want[i])
		}
	}
	for _, bad := range [][]int{{40}, {-1}, {3, 3}} {
		if err := m.Backward(d, bad); !errors.Is(err, ghl.ErrUsage) {
			t.Errorf("Backward(keep=%v) error %v, want ErrUsage", bad, err)
		}
	}
}

// TestInferMatchesForward: Infer gives bit-identical logits to Forward, in
// any chunking, without disturbing the activations Backward needs.
func TestInferMatchesForward(t *testing.T) {
	const n, w, c = 70, 256, 4
	m, err := NewDCNN(DCNNConfig{InputLen: w, Classes: c, Seed: 2, Padding: "valid"})
	if err != nil {
		t.Fatal(err)
	}
	x := randInput(6, n, w)
	z, err := m.Forward(x, n)
	if err != nil {
		t.Fatal(err)
	}
	want := append([]float32(nil), z...)
	got, err := m.Infer(x, n, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := range want {
		if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
			t.Fatalf("logit %d: Infer %v, Forward %v", i, got[i], want[i])
		}
	}
	for i := range z {
		if z[i] != want[i] {
			t.Fatal("Infer changed the cached forward activations")
		}
	}
	if _, err := m.Infer(x[:10], 1, nil); !errors.Is(err, ghl.ErrUsage) {
		t.Errorf("Infer with a short input: %v, want ErrUsage", err)
	}
}

// TestModelGradient checks the whole network's parameter gradients against
// central finite differences of L = Σ logits·R.
func TestModelGradient(t *testing.T) {
	const n, w, c = 3, 64, 4
	m, err := NewDCNN(DCNNConfig{InputLen: w, Classes: c, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	x := randInput(8, n, w)
	r := rand.New(rand.NewPCG(4, 4))
	R := make([]float32, n*c)
	for i := range R {
		R[i] = float32(r.NormFloat64())
	}
	loss := func() float64 {
		z, err := m.Infer(x, n, nil)
		if err != nil {
			t.Fatal(err)
		}
		var s float64
		for i, v := range z {
			s += float64(v) * float64(R[i])
		}
		return s
	}
	if _, err := m.Forward(x, n); err != nil {
		t.Fatal(err)
	}
	m.ZeroGrad()
	if err := m.Backward(R, nil); err != nil {
		t.Fatal(err)
	}
	// Piecewise-linear network: a few probes may cross a ReLU or pooling
	// kink, so compare the vectors of all probes, not each one.
	var num, diff float64
	for _, p := range m.Params() {
		for _, k := range r.Perm(len(p.W))[:min(len(p.W), 40)] {
			old := p.W[k]
			const h = 1e-3
			p.W[k] = old + h
			lp := loss()
			p.W[k] = old - h
			lm := loss()
			p.W[k] = old
			fd := (lp - lm) / (float64(old+h) - float64(old-h))
			num += fd * fd
			diff += (fd - float64(p.G[k])) * (fd - float64(p.G[k]))
		}
	}
	if rel := math.Sqrt(diff / num); rel > 1e-2 || num == 0 {
		t.Errorf("relative L2 error of the model gradient %.3g (> 1e-2)", rel)
	}
}

func TestDCNNShapeAndFLOPs(t *testing.T) {
	m, err := NewDCNN(DCNNConfig{InputLen: 1024, Classes: 12, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]int{
		"conv1.weight": {49, 1, 16}, "conv1.bias": {16},
		"conv2.weight": {21, 16, 16}, "conv2.bias": {16},
		"fc1.weight": {1024, 100}, "fc1.bias": {100},
		"fc2.weight": {100, 12}, "fc2.bias": {12},
	}
	for _, p := range m.Params() {
		if w, ok := want[p.Name]; !ok || len(w) != len(p.Shape) {
			t.Errorf("param %s shape %v, want %v", p.Name, p.Shape, w)
		} else {
			for i := range w {
				if w[i] != p.Shape[i] {
					t.Errorf("param %s shape %v, want %v", p.Name, p.Shape, w)
				}
			}
		}
	}
	if len(m.Params()) != len(want) || m.NumParams() != 784+16+5376+16+102400+100+1200+12 {
		t.Errorf("%d params, %d values", len(m.Params()), m.NumParams())
	}
	fwd, train := m.FLOPs()
	// conv1 2·1024·49·16, conv2 2·256·21·16·16, fc1 2·1024·100, fc2 2·100·12;
	// training adds the weight gradients of all four and the input
	// gradients of all but conv1.
	wf := 2 * (1024*49*16 + 256*21*16*16 + 1024*100 + 100*12.0)
	wt := wf + wf + 2*(256*21*16*16+1024*100+100*12.0)
	if fwd != wf || train != wt {
		t.Errorf("FLOPs = %v, %v, want %v, %v", fwd, train, wf, wt)
	}
	if math.Abs(train/1e6-12.1) > 0.05 {
		t.Errorf("training FLOPs %.3g M, issue 3 says about 12.1 M", train/1e6)
	}
}

func TestSnapshotRestore(t *testing.T) {
	m, _ := NewDCNN(DCNNConfig{InputLen: 64, Classes: 3, Seed: 1})
	s := m.Snapshot()
	m.Params()[0].W[0] += 1
	if err := m.Restore(s); err != nil {
		t.Fatal(err)
	}
	if m.Params()[0].W[0] != s[0] {
		t.Error("Restore did not restore")
	}
	if err := m.Restore(s[1:]); !errors.Is(err, ghl.ErrUsage) {
		t.Errorf("Restore of a wrong length: %v", err)
	}
}

// BenchmarkTrainStep times whole training steps of the DCNN (forward,
// loss, backward, Adam) at batch 256 and at the full batch of Set 1 (3904).
func BenchmarkTrainStep(b *testing.B) {
	for _, batch := range []int{256, 3904} {
		b.Run(fmt.Sprintf("batch=%d", batch), func(b *testing.B) {
			m, err := NewDCNN(DCNNConfig{InputLen: 1024, Classes: 12, Seed: 1})
			if err != nil {
				b.Fatal(err)
			}
			x := randInput(1, batch, 1024)
			labels := make([]int, batch)
			for i := range labels {
				labels[i] = i % 12
			}
			trainSteps(b, m, x, labels, nil, 1)
			_, flops := m.FLOPs()
			b.ReportAllocs()
			b.ResetTimer()
			trainSteps(b, m, x, labels, nil, b.N)
			sps := float64(batch*b.N) / b.Elapsed().Seconds()
			b.ReportMetric(sps, "samples/s")
			b.ReportMetric(sps*flops/1e9, "GFLOP/s")
			b.ReportMetric(float64(PeakRSS())/(1<<20), "peakRSS-MiB")
		})
	}
}

// BenchmarkInfer times Infer of the DCNN on 1024 samples.
func BenchmarkInfer(b *testing.B) {
	const n = 1024
	m, _ := NewDCNN(DCNNConfig{InputLen: 1024, Classes: 12, Seed: 1})
	x := randInput(1, n, 1024)
	out := make([]float32, n*12)
	fwd, _ := m.FLOPs()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := m.Infer(x, n, out); err != nil {
			b.Fatal(err)
		}
	}
	sps := float64(n*b.N) / b.Elapsed().Seconds()
	b.ReportMetric(sps, "samples/s")
	b.ReportMetric(sps*fwd/1e9, "GFLOP/s")
}

// TestSequentialVariants checks models other than the DCNN: no dense
// layer, a dense first layer, a ReLU first, a ReLU not followed by a pool,
// pools of other sizes: the gradient against finite differences, Infer
// against Forward, and the thread count's irrelevance.
func TestSequentialVariants(t *testing.T) {
	for _, tc := range []struct {
		name   string
		in     Shape
		layers func() []Layer
	}{
		{"conv only", Shape{20, 2}, func() []Layer {
			return []Layer{&Conv1D{Filters: 3, Kernel: 3, Padding: "same"}, &ReLU{}, &Conv1D{Filters: 2, Kernel: 5, Padding: "valid"}}
		}},
		{"dense first", Shape{6, 2}, func() []Layer {
			return []Layer{&Dense{Units: 7}, &ReLU{}, &Dense{Units: 3}}
		}},
		{"relu first, pool 3, conv after relu", Shape{30, 1}, func() []Layer {
			return []Layer{&ReLU{}, &Conv1D{Filters: 4, Kernel: 3, Padding: "same"}, &ReLU{},
				&Conv1D{Filters: 3, Kernel: 2, Padding: "same"}, &ReLU{}, &MaxPool1D{Size: 3},
				&Flatten{}, &Dense{Units: 5}, &Dense{Units: 2}}
		}},
		{"pool without relu, pool after dense", Shape{16, 3}, func() []Layer {
			return []Layer{&Conv1D{Filters: 4, Kernel: 3, Padding: "same"}, &MaxPool1D{Size: 2},
				&Flatten{}, &Dense{Units: 8}, &MaxPool1D{Size: 1}, &ReLU{}, &Dense{Units: 3}}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			const n = 37
			x := randInput(2, n, tc.in.Size())
			var ref []float32
			for _, threads := range []int{1, 2} {
				m, err := NewSequential(tc.in, 3, tc.layers()...)
				if err != nil {
					t.Fatal(err)
				}
				m.SetThreads(threads)
				// Non-zero biases: with zero biases and a ReLU first, many
				// convolution outputs sit exactly on a ReLU's kink.
				copy(m.flatW, randInput(9, 1, len(m.flatW)))
				c := m.Classes()
				z, err := m.Forward(x, n)
				if err != nil {
					t.Fatal(err)
				}
				zi, _ := m.Infer(x, n, nil)
				for i := range zi {
					if math.Float32bits(zi[i]) != math.Float32bits(z[i]) {
						t.Fatalf("Infer logit %d = %v, Forward %v", i, zi[i], z[i])
					}
				}
				R := randInput(4, n, c)
				m.ZeroGrad()
				if err := m.Backward(R, nil); err != nil {
					t.Fatal(err)
				}
				if ref == nil {
					ref = append([]float32(nil), m.flatG...)
				} else if relErr(m.flatG, ref) != 0 {
					t.Fatal("gradients differ between 1 and 2 threads")
				}
				var num, diff float64
				for _, p := range m.Params() {
					for k := range p.W {
						old := p.W[k]
						const h = 1e-3
						p.W[k] = old + h
						zp, _ := m.Infer(x, n, nil)
						p.W[k] = old - h
						zm, _ := m.Infer(x, n, nil)
						p.W[k] = old
						var lp, lm float64
						for i := range zp {
							lp += float64(zp[i]) * float64(R[i])
							lm += float64(zm[i]) * float64(R[i])
						}
						fd := (lp - lm) / (float64(old+h) - float64(old-h))
						num += fd * fd
						diff += (fd - float64(p.G[k])) * (fd - float64(p.G[k]))
					}
				}
				if rel := math.Sqrt(diff / num); !(rel < 1e-2) {
					t.Errorf("relative L2 error of the gradient %.3g", rel)
				}
			}
		})
	}
}

// BenchmarkBackwardKept times Backward alone at batch 3904 with all samples
// kept and with one in ten (GHL's elimination): skipped samples cost nothing.
func BenchmarkBackwardKept(b *testing.B) {
	const n = 3904
	m, _ := NewDCNN(DCNNConfig{InputLen: 1024, Classes: 12, Seed: 1})
	x := randInput(1, n, 1024)
	if _, err := m.Forward(x, n); err != nil {
		b.Fatal(err)
	}
	d := randInput(2, n, 12)
	for _, every := range []int{1, 10} {
		var keep []int
		for i := 0; i < n; i += every {
			keep = append(keep, i)
		}
		b.Run(fmt.Sprintf("kept=1/%d", every), func(b *testing.B) {
			for b.Loop() {
				if err := m.Backward(d, keep); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(keep)*b.N)/b.Elapsed().Seconds(), "kept-samples/s")
		})
	}
}
