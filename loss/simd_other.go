//go:build !amd64 || purego

package loss

// haveSIMD is false: the exact mode uses the pure-Go kernel.
const haveSIMD = false

// countRow is never called without SIMD.
func countRow(xi *float64, xt *float64, ldt, ng, C int, limit float64, colcnt *int64) int64 {
	panic("loss: countRow without SIMD")
}

// acosSumRow is never called without SIMD.
func acosSumRow(xi *float64, xt *float64, ldt, ng, C int) float64 {
	panic("loss: acosSumRow without SIMD")
}
