// Command recompute re-derives the paired comparisons of committed
// summary.json files from the per-seed accuracies their rows store
// (experiment.Recompute) and rewrites summary.json and table.md beside it,
// each atomically. It exists for results written before the paired test
// worked on whole test windows:
//
//	go run ./internal/cmd/recompute -windows 108 docs/results/cwru/*/summary.json
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/ghl-dev/ghl/experiment"
	"github.com/ghl-dev/ghl/internal/atomicfile"
)

func main() {
	windows := flag.Int("windows", 108, "test windows every trial was scored on (108 for the CWRU sets: 12 classes × 9)")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: recompute [-windows N] SUMMARY.json…")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() == 0 {
		flag.Usage()
		os.Exit(2)
	}
	for _, path := range flag.Args() {
		if err := recompute(path, *windows); err != nil {
			fmt.Fprintln(os.Stderr, "recompute:", err)
			os.Exit(1)
		}
	}
}

func recompute(path string, windows int) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var s experiment.Summary
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := experiment.Recompute(&s, windows); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	out, err := json.MarshalIndent(&s, "", "  ")
	if err != nil {
		return err
	}
	if err := atomicfile.WriteFile(path, append(out, '\n')); err != nil {
		return err
	}
	return atomicfile.WriteFile(filepath.Join(filepath.Dir(path), "table.md"), []byte(experiment.TableMarkdown(&s)))
}
