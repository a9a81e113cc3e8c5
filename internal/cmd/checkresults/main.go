// Command checkresults checks that a ghl reproduce results folder (of any
// protocol) is complete and consistent: summary.json parses and has a
// positive wall time, every row's trial count matches the trial files (a
// cross-load or noise row counts the trials whose further test it is) and
// trials.csv, every trial file parses, belongs to the run's protocol and
// holds a log, every test's confusion matrix sums to its test windows, a
// class a row lists as absent has no test window in any of its trials,
// GHL trials (and only they) carry ghl_active_fraction and a per-iteration
// GHL log, table.md has one line per row, and report.html (when present) is
// non-empty. It makes no statistical assertion. CI runs it after a quick
// reproduce of each built-in protocol on real data.
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
	"github.com/ghl-dev/ghl/train"
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
	proto := "paper"
	if s.Protocol != nil {
		proto = s.Protocol.Name
	}
	perCell := map[string]int{}
	// absentIn counts, per row, the trials in which each class had no test
	// window; a row's Absent classes must have none in every trial.
	absentIn := map[string]map[string]int{}
	checkTest := func(f, row string, m train.Metrics) {
		perCell[row]++
		total := 0
		for _, r := range m.Confusion {
			for _, v := range r {
				total += v
			}
		}
		if total != m.N || total == 0 {
			bad("%s (%s): confusion matrix sums to %d, test windows %d", f, row, total, m.N)
		}
		if m.Accuracy < 0 || m.Accuracy > 1 {
			bad("%s (%s): accuracy %v out of [0,1]", f, row, m.Accuracy)
		}
		if absentIn[row] == nil {
			absentIn[row] = map[string]int{}
		}
		for i, n := range m.Support {
			if n == 0 && i < len(m.Classes) {
				absentIn[row][m.Classes[i]]++
			}
		}
	}
	for _, f := range files {
		var r experiment.TrialResult
		if err := readJSON(f, &r); err != nil {
			bad("%v", err)
			continue
		}
		if proto != "paper" && (r.Protocol != proto || !strings.HasPrefix(filepath.Base(f), proto+"__")) {
			bad("%s: protocol %q in a %s run (trial files are named <protocol>__…)", f, r.Protocol, proto)
		}
		checkTest(f, r.Set+"/"+r.Method, r.Test)
		for _, e := range r.Evals {
			checkTest(f, e.Name+"/"+r.Method, e.Test)
		}
		if len(r.Log) == 0 || r.Iterations != len(r.Log) {
			bad("%s: log has %d entries, iterations %d", f, len(r.Log), r.Iterations)
		}
		if ghlTrial := strings.HasPrefix(r.Options["scheme"], "ghl"); ghlTrial != (r.GHLActiveFraction != nil) {
			bad("%s: scheme %q but ghl_active_fraction present: %v", f, r.Options["scheme"], r.GHLActiveFraction != nil)
		} else if ghlTrial && (*r.GHLActiveFraction < 0 || *r.GHLActiveFraction > 1 || r.Log[0].GHL == nil) {
			bad("%s: ghl_active_fraction %v or no per-epoch GHL log", f, *r.GHLActiveFraction)
		}
	}
	trials := 0
	for _, row := range s.Rows {
		if row.Trained == "" {
			trials += row.Trials
		}
		key := row.Set + "/" + row.Method
		if n := perCell[key]; n != row.Trials {
			bad("row %s/%s: %d trials in summary, %d trial files", row.Set, row.Method, row.Trials, n)
		}
		for _, c := range row.Absent {
			if absentIn[key][c] != row.Trials {
				bad("row %s/%s: class %s listed absent but has test windows in %d of %d trials", row.Set, row.Method, c, row.Trials-absentIn[key][c], row.Trials)
			}
		}
		if proto != "paper" && row.Protocol != proto {
			bad("row %s/%s: protocol %q in a %s run", row.Set, row.Method, row.Protocol, proto)
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
		if !tableHas(string(table), row) {
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

// tableHas reports whether table has a line for row: it starts with the
// row's set (a ratio row adds "(1:50)") and names its method next.
func tableHas(table string, row experiment.Row) bool {
	for _, l := range strings.Split(table, "\n") {
		rest, ok := strings.CutPrefix(l, "| "+row.Set+" ")
		if !ok {
			continue
		}
		if strings.HasPrefix(rest, "| "+row.Method+" |") || strings.Contains(rest, ") | "+row.Method+" |") {
			return true
		}
	}
	return false
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
