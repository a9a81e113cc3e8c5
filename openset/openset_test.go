package openset

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

func TestEnergy(t *testing.T) {
	for _, tc := range []struct {
		logits []float32
		want   float64
	}{
		{[]float32{0, 0}, -math.Log(2)},
		{[]float32{1, 2, 3}, -math.Log(math.Exp(1) + math.Exp(2) + math.Exp(3))},
		// Large logits: the direct formula overflows, the stable one not.
		{[]float32{1000, 1000}, -1000 - math.Log(2)},
		{[]float32{-1000, -1000}, 1000 - math.Log(2)},
	} {
		got := Energy(tc.logits, len(tc.logits))
		if len(got) != 1 || math.Abs(got[0]-tc.want) > 1e-9*math.Max(1, math.Abs(tc.want)) {
			t.Errorf("Energy(%v) = %v, want %v", tc.logits, got, tc.want)
		}
	}
	// Rows are independent; smaller logits everywhere score higher.
	got := Energy([]float32{5, 0, 0, 0.1, 0.2, 0}, 3)
	if len(got) != 2 || !(got[1] > got[0]) {
		t.Errorf("two rows: %v, want the flat second row higher", got)
	}
	if Energy([]float32{1, 2}, 0) != nil {
		t.Error("zero classes: want nil")
	}
}

func TestCalibrate(t *testing.T) {
	scores := make([]float64, 200)
	for i := range scores {
		scores[i] = float64((i * 37) % 200) // a permutation of 0..199
	}
	for _, tc := range []struct {
		rate  float64
		want  float64
		above int
	}{
		{0.01, 197, 2}, // k = 2 of 200 may lie above
		{0.004, 199, 0},
		{0.5, 99, 100},
		{0.999, 0, 199},
	} {
		thr, err := Calibrate(scores, tc.rate)
		if err != nil {
			t.Fatal(err)
		}
		_, n := Above(scores, thr)
		if thr != tc.want || n != tc.above || float64(n) > tc.rate*float64(len(scores)) {
			t.Errorf("rate %g: threshold %v with %d above, want %v with %d", tc.rate, thr, n, tc.want, tc.above)
		}
	}
	// Ties at the threshold count as known: never more than the rate above.
	thr, _ := Calibrate([]float64{1, 1, 1, 1}, 0.5)
	if _, n := Above([]float64{1, 1, 1, 1}, thr); n != 0 {
		t.Errorf("ties: %d above %v", n, thr)
	}
	for _, bad := range []struct {
		s    []float64
		rate float64
	}{{nil, 0.01}, {[]float64{1}, 0}, {[]float64{1}, 1}, {[]float64{1}, math.NaN()}, {[]float64{math.NaN()}, 0.1}} {
		if _, err := Calibrate(bad.s, bad.rate); err == nil {
			t.Errorf("Calibrate(%v, %v): no error", bad.s, bad.rate)
		}
	}
}

// TestCalibrateFalseAlarm checks the achieved rate on fresh windows of the
// same distribution: near the stated rate when n·rate is large.
func TestCalibrateFalseAlarm(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	draw := func(n int) []float64 {
		s := make([]float64, n)
		for i := range s {
			s[i] = r.NormFloat64()
		}
		return s
	}
	thr, err := Calibrate(draw(20000), 0.01)
	if err != nil {
		t.Fatal(err)
	}
	_, n := Above(draw(100000), thr)
	// 1 % of 100000 = 1000 ± 3·√(1000·0.99) plus the threshold's own error.
	if n < 850 || n > 1150 {
		t.Errorf("%d of 100000 fresh windows above the 1 %% threshold", n)
	}
}

func TestAboveAndMostlyUnknown(t *testing.T) {
	flags, n := Above([]float64{0, 2, math.NaN(), 1}, 1)
	if fmt.Sprint(flags) != "[false true true false]" || n != 2 {
		t.Errorf("Above: %v, %d", flags, n)
	}
	for _, tc := range []struct {
		u, n int
		want bool
	}{{0, 0, false}, {5, 10, false}, {6, 10, true}, {1, 1, true}} {
		if MostlyUnknown(tc.u, tc.n) != tc.want {
			t.Errorf("MostlyUnknown(%d, %d) != %v", tc.u, tc.n, tc.want)
		}
	}
}

func BenchmarkEnergy(b *testing.B) {
	logits := make([]float32, 4096*12)
	for i := range logits {
		logits[i] = float32(i%23) / 7
	}
	b.SetBytes(int64(4 * len(logits)))
	for b.Loop() {
		Energy(logits, 12)
	}
}
