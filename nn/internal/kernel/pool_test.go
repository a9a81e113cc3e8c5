package kernel

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// poolInput draws values with many ties, zeros of both signs, infinities
// and NaNs, the cases where max pooling has to make a choice.
func poolInput(rng *rand.Rand, n int) []float32 {
	special := []float32{0, float32(math.Copysign(0, -1)), 1, -1, float32(math.Inf(1)), float32(math.Inf(-1)), float32(math.NaN()), -float32(math.NaN())}
	x := randSlice(rng, n)
	for i := range n {
		switch rng.IntN(4) {
		case 0:
			x[i] = special[rng.IntN(len(special))]
		case 1:
			x[i] = float32(rng.IntN(3) - 1) // ties
		}
	}
	return x
}

// TestMaxPoolReference checks the Go pooling against the definition on
// ordinary values: the maximum, the first index reaching it, and the ReLU.
func TestMaxPoolReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 15))
	const wout, c, s = 9, 3, 4
	x := randSlice(rng, wout*s*c)
	for i := range wout * s * c {
		x[i] = float32(rng.IntN(7) - 3) // ties and values ≤ 0
	}
	for _, relu := range []bool{false, true} {
		y, arg := outSlice(wout*c), make([]uint8, wout*c)
		maxPoolForwardGo(y, arg, x, wout, c, s, relu)
		for tt := range wout {
			for ch := range c {
				best, bj := x[tt*s*c+ch], 0
				for j := 1; j < s; j++ {
					if v := x[(tt*s+j)*c+ch]; v > best {
						best, bj = v, j
					}
				}
				if relu && best <= 0 {
					best, bj = 0, PoolNoArg
				}
				if got := y[tt*c+ch]; got != best || int(arg[tt*c+ch]) != bj {
					t.Fatalf("relu=%v t=%d ch=%d: got %v arg %d, want %v arg %d", relu, tt, ch, got, arg[tt*c+ch], best, bj)
				}
			}
		}
		dx := outSlice(wout*s*c + 2*c)
		dy := randSlice(rng, wout*c)
		maxPoolBackwardGo(dx, dy, arg, wout*s+2, wout, c, s)
		for i := range (wout*s + 2) * c {
			pos, ch := i/c, i%c
			want := float32(0)
			if tt := pos / s; tt < wout && int(arg[tt*c+ch]) == pos%s {
				want = dy[tt*c+ch]
			}
			if dx[i] != want {
				t.Fatalf("relu=%v dx[%d] = %v, want %v", relu, i, dx[i], want)
			}
		}
	}
}

// TestMaxPoolPaths checks that every path pools bit-identically to the Go
// one, on special values, for channel counts on and off the vector width.
func TestMaxPoolPaths(t *testing.T) {
	rng := rand.New(rand.NewPCG(16, 17))
	for _, kp := range paths()[1:] {
		for _, c := range []int{16, 32, 48, 5, 17} {
			for _, s := range []int{1, 2, 3, 4, 7} {
				for _, wout := range []int{1, 3, 64} {
					for _, relu := range []bool{false, true} {
						name := fmt.Sprintf("%s/c%d_s%d_wout%d_relu%v", kp.name, c, s, wout, relu)
						win := wout*s + rng.IntN(3)
						x := poolInput(rng, win*c)
						y0, y1 := outSlice(wout*c), outSlice(wout*c)
						a0, a1 := make([]uint8, wout*c+slack), make([]uint8, wout*c+slack)
						maxPoolForwardGo(y0, a0, x, wout, c, s, relu)
						kp.maxPoolForward(y1, a1, x, wout, c, s, relu)
						equalBits(t, name+" y", y1, y0)
						for i := range a0 {
							if a0[i] != a1[i] {
								t.Fatalf("%s: arg[%d] = %d, want %d", name, i, a1[i], a0[i])
							}
						}
						yn := outSlice(wout * c)
						kp.maxPoolForward(yn, nil, x, wout, c, s, relu)
						equalBits(t, name+" y (no arg)", yn, y0)

						dy := randSlice(rng, wout*c)
						d0, d1 := outSlice(win*c), outSlice(win*c)
						maxPoolBackwardGo(d0, dy, a0, win, wout, c, s)
						kp.maxPoolBackward(d1, dy, a0, win, wout, c, s)
						equalBits(t, name+" dx", d1, d0)
					}
				}
			}
		}
	}
}
