package represent_test

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/ghl-dev/ghl"
	"github.com/ghl-dev/ghl/dataset/represent"
	"github.com/ghl-dev/ghl/dataset/synth"
)

// simulated returns the first recording of each named class of the
// simulator at its defaults (12 kHz, 1750 rpm), as float32 samples.
func simulated(t testing.TB, seed uint64) map[string][]float32 {
	t.Helper()
	c, err := synth.Corpus(synth.Options{Seed: seed, Seconds: 4})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]float32{}
	for _, l := range c.Recordings {
		x := make([]float32, len(l.Recording.Samples))
		for i, v := range l.Recording.Samples {
			x[i] = float32(v)
		}
		out[l.Class] = x
	}
	return out
}

// meanRep returns the mean representation over the non-overlapping
// L-point windows of x.
func meanRep(t testing.TB, tr *represent.Transformer, x []float32) []float64 {
	t.Helper()
	L := tr.InLen()
	sum := make([]float64, tr.OutLen())
	out := make([]float32, tr.OutLen())
	n := 0
	for s := 0; s+L <= len(x); s += L {
		tr.Apply(out, x[s:s+L])
		for k, v := range out {
			sum[k] += float64(v)
		}
		n++
	}
	for k := range sum {
		sum[k] /= float64(n)
	}
	return sum
}

// TestEnvelopePeaksAtFaultFrequency: the envelope spectrum of a simulated
// fault peaks at its kinematic fault frequency (BPFO, BPFI, 2×BSF), within
// one bin, clearly above the rest of the 40–400 Hz range; the magnitude
// spectrum of the same windows does not show the line.
func TestEnvelopePeaksAtFaultFrequency(t *testing.T) {
	const rate, L = 12000.0, 4096
	fq := synth.DriveEnd6205().Frequencies(synth.DefaultShaftHz)
	env, err := represent.New(represent.Spec{Name: represent.Envelope}, L)
	if err != nil {
		t.Fatal(err)
	}
	df := rate / L
	for _, seed := range []uint64{1, 2} {
		recs := simulated(t, seed)
		for _, tc := range []struct {
			class string
			hz    float64
		}{{"OF2", fq.BPFO}, {"OF3", fq.BPFO}, {"IF1", fq.BPFI}, {"IF3", fq.BPFI}, {"RF2", 2 * fq.BSF}, {"RF4", 2 * fq.BSF}} {
			spec := meanRep(t, env, recs[tc.class])
			k, h, med := peak(spec, df, 40, 400)
			if got := float64(k) * df; math.Abs(got-tc.hz) > df {
				t.Errorf("seed %d %s: envelope spectrum peaks at %.1f Hz, want the fault frequency %.1f Hz ± %.1f", seed, tc.class, got, tc.hz, df)
			}
			if h < med+3 {
				t.Errorf("seed %d %s: envelope peak %.2f is not clearly above the median %.2f (z-units)", seed, tc.class, h, med)
			}
		}
	}
}

// peak returns the bin of the largest value of spec in [lo, hi] Hz, its
// height and the median height there.
func peak(spec []float64, df, lo, hi float64) (k int, h, median float64) {
	var vals []float64
	h = math.Inf(-1)
	for i := int(math.Ceil(lo / df)); float64(i)*df <= hi; i++ {
		vals = append(vals, spec[i])
		if spec[i] > h {
			k, h = i, spec[i]
		}
	}
	slices.Sort(vals)
	return k, h, vals[len(vals)/2]
}

// TestSpectrumOfSine: a sine's magnitude spectrum and log spectrum peak at
// its bin; the output is z-scored and L/2 long.
func TestSpectrumOfSine(t *testing.T) {
	for _, name := range []string{represent.Spectrum, represent.LogSpectrum} {
		t.Run(name, func(t *testing.T) { testSpectrumOfSine(t, name) })
	}
}

func testSpectrumOfSine(t *testing.T, name string) {
	const L = 1024
	tr, err := represent.New(represent.Spec{Name: name}, L)
	if err != nil {
		t.Fatal(err)
	}
	for _, bin := range []int{5, 100, 300} {
		x := make([]float32, L)
		for i := range x {
			x[i] = float32(math.Sin(2 * math.Pi * float64(bin) * float64(i) / L))
		}
		out := make([]float32, tr.OutLen())
		tr.Apply(out, x)
		if len(out) != L/2 {
			t.Fatalf("output length %d, want %d", len(out), L/2)
		}
		if k := argmax(out); k != bin {
			t.Errorf("sine at bin %d: spectrum peaks at %d", bin, k)
		}
		var m, s float64
		for _, v := range out {
			m += float64(v)
		}
		m /= float64(len(out))
		for _, v := range out {
			s += (float64(v) - m) * (float64(v) - m)
		}
		if math.Abs(m) > 1e-5 || math.Abs(math.Sqrt(s/float64(len(out)))-1) > 1e-4 {
			t.Errorf("output mean %g, sd %g: want z-scored", m, math.Sqrt(s/float64(len(out))))
		}
	}
}

// TestLogSpectrumMatchesDFT: the log spectrum of a noisy two-tone window
// is the z-scored log(|X_k| + 10⁻³ mean|X|) of a direct DFT of the
// Hann-tapered window, and a gain on the whole window leaves it unchanged.
func TestLogSpectrumMatchesDFT(t *testing.T) {
	const L = 256
	tr, err := represent.New(represent.Spec{Name: represent.LogSpectrum}, L)
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(3, 4))
	x := make([]float32, L)
	for i := range x {
		ph := 2 * math.Pi * float64(i) / L
		x[i] = float32(math.Sin(17.3*ph) + 0.2*math.Sin(80*ph) + 0.05*r.NormFloat64())
	}
	mag := make([]float64, L/2)
	mean := 0.0
	for k := range mag {
		var re, im float64
		for i, v := range x {
			w := float64(v) * (0.5 - 0.5*math.Cos(2*math.Pi*float64(i)/L))
			re += w * math.Cos(2*math.Pi*float64(k*i)/L)
			im -= w * math.Sin(2*math.Pi*float64(k*i)/L)
		}
		mag[k] = math.Hypot(re, im)
		mean += mag[k] / (L / 2)
	}
	want := make([]float64, L/2)
	m, ss := 0.0, 0.0
	for k, a := range mag {
		want[k] = math.Log(a + 1e-3*mean)
		m += want[k] / (L / 2)
	}
	for _, v := range want {
		ss += (v - m) * (v - m)
	}
	sd := math.Sqrt(ss / (L / 2))
	got := make([]float32, L/2)
	tr.Apply(got, x)
	for k := range want {
		if w := (want[k] - m) / sd; math.Abs(float64(got[k])-w) > 1e-4 {
			t.Fatalf("bin %d: %v, direct DFT gives %v", k, got[k], w)
		}
	}
	y := make([]float32, L)
	for i, v := range x {
		y[i] = 7 * v
	}
	gy := make([]float32, L/2)
	tr.Apply(gy, y)
	for k := range gy {
		if math.Abs(float64(gy[k]-got[k])) > 1e-4 {
			t.Fatalf("bin %d: gain 7 changed the log spectrum from %v to %v", k, got[k], gy[k])
		}
	}
}

func argmax(x []float32) int {
	b := 0
	for i, v := range x {
		if v > x[b] {
			b = i
		}
	}
	return b
}

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"", "raw", true}, {"raw", "raw", true}, {"spectrum", "spectrum", true}, {"logspectrum", "logspectrum", true}, {"envelope", "envelope", true},
		{"envelope/0.2-0.7", "envelope/0.2-0.7", true},
		{"envelope/0.8-0.2", "", false}, {"envelope/x", "", false}, {"spectrum/0.1-0.2", "", false},
		{"cepstrum", "", false},
	} {
		sp, err := represent.Parse(tc.in)
		if tc.ok != (err == nil) {
			t.Errorf("Parse(%q): error %v, want ok=%v", tc.in, err, tc.ok)
			continue
		}
		if err != nil && !errors.Is(err, ghl.ErrUsage) {
			t.Errorf("Parse(%q): %v does not wrap ErrUsage", tc.in, err)
		}
		if tc.ok && sp.String() != tc.want {
			t.Errorf("Parse(%q).String() = %q, want %q", tc.in, sp.String(), tc.want)
		}
		if back, err := represent.FromOptions(sp.Name, sp.Options()); tc.ok && (err != nil || back != sp) {
			t.Errorf("FromOptions(%q, %v) = %v, %v; want %v", sp.Name, sp.Options(), back, err, sp)
		}
	}
	if _, err := represent.FromOptions("envelope", map[string]string{"band": "1-2"}); !errors.Is(err, ghl.ErrUsage) {
		t.Errorf("FromOptions accepted an unknown option: %v", err)
	}
	if _, err := represent.New(represent.Spec{Name: represent.Envelope}, 1023); err == nil {
		t.Error("New accepted an odd window for the envelope")
	}
}

// TestRawIsIdentity: raw copies the window.
func TestRawIsIdentity(t *testing.T) {
	tr, err := represent.New(represent.Spec{}, 8)
	if err != nil {
		t.Fatal(err)
	}
	x := []float32{1, -2, 3, -4, 5, -6, 7, -8}
	got := tr.ApplyAll(nil, append(slices.Clone(x), x...))
	if !slices.Equal(got[:8], x) || !slices.Equal(got[8:], x) {
		t.Errorf("raw changed the windows: %v", got)
	}
}

func BenchmarkApply(b *testing.B) {
	for _, name := range []string{represent.Spectrum, represent.LogSpectrum, represent.Envelope} {
		b.Run(name, func(b *testing.B) {
			tr, _ := represent.New(represent.Spec{Name: name}, 1024)
			x := make([]float32, 1024)
			for i := range x {
				x[i] = float32(math.Sin(float64(i)))
			}
			out := make([]float32, 512)
			for b.Loop() {
				tr.Apply(out, x)
			}
		})
	}
}
