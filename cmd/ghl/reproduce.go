package main

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/ghl-dev/ghl/experiment"
	"github.com/ghl-dev/ghl/nn"
	"github.com/ghl-dev/ghl/report"
	"github.com/spf13/cobra"
)

func newReproduceCmd() *cobra.Command {
	var (
		data, out, sets, methods, seeds string
		quick, noFig3, noReport         bool
		saveModels                      bool
		workers, threads                int
		df                              dataFlags
	)
	cmd := &cobra.Command{
		Use:   "reproduce",
		Short: "Run the paper's experiment (Table III): sample sets × methods × seeds",
		Long: `reproduce runs the paper's experiment: every sample set × method × seed as an
independent trial, in parallel across cores, and writes into --out:

  trials/<set>__<method>__seed<k>.json   one file per trial, written as it finishes
  summary.json                           mean ± std per (set, method), paired tests, wall time
  table.md                               Table III layout beside the paper's numbers
  trials.csv                             one line per trial
  report.html                            figures and tables (see 'ghl report')
  models/<set>__<method>__seed<k>.ghl    each trial's model, with --save-models

Re-running the same command skips finished trials, so an interrupted run resumes.
Results do not depend on --workers or --threads.

Without --data it runs on the built-in simulated bearing dataset with the quick
profile and says so. --quick keeps every default cell but trains briefly (a smoke test).

Methods: ` + strings.Join(experiment.MethodNames(), ", ") + `; each may carry
':key=value' overrides that make it a separate row, e.g. dcnng:alpha=2 or
dcnn:aug=0 (keys: see 'ghl train --help'). dcnng-paper is the paper's literal rule.`,
		Example: `  ghl reproduce                                   # simulated data, quick profile
  ghl reproduce --data ../shared/data/cwru --out results
  ghl reproduce --data DIR --sets set2 --methods dcnnc,dcnng --seeds 3`,
		Args: argsUsage(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			profile := experiment.Full
			if quick || data == "" {
				profile = experiment.Quick
			}
			lopt, err := df.options()
			if err != nil {
				return err
			}
			if st, err := os.Stat(out); err == nil && !st.IsDir() {
				return usageError("--out %s is a file, not a folder", out)
			}
			seedList, err := experiment.ParseSeeds(seeds)
			if err != nil {
				return err
			}
			if quick && !cmd.Flags().Changed("seeds") {
				seedList = seedList[:2]
			}
			plan := experiment.Plan{Sets: splitSets(sets), Methods: experiment.SplitList(methods),
				Seeds: seedList, Profile: profile, Fig3: !noFig3, BalancedSeeds: min(3, len(seedList))}
			cells, err := plan.Cells()
			if err != nil {
				return err
			}
			stderr := cmd.ErrOrStderr()
			if data == "" {
				fmt.Fprintln(stderr, "no --data given: running on the built-in SIMULATED bearing dataset with the quick profile")
			}
			start := time.Now()
			loaded, err := experiment.LoadSets(data, plan.SetNames(), lopt)
			if err != nil {
				return err
			}
			for _, n := range loaded.Notes {
				fmt.Fprintln(stderr, "data:", n)
			}
			fmt.Fprintf(stderr, "%d trials (%s profile) → %s\n", len(cells), profile, out)
			var et experiment.EngineTrainer
			if saveModels {
				dir := filepath.Join(out, "models")
				if err := os.MkdirAll(dir, 0o755); err != nil {
					return err
				}
				et.ModelOut = func(c experiment.Cell, m *nn.Model) error {
					return nn.Save(filepath.Join(dir, c.Key()+".ghl"), m, modelMeta(c, loaded))
				}
			}
			r := &experiment.Runner{Out: out, Sets: loaded.Sets, Trainer: et,
				Workers: workers, Threads: threads, Progress: stderr}
			results, err := r.Run(cmd.Context(), cells)
			if err != nil {
				if cmd.Context().Err() != nil {
					return fmt.Errorf("interrupted; finished trials are kept in %s: rerun the same command to resume", out)
				}
				return err
			}
			rows, paired := experiment.Aggregate(results)
			s := &experiment.Summary{
				WallSeconds: time.Since(start).Seconds(), Data: loaded.Desc, DataNotes: loaded.Notes,
				Command: "ghl " + strings.Join(os.Args[1:], " "), GoVersion: runtime.Version(),
				Kernel: nn.KernelName(), Profile: string(profile), PeakRSSBytes: nn.PeakRSS(),
				Rows: rows, Paired: paired,
			}
			if err := experiment.WriteOutputs(out, s, results); err != nil {
				return err
			}
			fmt.Fprint(cmd.OutOrStdout(), experiment.TableMarkdown(s))
			if !noReport {
				for _, name := range plan.SetNames() {
					if ss := loaded.SampleSets[name]; ss != nil {
						f, err := report.WindowsFigure(&ss.Test, ss.Classes, ss.Rate, 2)
						if err == nil {
							err = report.SaveExtra(out, f)
						}
						if err != nil {
							return fmt.Errorf("data figure: %w", err)
						}
						break
					}
				}
				if p, err := writeReport(out); err != nil {
					return fmt.Errorf("report: %w", err)
				} else if p != "" {
					fmt.Fprintln(stderr, "report:", p)
				}
			}
			fmt.Fprintf(stderr, "done in %s; results in %s\n", time.Since(start).Round(time.Second), filepath.Clean(out))
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&data, "data", "", "data folder: a CWRU folder or ROOT/<class>/ recordings (default: built-in simulated data)")
	f.StringVar(&out, "out", "results", "results folder (created; finished trials in it are reused)")
	f.StringVar(&sets, "sets", "set1,set2", "sample sets, comma-separated (set1, set2, balanced, M/m); separate custom per-class sets with ';' (\"NC=800,*=20;NC=800,*=8\")")
	f.StringVar(&methods, "methods", "dcnn,dcnnc,dcnng", "methods, comma-separated")
	f.StringVar(&seeds, "seeds", "10", "seeds: a count (10 = 0..9), a range (3-7) or a list (0,4,9); --quick uses 2 unless given")
	f.BoolVar(&quick, "quick", false, "quick profile: every cell, few iterations (smoke test)")
	f.BoolVar(&noFig3, "no-fig3", false, "skip the balanced-set trials and angle logging that Fig. 3 needs")
	f.BoolVar(&noReport, "no-report", false, "do not write report.html")
	f.BoolVar(&saveModels, "save-models", false, "also save the model of every trial this run trains as models/<trial>.ghl (for 'ghl predict' and 'ghl eval')")
	f.IntVar(&workers, "workers", 0, "trials run at once (default: number of cores)")
	f.IntVar(&threads, "threads", 0, "engine threads per trial (default: cores / workers)")
	df.register(f)
	return cmd
}

// writeReport writes RESULTS_DIR/report.html and returns its path.
func writeReport(dir string) (string, error) { return report.Write(dir) }

// splitSets splits --sets: on ';' when the value holds ';' or '=' (custom
// per-class sets hold commas themselves), else on commas.
func splitSets(s string) []string {
	sep := ","
	if strings.ContainsAny(s, ";=") {
		sep = ";"
	}
	var out []string
	for _, f := range strings.Split(s, sep) {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}
