package main

import (
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strings"

	"github.com/ghl-dev/ghl/dataset"
	"github.com/ghl-dev/ghl/experiment"
	"github.com/ghl-dev/ghl/recording"
	"github.com/spf13/pflag"
)

// recordingFlags say how to read recording files and windowed-dataset
// files: every command that reads data (data inspect, train, reproduce,
// predict, eval) takes them with the same names and meanings. Every number
// that selects something counts from 0.
type recordingFlags struct {
	inputRate       float64
	variable        string
	channel         int
	csvDelimiter    string
	decimalComma    bool
	allowIncreasing bool
	windows, labels string
	classNames      string
	independent     bool
	rpm             float64
	fl              *pflag.FlagSet
}

func (r *recordingFlags) register(fl *pflag.FlagSet) {
	r.fl = fl
	fl.Float64Var(&r.inputRate, "input-rate", 0, "sampling rate in Hz of the recordings; wins over every other source, in this order: --input-rate, rate.txt (class folder, then data folder; beside the file for predict), the model file, a rate the file states (WAV header; a .mat scalar named fs, sr, sample_rate, SamplingRate… — never 'rate'), the CWRU catalog")
	fl.StringVar(&r.variable, "variable", "", "what to read, by name: a .mat variable path (x, s.data, s(2).data, c{3}) or a CSV header name (default: the only/first numeric vector; a CSV column by number is --channel)")
	fl.IntVar(&r.channel, "channel", 0, "channel to read, 0-based like every selector: a WAV channel, a CSV column (0 = first), or a channel of a 2-D .npy/.mat array (along its shorter side); a CSV file of several columns or a matrix needs it (or --variable)")
	fl.StringVar(&r.csvDelimiter, "csv-delimiter", "auto", `CSV field separator: auto (';', else ',', else tab on the first line, else white space), ",", ";", tab or space`)
	fl.BoolVar(&r.decimalComma, "decimal-comma", false, `read CSV numbers with a decimal comma ("0,5"); detected without this flag only in ';'-separated files whose numbers never have a point`)
	fl.BoolVar(&r.allowIncreasing, "allow-increasing", false, "read a strictly increasing signal (refused by default: it is a time or index column, not vibration)")
	fl.StringVar(&r.windows, "windows", "", "windowed dataset (--data FILE.mat/.npy/.npz): the N × L matrix of windows, one per row (default: the only matrix)")
	fl.StringVar(&r.labels, "labels", "", "windowed dataset: the vector of N labels; for .npy a second .npy file, relative to the data file (default: the only vector of N elements; labels.npy for .npy)")
	fl.Float64Var(&r.rpm, "rpm", 0, "shaft speed of the recordings in rpm, for the order domain (--domain order); wins over an rpm.txt file (class folder, then data folder; beside the file for predict) and the CWRU catalog's nominal speed of each load")
	fl.BoolVar(&r.independent, "independent-windows", false, "windowed dataset: the windows are not one recording per class cut back to back (they overlap, or come from several recordings): each gives one window and the split counts whole windows in file order (default: contiguous, joined and split in time)")
	fl.StringVar(&r.classNames, "class-names", "", "windowed dataset: comma-separated class names in order of ascending label value (default: FILE.classes.txt or classes.txt beside the file, one per line, else the label values)")
}

// check returns a usage error for a negative channel, a bad rate or an
// unknown separator.
func (r *recordingFlags) check() error {
	if r.channel < 0 {
		return usageError("--channel must be ≥ 0 (channels count from 0), got %d", r.channel)
	}
	if !(r.inputRate >= 0) || math.IsInf(r.inputRate, 0) {
		return usageError("--input-rate %g: want a positive rate in Hz (or 0: from the files)", r.inputRate)
	}
	if _, err := r.delimiter(); err != nil {
		return err
	}
	if !(r.rpm >= 0) || math.IsInf(r.rpm, 0) {
		return usageError("--rpm %g: want a positive shaft speed in revolutions per minute (or 0: from rpm.txt or the CWRU catalog)", r.rpm)
	}
	return nil
}

// delimiter returns the CSV separator of --csv-delimiter (0: detect).
func (r *recordingFlags) delimiter() (rune, error) {
	switch strings.ToLower(r.csvDelimiter) {
	case "", "auto":
		return 0, nil
	case ",", "comma":
		return ',', nil
	case ";", "semicolon":
		return ';', nil
	case "tab", "\t", `\t`:
		return '\t', nil
	case "space", " ", "whitespace":
		return ' ', nil
	}
	return 0, usageError("--csv-delimiter %q: want auto, \",\", \";\", tab or space", r.csvDelimiter)
}

// options returns the recording options of the flags (check first).
func (r *recordingFlags) options() recording.Options {
	d, _ := r.delimiter()
	return recording.Options{Variable: r.variable, Channel: r.channel, PickChannel: r.fl != nil && r.fl.Changed("channel"),
		Delimiter: d, DecimalComma: r.decimalComma, AllowIncreasing: r.allowIncreasing}
}

// loadOptions returns how dataset.Load reads a folder or a windowed file
// with these flags (check first).
func (r *recordingFlags) loadOptions() dataset.LoadOptions {
	var names []string
	for _, n := range strings.Split(r.classNames, ",") {
		if n = strings.TrimSpace(n); n != "" {
			names = append(names, n)
		}
	}
	return dataset.LoadOptions{Rate: r.inputRate, RPM: r.rpm, Read: r.options(),
		Windows: dataset.WindowOptions{WindowsOptions: recording.WindowsOptions{Data: r.windows, Labels: r.labels}, Classes: names, Independent: r.independent}}
}

// resolveRate sets the sampling rate of a recording read on its own (by
// predict) with dataset.ResolveRate: --input-rate, a rate.txt beside the
// file, modelRate (the model file's contract, 0: none), the rate the file
// states, the CWRU catalog. It writes where the rate came from, and any
// note, to w.
func (r *recordingFlags) resolveRate(rec *recording.Recording, modelRate float64, w io.Writer) error {
	sidecar, sidecarPath, err := dataset.SidecarRate(filepath.Dir(rec.Path))
	if err != nil {
		return err
	}
	rate, err := dataset.ResolveRate(rec, len(rec.Samples), dataset.RateInputs{Flag: r.inputRate, Sidecar: sidecar, SidecarPath: sidecarPath, Model: modelRate})
	if err != nil {
		return err
	}
	rec.Rate = rate.Hz
	fmt.Fprintf(w, "%s: sampling rate %s\n", rec.Path, rate)
	for _, n := range rate.Notes {
		fmt.Fprintln(w, "note:", n)
	}
	for _, n := range rec.Notes {
		fmt.Fprintf(w, "note: %s: %s\n", rec.Path, n)
	}
	return nil
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
	domain          string
}

func (d *dataFlags) register(fl *pflag.FlagSet) {
	d.recordingFlags.register(fl)
	fl.IntVar(&d.window, "window", dataset.DefaultWindow, "window length in points")
	fl.Float64Var(&d.rate, "rate", dataset.DefaultRate, "common sampling rate in Hz every recording is resampled to")
	fl.StringVar(&d.norm, "norm", dataset.NormZScore, "per-window normalisation: zscore, rms, minmax or none; or recording: z-score with the whole recording's mean and spread (windows keep their relative level)")
	fl.BoolVar(&d.skipBad, "skip-bad", false, "list and skip unreadable files instead of failing")
	fl.BoolVar(&d.strict, "strict", false, "fail when a CWRU file differs from the catalogued checksum or length")
	fl.BoolVar(&d.noLowPass, "no-lowpass", false, "do not low-pass every recording at the resampler's passband edge")
	fl.IntVar(&d.gap, "gap", 0, "points between training and validation windows (default: one window)")
	fl.StringVar(&d.domain, "domain", "time", "time, or order: resample every recording by its shaft speed (--rpm, rpm.txt, the CWRU catalog) as if it turned at 1800 rpm, so fault lines stay put when the speed changes; kept in the model file")
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
	load := d.loadOptions()
	load.SkipBad, load.Strict = d.skipBad, d.strict
	order, err := orderRPM(d.domain)
	if err != nil {
		return experiment.LoadOptions{}, err
	}
	return experiment.LoadOptions{
		Load:      load,
		Build:     dataset.BuildOptions{Window: d.window, Rate: d.rate, NoLowPass: d.noLowPass, Norm: d.norm, Gap: d.gap, OrderRPM: order},
		SynthSeed: d.synthSeed,
	}, nil
}
