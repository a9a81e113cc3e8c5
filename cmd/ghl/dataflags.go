package main

import (
	"math"

	"github.com/ghl-dev/ghl/dataset"
	"github.com/ghl-dev/ghl/experiment"
	"github.com/ghl-dev/ghl/recording"
	"github.com/spf13/pflag"
)

// recordingFlags say how to read one recording file: every command that
// reads recordings (data inspect, train, reproduce, predict, eval) takes
// them with the same names and meanings.
type recordingFlags struct {
	inputRate float64
	variable  string
	channel   int
}

func (r *recordingFlags) register(fl *pflag.FlagSet) {
	fl.Float64Var(&r.inputRate, "input-rate", 0, "sampling rate in Hz of the recordings (wins over rate.txt and what the files say)")
	fl.StringVar(&r.variable, "variable", "", "MAT variable or CSV column to read (default: the only/first numeric vector)")
	fl.IntVar(&r.channel, "channel", 0, "WAV channel to read (0-based)")
}

// check returns a usage error for a negative channel or a bad rate.
func (r *recordingFlags) check() error {
	if r.channel < 0 {
		return usageError("--channel must be ≥ 0, got %d", r.channel)
	}
	if !(r.inputRate >= 0) || math.IsInf(r.inputRate, 0) {
		return usageError("--input-rate %g: want a positive rate in Hz (or 0: from the files)", r.inputRate)
	}
	return nil
}

// options returns the recording options of the flags.
func (r *recordingFlags) options() recording.Options {
	return recording.Options{Variable: r.variable, Channel: r.channel}
}

// dataFlags are the flags that say how data inspect, train and reproduce
// read a data folder and cut it into windows.
type dataFlags struct {
	recordingFlags
	window          int
	rate            float64
	norm            string
	skipBad, strict bool
	noLowPass       bool
	gap             int
	synthSeed       uint64
}

func (d *dataFlags) register(fl *pflag.FlagSet) {
	d.recordingFlags.register(fl)
	fl.IntVar(&d.window, "window", dataset.DefaultWindow, "window length in points")
	fl.Float64Var(&d.rate, "rate", dataset.DefaultRate, "common sampling rate in Hz every recording is resampled to")
	fl.StringVar(&d.norm, "norm", dataset.NormZScore, "per-window normalisation: zscore, rms, minmax or none")
	fl.BoolVar(&d.skipBad, "skip-bad", false, "list and skip unreadable files instead of failing")
	fl.BoolVar(&d.strict, "strict", false, "fail when a CWRU file differs from the catalogued checksum or length")
	fl.BoolVar(&d.noLowPass, "no-lowpass", false, "do not low-pass every recording at the resampler's passband edge")
	fl.IntVar(&d.gap, "gap", 0, "points between training and validation windows (default: one window)")
	fl.Uint64Var(&d.synthSeed, "synth-seed", 1, "seed of the built-in simulated dataset (without a data folder)")
}

// options checks the flags and returns the loading options.
func (d *dataFlags) options() (experiment.LoadOptions, error) {
	if err := d.check(); err != nil {
		return experiment.LoadOptions{}, err
	}
	if d.rate <= 0 || d.window <= 0 {
		// Zero would select a default inside dataset; on the command line
		// it is a mistake.
		return experiment.LoadOptions{}, usageError("--rate and --window must be positive (got %g, %d)", d.rate, d.window)
	}
	return experiment.LoadOptions{
		Load:      dataset.LoadOptions{Rate: d.inputRate, Variable: d.variable, Channel: d.channel, SkipBad: d.skipBad, Strict: d.strict},
		Build:     dataset.BuildOptions{Window: d.window, Rate: d.rate, NoLowPass: d.noLowPass, Norm: d.norm, Gap: d.gap},
		SynthSeed: d.synthSeed,
	}, nil
}
