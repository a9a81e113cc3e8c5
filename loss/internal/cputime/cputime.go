// Package cputime reads the process's CPU time, so that benchmarks and
// measurement commands can report CPU per operation, which a loaded shared
// machine distorts far less than wall time.
package cputime

import "time"

// Now returns the process's user+system CPU time so far (all threads), or 0
// where the platform does not say.
func Now() time.Duration { return now() }
