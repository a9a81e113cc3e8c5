package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/ghl-dev/ghl/dataset"
	"github.com/ghl-dev/ghl/experiment"
	"github.com/ghl-dev/ghl/nn"
	"github.com/ghl-dev/ghl/train"
	"github.com/spf13/cobra"
)

func newTrainCmd() *cobra.Command {
	var (
		data, set, method, out string
		seed, threads          int
		quick, asJSON, verbose bool
		df                     dataFlags
	)
	cmd := &cobra.Command{
		Use:   "train",
		Short: "Train one model on one sample set and save it",
		Long: `train trains one DCNN with one method on one sample set, keeps the weights with
the best validation macro-F1 (the validation block is the windows just before
the test windows of each recording), reports the metrics on the test windows, and
saves the model file (weights in safetensors with the class names, sampling rate,
window length, normalisation and training options) for 'ghl predict' and 'ghl eval'.

A method is a built-in name with optional ':key=value' overrides, e.g.
  dcnng:alpha=2:anneal=f1    dcnnc:batch=0:iters=150:base=mse
Keys: base scheme alpha anneal density m eps batch iters lr schedule patience eval
opt shift scale noise aug minsteps, and for GHL and changing operating conditions:
  gamma=batch|epoch|ema|val|progress  the F1 that GHL's γ follows: the previous
                                      batch's or epoch's training macro-F1, their
                                      moving average, the last validation macro-F1,
                                      or the share of training done (a schedule)
  threshold=eq13|spread               GHL's T_c: Eq. 13 (0 on a balanced set), or
                                      each class's mean gradient angle × its share
                                      term, which also compresses balanced classes
  repr=raw|spectrum|envelope[/LO-HI]  the model's input: the window, its magnitude
                                      spectrum, or its envelope spectrum (band LO-HI
                                      in fractions of Nyquist, default 0.1-0.8);
                                      kept in the model file, eval/predict apply it
  stretch=0.05                        speed perturbation: time-stretch each training
                                      window by up to ±5 %
  tilt=6                              random filtering: spectral tilt up to ±6 dB
Methods: ` + strings.Join(experiment.MethodNames(), ", ") + `.

Without --data it trains on the built-in simulated bearing dataset.`,
		Example: `  ghl train --out model.ghl
  ghl train --data ../shared/data/cwru --set set2 --method dcnng --seed 3 --out m.ghl
  ghl train --data ROOT --set NC=400,others=40 --method dcnnc:lr=3e-3 --out m.ghl`,
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
			cell := experiment.Cell{Set: set, Method: m, Seed: seed}
			if verbose {
				m.Train.Progress = func(l train.IterLog) {
					val := ""
					if l.ValMacroF1 >= 0 {
						val = fmt.Sprintf("  val macro-F1 %.3f", l.ValMacroF1)
					}
					fmt.Fprintf(stderr, "iter %4d  loss %.4f  train acc %.3f  train macro-F1 %.3f  eliminated %d%s\n",
						l.Iter, l.Loss, l.TrainAccuracy, l.TrainMacroF1, l.Eliminated, val)
				}
				cell.Method = m
			} else if isTerminal(stderr) {
				// A one-line progress display that rewrites itself.
				total := m.Train.Planned(sd.Set.Train.Len())
				m.Train.Progress = func(l train.IterLog) {
					fmt.Fprintf(stderr, "\rtraining %s: iteration %d/%d  loss %.4f  train macro-F1 %.3f   ", m.Name, l.Iter, total, l.Loss, l.TrainMacroF1)
				}
				cell.Method = m
				defer fmt.Fprint(stderr, "\r\033[K")
			}
			start := time.Now()
			var model *nn.Model
			et := experiment.EngineTrainer{ModelOut: func(_ experiment.Cell, mm *nn.Model) error { model = mm; return nil }}
			res, pred, err := et.Train(cmd.Context(), cell, sd, threads)
			if err != nil {
				return err
			}
			metrics := train.Evaluate(pred, sd.Test.Y, sd.Set.Classes, sd.Healthy)
			meta := modelMeta(cell, loaded, lopt)
			meta.Training["best_iter"] = fmt.Sprint(res.BestIter)
			if out != "" {
				if err := nn.Save(out, model, meta); err != nil {
					return err
				}
			}
			if asJSON {
				enc := json.NewEncoder(cmd.OutOrStdout())
				enc.SetIndent("", "  ")
				return enc.Encode(map[string]any{"set": set, "method": m.Name, "seed": seed, "model": out,
					"best_iter": res.BestIter, "iterations": res.Iterations, "wall_seconds": time.Since(start).Seconds(),
					"test": metrics, "val": res.Val})
			}
			w := cmd.OutOrStdout()
			fmt.Fprintf(w, "%s on %s, seed %d: %d iterations, best at %d (val macro-F1 %.3f), %s\n",
				m.Name, set, seed, res.Iterations, res.BestIter, res.BestValF1, time.Since(start).Round(time.Millisecond))
			fmt.Fprintf(w, "test: accuracy %.2f%%  macro-F1 %.3f  G-mean %.3f  false alarms %.3f  missed faults %.3f\n",
				100*metrics.Accuracy, metrics.MacroF1, metrics.GMean, metrics.FalseAlarm, metrics.MissedFault)
			printConfusion(w, metrics)
			if out != "" {
				fmt.Fprintln(w, "model saved to", out)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&data, "data", "", "data folder: a CWRU folder or ROOT/<class>/ recordings (default: built-in simulated data)")
	f.StringVar(&set, "set", "set1", "sample set: set1, set2, balanced or custom counts")
	f.StringVar(&method, "method", "dcnng", "method, with optional :key=value overrides")
	f.StringVar(&out, "out", "", "model file to write (default: none)")
	f.IntVar(&seed, "seed", 0, "seed for initialisation, shuffling and augmentation")
	f.IntVar(&threads, "threads", 0, "engine threads (default: number of cores)")
	f.BoolVar(&quick, "quick", false, "quick profile: few iterations (smoke test)")
	f.BoolVar(&asJSON, "json", false, "print the results as JSON")
	f.BoolVar(&verbose, "verbose", false, "print every iteration's log line")
	df.register(f)
	return cmd
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
	c := nn.Contract{Variable: lopt.Load.Read.Variable, Channel: lopt.Load.Read.Channel, NoLowPass: lopt.Build.NoLowPass}
	switch {
	case strings.HasPrefix(loaded.Desc, "synth"):
		c.InputRateSource = "simulated"
	case lopt.Load.Rate > 0:
		c.InputRateHz, c.InputRateSource = lopt.Load.Rate, "flag"
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
		Normalisation: ss.Norm, Training: opts, Created: time.Now().UTC().Format(time.RFC3339), Contract: c}
}

// printConfusion prints a confusion matrix with class names.
func printConfusion(w interface{ Write([]byte) (int, error) }, m train.Metrics) {
	fmt.Fprintf(w, "confusion (rows: true, columns: predicted), recall:\n%6s", "")
	for _, c := range m.Classes {
		fmt.Fprintf(w, "%5s", c)
	}
	fmt.Fprintln(w)
	for i, row := range m.Confusion {
		fmt.Fprintf(w, "%6s", m.Classes[i])
		for _, v := range row {
			fmt.Fprintf(w, "%5d", v)
		}
		fmt.Fprintf(w, "   %.3f\n", m.Recall[i])
	}
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
