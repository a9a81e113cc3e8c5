//go:build !purego

package kernel

import "time"

func bestKernels() kernels { return goKernels }

// PeakGFLOPS measures the machine's fp32 multiply-add peak, in GFLOP/s,
// running one independent-FMA loop per GOMAXPROCS for about d.
func PeakGFLOPS(d time.Duration) float64 { return peakGo(d) }
