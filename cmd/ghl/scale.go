package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/ghl-dev/ghl/experiment"
	"github.com/spf13/cobra"
)

// The commands of this file split a reproduce run for a cluster: 'plan'
// lists its trials, 'trial' runs one of them (one task of a job array),
// 'aggregate' writes the run's outputs from the trial files. They take the
// run's flags from planFlags, so one set of flags names one plan.

// planEntry is one trial of 'ghl plan' output.
type planEntry struct {
	Index    int    `json:"index"`
	Key      string `json:"key"`
	Protocol string `json:"protocol,omitempty"`
	Set      string `json:"set"`
	Method   string `json:"method"`
	Seed     int    `json:"seed"`
	Plan     string `json:"plan"`
}

func newPlanCmd() *cobra.Command {
	var (
		pf    planFlags
		count bool
	)
	cmd := &cobra.Command{
		Use:   "plan",
		Short: "List the trials of a run as JSON, for a job array or Argo's withParam",
		Long: `plan prints the trials that 'ghl reproduce' with the same flags runs, as a JSON
array on standard output (usable as Argo's withParam), one object per trial:

  {"index": 0, "key": "set1__dcnn__seed0", "set": "set1", "method": "dcnn", "seed": 0, "plan": "<hash>"}

index is what 'ghl trial --index' takes; key names the trial file
(trials/<key>.json); plan identifies the whole plan (the trials, the data
folder and how it is read): every trial file stores it. With --count it prints
only the number of trials, to size a job array (indices 0 … count-1).`,
		Example: `  ghl plan --data ../shared/data/cwru --quick --count
  N=$(ghl plan --data DIR --count); sbatch --array=0-$((N-1)) deploy/slurm/ghl-trial.sbatch`,
		Args: argsUsage(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			rp, err := pf.plan(cmd.Flags())
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "%d trials (%s profile), plan %s\n", len(rp.Cells), rp.Profile, rp.Hash)
			if count {
				_, err := fmt.Fprintln(cmd.OutOrStdout(), len(rp.Cells))
				return err
			}
			entries := make([]planEntry, len(rp.Cells))
			for i, c := range rp.Cells {
				entries[i] = planEntry{Index: i, Key: c.Key(), Protocol: c.Protocol, Set: c.Set, Method: c.Method.Name, Seed: c.Seed, Plan: rp.Hash}
			}
			b, err := json.MarshalIndent(entries, "", " ")
			if err != nil {
				return err
			}
			_, err = fmt.Fprintf(cmd.OutOrStdout(), "%s\n", b)
			return err
		},
	}
	pf.register(cmd.Flags())
	cmd.Flags().BoolVar(&count, "count", false, "print only the number of trials")
	return cmd
}

// indexEnv are the variables a cluster sets to a task's index, in the order
// 'ghl trial' reads them.
var indexEnv = []string{"JOB_COMPLETION_INDEX", "SLURM_ARRAY_TASK_ID"}

// trialIndex returns the plan index of this task: flag (when given) or the
// first of indexEnv that getenv finds, minus offset, checked against n.
func trialIndex(flag int, given bool, offset, n int, getenv func(string) string) (int, error) {
	i, from := flag, "--index"
	if !given {
		from = ""
		for _, name := range indexEnv {
			if v := getenv(name); v != "" {
				k, err := strconv.Atoi(strings.TrimSpace(v))
				if err != nil {
					return 0, usageError("%s=%q is not a trial index (an integer)", name, v)
				}
				i, from = k, name
				break
			}
		}
		if from == "" {
			return 0, usageError("no trial index: pass --index I or set %s", strings.Join(indexEnv, " or "))
		}
	}
	i -= offset
	if i < 0 || i >= n {
		return 0, usageError("%s gives trial %d (after --index-offset %d), but the plan has %d trials (0 … %d): check the array range against 'ghl plan --count'", from, i, offset, n, n-1)
	}
	return i, nil
}

// printTrialMetrics writes a trial's metrics as name=value lines, the format
// hyper-parameter tuners such as Katib read from standard output.
func printTrialMetrics(w io.Writer, r *experiment.TrialResult) {
	fmt.Fprintf(w, "accuracy=%g\nmacro_f1=%g\ng_mean=%g\nval_macro_f1=%g\n", r.Test.Accuracy, r.Test.MacroF1, r.Test.GMean, r.Val.MacroF1)
}

func newTrialCmd() *cobra.Command {
	var (
		pf            planFlags
		ro            runOptions
		index, offset int
	)
	cmd := &cobra.Command{
		Use:   "trial",
		Short: "Run one trial of a plan (one task of a Slurm job array or Kubernetes Indexed Job)",
		Long: `trial runs trial I of the plan that the same flags give ('ghl plan') and writes
its file --out/trials/<key>.json atomically, exactly as 'ghl reproduce' does;
'ghl aggregate' then writes the run's outputs from a folder of such files.

The index is --index, else $JOB_COMPLETION_INDEX (Kubernetes Indexed Job), else
$SLURM_ARRAY_TASK_ID (Slurm job array), minus --index-offset (1 for an array
numbered from 1). A trial whose file is already there is not run again (a
retried task is harmless); a file written under another plan (other trials,
data or data flags) is refused. The metrics go to standard output as
name=value lines (accuracy, macro_f1, g_mean, val_macro_f1; fractions in 0…1).`,
		Example: `  ghl trial --data DIR --quick --out /shared/run --index 3
  SLURM_ARRAY_TASK_ID=3 ghl trial --data DIR --quick --out /shared/run`,
		Args: argsUsage(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := ro.checkOut(); err != nil {
				return err
			}
			rp, err := pf.plan(cmd.Flags())
			if err != nil {
				return err
			}
			i, err := trialIndex(index, cmd.Flags().Changed("index"), offset, len(rp.Cells), os.Getenv)
			if err != nil {
				return err
			}
			cell := rp.Cells[i]
			stderr := cmd.ErrOrStderr()
			done, _, err := experiment.ReadTrials(ro.out, rp.Cells[i:i+1])
			if err != nil {
				return err
			}
			if r := done[0]; r != nil {
				if r.Plan != rp.Hash {
					return fmt.Errorf("%s was written under plan %q, these flags give plan %q (the trials, the data or its flags changed): use another --out folder, or the flags the run started with", experiment.TrialPath(ro.out, cell), r.Plan, rp.Hash)
				}
				fmt.Fprintf(stderr, "trial %d %s: already done in %s\n", i, cell.Key(), experiment.TrialPath(ro.out, cell))
				printTrialMetrics(cmd.OutOrStdout(), r)
				return nil
			}
			fmt.Fprintf(stderr, "trial %d of %d: %s (plan %s)\n", i, len(rp.Cells), cell.Key(), rp.Hash)
			loaded, err := rp.load(stderr)
			if err != nil {
				return err
			}
			ro.workers, ro.plan, ro.load = 1, rp.Hash, rp.Load
			res, err := ro.run(cmd.Context(), rp.Cells[i:i+1], loaded, stderr)
			if err != nil {
				return err
			}
			printTrialMetrics(cmd.OutOrStdout(), res[0])
			return nil
		},
	}
	f := cmd.Flags()
	pf.register(f)
	f.StringVar(&ro.out, "out", "results", "results folder shared by the run's tasks (the trial file goes to trials/<key>.json)")
	f.IntVar(&index, "index", 0, "trial index in the plan (default: $JOB_COMPLETION_INDEX, else $SLURM_ARRAY_TASK_ID)")
	f.IntVar(&offset, "index-offset", 0, "subtracted from the index (1 for a job array numbered from 1)")
	f.IntVar(&ro.threads, "threads", 0, "engine threads (default: number of cores; does not change the result)")
	f.BoolVar(&ro.saveModels, "save-models", false, "also save the trial's model as models/<key>.ghl")
	return cmd
}

func newAggregateCmd() *cobra.Command {
	var (
		pf                     planFlags
		noReport, allowPartial bool
		rankBy                 string
	)
	cmd := &cobra.Command{
		Use:   "aggregate DIR",
		Short: "Write a run's summary, table and report from the trial files of 'ghl trial'",
		Long: `aggregate reads DIR/trials/<key>.json for every trial of the plan that the same
flags give ('ghl plan') and writes into DIR what 'ghl reproduce' with those
flags writes: summary.json, table.md, trials.csv and report.html (the same
content, except the timing fields: wall_seconds, peak_rss_bytes and command,
and peak_gflops and efficiency, which only a run that trained every trial
itself states).
It loads the data (for the summary's data notes and the report's data figure)
but trains nothing.

Missing trials are listed and fail the command, unless --allow-partial
aggregates the trials that are there.`,
		Example: `  ghl aggregate /shared/run --data DIR --quick
  ghl aggregate /shared/run --data DIR --quick --allow-partial`,
		Args: argsUsage(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := args[0]
			if st, err := os.Stat(dir); err != nil || !st.IsDir() {
				return usageError("%s is not a results folder (want the --out folder of 'ghl trial')", dir)
			}
			rank, err := experiment.ParseRankMetric(rankBy)
			if err != nil {
				return err
			}
			rp, err := pf.plan(cmd.Flags())
			if err != nil {
				return err
			}
			start := time.Now()
			stderr := cmd.ErrOrStderr()
			results, missing, err := experiment.ReadTrials(dir, rp.Cells)
			if err != nil {
				return err
			}
			other := 0
			for _, r := range results {
				if r != nil && r.Plan != rp.Hash {
					other++
				}
			}
			if other > 0 {
				fmt.Fprintf(stderr, "note: %d trial files were written under another plan than %s (same method settings, e.g. a resumed run with more seeds)\n", other, rp.Hash)
			}
			if len(missing) > 0 {
				keys := make([]string, len(missing))
				for j, i := range missing {
					keys[j] = fmt.Sprintf("  %d %s", i, rp.Cells[i].Key())
				}
				fmt.Fprintf(stderr, "missing %d of %d trials (index key):\n%s\n", len(missing), len(rp.Cells), strings.Join(keys, "\n"))
				if !allowPartial {
					return fmt.Errorf("%d of %d trials missing in %s: run them ('ghl trial --index I' with the same flags) or pass --allow-partial", len(missing), len(rp.Cells), dir)
				}
				if len(missing) == len(rp.Cells) {
					return fmt.Errorf("no trial of the plan in %s: nothing to aggregate (are the flags those of the run?)", dir)
				}
			}
			loaded, err := rp.load(stderr)
			if err != nil {
				return err
			}
			s := summarize(rp, loaded, results, start, false, rank)
			return writeRunOutputs(cmd, dir, rp, loaded, s, results, noReport)
		},
	}
	f := cmd.Flags()
	pf.register(f)
	f.BoolVar(&noReport, "no-report", false, "do not write report.html")
	f.BoolVar(&allowPartial, "allow-partial", false, "aggregate the trials that are there when some are missing")
	addRankBy(f, &rankBy)
	return cmd
}
