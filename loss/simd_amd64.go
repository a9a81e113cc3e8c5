//go:build !purego

package loss

import "golang.org/x/sys/cpu"

// haveSIMD says whether the exact mode can use the AVX2+FMA kernel
// countRow; it is fixed at start-up.
var haveSIMD = cpu.X86.HasAVX2 && cpu.X86.HasFMA

// countRow compares row xi (C values) with ng groups of four columns of a
// transposed tile (xt points at the first column; the tile's rows are ldt
// values apart): for each column j whose dot product with xi is ≥ limit it
// adds 1 to colcnt[j] and to the returned count. AVX2+FMA, float64.
//
//go:noescape
func countRow(xi *float64, xt *float64, ldt, ng, C int, limit float64, colcnt *int64) int64

// acosSumRow returns Σ fastAcos(xi·column) over ng groups of four columns
// of a transposed tile laid out as for countRow. AVX2+FMA, float64.
//
//go:noescape
func acosSumRow(xi *float64, xt *float64, ldt, ng, C int) float64
