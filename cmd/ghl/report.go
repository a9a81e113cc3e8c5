package main

import (
	"fmt"
	"os"

	"github.com/ghl-dev/ghl/report"
	"github.com/spf13/cobra"
)

// newReportCmd returns "ghl report": the HTML report of a results folder.
func newReportCmd() *cobra.Command {
	var out, figures string
	cmd := &cobra.Command{
		Use:   "report RESULTS_DIR",
		Short: "Write a self-contained HTML report of a results folder",
		Long: `report reads a results folder written by "ghl reproduce" (trials/*.json,
summary.json, and ablation.json or ablation.md if present) and writes one
self-contained HTML file: the Table III comparison with the paper's numbers
beside ours, paired comparisons across seeds, per-class recall, false-alarm
and missed-fault rates, the figures (Fig. 2 thresholds, Fig. 3 gradient
angles, learning curves, accuracy per method, confusion matrices), the
ablation tables and the exact command and versions that produced the
results. Figures are inlined; the page loads nothing from the network.

A partial folder (a run still going, or stopped) is reported as it is, and
the page says what is missing. The file is written atomically.

By default the report is RESULTS_DIR/report.html; --out writes it elsewhere.
--figures DIR also saves each figure as PNG and SVG files (for a README or
a paper).`,
		Example: `  ghl reproduce --quick --out results
  ghl report results                  # writes results/report.html
  ghl report results --out /tmp/r.html --figures /tmp/figs`,
		Args: argsUsage(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			// Refuse unusable output paths before writing anything, so a
			// failed run leaves no report behind.
			if st, err := os.Stat(out); out != "" && err == nil && st.IsDir() {
				return usageError("--out %s is a folder: give the HTML file to write", out)
			}
			if st, err := os.Stat(figures); figures != "" && err == nil && !st.IsDir() {
				return usageError("--figures %s is a file: give a folder for the figures", figures)
			}
			path := out
			var err error
			if path == "" {
				path, err = report.Write(args[0])
			} else {
				err = report.WriteFile(args[0], path)
			}
			if err != nil {
				return err
			}
			fmt.Fprintln(cmd.OutOrStdout(), path)
			if figures == "" {
				return nil
			}
			r, err := report.Load(args[0])
			if err != nil {
				return err
			}
			notes, err := report.SaveFigures(r, figures)
			for _, n := range notes {
				fmt.Fprintln(cmd.ErrOrStderr(), "ghl report:", n)
			}
			return err
		},
	}
	cmd.Flags().StringVar(&out, "out", "", "write the report to this file (default RESULTS_DIR/report.html)")
	cmd.Flags().StringVar(&figures, "figures", "", "also write every figure as NAME.png and NAME.svg into this folder")
	return cmd
}
