package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/ghl-dev/ghl/dataset"
	"github.com/ghl-dev/ghl/experiment"
	"github.com/ghl-dev/ghl/nn"
	"github.com/ghl-dev/ghl/openset"
	"github.com/ghl-dev/ghl/train"
	"github.com/spf13/cobra"
)

func newTrainCmd() *cobra.Command {
	var (
		data, set, method, out, healthy string
		openSetScore                    string
		seed, threads                   int
		falseAlarm                      float64
		quick, asJSON, verbose          bool
		df                              dataFlags
	)
	cmd := &cobra.Command{
		Use:   "train",
		Short: "Train one model on one sample set and save it",
		Long: `train trains one DCNN with one method on one sample set, keeps the weights with
the best validation macro-F1 (the validation block is the windows just before
the test windows of each recording), reports the metrics on the test windows, and
saves the model file for 'ghl predict', 'ghl eval' and 'ghl export'. The model
file carries the data contract: the class names, the healthy class, how the
recordings were read (variable, channel, input rate when you gave it), the
rate, window length, low-pass and normalisation, and an open-set threshold
(--open-set-rate) — so eval and predict need no data flags afterwards.

A method is a built-in name with optional ':key=value' overrides, e.g.
  dcnng:alpha=2:anneal=f1    dcnnc:batch=0:iters=150:base=mse
The published methods (see 'ghl reproduce --methods zoo --list') add the keys
  focus cw (focal), beta base=focal (cb), margin s drw (ldam-drw), tau (la),
  bins mmt (ghm), sampler k (ros, smote).
Methods: ` + strings.Join(experiment.MethodNames(), ", ") + `.
Keys, with their meaning and dcnng's default (full profile; the other mini-batch
methods share the training keys, the full-batch ones use batch=0, iters=150):
` + experiment.MethodKeysHelp("dcnng", experiment.Full) + `
Without --data it trains on the built-in simulated bearing dataset. Progress
goes to stderr: a self-rewriting line on a terminal, a line per tenth of the
epochs otherwise, every epoch's log with --verbose. Ctrl-C stops training
without writing the model.`,
		Example: `  ghl train --out model.ghl
  ghl train --data ../shared/data/cwru --set set2 --method dcnng --seed 3 --out m.ghl
  ghl train --data ROOT --set 'NC=400,*=40' --method dcnnc:lr=3e-3 --out m.ghl
  ghl train --data ROOT --healthy 'Normal Zustand' --out m.ghl`,
		Args: argsUsage(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			profile := experiment.Full
			if quick {
				profile = experiment.Quick
			}
			m, err := experiment.ParseMethod(method, profile)
			if err != nil {
				return err
			}
			lopt, err := df.options()
			if err != nil {
				return err
			}
			if openSetScore != openset.ScoreName && openSetScore != openset.DistanceName {
				return usageError("--open-set-score %q: want %s or %s", openSetScore, openset.DistanceName, openset.ScoreName)
			}
			if !(falseAlarm > 0 && falseAlarm < 1) {
				return usageError("--open-set-rate %g: want a share in (0, 1), e.g. 0.01", falseAlarm)
			}
			if out != "" {
				if st, err := os.Stat(filepath.Dir(out)); err != nil || !st.IsDir() {
					return usageError("--out %s: folder %s does not exist", out, filepath.Dir(out))
				}
				if st, err := os.Stat(out); err == nil && st.IsDir() {
					return usageError("--out %s is a folder; give a file name", out)
				}
			}
			stderr := cmd.ErrOrStderr()
			if data == "" {
				fmt.Fprintln(stderr, "no --data given: training on the built-in SIMULATED bearing dataset")
			}
			loaded, err := experiment.LoadSets(data, []string{set}, lopt)
			if err != nil {
				return err
			}
			for _, n := range loaded.Notes {
				fmt.Fprintln(stderr, "data:", n)
			}
			sd := loaded.Sets[set]
			if healthy != "" {
				if sd.Healthy, err = healthyLabel(healthy, sd.Set.Classes); err != nil {
					return err
				}
			}
			cell := experiment.Cell{Set: set, Method: m, Seed: seed}
			unit := epochUnit(m.Train)
			cell.Method.Train.Progress = trainProgress(stderr, m, unit, sd.Set.Train.Len(), verbose)
			start := time.Now()
			var model *nn.Model
			et := experiment.EngineTrainer{ModelOut: func(_ experiment.Cell, mm *nn.Model) error { model = mm; return nil }}
			res, pred, err := et.Train(cmd.Context(), cell, sd, threads)
			if isTerminal(stderr) && !verbose {
				fmt.Fprint(stderr, "\r\033[K")
			}
			if err != nil {
				if cmd.Context().Err() != nil {
					return errors.New("interrupted: training stopped, no model written")
				}
				return err
			}
			metrics := train.Evaluate(pred, sd.Test.Y, sd.Set.Classes, sd.Healthy)
			meta := modelMeta(cell, loaded, lopt)
			meta.Training["best_iter"] = fmt.Sprint(res.BestIter)
			meta.Contract.Healthy = ""
			if sd.Healthy >= 0 {
				meta.Contract.Healthy = sd.Set.Classes[sd.Healthy]
			}
			if err := addOpenSet(&meta, model, &sd.Set, openSetScore, falseAlarm); err != nil {
				return err
			}
			if out != "" {
				if err := nn.Save(out, model, meta); err != nil {
					return err
				}
			}
			if asJSON {
				enc := json.NewEncoder(cmd.OutOrStdout())
				enc.SetIndent("", "  ")
				return enc.Encode(map[string]any{"set": set, "method": m.Name, "seed": seed, "model": out,
					"best_iter": res.BestIter, "iterations": res.Iterations, "iteration_unit": unit,
					"wall_seconds": time.Since(start).Seconds(), "test": metrics, "val": res.Val, "val_shift": res.ValShift, "open_set": meta.Contract.OpenSet})
			}
			w := cmd.OutOrStdout()
			shifted := ""
			if res.ValShift != nil {
				shifted = fmt.Sprintf(", shifted val %.3f", res.ValShift.MacroF1)
			}
			fmt.Fprintf(w, "%s on %s, seed %d: %d %s, best at %d (val macro-F1 %.3f%s), %s\n",
				m.Name, set, seed, res.Iterations, unit, res.BestIter, res.BestValF1, shifted, time.Since(start).Round(time.Millisecond))
			printMetrics(w, "test windows:", metrics, nil)
			o := meta.Contract.OpenSet
			fmt.Fprintf(w, "open set: %s threshold %.4g, calling %.1f %% of %d validation windows unknown (--open-set-rate %g)\n",
				o.Score, o.Threshold, 100*float64(o.Above)/float64(o.Windows), o.Windows, o.FalseAlarmRate)
			if out != "" {
				fmt.Fprintln(w, "model saved to", out)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&data, "data", "", "data folder: a CWRU folder or ROOT/<class>/ recordings (default: built-in simulated data)")
	f.StringVar(&set, "set", "set1", "sample set: set1, set2, balanced, M/m or per-class counts ('NC=400,*=40')")
	f.StringVar(&method, "method", "dcnng", "method, with optional :key=value overrides (keys above)")
	f.StringVar(&out, "out", "", "model file to write (default: none)")
	f.StringVar(&healthy, "healthy", "", "name of the healthy class, for false alarms and missed faults (default: a class named NC, normal, healthy, …)")
	f.Float64Var(&falseAlarm, "open-set-rate", defaultOpenSetRate, "share of validation windows of the known classes the stored open-set threshold calls unknown (used by predict/eval --open-set)")
	f.StringVar(&openSetScore, "open-set-score", openset.DistanceName, "novelty score of the open-set threshold: distance (of the time-pooled convolution features to the nearest class mean) or energy (of the logits)")
	f.IntVar(&seed, "seed", 0, "seed for initialisation, shuffling and augmentation")
	f.IntVar(&threads, "threads", 0, "engine threads (default: number of cores)")
	f.BoolVar(&quick, "quick", false, "quick profile: few epochs (smoke test)")
	f.BoolVar(&asJSON, "json", false, "print the results as JSON")
	f.BoolVar(&verbose, "verbose", false, "print every epoch's log line")
	df.register(f)
	return cmd
}

// epochUnit names what train.Config.Iterations counts: epochs for
// mini-batch training, full-batch steps otherwise.
func epochUnit(c train.Config) string {
	if c.BatchSize > 0 {
		return "epochs"
	}
	return "full-batch steps"
}

// trainProgress returns the progress callback of 'ghl train': every
// epoch's log with verbose; else on a terminal one line that rewrites
// itself, elsewhere (a pipe, a log file) a line per tenth of the planned
// epochs.
func trainProgress(w io.Writer, m experiment.Method, unit string, n int, verbose bool) func(train.IterLog) {
	total := m.Train.Planned(n)
	switch {
	case verbose:
		return func(l train.IterLog) {
			val := ""
			if l.ValMacroF1 >= 0 {
				val = fmt.Sprintf("  val macro-F1 %.3f", l.ValMacroF1)
			}
			fmt.Fprintf(w, "%s %4d/%d  loss %.4f  train acc %.3f  train macro-F1 %.3f  eliminated %d%s\n",
				strings.TrimSuffix(unit, "s"), l.Iter, total, l.Loss, l.TrainAccuracy, l.TrainMacroF1, l.Eliminated, val)
		}
	case isTerminal(w):
		return func(l train.IterLog) {
			fmt.Fprintf(w, "\rtraining %s: %s %d/%d  loss %.4f  train macro-F1 %.3f   ", m.Name, strings.TrimSuffix(unit, "s"), l.Iter, total, l.Loss, l.TrainMacroF1)
		}
	}
	step := max(1, total/10)
	return func(l train.IterLog) {
		if l.Iter%step == 0 || l.Iter == total {
			fmt.Fprintf(w, "training %s: %s %d/%d  loss %.4f  train macro-F1 %.3f  (%.0f s)\n", m.Name, strings.TrimSuffix(unit, "s"), l.Iter, total, l.Loss, l.TrainMacroF1, l.Seconds)
		}
	}
}

// healthyLabel returns the label of the class named name (--healthy), or
// a usage error listing the classes.
func healthyLabel(name string, classes []string) (int, error) {
	if i := slices.Index(classes, name); i >= 0 {
		return i, nil
	}
	return -1, usageError("--healthy %q is not a class of the data (classes: %s)", name, strings.Join(classes, ", "))
}

// modelMeta is the metadata a model trained for cell on loaded's set
// (read with lopt) is saved with: the data contract 'ghl
// predict' and 'ghl eval' follow to read and window new recordings like
// the training data, and the training options.
func modelMeta(cell experiment.Cell, loaded *experiment.Loaded, lopt experiment.LoadOptions) nn.Metadata {
	ss := loaded.SampleSets[cell.Set]
	opts := cell.Method.Options()
	opts["seed"] = fmt.Sprint(cell.Seed)
	opts["set"] = cell.Set
	opts["data"] = loaded.Desc
	if len(ss.Recordings) > 0 {
		opts["lowpass_hz"] = fmt.Sprint(ss.Recordings[0].LowPassHz)
	}
	rd := lopt.Load.Read
	c := nn.Contract{Variable: rd.Variable, Channel: rd.Channel, PickChannel: rd.PickChannel,
		CSVDelimiter: delimiterName(rd.Delimiter), DecimalComma: rd.DecimalComma, AllowIncreasing: rd.AllowIncreasing,
		Windows: lopt.Load.Windows.Data, Labels: lopt.Load.Windows.Labels, IndependentWindows: lopt.Load.Windows.Independent,
		WindowClassNames: lopt.Load.Windows.Classes,
		NoLowPass:        lopt.Build.NoLowPass}
	if strings.HasPrefix(loaded.Desc, "synth") {
		c.InputRateSource = "simulated"
	} else {
		c.InputRateHz, c.InputRateSource = contractRate(ss.Recordings)
	}
	if len(ss.Recordings) > 0 {
		c.LowPassHz = ss.Recordings[0].LowPassHz
	}
	if h := dataset.HealthyLabel(ss.Classes); h >= 0 {
		c.Healthy = ss.Classes[h]
	}
	if !cell.Method.Input.IsRaw() || lopt.Build.OrderRPM > 0 {
		c.Representation, c.RepresentationOptions = cell.Method.Input.Name, cell.Method.Input.Options()
		if lopt.Build.OrderRPM > 0 {
			c.RepresentationOptions = orderOptions(c.RepresentationOptions, lopt.Build.OrderRPM)
		}
	}
	return nn.Metadata{Classes: ss.Classes, RateHz: ss.Rate, Window: ss.Window,
		Normalisation: ss.Norm, Training: opts, Created: time.Now().UTC().Format(time.RFC3339), GhlVersion: version(), Contract: c}
}

// contractRate returns the input rate a model trained on recs keeps in
// its contract and where the recordings' rates came from. The rate is kept
// only when the user gave it (--input-rate or rate.txt) and it is the same
// for every recording: then new recordings from the same source, which do
// not state a rate either, are read at it. A rate each file stated, or
// the catalog's, is left to each new file (0).
func contractRate(recs []dataset.RecordingLayout) (float64, string) {
	var sources []string
	rate, given := 0.0, true
	for i, r := range recs {
		src, _, _ := strings.Cut(r.RateFrom, " ")
		src = strings.TrimSuffix(src, ":")
		if src == "" {
			src = "unknown"
		}
		if !slices.Contains(sources, src) {
			sources = append(sources, src)
		}
		given = given && (src == string(dataset.RateFromFlag) || src == string(dataset.RateFromSidecar)) && (i == 0 || r.RateHz == rate)
		rate = r.RateHz
	}
	if !given || len(recs) == 0 {
		rate = 0
	}
	return rate, strings.Join(sources, "+")
}

// delimiterName is the --csv-delimiter value of a CSV separator ("": detect).
func delimiterName(r rune) string {
	switch r {
	case 0:
		return ""
	case '\t':
		return "tab"
	case ' ':
		return "space"
	}
	return string(r)
}

// isTerminal reports whether w is a character device (an interactive
// terminal), where a self-rewriting progress line makes sense.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
