package kernel

import (
	"fmt"
	"math"
)

// PoolNoArg is the argmax MaxPoolForward records for a window that passes
// no gradient: with relu, a window whose maximum is ≤ 0.
const PoolNoArg = 255

// MaxPoolForward computes one sample of channels-last max pooling with
// window and stride s, optionally fused with a preceding ReLU:
//
//	y[t*c+ch] = max_{j<s} x[(t*s+j)*c+ch]       (and max(0, that) if relu)
//	arg[t*c+ch] = the first j reaching the maximum, or PoolNoArg if relu and the maximum is ≤ 0
//
// for t < wout. Floats are compared through an order-preserving integer
// key (so −0 < +0, and NaNs order by sign beyond ±Inf), which makes the
// result exact and identical on every path. It overwrites y[:wout*c] and,
// unless arg is nil (inference), arg[:wout*c]; it reads x[:wout*s*c].
// Preconditions: wout, c >= 1, 1 <= s < PoolNoArg.
func MaxPoolForward(y []float32, arg []uint8, x []float32, wout, c, s int, relu bool) {
	checkPool(wout*s, wout, c, s)
	need("MaxPoolForward y", y, wout*c)
	need("MaxPoolForward x", x, wout*s*c)
	if arg != nil && len(arg) < wout*c {
		panic(fmt.Sprintf("kernel: MaxPoolForward arg has length %d, need %d", len(arg), wout*c))
	}
	active.maxPoolForward(y, arg, x, wout, c, s, relu)
}

// MaxPoolBackward overwrites dx[:win*c] with the gradient MaxPoolForward
// routes back: dx[(t*s+j)*c+ch] = dy[t*c+ch] where arg[t*c+ch] == j, zero
// everywhere else (including positions t*s+j >= wout*s the pooling
// dropped). It reads dy[:wout*c] and arg[:wout*c].
// Preconditions: wout, c >= 1, 1 <= s < PoolNoArg, wout*s <= win.
func MaxPoolBackward(dx, dy []float32, arg []uint8, win, wout, c, s int) {
	checkPool(win, wout, c, s)
	need("MaxPoolBackward dx", dx, win*c)
	need("MaxPoolBackward dy", dy, wout*c)
	if len(arg) < wout*c {
		panic(fmt.Sprintf("kernel: MaxPoolBackward arg has length %d, need %d", len(arg), wout*c))
	}
	active.maxPoolBackward(dx, dy, arg, win, wout, c, s)
}

func checkPool(win, wout, c, s int) {
	if wout < 1 || c < 1 || s < 1 || s >= PoolNoArg || wout*s > win {
		panic(fmt.Sprintf("kernel: invalid pool shape win=%d wout=%d c=%d s=%d", win, wout, c, s))
	}
}

// floatKey maps a float32 to an int32 of the same order; it is its own
// inverse on the bits.
func floatKey(v float32) int32 {
	b := int32(math.Float32bits(v))
	return b ^ (b>>31)&0x7fffffff
}

func maxPoolForwardGo(y []float32, arg []uint8, x []float32, wout, c, s int, relu bool) {
	floor := int32(math.MinInt32)
	if relu {
		floor = 0
	}
	for t := range wout {
		win := x[t*s*c : (t+1)*s*c]
		yt := y[t*c : (t+1)*c]
		for ch := range yt {
			// One assignment per condition: the compiler makes
			// conditional moves of them (a branch would mispredict).
			m, am := floatKey(win[ch]), int32(0)
			for j := 1; j < s; j++ {
				k := floatKey(win[j*c+ch])
				if k > m {
					am = int32(j)
				}
				m = max(m, k)
			}
			if m <= floor {
				am = PoolNoArg
			}
			m = max(m, floor)
			yt[ch] = math.Float32frombits(uint32(m ^ (m>>31)&0x7fffffff))
			if arg != nil {
				arg[t*c+ch] = uint8(am)
			}
		}
	}
}

func maxPoolBackwardGo(dx, dy []float32, arg []uint8, win, wout, c, s int) {
	dx = dx[:win*c]
	clear(dx)
	for t := range wout {
		base, dyt := t*s*c, dy[t*c:(t+1)*c]
		for ch, j := range arg[t*c : (t+1)*c] {
			if j != PoolNoArg {
				dx[base+int(j)*c+ch] = dyt[ch]
			}
		}
	}
}
