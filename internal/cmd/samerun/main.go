// Command samerun checks that two ghl results folders hold the same run,
// timing aside (package samerun); CI uses it to check a run split over a
// Slurm job array against a local 'ghl reproduce'.
//
// Usage: go run ./internal/cmd/samerun DIR_A DIR_B
package main

import (
	"fmt"
	"os"

	"github.com/ghl-dev/ghl/internal/samerun"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: samerun DIR_A DIR_B")
		os.Exit(2)
	}
	if err := samerun.Compare(os.Args[1], os.Args[2]); err != nil {
		fmt.Fprintln(os.Stderr, "samerun:", err)
		os.Exit(1)
	}
	fmt.Printf("samerun: %s and %s hold the same run (timing aside)\n", os.Args[1], os.Args[2])
}
