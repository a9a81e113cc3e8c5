package experiment

import (
	"math"
	"testing"
)

func TestMeanStd(t *testing.T) {
	m, s := MeanStd([]float64{2, 4, 4, 4, 5, 5, 7, 9})
	if m != 5 || math.Abs(s-2.138089935) > 1e-8 {
		t.Fatalf("MeanStd = %v, %v; want 5, 2.138089935", m, s)
	}
	if m, s := MeanStd([]float64{3}); m != 3 || s != 0 {
		t.Fatalf("one value: %v %v", m, s)
	}
}

// bruteWilcoxon enumerates all sign patterns directly.
func bruteWilcoxon(d []float64) float64 {
	var nz []float64
	for _, x := range d {
		if x != 0 {
			nz = append(nz, x)
		}
	}
	n := len(nz)
	if n == 0 {
		return 1
	}
	rank := make([]float64, n)
	for i := range nz {
		less, eq := 0, 0
		for j := range nz {
			if math.Abs(nz[j]) < math.Abs(nz[i]) {
				less++
			} else if math.Abs(nz[j]) == math.Abs(nz[i]) {
				eq++
			}
		}
		rank[i] = float64(less) + float64(eq+1)/2
	}
	w := 0.0
	for i, x := range nz {
		if x > 0 {
			w += rank[i]
		}
	}
	lo, hi := 0, 0
	for mask := 0; mask < 1<<n; mask++ {
		s := 0.0
		for i := 0; i < n; i++ {
			if mask&(1<<i) != 0 {
				s += rank[i]
			}
		}
		if s <= w+1e-9 {
			lo++
		}
		if s >= w-1e-9 {
			hi++
		}
	}
	return math.Min(1, 2*float64(min(lo, hi))/float64(int(1)<<n))
}

func TestWilcoxon(t *testing.T) {
	cases := []struct {
		name string
		d    []float64
		want float64 // <0: compare with brute force only
	}{
		{"all positive n=10", []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 2.0 / 1024},
		{"all zero", []float64{0, 0, 0}, 1},
		{"symmetric", []float64{1, -1, 2, -2}, 1},
		{"ties", []float64{1, 1, 1, -2, 3, 3, -0.5, 4}, -1},
		{"mixed", []float64{0.9, -1.8, 2.7, 0, 5.4, 6.3, -0.1, 8.1, 9.0, 1.1}, -1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := Wilcoxon(c.d)
			want := c.want
			if want < 0 {
				want = bruteWilcoxon(c.d)
			}
			if math.Abs(got-want) > 1e-12 {
				t.Fatalf("Wilcoxon(%v) = %v, want %v", c.d, got, want)
			}
			if b := bruteWilcoxon(c.d); math.Abs(got-b) > 1e-12 {
				t.Fatalf("Wilcoxon(%v) = %v, brute force %v", c.d, got, b)
			}
		})
	}
}
