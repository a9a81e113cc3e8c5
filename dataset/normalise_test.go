package dataset

import (
	"math"
	"testing"
)

func TestNormaliseWindow(t *testing.T) {
	src := []float64{1, 2, 3, 6}
	sd := math.Sqrt((2.0*2 + 1 + 0 + 3*3) / 4) // mean 3
	tests := []struct {
		norm string
		ok   bool
		want []float64
	}{
		{NormZScore, true, []float64{-2 / sd, -1 / sd, 0, 3 / sd}},
		{NormMinMax, true, []float64{-1, -1 + 0.4, -1 + 0.8, 1}},
		{NormRMS, true, []float64{1 / math.Sqrt(12.5), 2 / math.Sqrt(12.5), 3 / math.Sqrt(12.5), 6 / math.Sqrt(12.5)}},
		{NormNone, true, src},
		{NormRecording, false, []float64{0, 0, 0, 0}},
		{"spectrum", false, []float64{0, 0, 0, 0}},
	}
	for _, tc := range tests {
		dst := []float32{9, 9, 9, 9, 9}
		ok := NormaliseWindow(dst, src, tc.norm)
		if ok != tc.ok || dst[4] != 9 {
			t.Errorf("%s: ok %v, dst %v", tc.norm, ok, dst)
		}
		for i, w := range tc.want {
			if math.Abs(float64(dst[i])-w) > 1e-6 {
				t.Errorf("%s: dst %v, want %v", tc.norm, dst[:4], tc.want)
				break
			}
		}
	}
	// A constant window is all zero (ConstantTolerance), as Build leaves it.
	dst := []float32{9, 9, 9}
	if NormaliseWindow(dst, []float64{0.3, 0.3, 0.3}, NormZScore) || dst[0] != 0 || dst[2] != 0 {
		t.Errorf("constant window: %v", dst)
	}
}
