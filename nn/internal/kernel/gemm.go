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

// flipTranspose writes wf[(j'*cout+co)*cin+ci] = w[((k-1-j')*cin+ci)*cout+co]:
// the weights of the convolution that maps an output gradient to an input
// gradient.
func flipTranspose(wf, w []float32, cin, cout, k int) {
	wf = wf[:k*cout*cin]
	for j := range k {
		src := w[(k-1-j)*cin*cout : (k-j)*cin*cout]
		dst := wf[j*cout*cin : (j+1)*cout*cin]
		transpose(dst, src, cin, cout)
	}
}

// transpose writes dst (cols×rows) = srcᵀ for src (rows×cols), in blocks
// that stay in cache.
func transpose(dst, src []float32, rows, cols int) {
	const blk = 16
	src = src[:rows*cols]
	dst = dst[:rows*cols]
	for r0 := 0; r0 < rows; r0 += blk {
		r1 := min(r0+blk, rows)
		for c0 := 0; c0 < cols; c0 += blk {
			c1 := min(c0+blk, cols)
			for r := r0; r < r1; r++ {
				row := src[r*cols+c0 : r*cols+c1]
				for i, v := range row {
					dst[(c0+i)*rows+r] = v
				}
			}
		}
	}
}
