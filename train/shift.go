package train

import (
	"math"

	"github.com/ghl-dev/ghl/dataset"

	"gonum.org/v1/gonum/dsp/fourier"
)

// Augmentations aimed at a change of operating condition (a machine at
// another load or speed than its training data): speed perturbation and
// random filtering. They act on the normalised time-domain window, before
// the model's input representation (Config.Input) is computed, so a
// spectrum model sees the stretched lines and filtered bands a real speed
// or transfer-path change would give.

// stretchTaps is the half-length of the interpolation kernel of Stretch: a
// Lanczos kernel of 2×8 taps keeps the passband (every recording is
// low-passed at 0.8 × Nyquist) within about 0.5 % and aliases nothing for
// stretch factors down to 0.85.
const stretchTaps = 8

// stretchWindow writes src time-stretched by factor s around its centre to
// dst: dst[n] = src((n−c)/s + c), read circularly (the window is treated as
// periodic, as the circular shift treats it) with a band-limited Lanczos
// interpolator. s > 1 slows the signal down: every frequency f moves to f/s,
// as at a shaft speed 1/s times the recorded one. When s < 1 the kernel is
// widened by 1/s so compressed content is low-passed first (no aliasing).
func stretchWindow(dst, src []float32, s float64) {
	L := len(src)
	c := float64(L) / 2
	scale := min(1, s) // kernel bandwidth relative to the input's Nyquist
	half := int(math.Ceil(stretchTaps / scale))
	for n := range dst[:L] {
		pos := (float64(n)-c)/s + c
		i0 := int(math.Floor(pos))
		var acc, wsum float64
		for j := i0 - half + 1; j <= i0+half; j++ {
			d := (pos - float64(j)) * scale
			w := lanczosTab(d)
			if w == 0 {
				continue
			}
			k := j
			for k < 0 {
				k += L
			}
			for k >= L {
				k -= L
			}
			acc += w * float64(src[k])
			wsum += w
		}
		if wsum != 0 {
			acc /= wsum
		}
		dst[n] = float32(acc)
	}
}

// lanczosRes is the number of table entries per unit of lanczosTab.
const lanczosRes = 1024

// lanczosTable holds the Lanczos kernel of stretchTaps taps on
// [0, stretchTaps] at 1/lanczosRes steps.
var lanczosTable = func() []float64 {
	t := make([]float64, stretchTaps*lanczosRes+2)
	for i := range t {
		t[i] = lanczos(float64(i)/lanczosRes, stretchTaps)
	}
	return t
}()

// lanczosTab is lanczos(x, stretchTaps), linearly interpolated from
// lanczosTable (error below 1e-6).
func lanczosTab(x float64) float64 {
	x = math.Abs(x) * lanczosRes
	i := int(x)
	if i >= stretchTaps*lanczosRes {
		return 0
	}
	f := x - float64(i)
	return lanczosTable[i]*(1-f) + lanczosTable[i+1]*f
}

// lanczos is the Lanczos kernel sinc(x)·sinc(x/a) on |x| < a.
func lanczos(x float64, a float64) float64 {
	switch {
	case x == 0:
		return 1
	case math.Abs(x) >= a:
		return 0
	}
	px := math.Pi * x
	return a * math.Sin(px) * math.Sin(px/a) / (px * px)
}

// filterState holds the FFT plans of the random filter.
type filterState struct {
	fft  *fourier.FFT
	in   []float64
	coef []complex128
}

// randomFilter passes w through a random smooth filter: a gain in dB that
// tilts linearly by up to ±tiltDB across the band, plus a ripple of up to
// tiltDB/4 with one to three periods over the band (a moved resonance, a
// different mounting), then restores w's root mean square so the window
// stays normalised.
func (t *trainer) randomFilter(w []float32, tiltDB float64) {
	slope := tiltDB * (2*t.rng.Float64() - 1)
	ripple := tiltDB / 4 * t.rng.Float64()
	periods := float64(1 + t.rng.IntN(3))
	phase := 2 * math.Pi * t.rng.Float64()
	t.filt.gain(w, func(f float64) float64 {
		return slope*(f-0.5) + ripple*math.Sin(2*math.Pi*periods*f+phase)
	})
}

// gain filters w by the gain db(f) in dB at each frequency f (a fraction of
// Nyquist, 0…1), then restores w's root mean square.
func (fs *filterState) gain(w []float32, db func(f float64) float64) {
	L := len(w)
	if fs.fft == nil || fs.fft.Len() != L {
		fs.fft = fourier.NewFFT(L)
		fs.in = make([]float64, L)
		fs.coef = make([]complex128, L/2+1)
	}
	rms0 := 0.0
	for i, v := range w {
		fs.in[i] = float64(v)
		rms0 += float64(v) * float64(v)
	}
	fs.coef = fs.fft.Coefficients(fs.coef, fs.in)
	nyq := float64(len(fs.coef) - 1)
	for k := range fs.coef {
		fs.coef[k] *= complex(math.Pow(10, db(float64(k)/nyq)/20), 0)
	}
	fs.in = fs.fft.Sequence(fs.in, fs.coef)
	rms1 := 0.0
	for _, v := range fs.in {
		rms1 += v * v
	}
	g := 1.0 / float64(L) // gonum's inverse is unnormalised
	if rms1 > 0 {
		g = math.Sqrt(rms0 / rms1)
	}
	for i, v := range fs.in {
		w[i] = float32(v * g)
	}
}

// conditionShift applies the speed perturbation and the random filter of
// cfg.Augment to one window in place.
func (t *trainer) conditionShift(w []float32) {
	a := t.cfg.Augment
	if a.Stretch > 0 {
		s := 1 + a.Stretch*(2*t.rng.Float64()-1)
		t.stretchBuf = grow(t.stretchBuf, len(w))
		stretchWindow(t.stretchBuf, w, s)
		copy(w, t.stretchBuf)
	}
	if a.Tilt > 0 {
		t.randomFilter(w, a.Tilt)
	}
}

// Input turns a normalised (and, in training, augmented) window into the
// model's input: a representation such as a spectrum
// (represent.Transformer implements it). It need not be safe for concurrent
// use: a training run calls it from one goroutine.
type Input interface {
	// InLen is the window length it takes, OutLen the input length it
	// gives.
	InLen() int
	OutLen() int
	// ApplyAll maps the row-major windows in x to row-major inputs,
	// reusing dst when it is large enough.
	ApplyAll(dst, x []float32) []float32
}

// input maps windows x (each L long) to the model's input, in t.inBuf; it
// returns x itself without Config.Input.
func (t *trainer) input(x []float32, L int) ([]float32, int) {
	if t.cfg.Input == nil {
		return x, L
	}
	t.inBuf = t.cfg.Input.ApplyAll(t.inBuf, x)
	return t.inBuf, t.cfg.Input.OutLen()
}

// inputSamples returns s mapped by Config.Input (s itself without it).
func inputSamples(in Input, s *dataset.Samples) *dataset.Samples {
	if in == nil {
		return s
	}
	return &dataset.Samples{X: in.ApplyAll(nil, s.X), Y: s.Y, L: in.OutLen()}
}
