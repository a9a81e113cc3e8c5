package experiment

import (
	"math"
	"sort"
)

// MeanStd returns the mean and the sample standard deviation (n−1 in the
// denominator; 0 for fewer than two values) of xs.
func MeanStd(xs []float64) (mean, std float64) {
	if len(xs) == 0 {
		return 0, 0
	}
	for _, x := range xs {
		mean += x
	}
	mean /= float64(len(xs))
	if len(xs) < 2 {
		return mean, 0
	}
	var ss float64
	for _, x := range xs {
		ss += (x - mean) * (x - mean)
	}
	return mean, math.Sqrt(ss / float64(len(xs)-1))
}

// Wilcoxon returns the exact two-sided p-value of the Wilcoxon signed-rank
// test that the paired differences d are symmetric about zero. Zero
// differences are dropped (Wilcoxon's convention); tied magnitudes get
// average ranks and the null distribution is enumerated exactly over the
// 2^n sign patterns of those ranks, so the p-value is exact with ties too.
// With no non-zero difference it returns 1.
func Wilcoxon(d []float64) float64 {
	var nz []float64
	for _, x := range d {
		if x != 0 && !math.IsNaN(x) {
			nz = append(nz, x)
		}
	}
	n := len(nz)
	if n == 0 {
		return 1
	}
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool { return math.Abs(nz[idx[a]]) < math.Abs(nz[idx[b]]) })
	// Doubled ranks keep average ranks of ties integral.
	rank2 := make([]int, n)
	for i := 0; i < n; {
		j := i
		for j+1 < n && math.Abs(nz[idx[j+1]]) == math.Abs(nz[idx[i]]) {
			j++
		}
		r := i + j + 2 // (i+1 + j+1) = doubled average rank
		for k := i; k <= j; k++ {
			rank2[idx[k]] = r
		}
		i = j + 1
	}
	wPlus, total := 0, 0
	for i, x := range nz {
		total += rank2[i]
		if x > 0 {
			wPlus += rank2[i]
		}
	}
	// counts[s] = number of sign patterns whose positive doubled-rank sum is s.
	counts := make([]float64, total+1)
	counts[0] = 1
	for _, r := range rank2 {
		for s := total; s >= r; s-- {
			counts[s] += counts[s-r]
		}
	}
	all := math.Pow(2, float64(n))
	var lo, hi float64
	for s, c := range counts {
		if s <= wPlus {
			lo += c
		}
		if s >= wPlus {
			hi += c
		}
	}
	return math.Min(1, 2*math.Min(lo, hi)/all)
}
