package kernel

import (
	"runtime"
	"sync"
	"time"
)

// runPeak runs loop(iters) on GOMAXPROCS goroutines at once and returns
// the aggregate GFLOP/s; flopsPerIter is the work of one iteration of loop,
// which returns a value derived from its arithmetic so that the compiler
// cannot drop it. It calibrates iters so that a round lasts about d/5, runs
// five rounds and reports the fastest: on a shared machine the slower
// rounds measure the other processes, not the CPU.
func runPeak(d time.Duration, flopsPerIter float64, loop func(iters int) float32) float64 {
	procs := runtime.GOMAXPROCS(0)
	results := make([]float32, procs)
	round := func(iters int) time.Duration {
		start := time.Now()
		var wg sync.WaitGroup
		for p := range procs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				results[p] = loop(iters)
			}()
		}
		wg.Wait()
		return time.Since(start)
	}
	iters := 1 << 10
	for round(iters) < d/20 && iters < 1<<30 {
		iters *= 2
	}
	best := 0.0
	for range 5 {
		g := flopsPerIter * float64(iters) * float64(procs) / round(iters).Seconds() / 1e9
		best = max(best, g)
	}
	return best
}

// peakGo measures a scalar Go loop of 8 independent multiply-adds.
func peakGo(d time.Duration) float64 {
	return runPeak(d, 16, func(iters int) float32 {
		a := [8]float32{1, 2, 3, 4, 5, 6, 7, 8}
		const m, c = 0.999, 1e-3
		for range iters {
			a[0] = a[0]*m + c
			a[1] = a[1]*m + c
			a[2] = a[2]*m + c
			a[3] = a[3]*m + c
			a[4] = a[4]*m + c
			a[5] = a[5]*m + c
			a[6] = a[6]*m + c
			a[7] = a[7]*m + c
		}
		return a[0] + a[1] + a[2] + a[3] + a[4] + a[5] + a[6] + a[7]
	})
}
