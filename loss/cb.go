package loss

import "math"

// costWeights sets w_c = N/(C'·N_c) (class-cost; 0 for empty classes).
func costWeights(w []float64, counts []int) {
	total, present := 0, 0
	for _, n := range counts {
		total += n
		if n > 0 {
			present++
		}
	}
	for c, n := range counts {
		w[c] = 0
		if n > 0 {
			w[c] = float64(total) / (float64(present) * float64(n))
		}
	}
}

// cbWeights sets Cui et al.'s class-balanced weights (1 − β)/(1 − β^{N_c}),
// normalised so that they sum to the number of classes (their code's
// normalisation); β = 0 gives 1 everywhere, an empty class 0.
func cbWeights(w []float64, counts []int, beta float64) {
	sum := 0.0
	for c, n := range counts {
		w[c] = 0
		if n > 0 {
			if beta == 0 {
				w[c] = 1
			} else {
				// (1 − β)/(1 − β^n) with 1 − β^n = −expm1(n log β), accurate for β near 1.
				w[c] = -math.Expm1(math.Log(beta)) / -math.Expm1(float64(n)*math.Log(beta))
			}
		}
		sum += w[c]
	}
	for c := range w {
		w[c] *= float64(len(w)) / sum
	}
}
