package kernel

import "sync"

// This file holds the architecture-independent parts of the assembly paths:
// scratch buffers and the copies that turn every operation into the one
// product the micro-kernels compute (see the package doc).

// scratchPool recycles the per-call staging buffers.
var scratchPool = sync.Pool{New: func() any { return new([]float32) }}

// getScratch returns a buffer of length n with undefined contents; give it
// back with scratchPool.Put.
func getScratch(n int) *[]float32 {
	p := scratchPool.Get().(*[]float32)
	if cap(*p) < n {
		*p = make([]float32, n)
	}
	*p = (*p)[:n]
	return p
}

// stageRows fills dst (rows×width) with src (srcRows×width) shifted down by
// off rows: dst row u is src row u-off, or zeros where that is outside src.
func stageRows(dst []float32, rows, width int, src []float32, srcRows, off int) {
	dst = dst[:rows*width]
	lo, hi := off, off+srcRows // dst rows that come from src
	if lo < 0 {
		lo = 0
	}
	if hi > rows {
		hi = rows
	}
	if lo >= hi {
		clear(dst)
		return
	}
	clear(dst[:lo*width])
	copy(dst[lo*width:hi*width], src[(lo-off)*width:(hi-off)*width])
	clear(dst[hi*width:])
}

// flipTranspose writes wf[(j'*cout+co)*cin+ci] = w[((k-1-j')*cin+ci)*cout+co].
//
// The input gradient of a convolution is itself a convolution: of dout
// (width wout, cout channels) with the weights wf (k taps, cout → cin),
// padding k-1-pad, output width win:
//
//	din[s*cin+ci] = Σ_{j'<k} Σ_co dout[(s+j'-(k-1-pad))*cout+co] * wf[(j'*cout+co)*cin+ci]
//
// (substitute j = k-1-j' in the definition). Every path computes it so.
func flipTranspose(wf, w []float32, cin, cout, k int) {
	wf = wf[:k*cout*cin]
	for j := range k {
		src := w[(k-1-j)*cin*cout : (k-j)*cin*cout]
		dst := wf[j*cout*cin : (j+1)*cout*cin]
		transpose(dst, src, cin, cout)
	}
}

// transpose writes dst (cols×rows) = srcᵀ for src (rows×cols). It works
// on bands of rows so that the reads stay in L1 and the writes are
// contiguous runs (writing whole columns at a power-of-two stride would
// thrash the cache sets).
func transpose(dst, src []float32, rows, cols int) {
	const band = 64
	src = src[:rows*cols]
	dst = dst[:rows*cols]
	for r0 := 0; r0 < rows; r0 += band {
		r1 := min(r0+band, rows)
		for c := range cols {
			d := dst[c*rows+r0 : c*rows+r1]
			for i := range d {
				d[i] = src[(r0+i)*cols+c]
			}
		}
	}
}
