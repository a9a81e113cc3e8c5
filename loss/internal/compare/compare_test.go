package compare

import (
	"math"
	"testing"
)

func TestSpearman(t *testing.T) {
	tests := []struct {
		a, b []float64
		want string
	}{
		{[]float64{1, 2, 3, 4}, []float64{10, 20, 30, 40}, "1.0000"},
		{[]float64{1, 2, 3, 4}, []float64{4, 3, 2, 1}, "-1.0000"},
		{[]float64{1, 1, 1}, []float64{1, 2, 3}, "const"},
		// Ties share ranks: a ranks (1.5, 1.5, 3), b (1, 2, 3): r = √3/2.
		{[]float64{5, 5, 7}, []float64{1, 2, 3}, "0.8660"},
	}
	for _, tt := range tests {
		if got := Spearman(tt.a, tt.b); got != tt.want {
			t.Errorf("Spearman(%v, %v) = %s, want %s", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestErrors(t *testing.T) {
	w := Weights([]float64{2, 4, 1}, []int{0, 0, 1}, 0)
	if len(w) != 2 || w[0] != 0.5 || w[1] != 0.25 {
		t.Fatalf("Weights = %v", w)
	}
	exact := []float64{0.25, 0.25}
	if got := MeanAbs(w, exact); math.Abs(got-0.125) > 1e-15 {
		t.Errorf("MeanAbs = %g, want 0.125", got)
	}
	if got := RelErr(w, exact); math.Abs(got-0.25) > 1e-15 { // GD 2 vs 4: 0.5; GD 4 vs 4: 0
		t.Errorf("RelErr = %g, want 0.25", got)
	}
}
