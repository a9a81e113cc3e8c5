package kernel

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// The tests compare every kernel path available on the machine with a
// float64 reference computed straight from the documented formulas. A
// result passes if |got-want| <= tolRel*mag, where mag is the sum of the
// magnitudes of the terms that make up the result: float32 summation in any
// order stays well inside that bound, a wrong term does not.
const tolRel = 1e-5

// slack is the number of guard elements after every slice: inputs hold NaN
// there (a read beyond the documented range poisons the result) and outputs
// hold a sentinel that must survive.
const slack = 37

const sentinel = float32(-12345.5)

func randSlice(rng *rand.Rand, n int) []float32 {
	s := make([]float32, n+slack)
	for i := range n {
		s[i] = float32(rng.NormFloat64())
	}
	for i := n; i < len(s); i++ {
		s[i] = float32(math.NaN())
	}
	return s
}

func outSlice(n int) []float32 {
	s := make([]float32, n+slack)
	for i := range s {
		s[i] = sentinel
	}
	return s
}

// compare checks got[:len(want)] against want within tolRel*mag and that the
// guard elements after it are untouched.
func compare(t *testing.T, what string, got []float32, want ref) {
	t.Helper()
	bad := 0
	for i, w := range want.v {
		g := float64(got[i])
		if !(math.Abs(g-w) <= tolRel*want.mag[i]+1e-30) {
			if bad < 5 {
				t.Errorf("%s[%d] = %v, want %v (mag %v)", what, i, g, w, want.mag[i])
			}
			bad++
		}
	}
	if bad > 0 {
		t.Errorf("%s: %d of %d values wrong", what, bad, len(want.v))
	}
	for i := len(want.v); i < len(got); i++ {
		if got[i] != sentinel && !math.IsNaN(float64(got[i])) {
			t.Errorf("%s: guard element %d overwritten with %v", what, i, got[i])
			break
		}
	}
}

// ref is a float64 reference result with, per element, the sum of the
// magnitudes of its terms (the scale of its rounding error).
type ref struct{ v, mag []float64 }

func newRef(n int) ref { return ref{make([]float64, n), make([]float64, n)} }

// refFrom starts a reference from the first n values of src.
func refFrom(src []float32, n int) ref {
	r := newRef(n)
	for i := range n {
		r.add(i, float64(src[i]))
	}
	return r
}

func (r ref) add(i int, x float64) {
	r.v[i] += x
	r.mag[i] += math.Abs(x)
}

// accumulator returns a copy of src's first n values followed by sentinel
// guard elements, for the functions that accumulate into their output.
func accumulator(src []float32, n int) []float32 {
	s := outSlice(n)
	copy(s, src[:n])
	return s
}

type convShape struct{ win, cin, cout, k, pad, wout int }

func (s convShape) String() string {
	return fmt.Sprintf("win%d_cin%d_cout%d_k%d_pad%d_wout%d", s.win, s.cin, s.cout, s.k, s.pad, s.wout)
}

type denseShape struct{ n, nin, nout int }

func (s denseShape) String() string { return fmt.Sprintf("n%d_nin%d_nout%d", s.n, s.nin, s.nout) }

var convShapes = []convShape{
	{1, 1, 1, 1, 0, 1},
	{1024, 1, 16, 49, 24, 1024}, // DCNN conv1
	{256, 16, 16, 21, 10, 256},  // DCNN conv2
	{37, 3, 5, 4, 2, 37},        // even k, odd everything else
	{50, 16, 16, 5, 0, 46},      // valid convolution
	{30, 7, 17, 3, 1, 30},       // cout one past a vector
	{64, 9, 24, 8, 3, 63},       // cout = 16+8
	{40, 2, 32, 6, 5, 45},       // pad beyond 'same', wout > win
	{19, 5, 33, 7, 0, 13},       // cout = 2*16+1
	{100, 4, 64, 3, 1, 100},     // four vectors
	{70, 3, 80, 9, 4, 70},       // five vectors
	{3, 2, 16, 9, 4, 3},         // kernel wider than input
}

var denseShapes = []denseShape{
	{1, 1, 1},
	{256, 1024, 100}, // DCNN dense1, batch 256
	{64, 100, 12},    // DCNN dense2, a block of 64
	{1, 1024, 100},
	{13, 7, 16},
	{33, 17, 33},
	{5, 3, 130},
	{17, 31, 8},
	{29, 64, 71},
}

func randomConvShape(rng *rand.Rand) convShape {
	k := 1 + rng.IntN(9)
	pad := rng.IntN(k + 1)
	win := 1 + rng.IntN(60)
	wout := win + 2*pad - k + 1
	if wout < 1 || rng.IntN(4) == 0 {
		wout = 1 + rng.IntN(60)
	}
	return convShape{win, 1 + rng.IntN(20), 1 + rng.IntN(70), k, pad, wout}
}

func randomDenseShape(rng *rand.Rand) denseShape {
	return denseShape{1 + rng.IntN(40), 1 + rng.IntN(80), 1 + rng.IntN(80)}
}

func allConvShapes() []convShape {
	rng := rand.New(rand.NewPCG(1, 2))
	s := append([]convShape(nil), convShapes...)
	for range 40 {
		s = append(s, randomConvShape(rng))
	}
	return s
}

func allDenseShapes() []denseShape {
	rng := rand.New(rand.NewPCG(3, 4))
	s := append([]denseShape(nil), denseShapes...)
	for range 40 {
		s = append(s, randomDenseShape(rng))
	}
	return s
}

// paths returns every implementation that runs on this machine.
func paths() []kernels { return append([]kernels{goKernels}, asmKernels()...) }

func TestConv(t *testing.T) {
	for _, kp := range paths() {
		for _, sh := range allConvShapes() {
			t.Run(kp.name+"/"+sh.String(), func(t *testing.T) {
				testConv(t, kp, sh)
			})
		}
	}
}

func testConv(t *testing.T, kp kernels, sh convShape) {
	win, cin, cout, k, pad, wout := sh.win, sh.cin, sh.cout, sh.k, sh.pad, sh.wout
	rng := rand.New(rand.NewPCG(uint64(win*cin), uint64(cout*k+pad)))
	in := randSlice(rng, win*cin)
	w := randSlice(rng, k*cin*cout)
	bias := randSlice(rng, cout)
	dout := randSlice(rng, wout*cout)
	dw0 := randSlice(rng, k*cin*cout)
	db0 := randSlice(rng, cout)

	// Reference, in float64, straight from the documented sums.
	out, din := newRef(wout*cout), newRef(win*cin)
	dw, db := refFrom(dw0, k*cin*cout), refFrom(db0, cout)
	for t := range wout {
		for co := range cout {
			out.add(t*cout+co, float64(bias[co]))
			db.add(co, float64(dout[t*cout+co]))
		}
		for j := range k {
			s := t + j - pad
			if s < 0 || s >= win {
				continue
			}
			for ci := range cin {
				x := float64(in[s*cin+ci])
				for co := range cout {
					wv := float64(w[(j*cin+ci)*cout+co])
					g := float64(dout[t*cout+co])
					out.add(t*cout+co, x*wv)
					din.add(s*cin+ci, g*wv)
					dw.add((j*cin+ci)*cout+co, x*g)
				}
			}
		}
	}

	gotOut := outSlice(wout * cout)
	kp.convForward(gotOut, in, w, bias, win, cin, cout, k, pad, wout)
	compare(t, "out", gotOut, out)

	gotDin := outSlice(win * cin)
	kp.convBackwardInput(gotDin, dout, w, win, cin, cout, k, pad, wout)
	compare(t, "din", gotDin, din)

	gotDw, gotDb := accumulator(dw0, k*cin*cout), accumulator(db0, cout)
	kp.convBackwardWeight(gotDw, gotDb, in, dout, win, cin, cout, k, pad, wout)
	compare(t, "dw", gotDw, dw)
	compare(t, "db", gotDb, db)
}

func TestDense(t *testing.T) {
	for _, kp := range paths() {
		for _, sh := range allDenseShapes() {
			t.Run(kp.name+"/"+sh.String(), func(t *testing.T) {
				testDense(t, kp, sh)
			})
		}
	}
}

func testDense(t *testing.T, kp kernels, sh denseShape) {
	n, nin, nout := sh.n, sh.nin, sh.nout
	rng := rand.New(rand.NewPCG(uint64(n), uint64(nin*nout)))
	in := randSlice(rng, n*nin)
	w := randSlice(rng, nin*nout)
	bias := randSlice(rng, nout)
	dout := randSlice(rng, n*nout)
	dw0 := randSlice(rng, nin*nout)
	db0 := randSlice(rng, nout)

	out, din := newRef(n*nout), newRef(n*nin)
	dw, db := refFrom(dw0, nin*nout), refFrom(db0, nout)
	for i := range n {
		for o := range nout {
			out.add(i*nout+o, float64(bias[o]))
			g := float64(dout[i*nout+o])
			db.add(o, g)
			for d := range nin {
				x, wv := float64(in[i*nin+d]), float64(w[d*nout+o])
				out.add(i*nout+o, x*wv)
				din.add(i*nin+d, g*wv)
				dw.add(d*nout+o, x*g)
			}
		}
	}

	gotOut := outSlice(n * nout)
	kp.denseForward(gotOut, in, w, bias, n, nin, nout)
	compare(t, "out", gotOut, out)

	gotDin := outSlice(n * nin)
	kp.denseBackwardInput(gotDin, dout, w, n, nin, nout)
	compare(t, "din", gotDin, din)

	gotDw, gotDb := accumulator(dw0, nin*nout), accumulator(db0, nout)
	kp.denseBackwardWeight(gotDw, gotDb, in, dout, n, nin, nout)
	compare(t, "dw", gotDw, dw)
	compare(t, "db", gotDb, db)
}

// TestDeterministic checks that the active path gives bit-identical results
// when called twice on the same data.
func TestDeterministic(t *testing.T) {
	sh := convShape{256, 16, 16, 21, 10, 256}
	rng := rand.New(rand.NewPCG(5, 6))
	in := randSlice(rng, sh.win*sh.cin)
	w := randSlice(rng, sh.k*sh.cin*sh.cout)
	bias := randSlice(rng, sh.cout)
	a, b := outSlice(sh.wout*sh.cout), outSlice(sh.wout*sh.cout)
	ConvForward(a, in, w, bias, sh.win, sh.cin, sh.cout, sh.k, sh.pad, sh.wout)
	ConvForward(b, in, w, bias, sh.win, sh.cin, sh.cout, sh.k, sh.pad, sh.wout)
	equalBits(t, "out", a, b)
}

func TestShortSlicePanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("ConvForward with a short output did not panic")
		}
	}()
	ConvForward(make([]float32, 3), make([]float32, 4), make([]float32, 2), make([]float32, 1), 4, 1, 1, 2, 0, 4)
}

func TestName(t *testing.T) {
	switch n := Name(); n {
	case "avx512", "avx2", "purego":
		t.Logf("kernel path: %s", n)
	default:
		t.Errorf("Name() = %q", n)
	}
}

// TestConcurrent runs every operation of the active path from several
// goroutines at once (the nn layers parallelise over samples): the shared
// scratch pool must not mix up buffers. Run it under -race.
func TestConcurrent(t *testing.T) {
	sh := convShape{256, 16, 16, 21, 10, 256}
	rng := rand.New(rand.NewPCG(8, 9))
	const workers = 4
	ins := make([][]float32, workers)
	for i := range ins {
		ins[i] = randSlice(rng, sh.win*sh.cin)
	}
	w := randSlice(rng, sh.k*sh.cin*sh.cout)
	bias := randSlice(rng, sh.cout)
	run := func(in []float32) []float32 {
		out := make([]float32, sh.wout*sh.cout)
		ConvForward(out, in, w, bias, sh.win, sh.cin, sh.cout, sh.k, sh.pad, sh.wout)
		din := make([]float32, sh.win*sh.cin)
		ConvBackwardInput(din, out, w, sh.win, sh.cin, sh.cout, sh.k, sh.pad, sh.wout)
		dw, db := make([]float32, len(w)), make([]float32, sh.cout)
		ConvBackwardWeight(dw, db, in, out, sh.win, sh.cin, sh.cout, sh.k, sh.pad, sh.wout)
		dout := make([]float32, 4*12)
		DenseForward(dout, din, din[:100*12], bias[:12], 4, 100, 12)
		dn := make([]float32, 4*100)
		DenseBackwardInput(dn, dout, din[:100*12], 4, 100, 12)
		return append(append(append(din, dw...), db...), dn...)
	}
	want := make([][]float32, workers)
	for i := range want {
		want[i] = run(ins[i])
	}
	got := make([][]float32, workers)
	done := make(chan int)
	for i := range workers {
		go func() {
			for range 5 {
				got[i] = run(ins[i])
			}
			done <- i
		}()
	}
	for range workers {
		<-done
	}
	for i := range workers {
		for j := range want[i] {
			if math.Float32bits(got[i][j]) != math.Float32bits(want[i][j]) {
				t.Fatalf("worker %d: element %d is %v concurrently, %v alone", i, j, got[i][j], want[i][j])
			}
		}
	}
}

// TestPreparedWeights checks that the input gradients computed from
// prepared weights are bit-identical to the ones that prepare them per call.
func TestPreparedWeights(t *testing.T) {
	for _, sh := range allConvShapes()[:20] {
		rng := rand.New(rand.NewPCG(10, uint64(sh.win)))
		dout := randSlice(rng, sh.wout*sh.cout)
		w := randSlice(rng, sh.k*sh.cin*sh.cout)
		wf := outSlice(sh.k * sh.cin * sh.cout)
		ConvFlipWeights(wf, w, sh.cin, sh.cout, sh.k)
		a, b := outSlice(sh.win*sh.cin), outSlice(sh.win*sh.cin)
		ConvBackwardInput(a, dout, w, sh.win, sh.cin, sh.cout, sh.k, sh.pad, sh.wout)
		ConvBackwardInputFlipped(b, dout, wf, sh.win, sh.cin, sh.cout, sh.k, sh.pad, sh.wout)
		equalBits(t, sh.String(), a, b)
	}
	for _, sh := range allDenseShapes()[:20] {
		rng := rand.New(rand.NewPCG(11, uint64(sh.n)))
		dout := randSlice(rng, sh.n*sh.nout)
		w := randSlice(rng, sh.nin*sh.nout)
		wt := outSlice(sh.nin * sh.nout)
		DenseTransposeWeights(wt, w, sh.nin, sh.nout)
		a, b := outSlice(sh.n*sh.nin), outSlice(sh.n*sh.nin)
		DenseBackwardInput(a, dout, w, sh.n, sh.nin, sh.nout)
		DenseBackwardInputTransposed(b, dout, wt, sh.n, sh.nin, sh.nout)
		equalBits(t, sh.String(), a, b)
	}
}

func equalBits(t *testing.T, what string, a, b []float32) {
	t.Helper()
	for i := range a {
		if math.Float32bits(a[i]) != math.Float32bits(b[i]) {
			t.Fatalf("%s: element %d: %v and %v", what, i, a[i], b[i])
		}
	}
}

func TestTranspose(t *testing.T) {
	rng := rand.New(rand.NewPCG(12, 13))
	for _, sh := range [][2]int{{1, 1}, {3, 5}, {4, 4}, {7, 9}, {16, 16}, {70, 3}, {5, 130}, {130, 7}, {1024, 100}} {
		rows, cols := sh[0], sh[1]
		src := randSlice(rng, rows*cols)
		dst := outSlice(rows * cols)
		transpose(dst, src, rows, cols)
		for r := range rows {
			for c := range cols {
				if dst[c*rows+r] != src[r*cols+c] {
					t.Fatalf("%dx%d: dst[%d][%d] = %v, want %v", rows, cols, c, r, dst[c*rows+r], src[r*cols+c])
				}
			}
		}
		if dst[rows*cols] != sentinel {
			t.Errorf("%dx%d: wrote past the end", rows, cols)
		}
	}
}

// TestSelectKernels covers the $GHL_KERNEL override: a path the CPU runs
// is taken, one it lacks or an unknown name gives the best path and an
// error saying why.
func TestSelectKernels(t *testing.T) {
	best, slow := kernels{name: "avx2"}, goKernels
	avail := []kernels{best, slow}
	for _, tc := range []struct {
		want, got, errSubstr string
	}{
		{want: "", got: "avx2"},
		{want: "avx2", got: "avx2"},
		{want: "purego", got: "purego"},
		{want: "avx512", got: "avx2", errSubstr: "cannot run that path; it can run avx2, purego"},
		{want: "AVX2", got: "avx2", errSubstr: `want avx512, avx2 or purego`},
	} {
		k, err := selectKernels(tc.want, avail)
		if k.name != tc.got {
			t.Errorf("GHL_KERNEL=%q: path %s, want %s", tc.want, k.name, tc.got)
		}
		if (err == nil) != (tc.errSubstr == "") || (err != nil && !strings.Contains(err.Error(), tc.errSubstr)) {
			t.Errorf("GHL_KERNEL=%q: err = %v, want one containing %q", tc.want, err, tc.errSubstr)
		}
	}
}
