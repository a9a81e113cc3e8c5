// Command recompute re-derives the paired comparisons of committed
// summary.json files from the per-seed accuracies their rows store
// (experiment.Recompute) and rewrites summary.json and table.md beside it,
// each atomically. It exists for results written before the paired test
// worked on whole test windows:
//
//	go run ./internal/cmd/recompute -windows 108 docs/results/cwru/*/summary.json
//
// With -pair A,B (repeatable) it also compares method A's rows with method
// B's of the same set (experiment.PairMethods) — two settings of one method,
// which the summary's own pairs (dcnng and dg against dcnn and dcnnc) leave
// out — and Holm-adjusts over all the summary's comparisons:
//
//	go run ./internal/cmd/recompute -pair dcnng:threshold=spread,dcnng docs/results/cwru/threshold/summary.json
//
// With -trials it aggregates the trial files of results folders whose run
// did not finish (no summary.json yet) into summary.json, table.md and
// trials.csv, saying so in the summary's command:
//
//	go run ./internal/cmd/recompute -trials results-dir
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"

	"github.com/ghl-dev/ghl/experiment"
	"github.com/ghl-dev/ghl/internal/atomicfile"
	"github.com/ghl-dev/ghl/nn"
)

func main() {
	windows := flag.Int("windows", 108, "test windows every trial was scored on (108 for the CWRU sets: 12 classes × 9)")
	trials := flag.Bool("trials", false, "arguments are results folders: aggregate their trials/*.json")
	var pairs [][2]string
	flag.Func("pair", "`A,B`: also compare method A with method B on every set both ran (repeatable)", func(v string) error {
		a, b, ok := strings.Cut(v, ",")
		if !ok || a == "" || b == "" || strings.Contains(b, ",") {
			return fmt.Errorf("want two method names separated by a comma, got %q", v)
		}
		pairs = append(pairs, [2]string{a, b})
		return nil
	})
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: recompute [-windows N] [-pair A,B]… SUMMARY.json…  |  recompute -trials RESULTS_DIR…")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() == 0 {
		flag.Usage()
		os.Exit(2)
	}
	for _, path := range flag.Args() {
		do := func(path string, windows int) error { return recompute(path, windows, pairs) }
		if *trials {
			do = func(dir string, _ int) error { return aggregate(dir) }
		}
		if err := do(path, *windows); err != nil {
			fmt.Fprintln(os.Stderr, "recompute:", err)
			os.Exit(1)
		}
	}
}

func recompute(path string, windows int, pairs [][2]string) error {
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
	for _, p := range pairs {
		extra := experiment.PairMethods(s.Rows, p[0], p[1])
		if len(extra) == 0 {
			return fmt.Errorf("%s: no set has rows of both %s and %s", path, p[0], p[1])
		}
		s.Paired = append(s.Paired, extra...)
	}
	experiment.HolmPaired(s.Paired)
	out, err := json.MarshalIndent(&s, "", "  ")
	if err != nil {
		return err
	}
	if err := atomicfile.WriteFile(path, append(out, '\n')); err != nil {
		return err
	}
	return atomicfile.WriteFile(filepath.Join(filepath.Dir(path), "table.md"), []byte(experiment.TableMarkdown(&s)))
}

// aggregate writes the outputs of a results folder from its trial files.
func aggregate(dir string) error {
	paths, err := filepath.Glob(filepath.Join(dir, "trials", "*.json"))
	if err != nil || len(paths) == 0 {
		return fmt.Errorf("%s: no trials/*.json", dir)
	}
	var res []*experiment.TrialResult
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		var r experiment.TrialResult
		if err := json.Unmarshal(b, &r); err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		res = append(res, &r)
	}
	sort.SliceStable(res, func(i, j int) bool {
		a, b := res[i], res[j]
		if a.Set != b.Set {
			return a.Set < b.Set
		}
		if a.Method != b.Method {
			return a.Method < b.Method
		}
		return a.Seed < b.Seed
	})
	rows, paired := experiment.Aggregate(res)
	s := &experiment.Summary{Data: dir, Command: fmt.Sprintf("aggregated by internal/cmd/recompute from the %d trial files present", len(res)),
		GoVersion: runtime.Version(), Kernel: nn.KernelName(), Rows: rows, Paired: paired}
	return experiment.WriteOutputs(dir, s, res)
}
