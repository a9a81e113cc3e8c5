package loss

import "math"

// logPrior sets bias to τ·log π_c, π_c = N_c/N (LA, prior true) or to
// log N_c (BSM, prior false); a class without training samples gets −Inf,
// which removes it from the softmax.
func logPrior(bias []float64, counts []int, tau float64, prior bool) {
	total := 0
	for _, n := range counts {
		total += n
	}
	for c, n := range counts {
		switch {
		case n == 0:
			bias[c] = math.Inf(-1)
		case prior:
			bias[c] = tau * math.Log(float64(n)/float64(total))
		default:
			bias[c] = math.Log(float64(n))
		}
	}
}
