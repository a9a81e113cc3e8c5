package main

import (
	"github.com/ghl-dev/ghl/dataset"
	"github.com/ghl-dev/ghl/experiment"
	"github.com/spf13/pflag"
)

// dataFlags are the flags that say how train and reproduce read a data
// folder and cut it into windows (the same ones 'ghl data inspect' takes).
type dataFlags struct {
	window          int
	rate, inputRate float64
	variable, norm  string
	channel         int
	skipBad, strict bool
	noLowPass       bool
	gap             int
	synthSeed       uint64
}

func (d *dataFlags) register(fl *pflag.FlagSet) {
	fl.IntVar(&d.window, "window", dataset.DefaultWindow, "window length in points")
	fl.Float64Var(&d.rate, "rate", dataset.DefaultRate, "common sampling rate in Hz every recording is resampled to")
	fl.Float64Var(&d.inputRate, "input-rate", 0, "sampling rate in Hz of a user folder's files (wins over rate.txt and the files)")
	fl.StringVar(&d.variable, "variable", "", "MAT variable or CSV column to read from a user folder's files (default: the only/first numeric vector)")
	fl.IntVar(&d.channel, "channel", 0, "WAV channel to read from a user folder's files (0-based)")
	fl.StringVar(&d.norm, "norm", dataset.NormZScore, "per-window normalisation: zscore, rms, minmax or none")
	fl.BoolVar(&d.skipBad, "skip-bad", false, "list and skip unreadable files instead of failing")
	fl.BoolVar(&d.strict, "strict", false, "fail when a CWRU file differs from the catalogued checksum or length")
	fl.BoolVar(&d.noLowPass, "no-lowpass", false, "do not low-pass every recording at the resampler's passband edge")
	fl.IntVar(&d.gap, "gap", 0, "points between training and validation windows (default: one window)")
	fl.Uint64Var(&d.synthSeed, "synth-seed", 1, "seed of the built-in simulated dataset (without --data)")
}

// options checks the flags and returns the loading options.
func (d *dataFlags) options() (experiment.LoadOptions, error) {
	if d.channel < 0 {
		return experiment.LoadOptions{}, usageError("--channel must be ≥ 0, got %d", d.channel)
	}
	if d.inputRate < 0 || d.rate <= 0 || d.window <= 0 {
		return experiment.LoadOptions{}, usageError("--rate and --window must be positive, --input-rate ≥ 0 (got %g, %d, %g)", d.rate, d.window, d.inputRate)
	}
	return experiment.LoadOptions{
		Load:      dataset.LoadOptions{Rate: d.inputRate, Variable: d.variable, Channel: d.channel, SkipBad: d.skipBad, Strict: d.strict},
		Build:     dataset.BuildOptions{Window: d.window, Rate: d.rate, NoLowPass: d.noLowPass, Norm: d.norm, Gap: d.gap},
		SynthSeed: d.synthSeed,
	}, nil
}
