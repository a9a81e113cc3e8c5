package kernel

// This file holds the portable kernels. They are always compiled: on the
// purego path they are the implementation, on the assembly paths they are the
// reference the tests compare against. They are written plainly, with the
// loop order that suits channels-last data (the innermost loop runs over a
// contiguous channel row) and with the slices re-sliced once per row so that
// the compiler drops the bounds checks in the inner loops.

// axpy computes y[i] += a*x[i] for i < len(y); len(x) >= len(y).
func axpy(y []float32, a float32, x []float32) {
	x = x[:len(y)]
	for i, v := range x {
		y[i] += a * v
	}
}

// dot returns Σ x[i]*y[i] for i < len(x); len(y) >= len(x).
func dot(x, y []float32) float32 {
	y = y[:len(x)]
	var s0, s1 float32
	i := 0
	for ; i+1 < len(x); i += 2 {
		s0 += x[i] * y[i]
		s1 += x[i+1] * y[i+1]
	}
	if i < len(x) {
		s0 += x[i] * y[i]
	}
	return s0 + s1
}

// vecMat computes o[c] += Σ_r x[r] * m[r*len(o)+c]. It adds four rows of m
// per pass over o, which cuts the loads and stores of o (and their
// store-to-load latency chain) by four; when o has one element it is a dot
// product instead (a loop per multiply-add would cost far more).
func vecMat(o, x, m []float32) {
	n := len(o)
	if n == 1 {
		o[0] += dot(x, m)
		return
	}
	m = m[:len(x)*n]
	r := 0
	for ; r+4 <= len(x); r += 4 {
		a0, a1, a2, a3 := x[r], x[r+1], x[r+2], x[r+3]
		rows := m[r*n : (r+4)*n]
		m0, m1, m2, m3 := rows[:n], rows[n:2*n], rows[2*n:3*n], rows[3*n:]
		m0, m1, m2, m3 = m0[:len(o)], m1[:len(o)], m2[:len(o)], m3[:len(o)]
		for i := range o {
			o[i] += a0*m0[i] + a1*m1[i] + a2*m2[i] + a3*m3[i]
		}
	}
	for ; r < len(x); r++ {
		axpy(o, x[r], m[r*n:(r+1)*n])
	}
}

// validTaps returns the range [jlo, jhi) of taps j for which the input
// position t+j-pad lies in [0, win).
func validTaps(t, k, pad, win int) (jlo, jhi int) {
	jlo, jhi = pad-t, win+pad-t
	if jlo < 0 {
		jlo = 0
	}
	if jhi > k {
		jhi = k
	}
	return jlo, jhi
}

// convForwardGo is ConvForward; a nil bias means zeros, and pad may be
// negative (the input-gradient convolution with pad > k-1).
func convForwardGo(out, in, w, bias []float32, win, cin, cout, k, pad, wout int) {
	for t := 0; t < wout; t++ {
		o := out[t*cout : (t+1)*cout]
		if bias == nil {
			clear(o)
		} else {
			copy(o, bias[:cout])
		}
		jlo, jhi := validTaps(t, k, pad, win)
		if jlo >= jhi {
			continue
		}
		// The taps jlo..jhi-1 read the contiguous input rows
		// t+jlo-pad .. t+jhi-1-pad and the contiguous weight rows
		// jlo*cin .. jhi*cin-1: a vector-matrix product.
		s0 := t + jlo - pad
		vecMat(o, in[s0*cin:(s0+jhi-jlo)*cin], w[jlo*cin*cout:jhi*cin*cout])
	}
}

func convBackwardWeightGo(dw, dbias, in, dout []float32, win, cin, cout, k, pad, wout int) {
	dbias = dbias[:cout]
	for t := 0; t < wout; t++ {
		g := dout[t*cout : (t+1)*cout]
		axpy(dbias, 1, g)
		jlo, jhi := validTaps(t, k, pad, win)
		if jlo >= jhi {
			continue
		}
		s0 := t + jlo - pad
		x := in[s0*cin : (s0+jhi-jlo)*cin]
		dwr := dw[jlo*cin*cout : jhi*cin*cout]
		for r, v := range x {
			axpy(dwr[r*cout:(r+1)*cout], v, g)
		}
	}
}

// denseForwardGo is DenseForward; a nil bias means zeros.
func denseForwardGo(out, in, w, bias []float32, n, nin, nout int) {
	w = w[:nin*nout]
	for i := 0; i < n; i++ {
		o := out[i*nout : (i+1)*nout]
		if bias == nil {
			clear(o)
		} else {
			copy(o, bias[:nout])
		}
		vecMat(o, in[i*nin:(i+1)*nin], w)
	}
}

func denseBackwardWeightGo(dw, db, in, dout []float32, n, nin, nout int) {
	db = db[:nout]
	dw = dw[:nin*nout]
	for i := 0; i < n; i++ {
		g := dout[i*nout : (i+1)*nout]
		axpy(db, 1, g)
		for d, v := range in[i*nin : (i+1)*nin] {
			axpy(dw[d*nout:(d+1)*nout], v, g)
		}
	}
}
