package synth

import (
	"math"
	"math/cmplx"

	"gonum.org/v1/gonum/dsp/fourier"
)

// Signal measures used by the tests: the checks a vibration analyst would
// make on real recordings.

// zscore returns w scaled to mean 0 and standard deviation 1.
func zscore(w []float64) []float64 {
	var m, s float64
	for _, v := range w {
		m += v
	}
	m /= float64(len(w))
	for _, v := range w {
		s += (v - m) * (v - m)
	}
	s = math.Sqrt(s / float64(len(w)))
	z := make([]float64, len(w))
	for i, v := range w {
		z[i] = (v - m) / s
	}
	return z
}

// kurtosis returns the (non-excess) kurtosis of w: 3 for Gaussian noise.
func kurtosis(w []float64) float64 {
	var m, m2, m4 float64
	for _, v := range w {
		m += v
	}
	m /= float64(len(w))
	for _, v := range w {
		d := (v - m) * (v - m)
		m2 += d
		m4 += d * d
	}
	n := float64(len(w))
	return (m4 / n) / (m2 / n * m2 / n)
}

// windows cuts x into non-overlapping windows of l points.
func windows(x []float64, l int) [][]float64 {
	var ws [][]float64
	for i := 0; i+l <= len(x); i += l {
		ws = append(ws, x[i:i+l])
	}
	return ws
}

// envelopeSpectrum returns the magnitude spectrum of the Hilbert envelope
// of x band-passed to [lo, hi] Hz, and its bin spacing in Hz. The band-pass
// and the analytic signal come from one FFT: keep the positive-frequency
// bins inside the band.
func envelopeSpectrum(x []float64, rate, lo, hi float64) ([]float64, float64) {
	n := len(x)
	coef := fourier.NewFFT(n).Coefficients(nil, x)
	full := make([]complex128, n)
	df := rate / float64(n)
	for k, c := range coef {
		if f := float64(k) * df; f >= lo && f <= hi {
			full[k] = 2 * c
		}
	}
	analytic := fourier.NewCmplxFFT(n).Sequence(nil, full)
	env := make([]float64, n)
	var mean float64
	for i, z := range analytic {
		env[i] = cmplx.Abs(z)
		mean += env[i]
	}
	mean /= float64(n)
	for i := range env {
		env[i] -= mean
	}
	spec := fourier.NewFFT(n).Coefficients(nil, env)
	mag := make([]float64, len(spec))
	for k, c := range spec {
		mag[k] = cmplx.Abs(c)
	}
	return mag, df
}

// peakIn returns the frequency and height of the largest bin of spec
// (spacing df) within [lo, hi] Hz.
func peakIn(spec []float64, df, lo, hi float64) (f, h float64) {
	for k := int(math.Ceil(lo / df)); k <= int(hi/df) && k < len(spec); k++ {
		if spec[k] > h {
			f, h = float64(k)*df, spec[k]
		}
	}
	return f, h
}

// bandRatio returns log(energy in the 3.3 kHz resonance band / energy in
// the 1.2 kHz band) of window w.
func bandRatio(fft *fourier.FFT, w []float64, rate float64) float64 {
	coef := fft.Coefficients(nil, w)
	df := rate / float64(len(w))
	var high, low float64
	for k, c := range coef {
		e := real(c)*real(c) + imag(c)*imag(c)
		switch f := float64(k) * df; {
		case f >= 2600 && f <= 4200:
			high += e
		case f >= 800 && f <= 1700:
			low += e
		}
	}
	return math.Log(high / low)
}
