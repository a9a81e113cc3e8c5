// Command checkresults checks that a ghl reproduce results folder is complete
// and consistent: summary.json parses and has a positive wall time, every
// row's trial count matches the trial files and trials.csv, every trial file
// parses and holds a log and a confusion matrix that sums to its test
// windows, table.md has one line per row, and report.html (when present)
// is non-empty. It makes no statistical assertion. CI runs it after a quick
// reproduce on real data.
package main

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/ghl-dev/ghl/experiment"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: checkresults RESULTS_DIR")
		os.Exit(2)
	}
	if err := check(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "checkresults:", err)
		os.Exit(1)
	}
	fmt.Println("checkresults: results folder complete and consistent")
}

func check(dir string) error {
	var s experiment.Summary
	if err := readJSON(filepath.Join(dir, "summary.json"), &s); err != nil {
		return err
	}
	var problems []string
	bad := func(f string, a ...any) { problems = append(problems, fmt.Sprintf(f, a...)) }
	if !(s.WallSeconds > 0) {
		bad("summary.json: wall_seconds = %v", s.WallSeconds)
	}
	if len(s.Rows) == 0 {
		bad("summary.json: no rows")
	}
	if s.Data == "" || s.Command == "" || s.Kernel == "" {
		bad("summary.json: data, command or kernel missing")
	}
	files, _ := filepath.Glob(filepath.Join(dir, "trials", "*.json"))
	perCell := map[string]int{}
	for _, f := range files {
		var r experiment.TrialResult
		if err := readJSON(f, &r); err != nil {
			bad("%v", err)
			continue
		}
		perCell[r.Set+"/"+r.Method]++
		if len(r.Log) == 0 || r.Iterations != len(r.Log) {
			bad("%s: log has %d entries, iterations %d", f, len(r.Log), r.Iterations)
		}
		total := 0
		for _, row := range r.Test.Confusion {
			for _, v := range row {
				total += v
			}
		}
		if total != r.Test.N || total == 0 {
			bad("%s: confusion matrix sums to %d, test windows %d", f, total, r.Test.N)
		}
		if r.Test.Accuracy < 0 || r.Test.Accuracy > 1 {
			bad("%s: accuracy %v out of [0,1]", f, r.Test.Accuracy)
		}
	}
	trials := 0
	for _, row := range s.Rows {
		trials += row.Trials
		if n := perCell[row.Set+"/"+row.Method]; n != row.Trials {
			bad("row %s/%s: %d trials in summary, %d trial files", row.Set, row.Method, row.Trials, n)
		}
		if row.AccuracyMean < 0 || row.AccuracyMean > 100 || len(row.Accuracies) != row.Trials {
			bad("row %s/%s: accuracy mean %v, %d accuracies", row.Set, row.Method, row.AccuracyMean, len(row.Accuracies))
		}
	}
	if trials != len(files) {
		bad("summary counts %d trials, %d trial files", trials, len(files))
	}
	f, err := os.Open(filepath.Join(dir, "trials.csv"))
	if err != nil {
		return err
	}
	recs, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil {
		return fmt.Errorf("trials.csv: %w", err)
	}
	if len(recs)-1 != len(files) {
		bad("trials.csv has %d lines, %d trial files", len(recs)-1, len(files))
	}
	table, err := os.ReadFile(filepath.Join(dir, "table.md"))
	if err != nil {
		return err
	}
	for _, row := range s.Rows {
		if !strings.Contains(string(table), "| "+row.Set+" | "+row.Method+" |") {
			bad("table.md has no line for %s/%s", row.Set, row.Method)
		}
	}
	if st, err := os.Stat(filepath.Join(dir, "report.html")); err == nil && st.Size() == 0 {
		bad("report.html is empty")
	}
	tmp, _ := filepath.Glob(filepath.Join(dir, "*", ".*.tmp-*"))
	tmp2, _ := filepath.Glob(filepath.Join(dir, ".*.tmp-*"))
	if len(tmp)+len(tmp2) > 0 {
		bad("temporary files left behind: %v", append(tmp, tmp2...))
	}
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "\n  "))
	}
	fmt.Printf("checkresults: %d rows, %d trials\n", len(s.Rows), len(files))
	return nil
}

func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}
