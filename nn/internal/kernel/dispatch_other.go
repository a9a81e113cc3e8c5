//go:build purego || !amd64

package kernel

import "time"

func availableKernels() []kernels { return []kernels{goKernels} }

// PeakGFLOPS measures the machine's fp32 multiply-add peak, in GFLOP/s,
// running one independent-FMA loop per GOMAXPROCS for about d. On this
// (portable) build it measures a scalar Go loop instead, the peak the
// purego kernels can hope for.
func PeakGFLOPS(d time.Duration) float64 { return peakGo(d) }
