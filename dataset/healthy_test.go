package dataset

import "testing"

func TestHealthyLabel(t *testing.T) {
	cases := []struct {
		classes []string
		want    int
	}{
		{[]string{"NC", "OF1"}, 0},
		{[]string{"Normal", "IF"}, 0},
		{[]string{"baseline"}, 0},
		{[]string{"IF", "NC"}, -1}, // healthy is label 0 only when it sorts first
		{[]string{"A", "B"}, -1},
		{nil, -1},
	}
	for _, c := range cases {
		if got := HealthyLabel(c.classes); got != c.want {
			t.Errorf("HealthyLabel(%v) = %d, want %d", c.classes, got, c.want)
		}
	}
	// SortClasses and HealthyLabel agree on what is healthy.
	cl := []string{"OF", "healthy", "IF"}
	SortClasses(cl)
	if HealthyLabel(cl) != 0 {
		t.Errorf("after SortClasses %v the healthy class is not label 0", cl)
	}
}
