package recording

import (
	"fmt"
	"math"

	"github.com/ghl-dev/ghl"
)

// The anti-aliasing filter of Resample and LowPass.
//
// Both use one design: a linear-phase FIR low-pass, a windowed sinc with a
// Kaiser window (Kaiser's formulas for the length and β), flat to the
// passband edge and attenuating at least StopbandAttenuation dB from the
// stopband edge = passband edge / PassbandFraction on. For Resample the
// stopband edge is the lower of the two Nyquist frequencies, so nothing
// above the new Nyquist frequency aliases into the output; the passband
// edge is PassbandFraction of it (4800 Hz for 48 kHz → 12 kHz). The design
// attenuation of 80 dB gives a passband ripple of about ±0.001 dB; the
// tests measure ≤ 0.1 dB ripple and ≥ 60 dB alias rejection.
const (
	// PassbandFraction is the passband edge as a fraction of the stopband
	// edge: Resample keeps frequencies up to PassbandFraction × the lower
	// Nyquist frequency flat.
	PassbandFraction = 0.8
	// StopbandAttenuation is the design attenuation in dB above the
	// stopband edge.
	StopbandAttenuation = 80.0
)

// Limits on the filters built, so that no rate pair can exhaust memory.
const (
	maxPhases = 4096    // most polyphase branches (p of p/q)
	maxTaps   = 1 << 23 // most taps of one prototype filter (64 MiB)
	maxRatErr = 1e-6    // largest relative error of an approximated ratio
)

// PassbandEdge returns the passband edge in Hz of Resample(x, from, to):
// PassbandFraction × min(from, to)/2; 4800 Hz for 48000 → 12000. To give
// every recording of a data set the same response (SPEC section 6), pass
// this edge to LowPass for the recordings already at the target rate; the
// recordings that Resample decimated have that response already.
func PassbandEdge(from, to float64) float64 {
	return PassbandFraction * math.Min(from, to) / 2
}

// Resample converts x sampled at from Hz to the rate to Hz with a
// polyphase FIR filter: x is upsampled by p, filtered and downsampled by
// q, where p/q = to/from. Integer rates give the exact ratio in lowest
// terms (48000 → 12000 is 1/4, 48828 → 12000 is 1000/4069); otherwise, or
// when p would exceed the limit of 4096 branches, p/q is the closest
// continued-fraction approximation, and an error is returned if its
// relative error exceeds 1e-6 (the output then runs at from·p/q, off from
// to by that relative error). The filter is linear-phase and its delay is
// compensated: output sample m is at time m/to, like input sample n at n/from.
// The output has ceil(len(x)·p/q) samples; the first and last half filter
// length see zeros beyond the ends of x. When from == to, Resample returns
// a copy of x. Invalid rates are errors wrapping ghl.ErrUsage.
func Resample(x []float64, from, to float64) ([]float64, error) {
	if err := checkRate("from", from); err != nil {
		return nil, err
	}
	if err := checkRate("to", to); err != nil {
		return nil, err
	}
	if from == to {
		return append([]float64(nil), x...), nil
	}
	stop := math.Min(from, to) / 2
	pass := PassbandFraction * stop
	// Taps per branch do not depend on p: the filter spans the same time.
	perPhase := kaiserLength(pass, stop, from)
	p, q, err := ratio(from, to, max(1, min(maxPhases, maxTaps/perPhase)))
	if err != nil {
		return nil, err
	}
	f, err := design(p, q, from, pass, stop)
	if err != nil {
		return nil, err
	}
	return f.apply(x), nil
}

// LowPass filters x, sampled at rate Hz, with the filter design of
// Resample: flat up to cutoff Hz, at least StopbandAttenuation dB down from
// min(cutoff/PassbandFraction, rate/2) on. The filter is linear-phase and
// its delay is compensated, so the output has len(x) samples aligned with
// x. A cutoff outside (0, rate/2) is an error wrapping ghl.ErrUsage.
func LowPass(x []float64, rate, cutoff float64) ([]float64, error) {
	if err := checkRate("rate", rate); err != nil {
		return nil, err
	}
	if !(cutoff > 0 && cutoff < rate/2) {
		return nil, fmt.Errorf("low-pass cutoff %v Hz: %w: want 0 < cutoff < %v (half the rate)", cutoff, ghl.ErrUsage, rate/2)
	}
	f, err := design(1, 1, rate, cutoff, math.Min(cutoff/PassbandFraction, rate/2))
	if err != nil {
		return nil, err
	}
	return f.apply(x), nil
}

func checkRate(name string, r float64) error {
	if !(r > 0) || math.IsInf(r, 0) {
		return fmt.Errorf("sampling rate %s = %v: %w: want a positive finite rate in Hz", name, r, ghl.ErrUsage)
	}
	return nil
}

// ratio returns p/q = to/from in lowest terms with p ≤ pmax, exact for
// integer rates when p fits, else the best continued-fraction convergent.
func ratio(from, to float64, pmax int) (p, q int, err error) {
	if from == math.Trunc(from) && to == math.Trunc(to) && from < 1<<40 && to < 1<<40 {
		a, b := int64(to), int64(from)
		g := gcd(a, b)
		if a/g <= int64(pmax) && b/g <= 1<<40 {
			return int(a / g), int(b / g), nil
		}
	}
	r := to / from
	// Convergents h/k of the continued fraction of r.
	h0, h1, k0, k1 := int64(0), int64(1), int64(1), int64(0)
	x := r
	for range 64 {
		a := math.Floor(x)
		if a > 1<<40 {
			break
		}
		h2, k2 := int64(a)*h1+h0, int64(a)*k1+k0
		if h2 > int64(pmax) || k2 > 1<<40 {
			break
		}
		h0, h1, k0, k1 = h1, h2, k1, k2
		if x-a < 1e-12 {
			break
		}
		x = 1 / (x - a)
	}
	if h1 == 0 || k1 == 0 {
		return 0, 0, fmt.Errorf("resample %v Hz → %v Hz: %w: the ratio is out of range", from, to, ghl.ErrUsage)
	}
	if e := math.Abs(float64(h1)/float64(k1)-r) / r; e > maxRatErr {
		return 0, 0, fmt.Errorf("resample %v Hz → %v Hz: %w: the closest ratio %d/%d with at most %d branches is off by %.2g (relative)",
			from, to, ghl.ErrUsage, h1, k1, pmax, e)
	}
	return int(h1), int(k1), nil
}

func gcd(a, b int64) int64 {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// kaiserLength returns the number of input-rate samples a Kaiser low-pass
// with the given band edges spans, at least 1.
func kaiserLength(pass, stop, rate float64) int {
	dw := 2 * math.Pi * (stop - pass) / rate
	n := math.Ceil((StopbandAttenuation-7.95)/(2.285*dw)) + 1
	return int(math.Max(1, math.Min(n, maxTaps+1)))
}

// polyphase is an FIR filter split into p branches: branch φ holds the
// taps h[φ], h[φ+p], h[φ+2p] … of the prototype h, whose centre tap is h[delay].
type polyphase struct {
	p, q     int
	delay    int
	branches [][]float64
}

// design builds the Kaiser windowed-sinc prototype for upsampling by p
// (the prototype runs at p·rate) with the given band edges in Hz, with
// gain p so that the zero-stuffed signal keeps its amplitude.
func design(p, q int, rate, pass, stop float64) (*polyphase, error) {
	hi := rate * float64(p)
	dw := 2 * math.Pi * (stop - pass) / hi
	nf := math.Ceil((StopbandAttenuation-7.95)/(2.285*dw)) + 1
	if !(nf <= maxTaps) {
		return nil, fmt.Errorf("resample: %w: a filter with a %v Hz transition band at %v Hz needs %.0f taps, more than %d",
			ghl.ErrUsage, stop-pass, rate, nf, maxTaps)
	}
	n := int(nf) | 1 // odd length: a centre tap, integer delay
	m := n / 2
	beta := 0.1102 * (StopbandAttenuation - 8.7)
	fc := (pass + stop) / 2 / hi // cut-off in cycles per high-rate sample
	h := make([]float64, n)
	sum := 0.0
	for i := range h {
		t := float64(i - m)
		w := 1.0
		if m > 0 {
			r := t / float64(m)
			w = besselI0(beta*math.Sqrt(math.Max(0, 1-r*r))) / besselI0(beta)
		}
		h[i] = 2 * fc * sinc(2*fc*t) * w
		sum += h[i]
	}
	f := &polyphase{p: p, q: q, delay: m, branches: make([][]float64, p)}
	scale := float64(p) / sum
	for phi := range f.branches {
		b := make([]float64, 0, (n-phi+p-1)/p)
		for i := phi; i < n; i += p {
			b = append(b, h[i]*scale)
		}
		f.branches[phi] = b
	}
	return f, nil
}

// apply filters and resamples x: output m is Σ_j h[j]·u[m·q + delay − j],
// where u is x upsampled by p with zeros.
func (f *polyphase) apply(x []float64) []float64 {
	nx := int64(len(x))
	nout := (nx*int64(f.p) + int64(f.q) - 1) / int64(f.q)
	y := make([]float64, nout)
	for m := range y {
		t := int64(m)*int64(f.q) + int64(f.delay)
		top := t / int64(f.p) // newest input sample under the filter
		taps := f.branches[t%int64(f.p)]
		// Taps i = 0 … hi pair with x[top−i]; keep 0 ≤ top−i < len(x).
		lo := max(0, top-(nx-1))
		hi := min(int64(len(taps))-1, top)
		if lo > hi {
			continue
		}
		xs := x[top-hi : top-lo+1]
		ts := taps[lo : hi+1]
		s := 0.0
		last := len(xs) - 1
		for i, h := range ts {
			s += h * xs[last-i]
		}
		y[m] = s
	}
	return y
}

func sinc(x float64) float64 {
	if x == 0 {
		return 1
	}
	return math.Sin(math.Pi*x) / (math.Pi * x)
}

// besselI0 is the modified Bessel function of the first kind, order 0, by
// its power series (converges for the arguments of a Kaiser window).
func besselI0(x float64) float64 {
	sum, term := 1.0, 1.0
	q := x * x / 4
	for k := 1; k < 500; k++ {
		term *= q / float64(k*k)
		sum += term
		if term < sum*1e-17 {
			break
		}
	}
	return sum
}
