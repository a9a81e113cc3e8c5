package main

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/ghl-dev/ghl"
	"github.com/ghl-dev/ghl/dataset"
	"github.com/ghl-dev/ghl/train"
	"github.com/spf13/cobra"
)

// newEvalCmd returns "ghl eval": a saved model's metrics on labelled data.
func newEvalCmd() *cobra.Command {
	var (
		set         string
		all, asJSON bool
		threads     int
		rf          recordingFlags
	)
	cmd := &cobra.Command{
		Use:   "eval MODEL DATA",
		Short: "Measure a saved model on a labelled data folder",
		Long: `eval loads a model file written by 'ghl train' and measures it on labelled data:
a CWRU folder (the paper's 12 classes) or a folder ROOT/<class>/ of recordings.
It prints accuracy, macro-F1, G-mean, false-alarm and missed-fault rates (the
healthy class is the model's first class when it is named NC, normal, healthy,
…), per-class recall and precision, and the confusion matrix.

By default it uses the test windows of the sample set --set: the last windows
of every recording (9 per class for the paper's sets), never used for
training or model selection. --all uses every non-overlapping window of every
recording instead (these include the training windows: a check of the
pipeline, not a measure of generalisation).

Windows are made as in training, from the model's metadata: resampled to its
rate, low-passed, cut to its window length, normalised per window. Every class
of the data must be one of the model's classes (matched by name); a model for
a different class set is an error (exit code 3).`,
		Example: `  ghl eval model.ghl ../shared/data/cwru
  ghl eval model.ghl ../shared/data/cwru --set set2 --json
  ghl eval model.ghl ROOT --all`,
		Args: argsUsage(cobra.ExactArgs(2)),
		RunE: func(cmd *cobra.Command, args []string) error {
			spec, err := dataset.ParseSet(set)
			if err != nil {
				return err
			}
			if err := rf.check(); err != nil {
				return err
			}
			model, classes, opt, err := loadModel(args[0], threads)
			if err != nil {
				return err
			}
			corpus, err := dataset.Load(args[1], rf.loadOptions())
			if err != nil {
				return err
			}
			for _, n := range corpus.Notes {
				fmt.Fprintln(cmd.ErrOrStderr(), "data:", n)
			}
			labelOf, err := classMap(corpus.Classes, classes)
			if err != nil {
				return fmt.Errorf("eval %s on %s: %w", args[0], args[1], err)
			}
			s, err := evalWindows(corpus, spec, opt, all)
			if err != nil {
				return err
			}
			for i, y := range s.Y {
				s.Y[i] = labelOf[y]
			}
			probs, err := probabilities(model, s)
			if err != nil {
				return fmt.Errorf("eval %s: %w", args[0], err)
			}
			c := len(classes)
			pred := make([]int, s.Len())
			for i := range pred {
				pred[i] = argmax(probs[i*c : (i+1)*c])
			}
			m := train.Evaluate(pred, s.Y, classes, dataset.HealthyLabel(classes))
			windows := "test windows of " + spec.Name
			if all {
				windows = "all non-overlapping windows"
			}
			if asJSON {
				enc := json.NewEncoder(cmd.OutOrStdout())
				enc.SetIndent("", "  ")
				return enc.Encode(map[string]any{"model": args[0], "data": args[1], "windows": windows, "metrics": m})
			}
			printMetrics(cmd.OutOrStdout(), fmt.Sprintf("%s on %s (%s, %d windows)", args[0], args[1], windows, s.Len()), m)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&set, "set", "set1", "sample set whose test windows to use: set1, set2, balanced or custom counts")
	f.BoolVar(&all, "all", false, "use every non-overlapping window of every recording, not only the test windows")
	f.BoolVar(&asJSON, "json", false, "write the metrics as JSON")
	rf.register(f)
	f.IntVar(&threads, "threads", 0, "engine threads (default: number of cores)")
	return cmd
}

// classMap maps the data's labels to the model's by class name. A data
// class the model does not know wraps ghl.ErrBadInput.
func classMap(data, model []string) ([]int, error) {
	out := make([]int, len(data))
	var unknown []string
	for i, c := range data {
		out[i] = slices.Index(model, c)
		if out[i] < 0 {
			unknown = append(unknown, c)
		}
	}
	if len(unknown) > 0 {
		return nil, fmt.Errorf("%w: the model is for a different class set: the data has %s, which the model does not know (model classes: %s)",
			ghl.ErrBadInput, strings.Join(unknown, ", "), strings.Join(model, ", "))
	}
	return out, nil
}

// evalWindows returns the windows to measure on, labelled by the data's
// class indices: the set's test windows, or with all every non-overlapping
// window of each recording.
func evalWindows(c *dataset.Corpus, spec dataset.SetSpec, opt dataset.BuildOptions, all bool) (*dataset.Samples, error) {
	if !all {
		// Test windows sit at the end of each recording whatever the
		// training and validation counts, so a test-only spec gives the
		// set's test windows without cutting its training windows.
		ss, err := dataset.Build(c, dataset.SetSpec{Name: spec.Name, Train: map[string]int{"*": 0}, Test: spec.Test}, opt)
		if err != nil {
			return nil, err
		}
		return &ss.Test, nil
	}
	out := &dataset.Samples{L: opt.Window}
	for _, l := range c.Recordings {
		var s *dataset.Samples
		if l.Segment > 0 {
			// Independent windows of a windowed dataset: one window each.
			one := &dataset.Corpus{Name: c.Name, Classes: []string{l.Class}, Recordings: []dataset.Labelled{l}}
			ss, err := dataset.Build(one, dataset.SetSpec{Name: "all", Train: map[string]int{"*": 0}, Test: l.Len() / l.Segment}, opt)
			if err != nil {
				return nil, err
			}
			s = &ss.Test
		} else {
			rec, err := l.Signal()
			if err != nil {
				return nil, err
			}
			if s, err = recordingWindows(rec, l.RPM, opt); err != nil {
				return nil, err
			}
		}
		label := slices.Index(c.Classes, l.Class)
		out.X = append(out.X, s.X...)
		for range s.Y {
			out.Y = append(out.Y, label)
		}
	}
	return out, nil
}

// printMetrics writes metrics and the confusion matrix as text.
func printMetrics(w io.Writer, title string, m train.Metrics) {
	fmt.Fprintln(w, title)
	fmt.Fprintf(w, "accuracy %.2f %%  macro-F1 %.3f  G-mean %.3f", 100*m.Accuracy, m.MacroF1, m.GMean)
	if m.Healthy >= 0 {
		fmt.Fprintf(w, "  false alarms %.3f  missed faults %.3f", m.FalseAlarm, m.MissedFault)
	}
	fmt.Fprintln(w)
	width := 5
	for _, c := range m.Classes {
		width = max(width, len(c)+1)
	}
	fmt.Fprintf(w, "confusion (rows: true class, columns: predicted)\n%*s", width, "")
	for _, c := range m.Classes {
		fmt.Fprintf(w, "%*s", width, c)
	}
	fmt.Fprintf(w, "  %7s %9s\n", "recall", "precision")
	for i, row := range m.Confusion {
		fmt.Fprintf(w, "%*s", width, m.Classes[i])
		for _, v := range row {
			fmt.Fprintf(w, "%*d", width, v)
		}
		if i < len(m.Support) && m.Support[i] == 0 {
			// No window of this class in the folder: recall is undefined.
			fmt.Fprintf(w, "  %7s %9.3f\n", "–", m.Precision[i])
			continue
		}
		fmt.Fprintf(w, "  %7.3f %9.3f\n", m.Recall[i], m.Precision[i])
	}
}
