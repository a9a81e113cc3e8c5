package synth

import (
	"errors"
	"fmt"
	"math"
	"os"
	"slices"
	"sync"
	"testing"

	"gonum.org/v1/gonum/dsp/fourier"

	"github.com/ghl-dev/ghl"
	"github.com/ghl-dev/ghl/dataset"
)

// corpora caches the default corpus per seed for the signal tests.
var corpora sync.Map // seed → map[class][]float64

// testSeeds returns the seeds the signal checks run on: three by default,
// thirty with GHL_LONG=1.
func testSeeds() []uint64 {
	n := 3
	if os.Getenv("GHL_LONG") == "1" {
		n = 30
	}
	seeds := make([]uint64, n)
	for i := range seeds {
		seeds[i] = uint64(i + 1)
	}
	return seeds
}

// forSeeds runs check as a subtest on the default corpus (by class name)
// of each test seed.
func forSeeds(t *testing.T, check func(t *testing.T, sig map[string][]float64)) {
	for _, seed := range testSeeds() {
		t.Run(fmt.Sprintf("seed%d", seed), func(t *testing.T) {
			v, ok := corpora.Load(seed)
			if !ok {
				c, err := Corpus(Options{Seed: seed})
				if err != nil {
					t.Fatal(err)
				}
				m := make(map[string][]float64)
				for _, r := range c.Recordings {
					m[r.Class] = r.Recording.Samples
				}
				v, _ = corpora.LoadOrStore(seed, m)
			}
			check(t, v.(map[string][]float64))
		})
	}
}

func TestCorpusShape(t *testing.T) {
	for _, tc := range []struct {
		opt        Options
		perClass   int
		points     int
		rate       float64
		lastPath   string
		noteSubstr string
	}{
		{Options{}, 1, 120000, 12000, "synth/IF4-0", "seed 0"},
		{Options{Seed: 7, Seconds: 0.5, Rate: 48000, Recordings: 3}, 3, 24000, 48000, "synth/IF4-2", "seed 7"},
	} {
		c, err := Corpus(tc.opt)
		if err != nil {
			t.Fatalf("%+v: %v", tc.opt, err)
		}
		want := []string{"NC", "OF1", "OF2", "OF3", "RF1", "RF2", "RF3", "RF4", "IF1", "IF2", "IF3", "IF4"}
		if c.Name != "synth" || !slices.Equal(c.Classes, want) {
			t.Errorf("%+v: name %q classes %v, want synth %v", tc.opt, c.Name, c.Classes, want)
		}
		if len(c.Recordings) != 12*tc.perClass {
			t.Fatalf("%+v: %d recordings, want %d", tc.opt, len(c.Recordings), 12*tc.perClass)
		}
		for i, r := range c.Recordings {
			rec := r.Recording
			if r.Class != want[i/tc.perClass] || rec.Variable != "DE" || rec.Rate != tc.rate || len(rec.Samples) != tc.points {
				t.Errorf("%+v: recording %d: class %s var %q rate %g, %d points; want %s DE %g %d",
					tc.opt, i, r.Class, rec.Variable, rec.Rate, len(rec.Samples), want[i/tc.perClass], tc.rate, tc.points)
			}
			for _, v := range rec.Samples {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					t.Fatalf("%s: non-finite sample", rec.Path)
				}
			}
		}
		if p := c.Recordings[len(c.Recordings)-1].Recording.Path; p != tc.lastPath {
			t.Errorf("%+v: last path %q, want %q", tc.opt, p, tc.lastPath)
		}
		if len(c.Notes) != 1 || !contains(c.Notes[0], tc.noteSubstr) {
			t.Errorf("%+v: notes %q, want one mentioning %q", tc.opt, c.Notes, tc.noteSubstr)
		}
	}
}

func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}

func TestBadOptions(t *testing.T) {
	for _, tc := range []struct {
		name string
		opt  Options
	}{
		{"negative seconds", Options{Seconds: -1}},
		{"NaN seconds", Options{Seconds: math.NaN()}},
		{"infinite rate", Options{Rate: math.Inf(1)}},
		{"rate below resonance", Options{Rate: 4000}},
		{"negative shaft", Options{ShaftHz: -30}},
		{"shaft too fast", Options{ShaftHz: 500}},
		{"negative noise", Options{Noise: -0.1}},
		{"negative recordings", Options{Recordings: -2}},
		{"too short", Options{Seconds: 1e-6}},
		{"too many samples", Options{Seconds: 3600, Recordings: 10}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Corpus(tc.opt)
			if !errors.Is(err, ghl.ErrUsage) || c != nil {
				t.Errorf("Corpus(%+v) = %v, %v; want nil and an ErrUsage error", tc.opt, c, err)
			}
		})
	}
}

func TestSeed(t *testing.T) {
	gen := func(seed uint64) [][]float64 {
		c, err := Corpus(Options{Seed: seed, Seconds: 1, Recordings: 2})
		if err != nil {
			t.Fatal(err)
		}
		var xs [][]float64
		for _, r := range c.Recordings {
			xs = append(xs, r.Recording.Samples)
		}
		return xs
	}
	a, b, other := gen(42), gen(42), gen(43)
	for i := range a {
		if !slices.Equal(a[i], b[i]) {
			t.Errorf("recording %d differs between two runs with seed 42", i)
		}
		if slices.Equal(a[i], other[i]) {
			t.Errorf("recording %d is the same for seeds 42 and 43", i)
		}
	}
	// The recordings of one class are independent draws, and recording 0 of
	// each class is the same whether one or two are asked for.
	if slices.Equal(a[0], a[1]) || slices.Equal(a[2], a[3]) {
		t.Error("two recordings of one class are identical")
	}
	one, err := Corpus(Options{Seed: 42, Seconds: 1})
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range one.Recordings {
		if !slices.Equal(r.Recording.Samples, a[2*i]) {
			t.Errorf("%s: recording 0 changes with the number of recordings per class", r.Recording.Path)
		}
	}
}

func TestFrequencies(t *testing.T) {
	// The CWRU Bearing Data Center lists the drive-end bearing's defect
	// frequencies as multiples of the running speed: inner ring 5.4152,
	// outer ring 3.5848, cage 0.39828, rolling element 4.7135 (= 2×BSF).
	f := DriveEnd6205().Frequencies(1)
	for _, tc := range []struct {
		name      string
		got, want float64
	}{
		{"BPFI", f.BPFI, 5.4152}, {"BPFO", f.BPFO, 3.5848}, {"FTF", f.FTF, 0.39828}, {"2×BSF", 2 * f.BSF, 4.7135},
	} {
		if math.Abs(tc.got-tc.want) > 2e-4*tc.want {
			t.Errorf("%s = %.5f × shaft, want %.5f", tc.name, tc.got, tc.want)
		}
	}
	// Fault frequencies scale with speed.
	if g := DriveEnd6205().Frequencies(DefaultShaftHz).BPFO; math.Abs(g-3.5848*DefaultShaftHz) > 0.01 {
		t.Errorf("BPFO at 1750 rpm = %g Hz", g)
	}
}

func TestHalfSine(t *testing.T) {
	// H(f, τ) must be the Fourier transform of a half-sine pulse of length τ
	// (taken about its centre), over its area: check it by quadrature.
	const tau = 1e-3
	for _, ft := range []float64{0, 0.2, 0.5, 0.9, 1.3, 1.5, 2.2} {
		f := ft / tau
		const n = 20000
		var re, area float64
		for i := range n {
			s := (float64(i) + 0.5) / n * tau
			p := math.Sin(math.Pi * s / tau)
			re += p * math.Cos(2*math.Pi*f*(s-tau/2))
			area += p
		}
		if got, want := halfSine(f, tau), re/area; math.Abs(got-want) > 1e-6 {
			t.Errorf("H(fτ=%g) = %.7f, quadrature %.7f", ft, got, want)
		}
	}
}

func TestLoadZone(t *testing.T) {
	for _, tc := range []struct {
		psi, want float64
	}{
		{0, 1},                   // centre of the load zone
		{math.Pi / 2, loadFloor}, // edge of a 180° zone (ε = 0.5)
		{math.Pi, loadFloor},     // opposite the load
		{math.Pi / 3, 0.3 + 0.7*math.Pow(0.5, 1.5)},
	} {
		if got := loadZone(tc.psi); math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("loadZone(%g) = %g, want %g", tc.psi, got, tc.want)
		}
	}
}

// faultFreq returns the frequency at which a class's defect is struck and
// the frequency that modulates the impacts (0: none), at the default speed.
func faultFreq(cl Class) (fault, mod float64) {
	f := DriveEnd6205().Frequencies(DefaultShaftHz)
	switch cl.Location {
	case OuterRace:
		return f.BPFO, 0
	case InnerRace:
		return f.BPFI, f.Shaft
	case Ball:
		return 2 * f.BSF, f.FTF
	}
	return 0, 0
}

func TestEnvelopeSpectrum(t *testing.T) {
	forSeeds(t, func(t *testing.T, sig map[string][]float64) {
		f := DriveEnd6205().Frequencies(DefaultShaftHz)
		candidates := []float64{f.BSF, f.BPFO, 2 * f.BSF, f.BPFI}
		// A window of ±2 % around a frequency: the speed error (0.2 %) and slip
		// (1.5 % per interval) broaden the lines a little.
		height := func(spec []float64, df, fc float64) float64 {
			_, h := peakIn(spec, df, fc*0.98, fc*1.02)
			return h
		}
		var ncPeak float64
		for _, cl := range Classes() {
			spec, df := envelopeSpectrum(sig[cl.Name], DefaultRate, 600, 5500)
			if cl.Location == Healthy {
				for _, fc := range candidates {
					ncPeak = max(ncPeak, height(spec, df, fc))
				}
				continue
			}
			fault, mod := faultFreq(cl)
			t.Run(cl.Name, func(t *testing.T) {
				// The strongest line between 50 and 250 Hz, shaft harmonics
				// aside (the inner race's load zone modulates at fr, so its
				// envelope has lines at k·fr as real ones do), is the fault
				// frequency.
				if pf, _ := peakIn(withoutShaftHarmonics(spec, df, f.Shaft), df, 50, 250); math.Abs(pf-fault) > 0.02*fault {
					t.Errorf("envelope peak at %.2f Hz, want %.2f Hz ± 2 %%", pf, fault)
				}
				own := height(spec, df, fault)
				for _, fc := range candidates {
					if fc != fault && height(spec, df, fc) >= own/2 {
						t.Errorf("line at %.1f Hz is %.2f of the fault line at %.1f Hz", fc, height(spec, df, fc)/own, fault)
					}
				}
				// Load-zone modulation: sidebands at fault ± mod for the inner
				// race and the ball; none at fault ± shaft for the outer race.
				side := mod
				if side == 0 {
					side = f.Shaft
				}
				sb := (height(spec, df, fault-side) + height(spec, df, fault+side)) / 2 / own
				if mod != 0 && sb < 0.1 || mod == 0 && sb > 0.05 {
					t.Errorf("sidebands at ±%.2f Hz are %.3f of the fault line (modulated: %v)", side, sb, mod != 0)
				}
				if own < 10*ncPeak {
					t.Errorf("fault line %.3g is not 10× above the healthy signal's largest candidate line %.3g", own, ncPeak)
				}
			})
		}
	})
}

// withoutShaftHarmonics returns a copy of spec (spacing df) with the bins
// within 2 % of a multiple of shaft Hz set to zero.
func withoutShaftHarmonics(spec []float64, df, shaft float64) []float64 {
	out := slices.Clone(spec)
	for k := range out {
		f := float64(k) * df
		if h := math.Round(f / shaft); h >= 1 && math.Abs(f-h*shaft) <= 0.02*h*shaft {
			out[k] = 0
		}
	}
	return out
}

func TestImpulsive(t *testing.T) {
	forSeeds(t, func(t *testing.T, sig map[string][]float64) {
		for _, cl := range Classes() {
			var k float64
			ws := windows(sig[cl.Name], 1024)
			for _, w := range ws {
				k += kurtosis(zscore(w))
			}
			k /= float64(len(ws))
			lo, hi := 4.0, math.Inf(1)
			if cl.Location == Healthy {
				lo, hi = 2.6, 3.4
			}
			if k < lo || k > hi {
				t.Errorf("%s: mean kurtosis of %d windows %.2f, want in [%g, %g]", cl.Name, len(ws), k, lo, hi)
			}
		}
	})
}

func TestSizesDistinguishable(t *testing.T) {
	forSeeds(t, func(t *testing.T, sig map[string][]float64) {
		// One simple feature of z-scored windows, the log energy ratio of the
		// two resonance bands, and a nearest-centroid rule trained on windows
		// from the first 70 % of each recording must recognise the fault size
		// of windows from the rest (as the dataset package splits).
		fft := fourier.NewFFT(1024)
		for _, loc := range []struct {
			name string
			loc  Location
		}{{"outer race", OuterRace}, {"ball", Ball}, {"inner race", InnerRace}} {
			t.Run(loc.name, func(t *testing.T) {
				var centroids []float64
				var test [][]float64
				for _, cl := range Classes() {
					if cl.Location != loc.loc {
						continue
					}
					var fs []float64
					for _, w := range windows(sig[cl.Name], 1024) {
						fs = append(fs, bandRatio(fft, zscore(w), DefaultRate))
					}
					cut := len(fs) * 7 / 10
					var m float64
					for _, v := range fs[:cut] {
						m += v / float64(cut)
					}
					centroids, test = append(centroids, m), append(test, fs[cut:])
				}
				var right, all int
				for c, vs := range test {
					for _, v := range vs {
						best := 0
						for k, m := range centroids {
							if math.Abs(v-m) < math.Abs(v-centroids[best]) {
								best = k
							}
						}
						if best == c {
							right++
						}
						all++
					}
				}
				acc := float64(right) / float64(all)
				if acc < 0.9 {
					t.Errorf("nearest-centroid accuracy over %d sizes on %d held-out windows: %.3f, want ≥ 0.9", len(centroids), all, acc)
				}
				t.Logf("centroids %.2f; accuracy on %d held-out windows %.3f", centroids, all, acc)
			})
		}
	})
}

func TestBuildsPaperSets(t *testing.T) {
	// The default corpus must be long enough for every named set of the
	// paper with the dataset package's default split.
	c, err := Corpus(Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range dataset.Sets {
		spec, err := dataset.ParseSet(name)
		if err != nil {
			t.Fatal(err)
		}
		s, err := dataset.Build(c, spec, dataset.BuildOptions{})
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		train, test := s.Train.Counts(len(c.Classes)), s.Test.Counts(len(c.Classes))
		for i, cl := range c.Classes {
			want := spec.Minority
			if i == 0 {
				want = spec.Majority
			}
			if train[i] != want || test[i] != spec.Test {
				t.Errorf("%s: %s has %d training and %d test windows, want %d and %d", name, cl, train[i], test[i], want, spec.Test)
			}
		}
		t.Logf("%s: NC stride %d, %d test windows", name, s.PerClass[0].Stride, s.Test.Len())
	}
}
