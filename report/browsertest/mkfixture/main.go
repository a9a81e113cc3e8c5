// Command mkfixture writes a synthetic results folder (random numbers, not
// measurements) for the report's browser test: browsertest/run.sh renders
// it with "ghl report" and loads the page in headless Chromium.
//
// Usage: go run ./report/browsertest/mkfixture DIR
package main

import (
	"fmt"
	"os"

	"github.com/ghl-dev/ghl/report/internal/fixture"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: mkfixture DIR")
		os.Exit(2)
	}
	opt := fixture.Options{Seeds: 3, Iterations: 30, Summary: true, Ablation: true}
	if _, err := fixture.Write(os.Args[1], opt); err != nil {
		fmt.Fprintln(os.Stderr, "mkfixture:", err)
		os.Exit(1)
	}
}
