package loss

import "math"

// ldamMargins sets Cao et al.'s margins Δ_c = N_c^(−1/4), scaled so that
// the largest (the rarest class's) is maxMargin; an empty class gets 0.
func ldamMargins(margin []float64, counts []int, maxMargin float64) {
	hi := 0.0
	for c, n := range counts {
		margin[c] = 0
		if n > 0 {
			margin[c] = math.Pow(float64(n), -0.25)
			hi = max(hi, margin[c])
		}
	}
	for c := range margin {
		if hi > 0 {
			margin[c] *= maxMargin / hi
		}
	}
}

// deferredOn reports whether LDAM-DRW re-weights at ctx's epoch: after the
// fraction drw of the planned epochs (epoch > drw·Epochs, epochs counted
// from 1 as the trainer does; with 20 epochs and drw = 0.8, epochs 17–20).
// With Epochs unknown (0) it never re-weights.
func deferredOn(ctx *Context, drw float64) bool {
	return ctx.Epochs > 0 && float64(ctx.Epoch) > drw*float64(ctx.Epochs)
}
