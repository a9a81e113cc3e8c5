package kernel

import (
	"math/rand/v2"
	"runtime"
	"testing"
	"time"
)

// The benchmarks run each kernel single-threaded at the DCNN's shapes, on
// every path this machine can run, and report GFLOP/s (2 per multiply-add,
// counting the zero-padded taps as work, as the model's 12.1 MFLOP/sample
// figure does). Wall-clock rates are noisy when other processes share the
// cores, so on Linux they also report cpu-GFLOP/s: the same work divided by
// the CPU time of the benchmark's (locked) thread, which time-slicing does
// not inflate.

var benchConv = []struct {
	name string
	convShape
}{
	{"conv1", convShape{1024, 1, 16, 49, 24, 1024}},
	{"conv2", convShape{256, 16, 16, 21, 10, 256}},
}

var benchDense = []struct {
	name string
	denseShape
}{
	{"dense1_n64", denseShape{64, 1024, 100}},
	{"dense1_n256", denseShape{256, 1024, 100}},
	{"dense2_n256", denseShape{256, 100, 12}},
}

func benchSlice(n int) []float32 {
	rng := rand.New(rand.NewPCG(7, uint64(n)))
	s := make([]float32, n)
	for i := range s {
		s[i] = float32(rng.NormFloat64())
	}
	return s
}

// loop runs f b.N times on one locked OS thread and reports its rate,
// flops per call, as GFLOP/s and (on Linux) cpu-GFLOP/s.
func loop(b *testing.B, flops float64, f func()) { loopRate(b, flops, "GFLOP/s", f) }

// loopRate is loop for work counted in other units (giga-units per second).
func loopRate(b *testing.B, work float64, unit string, f func()) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	cpu0, ok := threadCPU()
	for b.Loop() {
		f()
	}
	cpu1, _ := threadCPU()
	total := work * float64(b.N) / 1e9
	b.ReportMetric(total/b.Elapsed().Seconds(), unit)
	if ok && cpu1 > cpu0 {
		b.ReportMetric(total/(cpu1-cpu0).Seconds(), "cpu-"+unit)
	}
}

func BenchmarkConv(b *testing.B) {
	for _, kp := range paths() {
		for _, bc := range benchConv {
			win, cin, cout, k, pad, wout := bc.win, bc.cin, bc.cout, bc.k, bc.pad, bc.wout
			in, w, bias := benchSlice(win*cin), benchSlice(k*cin*cout), benchSlice(cout)
			out, dout := benchSlice(wout*cout), benchSlice(wout*cout)
			din, dw, db := benchSlice(win*cin), benchSlice(k*cin*cout), benchSlice(cout)
			flops := 2 * float64(wout*cout*k*cin)
			b.Run("forward/"+kp.name+"/"+bc.name, func(b *testing.B) {
				loop(b, flops, func() { kp.convForward(out, in, w, bias, win, cin, cout, k, pad, wout) })
			})
			b.Run("backinput/"+kp.name+"/"+bc.name, func(b *testing.B) {
				loop(b, 2*float64(win*cin*k*cout), func() { kp.convBackwardInput(din, dout, w, win, cin, cout, k, pad, wout) })
			})
			wf := benchSlice(k * cin * cout)
			b.Run("backinputflipped/"+kp.name+"/"+bc.name, func(b *testing.B) {
				loop(b, 2*float64(win*cin*k*cout), func() { kp.convBackwardInputFlipped(din, dout, wf, win, cin, cout, k, pad, wout) })
			})
			b.Run("backweight/"+kp.name+"/"+bc.name, func(b *testing.B) {
				loop(b, flops, func() { kp.convBackwardWeight(dw, db, in, dout, win, cin, cout, k, pad, wout) })
			})
		}
	}
}

func BenchmarkDense(b *testing.B) {
	for _, kp := range paths() {
		for _, bd := range benchDense {
			n, nin, nout := bd.n, bd.nin, bd.nout
			in, w, bias, out := benchSlice(n*nin), benchSlice(nin*nout), benchSlice(nout), benchSlice(n*nout)
			din, dw, db := benchSlice(n*nin), benchSlice(nin*nout), benchSlice(nout)
			flops := 2 * float64(n*nin*nout)
			b.Run("forward/"+kp.name+"/"+bd.name, func(b *testing.B) {
				loop(b, flops, func() { kp.denseForward(out, in, w, bias, n, nin, nout) })
			})
			b.Run("backinput/"+kp.name+"/"+bd.name, func(b *testing.B) {
				loop(b, flops, func() { kp.denseBackwardInput(din, out, w, n, nin, nout) })
			})
			b.Run("backweight/"+kp.name+"/"+bd.name, func(b *testing.B) {
				loop(b, flops, func() { kp.denseBackwardWeight(dw, db, in, out, n, nin, nout) })
			})
		}
	}
}

// BenchmarkMaxPool times the DCNN's two poolings (window 4, 16 channels,
// fused ReLU, argmax kept) in input elements per second.
func BenchmarkMaxPool(b *testing.B) {
	for _, kp := range paths() {
		for _, bp := range []struct {
			name string
			win  int
		}{{"pool1", 1024}, {"pool2", 256}} {
			const c, s = 16, 4
			wout := bp.win / s
			x, y, dx, dy := benchSlice(bp.win*c), benchSlice(wout*c), benchSlice(bp.win*c), benchSlice(wout*c)
			arg := make([]uint8, wout*c)
			work := float64(bp.win * c)
			b.Run("forward/"+kp.name+"/"+bp.name, func(b *testing.B) {
				loopRate(b, work, "Gelem/s", func() { kp.maxPoolForward(y, arg, x, wout, c, s, true) })
			})
			b.Run("backward/"+kp.name+"/"+bp.name, func(b *testing.B) {
				loopRate(b, work, "Gelem/s", func() { kp.maxPoolBackward(dx, dy, arg, bp.win, wout, c, s) })
			})
		}
	}
}

// BenchmarkPeak reports PeakGFLOPS: the all-cores FMA peak the kernels'
// figures compare with.
func BenchmarkPeak(b *testing.B) {
	var g float64
	for b.Loop() {
		g = PeakGFLOPS(100 * time.Millisecond)
	}
	b.ReportMetric(g, "GFLOP/s")
}

// BenchmarkDCNNBlock runs, single-threaded, every kernel call of a forward
// and backward pass of the paper's DCNN (conv1 1→16 k49, pool 4, conv2
// 16→16 k21, pool 4, dense 1024→100→12) for a block of 64 samples: the
// convolutions per sample, the dense layers per block, the input-gradient
// weights prepared once per block. Pooling, activations and the loss are
// not included, so samples/s is the kernels' ceiling for one core
// (cpu-GFLOP/s ÷ 12.09e-3 gives it without the other processes' share).
func BenchmarkDCNNBlock(b *testing.B) {
	const (
		block = 64
		flops = 12.09e6 // per sample: 2×conv1 + 3×conv2 + 3×dense1 + 3×dense2
	)
	for _, kp := range paths() {
		c1 := convShape{1024, 1, 16, 49, 24, 1024}
		c2 := convShape{256, 16, 16, 21, 10, 256}
		x := benchSlice(block * 1024)
		w1, b1 := benchSlice(49*16), benchSlice(16)
		w2, b2 := benchSlice(21*16*16), benchSlice(16)
		wd1, bd1 := benchSlice(1024*100), benchSlice(100)
		wd2, bd2 := benchSlice(100*12), benchSlice(12)
		h1 := benchSlice(1024 * 16)   // conv1 output (per sample)
		h2in := benchSlice(256 * 16)  // conv2 input (pooled)
		h2 := benchSlice(256 * 16)    // conv2 output
		f := benchSlice(block * 1024) // flattened pooled conv2 outputs
		d1, d2 := benchSlice(block*100), benchSlice(block*12)
		g1, gf := benchSlice(block*100), benchSlice(block*1024)
		gw1, gb1 := benchSlice(len(w1)), benchSlice(16)
		gw2, gb2 := benchSlice(len(w2)), benchSlice(16)
		gwd1, gbd1 := benchSlice(len(wd1)), benchSlice(100)
		gwd2, gbd2 := benchSlice(len(wd2)), benchSlice(12)
		gh2in, wf2, wtd1, wtd2 := benchSlice(256*16), benchSlice(len(w2)), benchSlice(len(wd1)), benchSlice(len(wd2))
		conv := func(s convShape, out, in, w, bias []float32) {
			kp.convForward(out, in, w, bias, s.win, s.cin, s.cout, s.k, s.pad, s.wout)
		}
		b.Run(kp.name, func(b *testing.B) {
			loop(b, flops*block, func() {
				for i := range block {
					conv(c1, h1, x[i*1024:], w1, b1)
					conv(c2, h2, h2in, w2, b2)
				}
				kp.denseForward(d1, f, wd1, bd1, block, 1024, 100)
				kp.denseForward(d2, d1, wd2, bd2, block, 100, 12)
				kp.denseBackwardWeight(gwd2, gbd2, d1, d2, block, 100, 12)
				transpose(wtd2, wd2, 100, 12)
				kp.denseForward(g1, d2, wtd2, nil, block, 12, 100)
				kp.denseBackwardWeight(gwd1, gbd1, f, g1, block, 1024, 100)
				transpose(wtd1, wd1, 1024, 100)
				kp.denseForward(gf, g1, wtd1, nil, block, 100, 1024)
				flipTranspose(wf2, w2, 16, 16, 21)
				for i := range block {
					kp.convBackwardInputFlipped(gh2in, h2, wf2, c2.win, c2.cin, c2.cout, c2.k, c2.pad, c2.wout)
					kp.convBackwardWeight(gw2, gb2, h2in, h2, c2.win, c2.cin, c2.cout, c2.k, c2.pad, c2.wout)
					kp.convBackwardWeight(gw1, gb1, x[i*1024:], h1, c1.win, c1.cin, c1.cout, c1.k, c1.pad, c1.wout)
				}
			})
			b.ReportMetric(float64(b.N*block)/b.Elapsed().Seconds(), "samples/s")
		})
	}
}
