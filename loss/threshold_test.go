package loss

import (
	"errors"
	"math"
	"testing"

	"github.com/ghl-dev/ghl"
)

func TestThresholds(t *testing.T) {
	tests := []struct {
		name         string
		counts       []int
		alpha, gamma float64
		want         []float64
	}{
		{"balanced", []int{16, 16, 16}, 1, 1, []float64{0, 0, 0}},
		{"empty", []int{0, 0}, 1, 1, []float64{0, 0}},
		{"gamma 0", []int{3200, 64}, 2, 0, []float64{0, 0}},
		// share 0.8197 → sigmoid(44.18) − 0.5 ≈ 0.5; share 0.0164 → −0.48230 (SPEC 3: −0.482).
		{"set 1", []int{3200, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64}, 2, 0.5,
			[]float64{0.5, -0.48230, -0.48230, -0.48230, -0.48230, -0.48230, -0.48230, -0.48230, -0.48230, -0.48230, -0.48230, -0.48230}},
	}
	for _, tt := range tests {
		got := Thresholds(tt.counts, tt.alpha, tt.gamma)
		for c := range got {
			if math.Abs(got[c]-tt.want[c]) > 1e-5 {
				t.Errorf("%s: T = %v, want %v", tt.name, got, tt.want)
				break
			}
		}
	}
	// The curve is monotone in the share.
	curve := ThresholdCurve(12, 1, 1, []float64{0, 0.05, 0.1, 0.3, 1})
	for k := 1; k < len(curve); k++ {
		if curve[k] < curve[k-1] {
			t.Errorf("ThresholdCurve not monotone: %v", curve)
		}
	}
}

func TestGamma(t *testing.T) {
	tests := []struct {
		mode string
		f1   float64
		want float64
	}{
		{AnnealF1, 0.7, 0.7},
		{AnnealOneMinusF1, 0.7, 0.3},
		{AnnealNone, 0.7, 1},
		{AnnealF1, math.NaN(), 0},
		{AnnealF1, 1.5, 1},
		{AnnealOneMinusF1, -1, 1},
	}
	for _, tt := range tests {
		got, err := Gamma(tt.mode, tt.f1)
		if err != nil || math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("Gamma(%q, %g) = %g, %v; want %g", tt.mode, tt.f1, got, err, tt.want)
		}
	}
	if _, err := Gamma("f2", 0.5); !errors.Is(err, ghl.ErrUsage) {
		t.Errorf("Gamma(f2): error %v, want ErrUsage", err)
	}
}
