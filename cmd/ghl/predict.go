package main

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/ghl-dev/ghl"
	"github.com/ghl-dev/ghl/dataset"
	"github.com/ghl-dev/ghl/nn"
	"github.com/ghl-dev/ghl/openset"
	"github.com/ghl-dev/ghl/recording"
	"github.com/spf13/cobra"
)

// newPredictCmd returns "ghl predict": class probabilities for new
// recordings from a saved model.
func newPredictCmd() *cobra.Command {
	var (
		asJSON, perWindow, openSet bool
		threads                    int
		healthy                    string
		rf                         recordingFlags
	)
	cmd := &cobra.Command{
		Use:   "predict MODEL RECORDING...",
		Short: "Classify recordings with a saved model",
		Long: `predict loads a model file written by 'ghl train' and classifies each recording
(.mat, .csv, .npy or .wav) the way the model's training windows were made:
resampled to the model's rate with an anti-aliasing filter, low-passed at the
same band edge as the training data, cut into non-overlapping windows of the
model's length (back to back, ending at the recording's last sample) and
normalised per window as in training.

For each recording it prints the vote over its windows: the class most windows
were given, the share of windows that gave it and the mean probability of that
class over all windows. --per-window prints every window's class
probabilities instead (start time in seconds at the model's rate).

The sampling rate of each recording is, in this order: --input-rate, a
rate.txt beside the file, the model file's input rate (kept when training was
given one by --input-rate or rate.txt), the rate the file states (WAV header; a .mat scalar
named as a sampling rate: fs, sr, sample_rate, SamplingRate…, never 'rate'),
the CWRU catalog for CWRU files (e.g. 105.mat: 12 kHz). Where it came from is
printed; none of them is an error, and so is a rate that makes the recording
implausible (below 1000 Hz, or longer than a day) unless given explicitly.

The recordings are read as the model's training recordings were (the model
file's data contract: variable, channel, CSV options, input rate); no data
flag is needed, and a flag that contradicts the contract is obeyed with a
warning.

--open-set calls a window "unknown" when its novelty score lies above the
threshold 'ghl train' calibrated on validation windows of the known classes
(score "distance": of the time-pooled convolution features to the nearest
class mean; "energy": -log Σ exp of the logits); a recording with more than
half its windows unknown is reported "unknown": none of the model's classes.

Output: a table by default; --json writes one JSON document. Probabilities are
the softmax of the model's logits; the same model and recording give
bit-identical probabilities on any machine that uses the same kernel path
(printed: avx512, avx2 or purego) and any number of threads.`,
		Example: `  ghl predict model.ghl 105.mat 130.mat
  ghl predict model.ghl pump.wav --per-window
  ghl predict model.ghl signal.csv --input-rate 25600 --json
  ghl predict model.ghl new-machine.wav --open-set`,
		Args: argsUsage(cobra.MinimumNArgs(2)),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := rf.check(); err != nil {
				return err
			}
			model, meta, opt, err := loadModel(args[0], threads)
			if err != nil {
				return swappedArgs(err, args)
			}
			use, err := useModel(cmd.Flags(), args[0], model.Model, meta, healthy, openSet, cmd.ErrOrStderr())
			if err != nil {
				return err
			}
			classes, h, oset, modelRate := use.classes, use.healthy, use.openSet, use.modelRate
			out := predictOutput{OpenSet: oset, Model: args[0], Classes: classes, RateHz: opt.Rate, Window: opt.Window,
				Normalisation: opt.Norm, LowPass: !opt.NoLowPass, Kernel: nn.KernelName()}
			if h >= 0 {
				out.Healthy = classes[h]
			}
			for _, path := range args[1:] {
				if st, err := os.Stat(path); err == nil && st.IsDir() {
					return usageError("%s is a folder: predict takes recording files (.mat, .csv, .npy, .wav); 'ghl eval' measures a labelled folder", path)
				}
				rec, err := recording.Read(path, rf.options())
				if err != nil {
					return inputError(err)
				}
				if err := rf.resolveRate(rec, modelRate, cmd.ErrOrStderr()); err != nil {
					return inputError(err)
				}
				rpm, err := rf.recordingRPM(rec.Path, opt.OrderRPM > 0)
				if err != nil {
					return err
				}
				s, err := recordingWindows(rec, rpm, opt)
				if err != nil {
					return err
				}
				probs, logits, err := probabilities(model, s)
				if err != nil {
					return fmt.Errorf("predict %s: %w", path, err)
				}
				var unknown []bool
				var scores []float64
				if oset != nil {
					if unknown, scores, _, err = unknownWindows(model, s, logits, oset); err != nil {
						return fmt.Errorf("predict %s: %w", path, err)
					}
				}
				out.Recordings = append(out.Recordings, vote(path, rec, s, probs, classes, opt.Rate, perWindow, unknown, scores))
				out.Recordings[len(out.Recordings)-1].HealthyShare = healthyShare(out.Recordings[len(out.Recordings)-1].Votes, h)
			}
			w := cmd.OutOrStdout()
			if asJSON {
				enc := json.NewEncoder(w)
				enc.SetIndent("", "  ")
				return enc.Encode(out)
			}
			printPredictions(w, out, perWindow)
			return nil
		},
	}
	f := cmd.Flags()
	f.BoolVar(&asJSON, "json", false, "write JSON instead of a table")
	f.BoolVar(&perWindow, "per-window", false, "print every window's class probabilities")
	f.BoolVar(&openSet, "open-set", false, openSetHelp)
	f.StringVar(&healthy, "healthy", "", "name of the healthy class (default: the model file's)")
	rf.register(f)
	f.IntVar(&threads, "threads", 0, "engine threads (default: number of cores)")
	return cmd
}

// predictOutput is the JSON document of ghl predict.
type predictOutput struct {
	Model   string   `json:"model"`
	Classes []string `json:"classes"`
	// Healthy is the healthy class ("": none).
	Healthy       string  `json:"healthy,omitempty"`
	RateHz        float64 `json:"rate_hz"`
	Window        int     `json:"window"`
	Normalisation string  `json:"normalisation"`
	LowPass       bool    `json:"lowpass"`
	// Kernel is the compute kernel path: the same file, model and kernel
	// path give bit-identical probabilities on any machine.
	Kernel string `json:"kernel"`
	// OpenSet is the threshold applied (--open-set), nil without.
	OpenSet    *nn.OpenSet        `json:"open_set,omitempty"`
	Recordings []recordingPredict `json:"recordings"`
}

// recordingPredict is one recording's prediction.
type recordingPredict struct {
	Path   string  `json:"path"`
	RateHz float64 `json:"rate_hz"`
	// Windows is the number of windows classified.
	Windows int `json:"windows"`
	// Class is the vote: the class given to most windows (ties: the one
	// with the higher mean probability); with --open-set "unknown" when
	// more than half the windows are unknown.
	Class string `json:"class"`
	// Share is the fraction of windows given Class.
	Share float64 `json:"share"`
	// Probability is Class's mean probability over all windows (for
	// "unknown": that of the known class most windows were given).
	Probability float64 `json:"probability"`
	// Votes counts the windows given each class, in class order; windows
	// called unknown are counted in Unknown instead.
	Votes   []int `json:"votes"`
	Unknown int   `json:"unknown_windows"`
	// MeanProbabilities is each class's mean probability over the windows.
	MeanProbabilities []float64 `json:"mean_probabilities"`
	// HealthyShare is the share of windows called the healthy class
	// (the model's healthy class, --healthy or its contract; 0 when it has none): for a recording
	// of a known fault, its missed-fault rate.
	HealthyShare float64        `json:"healthy_share"`
	PerWindow    []windowResult `json:"per_window,omitempty"`
}

// windowResult is one window's prediction.
type windowResult struct {
	// Start is the window's start in seconds (at the model's rate).
	Start         float64   `json:"start_s"`
	Class         string    `json:"class"`
	Probabilities []float64 `json:"probabilities"`
	// Novelty is the open-set score (--open-set only).
	Novelty *float64 `json:"novelty,omitempty"`
}

// loadModel loads a model file and returns the model (using threads
// engine threads when > 0), its metadata and the windowing of its
// training data, with the input representation it was trained on.
func loadModel(path string, threads int) (*inputModel, *nn.Metadata, dataset.BuildOptions, error) {
	model, meta, err := nn.Load(path)
	if err != nil {
		return nil, nil, dataset.BuildOptions{}, inputError(err)
	}
	if threads > 0 {
		model.SetThreads(threads)
	}
	opt, err := modelBuildOptions(model, meta)
	if err != nil {
		return nil, nil, opt, fmt.Errorf("model %s: %w", path, err)
	}
	im, err := withInput(model, meta, opt.Window)
	if err != nil {
		return nil, nil, opt, fmt.Errorf("model %s: %w", path, err)
	}
	return im, meta, opt, nil
}

// inputError makes a file the user named that cannot be opened or read (a
// missing model or recording, a folder given as a file, no permission) bad
// input data, exit code 3, as a missing data folder is; other errors are
// returned as they are.
func inputError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) && !errors.Is(err, ghl.ErrBadInput) && !errors.Is(err, ghl.ErrUsage) {
		return fmt.Errorf("%w: %w", ghl.ErrBadInput, err)
	}
	return err
}

// modelClasses returns the model's class names, or "class0", … when the
// file has none.
func modelClasses(m *nn.Model, meta *nn.Metadata) []string {
	if len(meta.Classes) == m.Classes() {
		return meta.Classes
	}
	out := make([]string, m.Classes())
	for i := range out {
		out[i] = fmt.Sprintf("class%d", i)
	}
	return out
}

// modelBuildOptions returns the windowing of the model's training data,
// from its metadata: rate, window length, normalisation and whether the
// common low-pass was applied (the contract's NoLowPass; format-1 files
// kept it as the training option "lowpass_hz", which nn.Load reads).
func modelBuildOptions(m *nn.Model, meta *nn.Metadata) (dataset.BuildOptions, error) {
	opt := dataset.BuildOptions{Window: meta.Window, Rate: meta.RateHz, Norm: meta.Normalisation}
	if opt.Window == 0 {
		opt.Window = m.InputLen()
	}
	spec, order, err := modelRepresentation(meta)
	if err != nil {
		return opt, err
	}
	opt.OrderRPM = order
	if spec.OutLen(opt.Window) != m.InputLen() {
		return opt, fmt.Errorf("%w: window %d in the metadata, input length %d in the model", ghl.ErrBadInput, opt.Window, m.InputLen())
	}
	if opt.Rate == 0 {
		opt.Rate = dataset.DefaultRate
	}
	opt.NoLowPass = meta.Contract.NoLowPass
	return opt, nil
}

// recordingWindows cuts one recording into non-overlapping windows exactly
// as dataset.Build cuts test windows (resampling, low-pass, normalisation):
// it builds a one-recording, test-only sample set holding as many windows
// as fit, back to back and ending at the last sample.
// TODO: replace by a dataset function for inference windows when the
// dataset package exports one.
func recordingWindows(rec *recording.Recording, rpm float64, opt dataset.BuildOptions) (*dataset.Samples, error) {
	c := &dataset.Corpus{Name: "predict", Classes: []string{"?"},
		Recordings: []dataset.Labelled{{Class: "?", Recording: rec, RPM: rpm}}}
	n := int(float64(len(rec.Samples)) * opt.Rate / rec.Rate / float64(opt.Window))
	if n < 1 {
		return nil, fmt.Errorf("%s: %w: %d samples at %g Hz are shorter than one window of %d at %g Hz",
			rec.Path, ghl.ErrBadInput, len(rec.Samples), rec.Rate, opt.Window, opt.Rate)
	}
	var err error
	// The resampled length may round below the estimate: try one fewer.
	for try := 0; try < 3 && n >= 1; try, n = try+1, n-1 {
		var ss *dataset.SampleSet
		ss, err = dataset.Build(c, dataset.SetSpec{Name: "windows", Test: n}, opt)
		if err == nil {
			return &ss.Test, nil
		}
		if !errors.Is(err, ghl.ErrBadInput) { // "too short" is bad input; other errors will not go away
			break
		}
	}
	return nil, err
}

// probabilities returns the softmax class probabilities of every window,
// row-major (window i: [i*C, (i+1)*C)), and the logits they come from.
func probabilities(m *inputModel, s *dataset.Samples) ([]float64, []float32, error) {
	logits, err := m.Infer(m.inputs(s), s.Len(), nil)
	if err != nil {
		return nil, nil, err
	}
	c := m.Classes()
	p := make([]float64, len(logits))
	for i := 0; i < s.Len(); i++ {
		row := logits[i*c : (i+1)*c]
		mx := math.Inf(-1)
		for _, v := range row {
			mx = math.Max(mx, float64(v))
		}
		sum := 0.0
		for k, v := range row {
			p[i*c+k] = math.Exp(float64(v) - mx)
			sum += p[i*c+k]
		}
		for k := range row {
			p[i*c+k] /= sum
		}
	}
	return p, logits, nil
}

// argmax returns the index of the largest value (the first of ties).
func argmax[T cmp.Ordered](x []T) int {
	best := 0
	for i, v := range x {
		if v > x[best] {
			best = i
		}
	}
	return best
}

// vote sums one recording's window probabilities into its prediction.
// unknown, when not nil (--open-set), says which windows are unknown and
// scores their novelty: those windows vote for no class, and a recording
// with more than half of them is unknown.
func vote(path string, rec *recording.Recording, s *dataset.Samples, probs []float64, classes []string, rate float64, perWindow bool, unknown []bool, scores []float64) recordingPredict {
	c, n := len(classes), s.Len()
	r := recordingPredict{Path: path, RateHz: rec.Rate, Windows: n, Votes: make([]int, c), MeanProbabilities: make([]float64, c)}
	// The windows end at the last sample of the resampled recording.
	total := int(math.Round(float64(len(rec.Samples)) * rate / rec.Rate))
	first := max(0, total-n*s.L)
	for i := 0; i < n; i++ {
		row := probs[i*c : (i+1)*c]
		k := argmax(row)
		class := classes[k]
		if unknown != nil && unknown[i] {
			r.Unknown++
			class = unknownClass
		} else {
			r.Votes[k]++
		}
		for j, v := range row {
			r.MeanProbabilities[j] += v / float64(n)
		}
		if perWindow {
			pw := windowResult{Start: float64(first+i*s.L) / rate, Class: class, Probabilities: row}
			if scores != nil {
				pw.Novelty = &scores[i]
			}
			r.PerWindow = append(r.PerWindow, pw)
		}
	}
	best := 0
	for k := range r.Votes {
		if r.Votes[k] > r.Votes[best] || (r.Votes[k] == r.Votes[best] && r.MeanProbabilities[k] > r.MeanProbabilities[best]) {
			best = k
		}
	}
	r.Class, r.Share, r.Probability = classes[best], float64(r.Votes[best])/float64(n), r.MeanProbabilities[best]
	if openset.MostlyUnknown(r.Unknown, n) {
		r.Class, r.Share = unknownClass, float64(r.Unknown)/float64(n)
	}
	return r
}

// healthyShare returns the share of votes given to the healthy class h
// (0 when there is none).
func healthyShare(votes []int, h int) float64 {
	total := 0
	for _, v := range votes {
		total += v
	}
	if h < 0 || total == 0 {
		return 0
	}
	return float64(votes[h]) / float64(total)
}

// unknownClass is the class of a window or recording --open-set finds
// unlike every class of the model.
const unknownClass = "unknown"

// swappedArgs explains a model file that failed to load because the
// arguments are the wrong way round (a recording first, the model later).
func swappedArgs(err error, args []string) error {
	if !errors.Is(err, ghl.ErrBadInput) {
		return err
	}
	for _, a := range args[1:] {
		if _, _, lerr := nn.Load(a); lerr == nil {
			return fmt.Errorf("%w: %s is not a model file but %s is: the model comes first (ghl predict MODEL RECORDING...)", ghl.ErrBadInput, args[0], a)
		}
	}
	switch strings.ToLower(filepath.Ext(args[0])) {
	case ".mat", ".csv", ".npy", ".npz", ".wav", ".txt":
		return fmt.Errorf("%s looks like a recording, not a model file: the model comes first (ghl predict MODEL RECORDING...); loading it said: %w", args[0], err)
	}
	return err
}

// printPredictions writes the predictions as text.
func printPredictions(w io.Writer, out predictOutput, perWindow bool) {
	fmt.Fprintf(w, "model %s: %d classes, %d-point windows at %g Hz, %s normalisation, %s kernels\n",
		out.Model, len(out.Classes), out.Window, out.RateHz, out.Normalisation, out.Kernel)
	if o := out.OpenSet; o != nil {
		fmt.Fprintf(w, "open set: windows with a %s score above %.4g are unknown (calibrated to call at most %.3g of validation windows unknown)\n", o.Score, o.Threshold, o.FalseAlarmRate)
	}
	width := len(unknownClass)
	for _, c := range out.Classes {
		width = max(width, utf8.RuneCountInString(c))
	}
	for _, r := range out.Recordings {
		switch {
		case r.Class == unknownClass:
			fmt.Fprintf(w, "%s: unknown, none of the model's classes (%d of %d windows above the open-set threshold, %.0f %%)\n",
				r.Path, r.Unknown, r.Windows, 100*r.Share)
		default:
			fmt.Fprintf(w, "%s: %s  (%d of %d windows, %.0f %%; mean probability %.3f",
				r.Path, r.Class, r.Votes[slices.Index(out.Classes, r.Class)], r.Windows, 100*r.Share, r.Probability)
			if out.OpenSet != nil {
				fmt.Fprintf(w, "; %d unknown", r.Unknown)
			}
			fmt.Fprintln(w, ")")
			if h := slices.Index(out.Classes, out.Healthy); h >= 0 && r.Class != out.Healthy {
				fmt.Fprintf(w, "  windows called %s: %.1f %% (the missed-fault rate, if this recording is of a fault)\n", out.Healthy, 100*r.HealthyShare)
			}
		}
		if !perWindow {
			continue
		}
		fmt.Fprintf(w, "  %9s  %-*s", "start (s)", width, "class")
		for _, c := range out.Classes {
			fmt.Fprintf(w, " %*s", max(6, utf8.RuneCountInString(c)), c)
		}
		if out.OpenSet != nil {
			fmt.Fprintf(w, " %8s", "novelty")
		}
		fmt.Fprintln(w)
		for _, pw := range r.PerWindow {
			fmt.Fprintf(w, "  %9.3f  %-*s", pw.Start, width, pw.Class)
			for k, p := range pw.Probabilities {
				fmt.Fprintf(w, " %*.3f", max(6, utf8.RuneCountInString(out.Classes[k])), p)
			}
			if pw.Novelty != nil {
				fmt.Fprintf(w, " %8.3f", *pw.Novelty)
			}
			fmt.Fprintln(w)
		}
	}
}
