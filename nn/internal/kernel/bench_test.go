package kernel

import (
	"math/rand/v2"
	"testing"
	"time"
)

// The benchmarks run each kernel single-threaded at the DCNN's shapes, on
// every path this machine can run, and report GFLOP/s (2 per multiply-add,
// counting the zero-padded taps as work, as the model's 12.1 MFLOP/sample
// figure does). Timings are noisy when other processes share the cores.

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

func reportGFLOPS(b *testing.B, flops float64) {
	b.ReportMetric(flops*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
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
				for b.Loop() {
					kp.convForward(out, in, w, bias, win, cin, cout, k, pad, wout)
				}
				reportGFLOPS(b, flops)
			})
			b.Run("backinput/"+kp.name+"/"+bc.name, func(b *testing.B) {
				for b.Loop() {
					kp.convBackwardInput(din, dout, w, win, cin, cout, k, pad, wout)
				}
				reportGFLOPS(b, 2*float64(win*cin*k*cout))
			})
			wf := benchSlice(k * cin * cout)
			b.Run("backinputflipped/"+kp.name+"/"+bc.name, func(b *testing.B) {
				for b.Loop() {
					kp.convBackwardInputFlipped(din, dout, wf, win, cin, cout, k, pad, wout)
				}
				reportGFLOPS(b, 2*float64(win*cin*k*cout))
			})
			b.Run("backweight/"+kp.name+"/"+bc.name, func(b *testing.B) {
				for b.Loop() {
					kp.convBackwardWeight(dw, db, in, dout, win, cin, cout, k, pad, wout)
				}
				reportGFLOPS(b, flops)
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
				for b.Loop() {
					kp.denseForward(out, in, w, bias, n, nin, nout)
				}
				reportGFLOPS(b, flops)
			})
			b.Run("backinput/"+kp.name+"/"+bd.name, func(b *testing.B) {
				for b.Loop() {
					kp.denseBackwardInput(din, out, w, n, nin, nout)
				}
				reportGFLOPS(b, flops)
			})
			b.Run("backweight/"+kp.name+"/"+bd.name, func(b *testing.B) {
				for b.Loop() {
					kp.denseBackwardWeight(dw, db, in, out, n, nin, nout)
				}
				reportGFLOPS(b, flops)
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
