package loss

import (
	"math"
	"math/rand/v2"
	"runtime"
	"sync"
	"sync/atomic"
)

// angleBlock is the row block of MeanAngles' work units.
const angleBlock = 64

// MeanAngles returns, per class, the mean angle in radians between the
// gradients of two different samples of the class: Eq. 18 read as the mean
// of GS_ij over the pairs i ≠ j (SPEC 6; the paper's Fig. 3). delta is N×C
// row-major. Zero or non-finite gradients and labels outside [0, C) are
// left out; a class with fewer than two usable gradients gets 0, so the
// result is never NaN.
//
// The cost is one arccos per pair (fastAcos's polynomial, error < 3e-8 rad,
// four pairs at a time in the AVX2 kernel acosSumRow where available),
// O(N_c²·C), spread over GOMAXPROCS goroutines: about 7 CPU-ms for Set 1.
// The sum is taken in a fixed block order, so the result does not depend on
// the scheduling. See BenchmarkMeanAngles.
func MeanAngles(delta []float32, labels []int, C int) []float64 {
	out := make([]float64, C)
	if C < 1 || len(delta) < len(labels)*C {
		return out
	}
	delta, labels = usable(delta[:len(labels)*C], labels, C)
	var e Estimator
	if err := e.group(delta, labels, C); err != nil {
		return out // unreachable: usable removed what group rejects
	}
	threads := runtime.GOMAXPROCS(0)
	for c := 0; c < C; c++ {
		lo, n := e.start[c], e.nz[c]-e.start[c]
		if n < 2 {
			continue
		}
		x := e.x[lo*C : (lo+n)*C]
		if haveSIMD {
			e.xt = transposeTiles(e.xt, x, n, C)
		}
		nb := (n + angleBlock - 1) / angleBlock
		sums := make([]float64, nb)
		var next atomic.Int64
		var wg sync.WaitGroup
		for w := 0; w < min(threads, nb); w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					bi := int(next.Add(1) - 1)
					if bi >= nb {
						return
					}
					sums[bi] = angleSum(x, e.xt, C, bi*angleBlock, min((bi+1)*angleBlock, n), n, haveSIMD)
				}
			}()
		}
		wg.Wait()
		sum := 0.0
		for _, s := range sums {
			sum += s
		}
		out[c] = sum / (float64(n) * float64(n-1) / 2)
	}
	return out
}

// MeanAnglesSampled estimates MeanAngles from pairs random pairs per class
// (i ≠ j drawn uniformly with replacement from the class's usable
// gradients, stream PCG(seed, c)): each draw is an unbiased sample of the
// class's pair mean, so the estimate is unbiased with standard error
// ≤ π/(2·sqrt(pairs)). A class with at most pairs distinct pairs is
// computed exactly. Use it when classes are too large for the O(N_c²)
// exact mean (N_c = 3200 costs ≈ 7 CPU-ms exactly; 32,000 would cost 100×).
func MeanAnglesSampled(delta []float32, labels []int, C, pairs int, seed uint64) []float64 {
	out := make([]float64, C)
	if C < 1 || len(delta) < len(labels)*C || pairs < 1 {
		return out
	}
	delta, labels = usable(delta[:len(labels)*C], labels, C)
	var e Estimator
	if err := e.group(delta, labels, C); err != nil {
		return out // unreachable: usable removed what group rejects
	}
	for c := 0; c < C; c++ {
		lo, n := e.start[c], e.nz[c]-e.start[c]
		if n < 2 {
			continue
		}
		x := e.x[lo*C : (lo+n)*C]
		if float64(pairs) >= float64(n)*float64(n-1)/2 {
			out[c] = angleSum(x, nil, C, 0, n, n, false) / (float64(n) * float64(n-1) / 2)
			continue
		}
		var pcg rand.PCG
		pcg.Seed(seed, uint64(c))
		sum := 0.0
		for range pairs {
			i := int(bounded(&pcg, uint64(n)))
			j := int(bounded(&pcg, uint64(n-1)))
			if j >= i {
				j++
			}
			sum += fastAcos(dot(x[i*C:(i+1)*C], x[j*C:(j+1)*C]))
		}
		out[c] = sum / float64(pairs)
	}
	return out
}

// angleSum returns Σ acos(x_i·x_j) over i in [i0, i1), j in (i, n). With
// simd, whole aligned groups of four columns go to the SIMD kernel
// acosSumRow on xt (transposeTiles of x).
func angleSum(x, xt []float64, C, i0, i1, n int, simd bool) float64 {
	sum := 0.0
	for i := i0; i < i1; i++ {
		xi := x[i*C : i*C+C]
		j := i + 1
		if simd {
			for j0 := (j / exactBlock) * exactBlock; j0 < n; j0 += exactBlock {
				jEnd := j0 + (min(j0+exactBlock, n)-j0)/4*4
				ja := max(j, min(j0+(j-j0+3)/4*4, jEnd))
				for ; j < ja; j++ {
					sum += fastAcos(dot(xi, x[j*C:j*C+C]))
				}
				if ng := (jEnd - ja) / 4; ng > 0 {
					tile := xt[(j0/exactBlock)*C*exactBlock:]
					sum += acosSumRow(&xi[0], &tile[ja-j0], exactBlock, ng, C)
					j = jEnd
				}
				for ; j < min(j0+exactBlock, n); j++ {
					sum += fastAcos(dot(xi, x[j*C:j*C+C]))
				}
			}
			continue
		}
		for ; j+4 <= n; j += 4 {
			s0, s1, s2, s3 := dot4(xi, x[j*C:(j+4)*C])
			sum += fastAcos(s0) + fastAcos(s1) + fastAcos(s2) + fastAcos(s3)
		}
		for ; j < n; j++ {
			sum += fastAcos(dot(xi, x[j*C:j*C+C]))
		}
	}
	return sum
}

// fastAcos is arccos with an absolute error below 3e-8 radians (Abramowitz
// and Stegun 4.4.46, a degree-7 polynomial times sqrt(1 − |x|)); x is
// clamped into [−1, 1]. It is about 3× faster than math.Acos, which
// dominates MeanAngles' cost, and far more accurate than a logged angle
// needs (see TestFastAcos).
func fastAcos(x float64) float64 {
	a := math.Abs(x)
	if a > 1 {
		a = 1
	}
	p := -0.0012624911
	p = p*a + 0.0066700901
	p = p*a - 0.0170881256
	p = p*a + 0.0308918810
	p = p*a - 0.0501743046
	p = p*a + 0.0889789874
	p = p*a - 0.2145988016
	p = p*a + 1.5707963050
	r := math.Sqrt(1-a) * p
	if x < 0 {
		return math.Pi - r
	}
	return r
}

// usable returns delta and labels without the rows whose label is outside
// [0, C) or whose gradient is not finite (copying only when there are any).
func usable(delta []float32, labels []int, C int) ([]float32, []int) {
	bad := func(i int) bool {
		if labels[i] < 0 || labels[i] >= C {
			return true
		}
		for _, v := range delta[i*C : (i+1)*C] {
			if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
				return true
			}
		}
		return false
	}
	for i := range labels {
		if bad(i) {
			d := make([]float32, 0, len(delta))
			l := make([]int, 0, len(labels))
			for k := range labels {
				if !bad(k) {
					d = append(d, delta[k*C:(k+1)*C]...)
					l = append(l, labels[k])
				}
			}
			return d, l
		}
	}
	return delta, labels
}
