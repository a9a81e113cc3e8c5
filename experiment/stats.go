package experiment

import (
	"math"
	"math/rand/v2"
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

// ExactMaxPairs is the largest number of non-zero differences for which
// WilcoxonTest uses the exact null distribution; above it the tie- and
// continuity-corrected normal approximation is used.
const ExactMaxPairs = 50

// WilcoxonResult is the outcome of a two-sided Wilcoxon signed-rank test.
type WilcoxonResult struct {
	// N is the number of non-zero differences (zeros are dropped).
	N int
	// WPlus is the sum of the (average) ranks of the positive differences.
	WPlus float64
	// P is the two-sided p-value (1 when N = 0).
	P float64
	// Exact is true when P comes from the exact null distribution, false
	// when from the normal approximation.
	Exact bool
}

// WilcoxonTest runs the two-sided Wilcoxon signed-rank test that the paired
// differences d are symmetric about zero.
//
// d must be on the resolution of the measurement — for test accuracies the
// difference in the number of correctly classified windows, not a float
// percentage — because ties are found with ==: two differences of one window
// computed as 100·k/N percentages may differ in the last bit and would then
// get distinct ranks.
//
// Zero differences are dropped before ranking (Wilcoxon's 1945 convention,
// also scipy's zero_method="wilcox"); tied magnitudes get the average of the
// ranks they span. For at most ExactMaxPairs non-zero differences the
// p-value is exact with the tied ranks: the null distribution of W+ is
// counted over all 2^n sign patterns of the actual (average) ranks, using
// doubled ranks so that half-integer ranks stay integral. Above that it is
// the normal approximation with the tie correction Σ(t³ − t)/48 in the
// variance and a continuity correction of ½ toward the mean. NaN entries are
// ignored.
func WilcoxonTest(d []float64) WilcoxonResult {
	var nz []float64
	for _, x := range d {
		if x != 0 && !math.IsNaN(x) {
			nz = append(nz, x)
		}
	}
	n := len(nz)
	if n == 0 {
		return WilcoxonResult{P: 1, Exact: true}
	}
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool { return math.Abs(nz[idx[a]]) < math.Abs(nz[idx[b]]) })
	// Doubled ranks keep average ranks of ties integral.
	rank2 := make([]int, n)
	var tieTerm float64 // Σ (t³ − t) over tie groups
	for i := 0; i < n; {
		j := i
		for j+1 < n && math.Abs(nz[idx[j+1]]) == math.Abs(nz[idx[i]]) {
			j++
		}
		r := i + j + 2 // (i+1 + j+1) = doubled average rank
		for k := i; k <= j; k++ {
			rank2[idx[k]] = r
		}
		t := float64(j - i + 1)
		tieTerm += t*t*t - t
		i = j + 1
	}
	wPlus2, total := 0, 0
	for i, x := range nz {
		total += rank2[i]
		if x > 0 {
			wPlus2 += rank2[i]
		}
	}
	res := WilcoxonResult{N: n, WPlus: float64(wPlus2) / 2}
	if n > ExactMaxPairs {
		fn := float64(n)
		mean := fn * (fn + 1) / 4
		v := fn*(fn+1)*(2*fn+1)/24 - tieTerm/48
		dev := math.Abs(res.WPlus-mean) - 0.5
		if dev < 0 || v <= 0 {
			res.P = 1
			return res
		}
		res.P = math.Min(1, math.Erfc(dev/math.Sqrt(v)/math.Sqrt2))
		return res
	}
	res.Exact = true
	res.P = exactSignedRankP(rank2, wPlus2)
	return res
}

// exactSignedRankP is the exact two-sided p-value of the positive
// doubled-rank sum wPlus2 over all 2^n sign patterns of the doubled ranks
// rank2.
func exactSignedRankP(rank2 []int, wPlus2 int) float64 {
	total := 0
	for _, r := range rank2 {
		total += r
	}
	// counts[s] = share of sign patterns whose positive doubled-rank sum
	// is s (counts scaled by 2^-n as they are built, so they stay finite).
	counts := make([]float64, total+1)
	counts[0] = 1
	for _, r := range rank2 {
		for s := total; s >= 0; s-- {
			c := counts[s]
			if s >= r {
				c += counts[s-r]
			}
			counts[s] = c / 2
		}
	}
	var lo, hi float64
	for s, c := range counts {
		if s <= wPlus2 {
			lo += c
		}
		if s >= wPlus2 {
			hi += c
		}
	}
	return math.Min(1, 2*math.Min(lo, hi))
}

// Wilcoxon returns WilcoxonTest(d).P: the two-sided Wilcoxon signed-rank
// p-value of the paired differences d, exact with average ranks for ties
// up to ExactMaxPairs non-zero differences. See WilcoxonTest for why d must
// be on the measurement's resolution (whole windows, not percentages).
func Wilcoxon(d []float64) float64 { return WilcoxonTest(d).P }

// Holm returns Holm's step-down adjusted p-values for the family ps, in the
// order of ps: with p₍₁₎ ≤ … ≤ p₍ₘ₎ sorted, the adjusted p₍ᵢ₎ is
// max over j ≤ i of min(1, (m − j + 1)·p₍ⱼ₎). Rejecting where the adjusted
// value is ≤ α controls the family-wise error rate at α.
func Holm(ps []float64) []float64 {
	m := len(ps)
	idx := make([]int, m)
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return ps[idx[a]] < ps[idx[b]] })
	out := make([]float64, m)
	running := 0.0
	for rank, i := range idx {
		v := math.Min(1, float64(m-rank)*ps[i])
		running = math.Max(running, v)
		out[i] = running
	}
	return out
}

// holmEach sets, for every element of xs, the Holm-adjusted p-value
// (Holm over all of xs) from the raw p-value p reads: the one place the
// paired table and the leaderboard apply the correction.
func holmEach[T any](xs []T, p func(*T) float64, set func(*T, float64)) {
	ps := make([]float64, len(xs))
	for i := range xs {
		ps[i] = p(&xs[i])
	}
	for i, h := range Holm(ps) {
		set(&xs[i], h)
	}
}

// Median returns the median of xs (the mean of the middle two for an even
// count; 0 for none). xs is not modified.
func Median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	h := len(s) / 2
	if len(s)%2 == 1 {
		return s[h]
	}
	return (s[h-1] + s[h]) / 2
}

// BootstrapResamples and BootstrapSeed fix the paired bootstrap of
// BootstrapMeanCI as summary.json reports it.
const (
	BootstrapResamples = 10000
	BootstrapSeed      = 20261201
)

// BootstrapMeanCI returns the percentile bootstrap interval at level conf
// (e.g. 0.95) of the mean of d: d is resampled with replacement b times
// from a PCG generator seeded with seed, and the interval is the
// (1−conf)/2 and (1+conf)/2 quantiles of the resampled means (linear
// interpolation between order statistics). The same inputs always give the
// same interval. For paired data pass the per-pair differences, so pairs
// are resampled whole.
func BootstrapMeanCI(d []float64, b int, conf float64, seed uint64) (lo, hi float64) {
	n := len(d)
	if n == 0 || b <= 0 {
		return 0, 0
	}
	rng := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
	means := make([]float64, b)
	for k := range means {
		var s float64
		for range n {
			s += d[rng.IntN(n)]
		}
		means[k] = s / float64(n)
	}
	sort.Float64s(means)
	q := func(p float64) float64 {
		x := p * float64(b-1)
		i := int(math.Floor(x))
		if i >= b-1 {
			return means[b-1]
		}
		f := x - float64(i)
		return means[i]*(1-f) + means[i+1]*f
	}
	return q((1 - conf) / 2), q((1 + conf) / 2)
}
