package train_test

import (
	"math"
	"math/cmplx"
	"reflect"
	"slices"
	"testing"

	"github.com/ghl-dev/ghl/dataset"
	"github.com/ghl-dev/ghl/loss"
	"github.com/ghl-dev/ghl/train"

	"gonum.org/v1/gonum/dsp/fourier"
)

func TestShiftWindows(t *testing.T) {
	set := toySet(5, []int{8, 4, 4, 4})
	val := &set.Val
	orig := slices.Clone(val.X)
	for _, tc := range []struct {
		name   string
		v      train.ValShift
		copies int
	}{
		{"default", train.DefaultValShift, 4},
		{"stretch only", train.ValShift{Stretch: 0.05}, 2},
		{"tilt only", train.ValShift{Tilt: 6}, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, err := train.ShiftWindows(val, tc.v)
			if err != nil {
				t.Fatal(err)
			}
			b, err := train.ShiftWindows(val, tc.v)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(a, b) {
				t.Fatal("two calls gave different shifted windows")
			}
			if !slices.Equal(val.X, orig) {
				t.Fatal("the validation windows were modified")
			}
			n := val.Len()
			if a.Len() != tc.copies*n || a.L != val.L || tc.v.Copies() != tc.copies {
				t.Fatalf("%d windows of %d points (Copies %d), want %d of %d", a.Len(), a.L, tc.v.Copies(), tc.copies*n, val.L)
			}
			for k := range tc.copies {
				if !slices.Equal(a.Y[k*n:(k+1)*n], val.Y) {
					t.Fatalf("copy %d: labels out of order", k)
				}
				for i := range n {
					got := a.X[(k*n+i)*L : (k*n+i+1)*L]
					want := val.X[i*L : (i+1)*L]
					if d := rmsDiff(got, want); d < 0.05 {
						t.Fatalf("copy %d window %d: RMS difference %.3g from the unshifted window, want a visible shift", k, i, d)
					}
				}
			}
		})
	}
	z, err := train.ShiftWindows(val, train.ValShift{})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(z.X, val.X) || !reflect.DeepEqual(z.Y, val.Y) {
		t.Fatal("the zero shift did not return the windows unchanged")
	}
	for _, bad := range []train.ValShift{{Stretch: -0.1}, {Stretch: 0.5}, {Tilt: -1}, {Tilt: math.NaN()}} {
		if _, err := train.ShiftWindows(val, bad); err == nil {
			t.Errorf("shift %v accepted", bad)
		}
	}
}

// TestShiftTilt: the tilt changes the ratio of two tones' amplitudes by
// the gain difference Tilt·2(f2 − f1) dB.
func TestShiftTilt(t *testing.T) {
	const n = 256
	k1, k2 := 16, 96 // cycles per window; Nyquist is n/2 = 128
	x := make([]float32, n)
	for i := range x {
		x[i] = float32(math.Sin(2*math.Pi*float64(k1*i)/n) + math.Sin(2*math.Pi*float64(k2*i)/n))
	}
	s := &dataset.Samples{L: n, X: x, Y: []int{0}}
	const tilt = 3.0
	out, err := train.ShiftWindows(s, train.ValShift{Tilt: tilt})
	if err != nil {
		t.Fatal(err)
	}
	fft := fourier.NewFFT(n)
	ratioDB := func(w []float32) float64 {
		in := make([]float64, n)
		for i, v := range w {
			in[i] = float64(v)
		}
		c := fft.Coefficients(nil, in)
		return 20 * math.Log10(cmplx.Abs(c[k2])/cmplx.Abs(c[k1]))
	}
	f1, f2 := float64(k1)/(n/2), float64(k2)/(n/2)
	for i, sign := range []float64{-1, 1} {
		got := ratioDB(out.X[i*n:(i+1)*n]) - ratioDB(x)
		if want := sign * tilt * 2 * (f2 - f1); math.Abs(got-want) > 1e-3 {
			t.Errorf("tilt %+g dB: tone ratio changed by %.4f dB, want %.4f", sign*tilt, got, want)
		}
		if r0, r1 := rmsDiff(x, make([]float32, n)), rmsDiff(out.X[i*n:(i+1)*n], make([]float32, n)); math.Abs(r0-r1) > 1e-4*r0 {
			t.Errorf("tilt %+g dB: RMS %.5f, want the window's %.5f", sign*tilt, r1, r0)
		}
	}
}

// TestRunScoresShiftedValidation: the run reports the kept weights' score
// on the shifted copies; the zero shift gives back the ordinary validation
// score; selecting on the shifted validation keeps its best evaluation.
func TestRunScoresShiftedValidation(t *testing.T) {
	set := toySet(1, []int{64, 8, 8, 8})
	opt := loss.DefaultOptions()
	opt.Base = loss.CrossEntropy
	cfg := train.Config{Iterations: 5, BatchSize: 16, LR: 3e-3, Schedule: "cosine", Seed: 3,
		Augment: train.Augment{Shift: 20, Scale: 0.1, Noise: 0.05}, ValShift: train.ValShift{Stretch: 0.05, Tilt: 6}}
	plain := cfg
	plain.ValShift = train.ValShift{}
	a, ma := run(t, "plain", opt, set, cfg)
	b, _ := run(t, "plain", opt, set, plain)
	if b.ValShift != nil {
		t.Fatal("shifted validation scored without a shift")
	}
	if a.BestIter != b.BestIter || a.BestValF1 != b.BestValF1 {
		t.Fatalf("recording the shifted score changed the run: best %d/%v, without %d/%v", a.BestIter, a.BestValF1, b.BestIter, b.BestValF1)
	}
	score := func(v train.ValShift) float64 {
		sh, err := train.ShiftWindows(&set.Val, v)
		if err != nil {
			t.Fatal(err)
		}
		return macroF1On(t, ma, sh)
	}
	if a.ValShift == nil || a.ValShift.N != 4*set.Val.Len() {
		t.Fatalf("shifted validation %+v, want metrics on %d windows", a.ValShift, 4*set.Val.Len())
	}
	if got := score(cfg.ValShift); got != a.ValShift.MacroF1 {
		t.Fatalf("kept weights score %v on the shifted windows, the run reported %v", got, a.ValShift.MacroF1)
	}
	if got := score(train.ValShift{}); got != a.BestValF1 {
		t.Fatalf("unshifted copy scores %v, the ordinary validation %v", got, a.BestValF1)
	}

	sel := cfg
	sel.Select = train.SelectShift
	c, mc := run(t, "plain", opt, set, sel)
	best := -1.0
	for _, l := range c.Log {
		if l.ValShiftMacroF1 == nil {
			t.Fatalf("epoch %d: no shifted validation score logged under selection on it", l.Epoch)
		}
		best = max(best, *l.ValShiftMacroF1)
	}
	if c.ValShift.MacroF1 != best || *c.Log[c.BestIter-1].ValShiftMacroF1 != best {
		t.Fatalf("kept epoch %d with shifted score %v, the best logged is %v", c.BestIter, c.ValShift.MacroF1, best)
	}
	if c.BestValF1 != c.Log[c.BestIter-1].ValMacroF1 {
		t.Fatalf("BestValF1 %v is not the kept epoch's validation score %v", c.BestValF1, c.Log[c.BestIter-1].ValMacroF1)
	}
	if got := macroF1On(t, mc, &set.Val); got != c.BestValF1 {
		t.Fatalf("restored weights give validation macro-F1 %v, the run reported %v", got, c.BestValF1)
	}
}

func rmsDiff(a, b []float32) float64 {
	s := 0.0
	for i := range a {
		d := float64(a[i]) - float64(b[i])
		s += d * d
	}
	return math.Sqrt(s / float64(len(a)))
}

// BenchmarkShiftWindows: the shifted copies of a Set 1 validation block
// (192 windows of 1024 points), made once per trial.
func BenchmarkShiftWindows(b *testing.B) {
	const n, l = 192, 1024
	s := &dataset.Samples{L: l, X: make([]float32, n*l), Y: make([]int, n)}
	for i := range s.X {
		s.X[i] = float32(math.Sin(float64(i) * 0.37))
	}
	for b.Loop() {
		if _, err := train.ShiftWindows(s, train.DefaultValShift); err != nil {
			b.Fatal(err)
		}
	}
}
