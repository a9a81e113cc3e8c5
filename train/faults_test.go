package train

import "testing"

// TestFaultCounts: the counts behind MissedFault, for a healthy class first,
// last and absent.
func TestFaultCounts(t *testing.T) {
	for _, tc := range []struct {
		name           string
		pred, labels   []int
		healthy        int
		faults, missed int
		wantRate       float64
	}{
		{"healthy first", []int{0, 0, 0, 1, 1, 0, 2, 0}, []int{0, 0, 0, 0, 1, 1, 2, 2}, 0, 4, 2, 0.5},
		{"healthy last", []int{2, 2, 0, 2, 1, 1}, []int{2, 2, 0, 0, 1, 1}, 2, 4, 1, 0.25},
		{"no miss", []int{0, 1, 2}, []int{0, 1, 2}, 0, 2, 0, 0},
		{"no healthy class", []int{0, 0, 1}, []int{0, 1, 1}, -1, 0, 0, 0},
	} {
		m := Evaluate(tc.pred, tc.labels, []string{"a", "b", "c"}, tc.healthy)
		f, k := m.FaultCounts()
		if f != tc.faults || k != tc.missed {
			t.Errorf("%s: FaultCounts = %d, %d, want %d, %d", tc.name, f, k, tc.faults, tc.missed)
		}
		if m.MissedFault != tc.wantRate || (f > 0 && float64(k)/float64(f) != m.MissedFault) {
			t.Errorf("%s: MissedFault %v, counts %d/%d, want %v", tc.name, m.MissedFault, k, f, tc.wantRate)
		}
	}
}
