package loss

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/ghl-dev/ghl"
)

func TestParseBase(t *testing.T) {
	for _, b := range []Base{MSE, RMSE, CrossEntropy} {
		got, err := ParseBase(b.String())
		if err != nil || got != b {
			t.Errorf("ParseBase(%q) = %v, %v", b.String(), got, err)
		}
	}
	if _, err := ParseBase("hinge"); !errors.Is(err, ghl.ErrUsage) {
		t.Errorf("ParseBase(hinge) error %v, want ErrUsage", err)
	}
}

func TestDeltaSumsToZero(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	C := 7
	labels := imbalancedLabels(r, []int{20, 5, 5, 5, 5, 5, 5})
	batch := Batch{Logits: randLogits(r, labels, C, 2, 3), Labels: labels, N: len(labels), C: C}
	for _, b := range []Base{MSE, RMSE, CrossEntropy} {
		d := deltas(b, batch)
		for i := 0; i < batch.N; i++ {
			s, n := 0.0, 0.0
			for _, v := range d[i*C : (i+1)*C] {
				s += float64(v)
				n += math.Abs(float64(v))
			}
			if math.Abs(s) > 1e-6*max(n, 1e-3) {
				t.Errorf("%v sample %d: Σδ = %g (Σ|δ| = %g)", b, i, s, n)
			}
		}
	}
}

// TestDeltaDirection checks the documented fact that all three bases give δ
// along p − y.
func TestDeltaDirection(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	C := 5
	labels := imbalancedLabels(r, []int{4, 4, 4, 4, 4})
	batch := Batch{Logits: randLogits(r, labels, C, 1, 2), Labels: labels, N: len(labels), C: C}
	ce := deltas(CrossEntropy, batch)
	for _, b := range []Base{MSE, RMSE} {
		d := deltas(b, batch)
		for i := 0; i < batch.N; i++ {
			var dot, na, nb float64
			for k := 0; k < C; k++ {
				dot += float64(d[i*C+k]) * float64(ce[i*C+k])
				na += float64(d[i*C+k]) * float64(d[i*C+k])
				nb += float64(ce[i*C+k]) * float64(ce[i*C+k])
			}
			if c := dot / math.Sqrt(na*nb); c < 1-1e-6 {
				t.Errorf("%v sample %d: cos(δ, p−y) = %g", b, i, c)
			}
		}
	}
}

func TestBatchErrors(t *testing.T) {
	s, err := New(Plain, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	nan := float32(math.NaN())
	for name, b := range map[string]Batch{
		"one class":  {Logits: []float32{1}, Labels: []int{0}, N: 1, C: 1},
		"short":      {Logits: []float32{1, 2, 3}, Labels: []int{0, 1}, N: 2, C: 2},
		"bad label":  {Logits: []float32{1, 2}, Labels: []int{2}, N: 1, C: 2},
		"neg label":  {Logits: []float32{1, 2}, Labels: []int{-1}, N: 1, C: 2},
		"NaN logit":  {Logits: []float32{1, nan}, Labels: []int{0}, N: 1, C: 2},
		"Inf logit":  {Logits: []float32{float32(math.Inf(1)), 0}, Labels: []int{0}, N: 1, C: 2},
		"label list": {Logits: []float32{1, 2}, Labels: nil, N: 1, C: 2},
	} {
		if _, err := s.Apply(b, nil); !errors.Is(err, ghl.ErrBadInput) {
			t.Errorf("%s: error %v, want ErrBadInput", name, err)
		}
	}
}
