package cputime

import "testing"

func TestNowAdvances(t *testing.T) {
	t0 := Now()
	x := 0.0
	for i := 0; i < 50_000_000; i++ {
		x += float64(i) * 1e-9
	}
	if t1 := Now(); t0 != 0 && t1 <= t0 {
		t.Errorf("CPU time did not advance over a busy loop (%v → %v, x=%g)", t0, t1, x)
	}
}
