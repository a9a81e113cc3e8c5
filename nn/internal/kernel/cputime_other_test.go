//go:build !linux

package kernel

import "time"

// threadCPU is not available here: the benchmarks report wall-clock rates only.
func threadCPU() (time.Duration, bool) { return 0, false }
