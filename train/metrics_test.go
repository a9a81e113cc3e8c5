package train

import (
	"math"
	"testing"
)

func TestEvaluate(t *testing.T) {
	classes := []string{"NC", "A", "B"}
	labels := []int{0, 0, 0, 0, 1, 1, 2, 2}
	pred := []int{0, 0, 0, 1, 1, 0, 2, 2}
	m := Evaluate(pred, labels, classes, 0)
	if m.Accuracy != 6.0/8 {
		t.Fatalf("accuracy %v", m.Accuracy)
	}
	wantRecall := []float64{0.75, 0.5, 1}
	wantPrec := []float64{0.75, 0.5, 1}
	for i := range classes {
		if math.Abs(m.Recall[i]-wantRecall[i]) > 1e-12 || math.Abs(m.Precision[i]-wantPrec[i]) > 1e-12 {
			t.Fatalf("class %d recall %v precision %v", i, m.Recall[i], m.Precision[i])
		}
	}
	if want := (0.75 + 0.5 + 1) / 3; math.Abs(m.MacroF1-want) > 1e-12 {
		t.Fatalf("macro-F1 %v, want %v", m.MacroF1, want)
	}
	if want := math.Cbrt(0.75 * 0.5 * 1); math.Abs(m.GMean-want) > 1e-12 {
		t.Fatalf("G-mean %v, want %v", m.GMean, want)
	}
	if m.FalseAlarm != 0.25 || m.MissedFault != 0.25 {
		t.Fatalf("false alarm %v missed %v, want 0.25 0.25", m.FalseAlarm, m.MissedFault)
	}
	if m.Confusion[1][0] != 1 || m.Confusion[0][1] != 1 {
		t.Fatalf("confusion %v", m.Confusion)
	}
	if z := Evaluate([]int{0, 0}, []int{0, 1}, []string{"a", "b"}, -1); z.GMean != 0 {
		t.Fatalf("G-mean with a zero recall = %v, want 0", z.GMean)
	}
}

func TestMacroF1(t *testing.T) {
	tests := []struct {
		pred, labels []int
		C            int
		want         float64
	}{
		{[]int{0, 1, 2}, []int{0, 1, 2}, 3, 1},
		{[]int{0, 0, 0, 0}, []int{0, 0, 1, 1}, 2, (2.0 / 3) / 2}, // class 0: P 1/2, R 1 → F1 2/3; class 1: 0
		{[]int{1, 1}, []int{0, 0}, 3, 0},                         // only class 0 is present
		{nil, nil, 2, 0},
		{[]int{5, 0}, []int{0, 0}, 2, 2.0 / 3}, // out-of-range prediction counts as wrong
	}
	for _, tt := range tests {
		if got := MacroF1(tt.pred, tt.labels, tt.C); math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("MacroF1(%v, %v) = %g, want %g", tt.pred, tt.labels, got, tt.want)
		}
	}
}
