package main

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/ghl-dev/ghl/nn"
	"github.com/spf13/cobra"
)

// newBenchCmd returns "ghl bench": the training and inference throughput
// of the DCNN on this machine.
func newBenchCmd() *cobra.Command {
	var cfg nn.BenchConfig
	var asJSON, peak bool
	cmd := &cobra.Command{
		Use:   "bench",
		Short: "Measure how fast the DCNN trains and predicts on this machine",
		Long: `bench trains the paper's DCNN (1024-sample windows, 12 classes) on random data
for a fixed number of steps and reports the throughput. Every sample of every
step is forwarded AND back-propagated (no elimination), with the paper's loss
(mean squared error on the softmax output) and Adam, so one sample costs a
fixed number of floating-point operations (about 12.1 MFLOP, printed). It then
times inference (forward only) on the same batch, and reports the peak
resident memory of the process.

One untimed warm-up step comes first. Throughput depends on everything else
running on the machine: run it on an idle machine to compare figures.

Defaults: --batch 256, --steps 20, --threads = number of CPUs Go uses.`,
		Example: `  ghl bench
  ghl bench --batch 3904 --steps 5 --json
  ghl bench --threads 1 --peak`,
		Args: argsUsage(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			if cfg.Batch < 1 || cfg.Steps < 1 || cfg.Threads < 0 {
				return usageError("--batch and --steps must be at least 1 and --threads at least 0 (0 = all CPUs)")
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "bench: batch %d, %d steps, kernel %s...\n", cfg.Batch, cfg.Steps, nn.KernelName())
			res, err := nn.Bench(cfg)
			if err != nil {
				return err
			}
			var peakGF float64
			if peak {
				fmt.Fprintln(cmd.ErrOrStderr(), "bench: measuring the FMA peak...")
				peakGF = nn.PeakGFLOPS(2 * time.Second)
			}
			out := cmd.OutOrStdout()
			if asJSON {
				v := struct {
					nn.BenchResult
					PeakGFLOPS float64 `json:"peak_gflops,omitempty"`
				}{res, peakGF}
				b, err := json.Marshal(v)
				if err != nil {
					return err
				}
				fmt.Fprintln(out, string(b))
				return nil
			}
			fmt.Fprintf(out, "kernel          %s, %d threads\n", res.Kernel, res.Threads)
			fmt.Fprintf(out, "train           %.0f samples/s, %.1f GFLOP/s (batch %d, %.2f MFLOP/sample)\n",
				res.SamplesPerSec, res.GFLOPS, res.Batch, res.TrainFLOPs/1e6)
			fmt.Fprintf(out, "infer           %.0f samples/s, %.1f GFLOP/s (%.2f MFLOP/sample)\n",
				res.InferSamplesPerSec, res.InferGFLOPS, res.InferFLOPs/1e6)
			if peakGF > 0 {
				fmt.Fprintf(out, "FMA peak        %.1f GFLOP/s: training at %.0f %% of it\n", peakGF, 100*res.GFLOPS/peakGF)
			}
			fmt.Fprintf(out, "peak memory     %.0f MiB\n", float64(res.PeakRSSBytes)/(1<<20))
			return nil
		},
	}
	f := cmd.Flags()
	f.IntVar(&cfg.Batch, "batch", 256, "samples per training step")
	f.IntVar(&cfg.Steps, "steps", 20, "timed training steps (and inference passes)")
	f.IntVar(&cfg.Threads, "threads", 0, "goroutines to use (0: all CPUs)")
	f.Uint64Var(&cfg.Seed, "seed", 1, "seed of the weights and the random data")
	f.BoolVar(&asJSON, "json", false, `print one JSON object: {"batch", "samples_per_sec", "gflops", "kernel", "infer_samples_per_sec", "peak_rss_bytes", ...}`)
	f.BoolVar(&peak, "peak", false, "also measure the two-core FMA peak (2 s) and the fraction of it training reaches")
	return cmd
}
