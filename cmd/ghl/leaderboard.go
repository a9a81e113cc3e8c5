package main

import (
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/ghl-dev/ghl"
	"github.com/ghl-dev/ghl/experiment"
	"github.com/ghl-dev/ghl/internal/atomicfile"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// rankByHelp explains --rank-by: every metric and its direction.
func rankByHelp() string {
	var b strings.Builder
	b.WriteString("what the leaderboard ranks each cell on, and its paired tests compare per seed:")
	for _, m := range experiment.RankMetrics() {
		fmt.Fprintf(&b, "\n%s: %s", m, m.About())
	}
	return b.String()
}

// addRankBy registers --rank-by on f.
func addRankBy(f *pflag.FlagSet, p *string) {
	f.StringVar(p, "rank-by", string(experiment.RankAccuracy), rankByHelp())
}

func newLeaderboardCmd() *cobra.Command {
	var rankBy, out string
	cmd := &cobra.Command{
		Use:   "leaderboard [--rank-by METRIC] RESULTS_DIR...",
		Short: "Rank the methods of finished runs again, on accuracy, macro-F1 or missed-fault rate",
		Long: `leaderboard ranks the methods of one or more finished runs (each the --out
folder of 'ghl reproduce' or 'ghl aggregate') without training anything, and
writes leaderboard.md to stdout or --out: per-cell ranks, the Friedman test,
the Nemenyi critical difference, and Holm-adjusted Wilcoxon tests against the
best method and against dcnnc, all on the metric of --rank-by:

  accuracy   mean test accuracy, higher is better (the default, as 'reproduce'
             ranks); paired tests on correctly classified test windows
  macro-f1   mean test macro-F1, higher is better; paired tests on each seed's
             macro-F1
  missed     mean missed-fault rate, the share of fault windows called healthy,
             lower is better (the costliest error in condition monitoring);
             paired tests on each seed's count of missed fault windows

A folder's trials/*.json are read when it has them (they carry every per-seed
value); otherwise its summary.json. Summaries written before per-seed macro-F1
and missed counts were stored still rank, but their paired tests on those
metrics are left out, and leaderboard.md says so.

Several folders make one leaderboard: a cell is (protocol, set), so a
cross-load run and a load0 run side by side rank over both protocols' cells;
trials of the same cells with other seeds pool. The same trial in two folders
is a usage error. A cell whose trials are another cell's, method by method and
seed by seed (cross-load's source cell set1@0hp and load0's set1 are the same
trainings and tests), is left out and noted, so no training counts twice. Folders that ran on different kernel paths are fine and
noted. Cells where every method ties (often the missed-fault rate: 0 for all)
are noted as carrying no information.

Writing --out into a results folder replaces its leaderboard.md only; the
report's critical-difference diagram comes from summary.json, which
'ghl reproduce --rank-by' writes ranked the same way.`,
		Example: `  ghl leaderboard --rank-by missed results
  ghl leaderboard --rank-by macro-f1 results-xload results-load0 --out both.md
  ghl leaderboard docs/results/cwru/zoo`,
		Args: argsUsage(cobra.MinimumNArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			metric, err := experiment.ParseRankMetric(rankBy)
			if err != nil {
				return err
			}
			if st, err := os.Stat(out); out != "" && err == nil && st.IsDir() {
				return usageError("--out %s is a folder: give the Markdown file to write", out)
			}
			c, err := experiment.CollectResults(args...)
			if err != nil {
				return err
			}
			lb := experiment.NewLeaderboardBy(c.Rows, metric)
			if lb == nil {
				return fmt.Errorf("%w: %s: nothing to rank: a leaderboard needs three or more methods that ran on a common cell (%s)",
					ghl.ErrBadInput, strings.Join(args, ", "), describeRows(c.Rows))
			}
			lb.Notes = append(lb.Notes, c.Notes()...)
			command := "ghl leaderboard --rank-by " + string(metric) + " " + strings.Join(args, " ")
			md := experiment.LeaderboardMarkdown(lb, command)
			if out == "" {
				_, err := fmt.Fprint(cmd.OutOrStdout(), md)
				return err
			}
			if err := atomicfile.WriteFile(out, []byte(md)); err != nil {
				return fmt.Errorf("write %s: %w", out, err)
			}
			fmt.Fprintln(cmd.ErrOrStderr(), "leaderboard:", out)
			return nil
		},
	}
	addRankBy(cmd.Flags(), &rankBy)
	cmd.Flags().StringVarP(&out, "out", "o", "", "write leaderboard.md to this file (default: stdout)")
	return cmd
}

// describeRows lists the methods and cells of rows, for an error message.
func describeRows(rows []experiment.Row) string {
	var methods, cells []string
	for _, r := range rows {
		if c := experiment.CellOf(r); !slices.Contains(cells, c) {
			cells = append(cells, c)
		}
		if !slices.Contains(methods, r.Method) {
			methods = append(methods, r.Method)
		}
	}
	return fmt.Sprintf("found methods %s in cells %s", strings.Join(methods, ", "), strings.Join(cells, ", "))
}
