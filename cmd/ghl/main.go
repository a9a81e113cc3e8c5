// Command ghl trains and evaluates fault-diagnosis models on imbalanced
// vibration data with the gradient harmonized loss and its baselines.
//
// Run "ghl --help" for the subcommands. Exit codes: 0 success, 1 any other
// failure, 2 a usage error (unknown flag, bad option value), 3 bad input data
// (a corrupt recording, an empty class folder, NaN samples).
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"runtime/pprof"
	"syscall"

	"github.com/ghl-dev/ghl"
	"github.com/ghl-dev/ghl/nn"
	"github.com/spf13/cobra"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	root := newRootCmd()
	stopProfile := startProfile(os.Getenv("GHL_CPUPROFILE"))
	err := root.ExecuteContext(ctx)
	stopProfile()
	if err != nil {
		fmt.Fprintln(os.Stderr, "ghl:", err)
	}
	os.Exit(exitCode(err))
}

// startProfile writes a CPU profile of the whole run to path (for 'go tool
// pprof'; nothing when path is empty) and returns the function that ends it.
func startProfile(path string) (stop func()) {
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path)
	if err == nil {
		err = pprof.StartCPUProfile(f)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "ghl: GHL_CPUPROFILE:", err)
		return func() {}
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}
}

// exitCode maps an error to the documented exit status.
func exitCode(err error) int {
	switch {
	case err == nil:
		return 0
	case errors.Is(err, ghl.ErrUsage):
		return 2
	case errors.Is(err, ghl.ErrBadInput):
		return 3
	default:
		return 1
	}
}

func newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:   "ghl",
		Short: "Train fault-diagnosis models on imbalanced vibration data with the gradient harmonized loss",
		Long: `ghl trains 1-D CNN fault-diagnosis models on heavily imbalanced vibration data
(many healthy recordings, few fault recordings) with the gradient harmonized loss
(GHL) of Ren et al. and its baselines, and reproduces the paper's experiment.

Without --data, commands run on a built-in simulated bearing dataset.`,
		Version:       version(),
		SilenceUsage:  true,
		SilenceErrors: true,
		Args:          argsUsage(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			return cmd.Help()
		},
		// A GHL_KERNEL override the CPU cannot follow stops every command,
		// so no timing is silently made on another kernel path.
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			if err := nn.KernelError(); err != nil {
				return usageError("%v", err)
			}
			return nil
		},
	}
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return usageError("%v\nRun '%s --help' for usage.", err, c.CommandPath())
	})
	root.AddCommand(
		newDataCmd(),
		newBenchCmd(),
		newTrainCmd(),
		newReproduceCmd(),
		newPlanCmd(),
		newTrialCmd(),
		newAggregateCmd(),
		newLeaderboardCmd(),
		newReportCmd(),
		newPredictCmd(),
		newEvalCmd(),
		newExportCmd(),
	)
	return root
}

// usageError returns an error that makes ghl exit with code 2.
func usageError(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ghl.ErrUsage, fmt.Sprintf(format, args...))
}

// argsUsage wraps a cobra positional-argument validator so that its errors
// are usage errors (exit code 2).
func argsUsage(v cobra.PositionalArgs) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if err := v(cmd, args); err != nil {
			return usageError("%v", err)
		}
		return nil
	}
}
