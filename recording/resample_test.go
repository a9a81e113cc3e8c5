package recording

import (
	"errors"
	"fmt"
	"math"
	"math/cmplx"
	"slices"
	"testing"

	"github.com/ghl-dev/ghl"
)

// tone returns n samples of cos(2π f t + phase) at rate.
func tone(n int, f, rate, phase float64) []float64 {
	x := make([]float64, n)
	for i := range x {
		x[i] = math.Cos(2*math.Pi*f*float64(i)/rate + phase)
	}
	return x
}

// fit returns the complex amplitudes c_k of the least-squares fit
// y[m] ≈ Σ_k Re(c_k e^{2πi f_k m/rate}) over y[skip : len(y)-skip]: the
// amplitude and phase of each listed frequency, free of leakage between
// them (a DFT at exactly those frequencies, solved jointly).
func fit(y []float64, rate float64, freqs []float64, skip int) []complex128 {
	k := 2 * len(freqs)
	a := make([][]float64, k)
	for i := range a {
		a[i] = make([]float64, k+1)
	}
	basis := make([]float64, k)
	for m := skip; m < len(y)-skip; m++ {
		for j, f := range freqs {
			s, c := math.Sincos(2 * math.Pi * f * float64(m) / rate)
			basis[2*j], basis[2*j+1] = c, -s
		}
		for r := range k {
			for c := range k {
				a[r][c] += basis[r] * basis[c]
			}
			a[r][k] += basis[r] * y[m]
		}
	}
	// Gaussian elimination with partial pivoting.
	for col := range k {
		piv := col
		for r := col + 1; r < k; r++ {
			if math.Abs(a[r][col]) > math.Abs(a[piv][col]) {
				piv = r
			}
		}
		a[col], a[piv] = a[piv], a[col]
		for r := range k {
			if r != col {
				f := a[r][col] / a[col][col]
				for c := col; c <= k; c++ {
					a[r][c] -= f * a[col][c]
				}
			}
		}
	}
	out := make([]complex128, len(freqs))
	for j := range out {
		out[j] = complex(a[2*j][k]/a[2*j][2*j], a[2*j+1][k]/a[2*j+1][2*j+1])
	}
	return out
}

// fold returns the frequency that f appears at after sampling at rate.
func fold(f, rate float64) float64 {
	f = math.Mod(f, rate)
	if f > rate/2 {
		f = rate - f
	}
	return f
}

func dB(a float64) float64 { return 20 * math.Log10(a) }

// TestResampleTones measures, with synthetic tones, the passband ripple (≤
// 0.1 dB up to 0.8 × the lower Nyquist frequency), the phase (delay
// compensated: ≤ 0.01 rad), and the rejection of every alias or image that
// would land in the output (≥ 60 dB).
func TestResampleTones(t *testing.T) {
	for _, tc := range []struct {
		from, to float64
	}{
		{48000, 12000},
		{48828, 12000},
		{8000, 12000},
		{12000, 48000},
		{44100, 12000},
	} {
		t.Run(fmt.Sprintf("%v-%v", tc.from, tc.to), func(t *testing.T) {
			n := int(tc.from) // one second
			nyq := math.Min(tc.from, tc.to) / 2
			skip := int(tc.to / 50) // 20 ms: beyond the filter's half length
			var pass, stop []float64
			for _, frac := range []float64{0.01, 0.1, 0.33, 0.5, 0.71, 0.8} {
				pass = append(pass, frac*nyq)
			}
			if tc.to < tc.from { // tones above the new Nyquist frequency
				for _, frac := range []float64{1.0 + 1e-3, 1.05, 1.3, 1.7, 2.5, 3.9} {
					if f := frac * tc.to / 2; f < tc.from/2 {
						stop = append(stop, f)
					}
				}
			}
			worstGain, worstAlias := 0.0, -math.MaxFloat64
			defer func() {
				t.Logf("%v → %v Hz: worst passband deviation %.4f dB (to %.0f Hz), worst alias/image %.1f dB",
					tc.from, tc.to, worstGain, 0.8*nyq, worstAlias)
			}()
			for _, f := range pass {
				const phase = 0.3
				y, err := Resample(tone(n, f, tc.from, phase), tc.from, tc.to)
				if err != nil {
					t.Fatal(err)
				}
				if want := int(math.Ceil(float64(n) * tc.to / tc.from)); len(y) != want {
					t.Fatalf("%d output samples, want %d", len(y), want)
				}
				freqs := []float64{f}
				if tc.to > tc.from { // the first image of the tone
					freqs = append(freqs, fold(tc.from-f, tc.to))
				}
				c := fit(y, tc.to, freqs, skip)
				worstGain = math.Max(worstGain, math.Abs(dB(cmplx.Abs(c[0]))))
				if g := dB(cmplx.Abs(c[0])); math.Abs(g) > 0.1 {
					t.Errorf("passband %.0f Hz: gain %.4f dB, want within ±0.1 dB", f, g)
				}
				if d := math.Abs(cmplx.Phase(c[0]) - phase); d > 0.01 {
					t.Errorf("passband %.0f Hz: phase off by %.4f rad: delay not compensated", f, d)
				}
				// An image at 0 Hz or the output Nyquist frequency cannot be
				// told apart from a constant or an alternating sequence.
				if len(c) > 1 && math.Abs(freqs[1]-f) > 1 && freqs[1] > 1 && freqs[1] < tc.to/2-1 {
					worstAlias = math.Max(worstAlias, dB(cmplx.Abs(c[1])))
					if g := dB(cmplx.Abs(c[1])); g > -60 {
						t.Errorf("tone %.0f Hz: image at %.0f Hz only %.1f dB down, want ≤ -60 dB", f, freqs[1], g)
					}
				}
			}
			for _, f := range stop {
				y, err := Resample(tone(n, f, tc.from, 0), tc.from, tc.to)
				if err != nil {
					t.Fatal(err)
				}
				alias := fold(f, tc.to)
				g := dB(cmplx.Abs(fit(y, tc.to, []float64{alias}, skip)[0]))
				worstAlias = math.Max(worstAlias, g)
				if g > -60 {
					t.Errorf("tone %.0f Hz above the new Nyquist: alias at %.0f Hz is %.1f dB, want ≤ -60 dB", f, alias, g)
				}
			}
		})
	}
}

func TestResampleIdentity(t *testing.T) {
	x := tone(1000, 123, 12000, 0.1)
	y, err := Resample(x, 12000, 12000)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(x, y) {
		t.Error("12000 → 12000 changed the signal")
	}
	y[0] = 42
	if x[0] == 42 {
		t.Error("12000 → 12000 returned the input slice, not a copy")
	}
}

func TestResampleLengthsAndEdges(t *testing.T) {
	for _, tc := range []struct {
		n        int
		from, to float64
		want     int
	}{
		{243938, 48000, 12000, 60985},
		{0, 48000, 12000, 0},
		{1, 48000, 12000, 1},
		{3, 8000, 12000, 5},
		{4069, 48828, 12000, 1000},
	} {
		y, err := Resample(make([]float64, tc.n), tc.from, tc.to)
		if err != nil || len(y) != tc.want {
			t.Errorf("Resample(%d samples, %v, %v) = %d samples, %v; want %d", tc.n, tc.from, tc.to, len(y), err, tc.want)
		}
	}
	// A constant stays constant away from the ends (DC gain exactly 1).
	x := make([]float64, 48000)
	for i := range x {
		x[i] = 2.5
	}
	y, _ := Resample(x, 48000, 12000)
	for i := 100; i < len(y)-100; i++ {
		if math.Abs(y[i]-2.5) > 1e-9 {
			t.Fatalf("DC: y[%d] = %v, want 2.5", i, y[i])
		}
	}
}

func TestResampleBadRates(t *testing.T) {
	for _, tc := range []struct{ from, to float64 }{
		{0, 12000}, {12000, 0}, {-1, 12000}, {math.NaN(), 12000}, {12000, math.Inf(1)},
		{1, 1e9},         // a transition band too narrow for the tap limit
		{1e9, 12000.001}, // no ratio within 1e-6 with at most the allowed branches
	} {
		if _, err := Resample([]float64{1, 2, 3}, tc.from, tc.to); !errors.Is(err, ghl.ErrUsage) {
			t.Errorf("Resample(%v → %v) error %v, want ErrUsage", tc.from, tc.to, err)
		}
	}
}

func TestRatioApproximated(t *testing.T) {
	// Coprime integer rates whose exact p would exceed the branch limit.
	for _, tc := range []struct{ from, to float64 }{{44101, 12000}, {12000, 44101}, {48828.3, 12000}, {1e6 + 1, 12000}} {
		p, q, err := ratio(tc.from, tc.to, maxPhases)
		if err != nil || p > maxPhases {
			t.Errorf("ratio(%v, %v) = %d/%d, %v", tc.from, tc.to, p, q, err)
			continue
		}
		if e := math.Abs(float64(p)/float64(q)-tc.to/tc.from) / (tc.to / tc.from); e > maxRatErr {
			t.Errorf("ratio(%v, %v) = %d/%d: relative error %.2g", tc.from, tc.to, p, q, e)
		}
	}
	y, err := Resample(tone(44101, 1000, 44101, 0), 44101, 12000)
	if err != nil || math.Abs(float64(len(y))-12000) > 1 {
		t.Errorf("44101 → 12000: %d samples, %v", len(y), err)
	}
}

func TestRatio(t *testing.T) {
	for _, tc := range []struct {
		from, to float64
		p, q     int
	}{
		{48000, 12000, 1, 4},
		{48828, 12000, 1000, 4069},
		{8000, 12000, 3, 2},
		{44100, 12000, 40, 147},
		{25600, 12000, 15, 32},
		{48828.125, 12000, 384, 15625}, // MFPT's exact rate: 12000/48828.125 = 384/1562.5
	} {
		p, q, err := ratio(tc.from, tc.to, maxPhases)
		if tc.from == 48828.125 { // non-integer: an exact convergent exists
			tc.p, tc.q = 768, 3125
		}
		if err != nil || p != tc.p || q != tc.q {
			t.Errorf("ratio(%v, %v) = %d/%d, %v; want %d/%d", tc.from, tc.to, p, q, err, tc.p, tc.q)
		}
	}
}

// TestLowPassMatchesDecimation checks SPEC section 6: a recording at 12 kHz
// low-passed at PassbandEdge(48000, 12000) has the response of one
// decimated from 48 kHz, so the band edge does not tell them apart.
func TestLowPassMatchesDecimation(t *testing.T) {
	edge := PassbandEdge(48000, 12000)
	if edge != 4800 {
		t.Fatalf("PassbandEdge(48000, 12000) = %v, want 4800", edge)
	}
	for _, f := range []float64{100, 1000, 3000, 4500, 4800, 5000, 5300, 5600, 5900} {
		dec, err := Resample(tone(48000, f, 48000, 0.2), 48000, 12000)
		if err != nil {
			t.Fatal(err)
		}
		lp, err := LowPass(tone(12000, f, 12000, 0.2), 12000, edge)
		if err != nil {
			t.Fatal(err)
		}
		gd := dB(cmplx.Abs(fit(dec, 12000, []float64{f}, 300)[0]))
		cl := fit(lp, 12000, []float64{f}, 300)[0]
		gl := dB(cmplx.Abs(cl))
		if (gd > -40 || gl > -40) && math.Abs(gd-gl) > 0.5 {
			t.Errorf("%v Hz: decimated %.2f dB, low-passed %.2f dB: responses differ", f, gd, gl)
		}
		if f <= edge && (math.Abs(gl) > 0.1 || math.Abs(cmplx.Phase(cl)-0.2) > 0.01) {
			t.Errorf("%v Hz: low-pass gain %.3f dB phase %.4f: passband not flat or delayed", f, gl, cmplx.Phase(cl))
		}
		if f >= 6000 && gl > -60 {
			t.Errorf("%v Hz: low-pass only %.1f dB down", f, gl)
		}
	}
	for _, bad := range []float64{0, -5, 6000, 7000, math.NaN()} {
		if _, err := LowPass([]float64{1, 2}, 12000, bad); !errors.Is(err, ghl.ErrUsage) {
			t.Errorf("LowPass cutoff %v: error %v, want ErrUsage", bad, err)
		}
	}
}

// BenchmarkResample measures 97.mat's length (243,938 points) from 48 kHz
// to 12 kHz, and the MFPT rate 48,828 Hz.
func BenchmarkResample(b *testing.B) {
	x := tone(243938, 1234, 48000, 0)
	for _, from := range []float64{48000, 48828} {
		b.Run(fmt.Sprintf("%v-12000", from), func(b *testing.B) {
			for b.Loop() {
				if _, err := Resample(x, from, 12000); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkLowPass measures a 12 kHz CWRU-length recording.
func BenchmarkLowPass(b *testing.B) {
	x := tone(122000, 1234, 12000, 0)
	for b.Loop() {
		if _, err := LowPass(x, 12000, 4800); err != nil {
			b.Fatal(err)
		}
	}
}
