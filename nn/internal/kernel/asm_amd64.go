//go:build !purego

package kernel

import (
	"fmt"
	"math"
	"time"

	"golang.org/x/sys/cpu"
)

// microKernel is the signature of the generated kernels (asmgen/main.go):
// for p < MR and the NV vectors of columns they own,
//
//	C[p*ldc+c] = C0[p*ldc0+c] + Σ_{q<kred} A(p,q) * B[q*ldb+c]
//
// with A(p,q) = a[p*lda+q] (F kernels) or a[p+q*lda] (W kernels).
type microKernel func(c *float32, ldc int, c0 *float32, ldc0 int, a *float32, lda int, b *float32, ldb int, kred int)

// isa is one instruction set's kernel tables.
type isa struct {
	name string
	vec  int             // floats per vector
	f, w [][]microKernel // [nv][mr]; nv in 1..len-1, mr in 1..len(f[nv])-1
	peak func(iters int) // 12 independent vector FMAs per iteration

	// max pooling of one vector of channels per instruction (pool_amd64.s)
	poolFwd func(y *float32, arg *uint8, x *float32, wout int, c int, s int, floor int32)
	poolBwd func(dx *float32, dy *float32, arg *uint8, wout int, c int, s int)
}

var (
	isa512 = &isa{name: "avx512", vec: 16, f: gemmF512, w: gemmW512, peak: peakFMA512,
		poolFwd: maxPoolFwd512, poolBwd: maxPoolBwd512}
	isa256 = &isa{name: "avx2", vec: 8, f: gemmF256, w: gemmW256, peak: peakFMA256,
		poolFwd: maxPoolFwd256, poolBwd: maxPoolBwd256}
)

func hasAVX512() bool { return cpu.X86.HasAVX512F && cpu.X86.HasAVX512VL }
func hasAVX2() bool   { return cpu.X86.HasAVX2 && cpu.X86.HasFMA }

// isas returns the instruction sets this CPU runs, widest first.
func isas() []*isa {
	var xs []*isa
	if hasAVX512() {
		xs = append(xs, isa512)
	}
	if hasAVX2() {
		xs = append(xs, isa256)
	}
	return xs
}

// availableKernels returns the paths this CPU runs, best first.
func availableKernels() []kernels {
	var ks []kernels
	for _, x := range isas() {
		ks = append(ks, x.kernels())
	}
	return append(ks, goKernels)
}

// PeakGFLOPS measures the fp32 multiply-add peak of the active path, in
// GFLOP/s, running one loop of independent vector FMAs per GOMAXPROCS for
// about d (with the active path's vectors: the CPU's widest unless
// GHL_KERNEL chose another; a scalar Go loop on the purego path). It is the
// yardstick for the kernels' GFLOP/s.
func PeakGFLOPS(d time.Duration) float64 {
	for _, x := range isas() {
		if x.name == active.name {
			return runPeak(d, float64(12*2*x.vec), func(iters int) float32 {
				x.peak(iters)
				return 0
			})
		}
	}
	return peakGo(d)
}

// one is the constant column-major A of width 1 (lda = 0) that turns a
// product into a column sum.
var one = []float32{1}

// zeros is a C0 of zeros for up to maxNV vectors (ldc0 = 0).
var zeros [4 * 16]float32

func (x *isa) kernels() kernels {
	return kernels{
		maxPoolForward:      x.maxPoolForward,
		maxPoolBackward:     x.maxPoolBackward,
		name:                x.name,
		convForward:         x.convForward,
		convBackwardWeight:  x.convBackwardWeight,
		denseForward:        x.denseForward,
		denseBackwardWeight: x.denseBackwardWeight,
	}
}

// gemm computes C[p*ldc+c] = C0[p*ldc0+c] + Σ_{q<kred} A(p,q)·b[q*ldb+c] for
// p < m, c < ncols, with A(p,q) = a[p*lda+q], or a[p+q*lda] if colA. A nil c0
// means zeros; c0 may be c (accumulate) or have ldc0 = 0 (a bias row).
// Columns past the last full vector are computed on zero-padded copies.
func (x *isa) gemm(colA bool, m, ncols, kred int, c []float32, ldc int, c0 []float32, ldc0 int, a []float32, lda int, b []float32, ldb int) {
	if m <= 0 || ncols <= 0 {
		return
	}
	x.checkBounds(colA, m, ncols, kred, c, ldc, c0, ldc0, a, lda, b, ldb)
	tab := x.f
	if colA {
		tab = x.w
	}
	maxNV := len(tab) - 1
	nvec := ncols / x.vec
	for v0 := 0; v0 < nvec; {
		nv := min(maxNV, nvec-v0)
		col := v0 * x.vec
		x.block(tab[nv], colA, m, kred, c[col:], ldc, c0, col, ldc0, a, lda, b[col:], ldb)
		v0 += nv
	}
	if rem := ncols - nvec*x.vec; rem > 0 {
		x.remainder(tab[1], colA, m, kred, nvec*x.vec, rem, c, ldc, c0, ldc0, a, lda, b, ldb)
	}
}

// block runs the kernels of one column group down all m rows, in row blocks
// of near-equal size (49 rows run as 13+12+12+12, not 16+16+16+1: a block
// of few rows is bound by the FMA latency).
func (x *isa) block(ks []microKernel, colA bool, m, kred int, c []float32, ldc int, c0 []float32, col0, ldc0 int, a []float32, lda int, b []float32, ldb int) {
	mr := len(ks) - 1
	nb := (m + mr - 1) / mr
	size, extra := m/nb, m%nb // the first extra blocks get one row more
	c0p, c0ld := &zeros[0], 0
	for p0, i := 0, 0; p0 < m; i++ {
		mm := size
		if i < extra {
			mm++
		}
		if c0 != nil {
			c0p, c0ld = &c0[p0*ldc0+col0], ldc0
		}
		var ap *float32
		if colA {
			ap = &a[p0]
		} else {
			ap = &a[p0*lda]
		}
		ks[mm](&c[p0*ldc], ldc, c0p, c0ld, ap, lda, &b[0], ldb, kred)
		p0 += mm
	}
}

// remainder computes the last rem (< vec) columns, starting at col0, on
// copies padded to one vector.
func (x *isa) remainder(ks []microKernel, colA bool, m, kred, col0, rem int, c []float32, ldc int, c0 []float32, ldc0 int, a []float32, lda int, b []float32, ldb int) {
	vec := x.vec
	bp := getScratch(kred * vec)
	defer scratchPool.Put(bp)
	bs := *bp
	clear(bs)
	for q := range kred {
		copy(bs[q*vec:q*vec+rem], b[q*ldb+col0:q*ldb+col0+rem])
	}
	cp := getScratch(m * vec)
	defer scratchPool.Put(cp)
	cs := *cp
	var c0s []float32
	c0ld := vec
	if c0 != nil {
		rows := m
		if ldc0 == 0 {
			rows, c0ld = 1, 0
		}
		c0p := getScratch(rows * vec)
		defer scratchPool.Put(c0p)
		c0s = *c0p
		clear(c0s)
		for p := range rows {
			copy(c0s[p*vec:p*vec+rem], c0[p*ldc0+col0:p*ldc0+col0+rem])
		}
	}
	x.block(ks, colA, m, kred, cs, vec, c0s, 0, c0ld, a, lda, bs, vec)
	for p := range m {
		copy(c[p*ldc+col0:p*ldc+col0+rem], cs[p*vec:p*vec+rem])
	}
}

// checkBounds panics unless every element gemm touches lies inside the
// slices: the assembly does not check.
func (x *isa) checkBounds(colA bool, m, ncols, kred int, c []float32, ldc int, c0 []float32, ldc0 int, a []float32, lda int, b []float32, ldb int) {
	lastA := (m-1)*lda + kred - 1
	if colA {
		lastA = m - 1 + (kred-1)*lda
	}
	ok := (m-1)*ldc+ncols <= len(c) &&
		(c0 == nil || (m-1)*ldc0+ncols <= len(c0)) &&
		(kred == 0 || (lastA < len(a) && (kred-1)*ldb+ncols <= len(b)))
	if !ok {
		panic(fmt.Sprintf("kernel: gemm operands too short (m=%d ncols=%d kred=%d)", m, ncols, kred))
	}
}

// convForward is ConvForward; a nil bias means zeros and pad may be negative.
func (x *isa) convForward(out, in, w, bias []float32, win, cin, cout, k, pad, wout int) {
	xp := in
	if rows := wout + k - 1; pad != 0 || win < rows {
		p := getScratch(rows * cin)
		defer scratchPool.Put(p)
		xp = *p
		stageRows(xp, rows, cin, in, win, pad)
	}
	x.gemm(false, wout, cout, k*cin, out, cout, bias, 0, xp, cin, w, cout)
}

func (x *isa) convBackwardWeight(dw, dbias, in, dout []float32, win, cin, cout, k, pad, wout int) {
	xp := in
	if rows := wout + k - 1; pad != 0 || win < rows {
		p := getScratch(rows * cin)
		defer scratchPool.Put(p)
		xp = *p
		stageRows(xp, rows, cin, in, win, pad)
	}
	x.gemm(true, k*cin, cout, wout, dw, cout, dw, cout, xp, cin, dout, cout)
	x.gemm(true, 1, cout, wout, dbias, cout, dbias, 0, one, 0, dout, cout)
}

// denseForward is DenseForward; a nil bias means zeros.
func (x *isa) denseForward(out, in, w, bias []float32, n, nin, nout int) {
	x.gemm(false, n, nout, nin, out, nout, bias, 0, in, nin, w, nout)
}

func (x *isa) denseBackwardWeight(dw, db, in, dout []float32, n, nin, nout int) {
	x.gemm(true, nin, nout, n, dw, nout, dw, nout, in, nin, dout, nout)
	x.gemm(true, 1, nout, n, db, nout, db, 0, one, 0, dout, nout)
}

//go:noescape
func maxPoolFwd512(y *float32, arg *uint8, x *float32, wout int, c int, s int, floor int32)

//go:noescape
func maxPoolBwd512(dx *float32, dy *float32, arg *uint8, wout int, c int, s int)

//go:noescape
func maxPoolFwd256(y *float32, arg *uint8, x *float32, wout int, c int, s int, floor int32)

//go:noescape
func maxPoolBwd256(dx *float32, dy *float32, arg *uint8, wout int, c int, s int)

// maxPoolForward pools one vector of channels per instruction when c is a
// multiple of the vector width (the bounds were checked by MaxPoolForward).
func (x *isa) maxPoolForward(y []float32, arg []uint8, in []float32, wout, c, s int, relu bool) {
	if c%x.vec != 0 {
		maxPoolForwardGo(y, arg, in, wout, c, s, relu)
		return
	}
	floor := int32(math.MinInt32)
	if relu {
		floor = 0
	}
	var ap *uint8
	if arg != nil {
		ap = &arg[0]
	}
	x.poolFwd(&y[0], ap, &in[0], wout, c, s, floor)
}

// maxPoolBackward writes every pooled input position once (the value or a
// zero) and clears the positions past wout*s.
func (x *isa) maxPoolBackward(dx, dy []float32, arg []uint8, win, wout, c, s int) {
	if c%x.vec != 0 {
		maxPoolBackwardGo(dx, dy, arg, win, wout, c, s)
		return
	}
	x.poolBwd(&dx[0], &dy[0], &arg[0], wout, c, s)
	clear(dx[wout*s*c : win*c])
}
