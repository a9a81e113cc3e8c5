package main

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/ghl-dev/ghl/experiment"
	"github.com/spf13/cobra"
)

func newReproduceCmd() *cobra.Command {
	var (
		pf       planFlags
		ro       runOptions
		noReport bool
		list     bool
		rankBy   string
	)
	cmd := &cobra.Command{
		Use:   "reproduce",
		Short: "Run the paper's experiment (Table III): sample sets × methods × seeds",
		Long: `reproduce runs the paper's experiment: every sample set × method × seed as an
independent trial, in parallel across cores, and writes into --out:

  trials/<set>__<method>__seed<k>.json   one file per trial, written as it finishes
  summary.json                           mean ± std per (set, method), paired tests, wall time,
                                         training FLOPs, measured peak, efficiency
  table.md                               Table III layout beside the paper's numbers
  leaderboard.md                         three or more methods ranked across cells (Friedman, CD, Holm)
  trials.csv                             one line per trial
  report.html                            figures and tables (see 'ghl report')
  models/<set>__<method>__seed<k>.ghl    each trial's model, with --save-models

Re-running the same command skips finished trials, so an interrupted run resumes.
Results do not depend on --workers or --threads.

Without --data it runs on the built-in simulated bearing dataset with the quick
profile and 6 seeds (unless --seeds), and says so: about 2 minutes on 2 AVX2
cores. --quick keeps every default cell but trains briefly (a smoke test).

Protocols (--protocol; each writes its own table, one row per test):
  paper        Table III (default): NC from the 0 hp normal recording, faults at 2 hp
  load0        Set 1 and Set 2 with every class from the 0 hp recordings (--load N:
               any load; a class missing there is taken from the others, with a note)
  cross-load   train on one load (set1 and set2 counts), test on every window of
               each other load in the folder: every source → target pair; a class
               with no untrained-on recording at the target is shown as "–"
  ratio        majority 3200, minority k = 64, 32, 16, 8, 4, 2 (1:50 … 1:1600)
  noise        Set 1 trained clean, tested at SNR ∞, 10, 6, 2, 0, −2, −4 dB
  FILE.toml    your own: sets, loads, held-out recordings, grids (README, Protocols)
Other protocols' trial files are trials/<protocol>__<cell>__<method>__seed<k>.json.

Methods: ` + strings.Join(experiment.MethodNames(), ", ") + `; each may carry
':key=value' overrides that make it a separate row, e.g. dcnng:alpha=2 or
dcnn:aug=0 (keys: see 'ghl train --help'). dcnng-paper is the paper's literal rule.
'zoo' stands for the field's imbalance methods side by side (` + strings.Join(experiment.ZooMethods(), ", ") + `);
with more than two methods the run also ranks them (leaderboard.md; --rank-by
accuracy, macro-f1 or missed; 'ghl leaderboard' re-ranks finished runs). --list prints
what each method of --methods is (with --methods zoo, the zoo) and exits.`,
		Example: `  ghl reproduce                                   # simulated data, quick profile
  ghl reproduce --data ../shared/data/cwru --out results
  ghl reproduce --data DIR --sets set2 --methods dcnnc,dcnng --seeds 3
  ghl reproduce --data ../shared/data/cwru --protocol cross-load --out results-xload
  ghl reproduce --data DIR --protocol my-protocol.toml --quick
  ghl reproduce --methods zoo --list              # what the zoo holds
  ghl reproduce --data DIR --methods zoo --no-fig3 --out zoo
  ghl reproduce --data DIR --methods zoo --rank-by missed --out zoo`,
		Args: argsUsage(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			if list {
				return experiment.ListMethods(cmd.OutOrStdout(), experiment.ExpandMethods(experiment.SplitList(pf.methods)))
			}
			if err := ro.checkOut(); err != nil {
				return err
			}
			rank, err := experiment.ParseRankMetric(rankBy)
			if err != nil {
				return err
			}
			rp, err := pf.plan(cmd.Flags())
			if err != nil {
				return err
			}
			ro.plan = rp.Hash
			stderr := cmd.ErrOrStderr()
			start := time.Now()
			loaded, err := rp.load(stderr)
			if err != nil {
				return err
			}
			fmt.Fprintf(stderr, "%d trials (%s profile) → %s\n", len(rp.Cells), rp.Profile, ro.out)
			ro.load = rp.Load
			_, todo, err := experiment.ReadTrials(ro.out, rp.Cells)
			if err != nil {
				return err
			}
			results, err := ro.run(cmd.Context(), rp.Cells, loaded, stderr)
			if err != nil {
				return err
			}
			s := summarize(rp, loaded, results, start, len(todo) == len(rp.Cells), rank)
			if err := writeRunOutputs(cmd, ro.out, rp, loaded, s, results, noReport); err != nil {
				return err
			}
			if s.Efficiency > 0 {
				fmt.Fprintf(stderr, "training: %.3g FLOP in %.0f s = %.1f%% of this machine's %.0f GFLOP/s %s peak\n",
					s.TrainFLOPs, s.WallSeconds, 100*s.Efficiency, s.PeakGFLOPS, s.Kernel)
			}
			fmt.Fprintf(stderr, "done in %s; results in %s\n", time.Since(start).Round(time.Second), filepath.Clean(ro.out))
			return nil
		},
	}
	f := cmd.Flags()
	pf.register(f)
	f.StringVar(&ro.out, "out", "results", "results folder (created; finished trials in it are reused)")
	f.BoolVar(&noReport, "no-report", false, "do not write report.html")
	addRankBy(f, &rankBy)
	f.BoolVar(&list, "list", false, "print each method of --methods (\"zoo\": the published imbalance methods) with its citation and defaults, then exit")
	f.BoolVar(&ro.saveModels, "save-models", false, "also save the model of every trial this run trains as models/<trial>.ghl (for 'ghl predict' and 'ghl eval')")
	f.IntVar(&ro.workers, "workers", 0, "trials run at once (default: number of cores)")
	f.IntVar(&ro.threads, "threads", 0, "engine threads per trial (default: cores / workers)")
	return cmd
}
