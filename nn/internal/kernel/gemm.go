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

// transpose writes dst (cols×rows) = srcᵀ for src (rows×cols). It moves
// 4×4 blocks (16 loads, 16 stores, bounds checked once), column block by
// column block within bands of 64 rows: the band's rows stay in L1 and the
// writes go to 4 destination rows at a time (writing whole columns of a
// matrix with a power-of-two row length would thrash the cache sets).
func transpose(dst, src []float32, rows, cols int) {
	const band = 64
	src = src[:rows*cols]
	dst = dst[:rows*cols]
	for r0 := 0; r0 < rows; r0 += band {
		r1 := min(r0+band, rows)
		c := 0
		for ; c+4 <= cols; c += 4 {
			r := r0
			for ; r+4 <= r1; r += 4 {
				s0 := src[r*cols+c : r*cols+c+4 : r*cols+c+4]
				s1 := src[(r+1)*cols+c : (r+1)*cols+c+4 : (r+1)*cols+c+4]
				s2 := src[(r+2)*cols+c : (r+2)*cols+c+4 : (r+2)*cols+c+4]
				s3 := src[(r+3)*cols+c : (r+3)*cols+c+4 : (r+3)*cols+c+4]
				d0 := dst[c*rows+r : c*rows+r+4 : c*rows+r+4]
				d1 := dst[(c+1)*rows+r : (c+1)*rows+r+4 : (c+1)*rows+r+4]
				d2 := dst[(c+2)*rows+r : (c+2)*rows+r+4 : (c+2)*rows+r+4]
				d3 := dst[(c+3)*rows+r : (c+3)*rows+r+4 : (c+3)*rows+r+4]
				d0[0], d0[1], d0[2], d0[3] = s0[0], s1[0], s2[0], s3[0]
				d1[0], d1[1], d1[2], d1[3] = s0[1], s1[1], s2[1], s3[1]
				d2[0], d2[1], d2[2], d2[3] = s0[2], s1[2], s2[2], s3[2]
				d3[0], d3[1], d3[2], d3[3] = s0[3], s1[3], s2[3], s3[3]
			}
			transposeScalar(dst, src, rows, cols, r, r1, c, c+4)
		}
		transposeScalar(dst, src, rows, cols, r0, r1, c, cols)
	}
}

// transposeScalar transposes the block rows [r0,r1) × columns [c0,c1).
func transposeScalar(dst, src []float32, rows, cols, r0, r1, c0, c1 int) {
	for c := c0; c < c1; c++ {
		for r := r0; r < r1; r++ {
			dst[c*rows+r] = src[r*cols+c]
		}
	}
}
