// Package represent turns a normalised window of vibration samples into the
// input a model sees: the window itself, its magnitude spectrum, or its
// envelope spectrum. A Representation is computed window by window, after the
// window is cut and normalised (and, in training, after augmentation), so
// the same code serves training, evaluation, prediction and export.
//
// What each keeps and loses:
//
//   - raw: everything in the window, including the phase of every component
//     and where in the window an impact falls; a model must learn shift
//     invariance itself (training shifts windows for that), and a change of
//     shaft speed moves every line and stretches every impact train.
//   - spectrum: the magnitude of the window's spectrum (Hann-tapered FFT,
//     L/2 bins from 0 Hz to just below Nyquist). It is invariant to where
//     in the window things happen and keeps the resonance bands that tell
//     fault sizes apart; it loses phase, so the timing of impacts (their
//     periodicity) survives only as faint spectral combs, and a speed
//     change still moves every line.
//   - logspectrum: the logarithm of that magnitude spectrum (natural log
//     of the magnitude plus a floor of 10⁻³ of its mean, so near-empty bins
//     stay finite). A change of gain in a band (another load exciting a
//     resonance more, another transfer path) becomes an additive offset
//     there instead of a factor, and the weak bins between the lines weigh
//     as much as the strong ones; it keeps and loses what spectrum does.
//   - envelope: the classical bearing-diagnosis input. The window is
//     band-passed (default 10–80 % of Nyquist, 0.6–4.8 kHz at 12 kHz: the
//     resonances impacts excite, above the shaft harmonics), its Hilbert
//     envelope taken and the envelope's magnitude spectrum kept (L/2 bins).
//     It keeps the impact repetition rate (BPFO, BPFI, 2×BSF and their
//     sidebands), which names the fault location whatever resonance carries
//     it; it loses the carrier band (which partly tells fault sizes apart)
//     and the shaft harmonics below the band. Its lines still move with the
//     shaft speed; the order domain (dataset.BuildOptions.Order) removes
//     that.
//
// Every output is z-scored (mean 0, standard deviation 1 over its bins),
// like the raw windows, so one learning rate serves all of them. A
// Transformer holds FFT plans and scratch space: it is not safe for
// concurrent use; make one per goroutine with New.
package represent

import (
	"fmt"
	"math"
	"math/cmplx"
	"strconv"
	"strings"

	"github.com/ghl-dev/ghl"
	"gonum.org/v1/gonum/dsp/fourier"
)

// The representations.
const (
	// Raw is the normalised window itself.
	Raw = "raw"
	// Spectrum is the magnitude spectrum of the Hann-tapered window.
	Spectrum = "spectrum"
	// LogSpectrum is the logarithm of Spectrum.
	LogSpectrum = "logspectrum"
	// Envelope is the magnitude spectrum of the band-passed window's
	// Hilbert envelope.
	Envelope = "envelope"
)

// Names lists the representations Parse accepts.
var Names = []string{Raw, Spectrum, LogSpectrum, Envelope}

// Default envelope band, as fractions of the Nyquist frequency.
const (
	DefaultBandLo = 0.1
	DefaultBandHi = 0.8
)

// Spec names a representation and its parameters.
type Spec struct {
	// Name is one of Names ("" means Raw).
	Name string
	// BandLo and BandHi bound the envelope's band-pass, as fractions of
	// the Nyquist frequency (0: the defaults). Ignored by the others.
	BandLo, BandHi float64
}

// Parse reads a representation: "raw", "spectrum", "logspectrum", "envelope" or
// "envelope/LO-HI" with the band in fractions of Nyquist
// ("envelope/0.2-0.8"). An unknown name wraps ghl.ErrUsage.
func Parse(s string) (Spec, error) {
	name, band, hasBand := strings.Cut(strings.TrimSpace(s), "/")
	sp := Spec{Name: name}
	switch name {
	case "", Raw:
		sp.Name = Raw
	case Spectrum, LogSpectrum:
	case Envelope:
		if hasBand {
			a, b, ok := strings.Cut(band, "-")
			lo, err1 := strconv.ParseFloat(a, 64)
			hi, err2 := strconv.ParseFloat(b, 64)
			if !ok || err1 != nil || err2 != nil {
				return Spec{}, fmt.Errorf("%w: representation %q: band %q is not LO-HI in fractions of Nyquist (e.g. envelope/0.1-0.8)", ghl.ErrUsage, s, band)
			}
			sp.BandLo, sp.BandHi = lo, hi
		}
	default:
		return Spec{}, fmt.Errorf("%w: representation %q: want one of %s", ghl.ErrUsage, s, strings.Join(Names, ", "))
	}
	if hasBand && name != Envelope {
		return Spec{}, fmt.Errorf("%w: representation %q: only envelope takes a band", ghl.ErrUsage, s)
	}
	return sp, sp.check()
}

// String returns the spec in the form Parse reads.
func (s Spec) String() string {
	switch {
	case s.Name == "":
		return Raw
	case s.Name == Envelope && (s.BandLo != 0 || s.BandHi != 0):
		return fmt.Sprintf("%s/%g-%g", s.Name, s.BandLo, s.BandHi)
	}
	return s.Name
}

// Options returns the spec's parameters by name (nil when it has none):
// "band_lo" and "band_hi" of an envelope with a band other than the
// default. FromOptions reads them back.
func (s Spec) Options() map[string]string {
	if s.Name != Envelope || (s.BandLo == 0 && s.BandHi == 0) {
		return nil
	}
	return map[string]string{"band_lo": strconv.FormatFloat(s.BandLo, 'g', -1, 64), "band_hi": strconv.FormatFloat(s.BandHi, 'g', -1, 64)}
}

// FromOptions returns the spec of a representation name and the
// parameters Options gave; an unknown name or parameter wraps ghl.ErrUsage.
func FromOptions(name string, opts map[string]string) (Spec, error) {
	s := name
	if len(opts) > 0 {
		lo, okLo := opts["band_lo"]
		hi, okHi := opts["band_hi"]
		if len(opts) != 2 || !okLo || !okHi {
			return Spec{}, fmt.Errorf("%w: representation %s: options %v: want band_lo and band_hi only", ghl.ErrUsage, name, opts)
		}
		s += "/" + lo + "-" + hi
	}
	return Parse(s)
}

// IsRaw reports whether the representation is the window itself.
func (s Spec) IsRaw() bool { return s.Name == "" || s.Name == Raw }

func (s Spec) band() (lo, hi float64) {
	lo, hi = s.BandLo, s.BandHi
	if lo == 0 && hi == 0 {
		lo, hi = DefaultBandLo, DefaultBandHi
	}
	return lo, hi
}

func (s Spec) check() error {
	if s.Name != Envelope {
		return nil
	}
	lo, hi := s.band()
	if !(lo >= 0 && lo < hi && hi <= 1) {
		return fmt.Errorf("%w: envelope band %g-%g: want 0 ≤ LO < HI ≤ 1 (fractions of Nyquist)", ghl.ErrUsage, lo, hi)
	}
	return nil
}

// OutLen returns the length of the representation of an L-point window:
// L for raw, L/2 for the spectra.
func (s Spec) OutLen(L int) int {
	if s.IsRaw() {
		return L
	}
	return L / 2
}

// Transformer computes one representation of L-point windows.
type Transformer struct {
	spec Spec
	l    int
	fft  *fourier.FFT
	cfft *fourier.CmplxFFT
	hann []float64
	in   []float64
	coef []complex128
	full []complex128
	env  []float64
}

// New returns a Transformer of spec for windows of L points. L must be
// even and at least 4 for the spectra.
func New(spec Spec, L int) (*Transformer, error) {
	if err := spec.check(); err != nil {
		return nil, err
	}
	t := &Transformer{spec: spec, l: L}
	if spec.IsRaw() {
		return t, nil
	}
	if L < 4 || L%2 != 0 {
		return nil, fmt.Errorf("%w: representation %s needs an even window of at least 4 points, got %d", ghl.ErrUsage, spec, L)
	}
	t.fft = fourier.NewFFT(L)
	t.hann = make([]float64, L)
	for i := range t.hann {
		t.hann[i] = 0.5 - 0.5*math.Cos(2*math.Pi*float64(i)/float64(L))
	}
	t.in = make([]float64, L)
	t.coef = make([]complex128, L/2+1)
	if spec.Name == Envelope {
		t.cfft = fourier.NewCmplxFFT(L)
		t.full = make([]complex128, L)
		t.env = make([]float64, L)
	}
	return t, nil
}

// Spec returns the transformer's representation.
func (t *Transformer) Spec() Spec { return t.spec }

// InLen and OutLen return the window length and the output length.
func (t *Transformer) InLen() int  { return t.l }
func (t *Transformer) OutLen() int { return t.spec.OutLen(t.l) }

// Apply writes the representation of one window src (InLen points) to dst
// (OutLen points).
func (t *Transformer) Apply(dst, src []float32) {
	if t.spec.IsRaw() {
		copy(dst, src)
		return
	}
	L := t.l
	switch t.spec.Name {
	case Spectrum, LogSpectrum:
		for i, v := range src[:L] {
			t.in[i] = float64(v) * t.hann[i]
		}
		t.coef = t.fft.Coefficients(t.coef, t.in)
		if t.spec.Name == Spectrum {
			for k := range dst[:L/2] {
				dst[k] = float32(cmplx.Abs(t.coef[k]))
			}
			break
		}
		mean := 0.0
		for k := range L / 2 {
			mean += cmplx.Abs(t.coef[k])
		}
		floor := 1e-3*mean/float64(L/2) + 1e-30
		for k := range dst[:L/2] {
			dst[k] = float32(math.Log(cmplx.Abs(t.coef[k]) + floor))
		}
	case Envelope:
		t.envelope(src[:L])
		for i := range t.in {
			t.in[i] = t.env[i] * t.hann[i]
		}
		t.coef = t.fft.Coefficients(t.coef, t.in)
		for k := range dst[:L/2] {
			dst[k] = float32(cmplx.Abs(t.coef[k]))
		}
	}
	zscore(dst[:L/2])
}

// envelope fills t.env with the Hilbert envelope of src band-passed to the
// spec's band, mean removed. The band-pass and the analytic signal come
// from one FFT: only positive-frequency bins inside the band are kept
// (doubled).
func (t *Transformer) envelope(src []float32) {
	L := t.l
	for i, v := range src {
		t.in[i] = float64(v)
	}
	t.coef = t.fft.Coefficients(t.coef, t.in)
	lo, hi := t.spec.band()
	half := float64(L / 2)
	clear(t.full)
	for k := 1; k < L/2; k++ {
		if f := float64(k) / half; f >= lo && f <= hi {
			t.full[k] = 2 * t.coef[k]
		}
	}
	a := t.cfft.Sequence(t.full, t.full)
	mean := 0.0
	for i, z := range a {
		t.env[i] = cmplx.Abs(z) / float64(L) // gonum's inverse is unnormalised
		mean += t.env[i]
	}
	mean /= float64(L)
	for i := range t.env {
		t.env[i] -= mean
	}
}

// ApplyAll returns the representation of every L-point window in x (row
// major), n = len(x)/InLen windows, reusing dst when large enough.
func (t *Transformer) ApplyAll(dst, x []float32) []float32 {
	n := len(x) / t.l
	out := t.OutLen()
	if cap(dst) < n*out {
		dst = make([]float32, n*out)
	}
	dst = dst[:n*out]
	for i := range n {
		t.Apply(dst[i*out:(i+1)*out], x[i*t.l:(i+1)*t.l])
	}
	return dst
}

// zscore scales x to mean 0 and standard deviation 1 (all zero when it is
// constant).
func zscore(x []float32) {
	mean, ss := 0.0, 0.0
	for _, v := range x {
		mean += float64(v)
	}
	mean /= float64(len(x))
	for _, v := range x {
		d := float64(v) - mean
		ss += d * d
	}
	sd := math.Sqrt(ss / float64(len(x)))
	if !(sd > 0) {
		clear(x)
		return
	}
	for i, v := range x {
		x[i] = float32((float64(v) - mean) / sd)
	}
}
