package main

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/ghl-dev/ghl"
	"github.com/ghl-dev/ghl/dataset"
	"github.com/ghl-dev/ghl/train"
	"github.com/spf13/cobra"
)

// newEvalCmd returns "ghl eval": a saved model's metrics on labelled data.
func newEvalCmd() *cobra.Command {
	var (
		set, healthy         string
		all, asJSON, openSet bool
		threads              int
		rf                   recordingFlags
	)
	cmd := &cobra.Command{
		Use:   "eval MODEL DATA",
		Short: "Measure a saved model on a labelled data folder",
		Long: `eval loads a model file written by 'ghl train' and measures it on labelled data:
a CWRU folder (the paper's 12 classes) or a folder ROOT/<class>/ of recordings.
It prints accuracy, macro-F1, G-mean, false-alarm and missed-fault rates
(against the healthy class of the model file, or --healthy), per-class recall
and precision, and the confusion matrix. A class of the model that the data
does not hold has no recall: it is shown "–" and left out of the averages.

By default it uses the test windows of the sample set --set: the last windows
of every recording (9 per class for the paper's sets), never used for
training or model selection. --all uses every non-overlapping window of every
recording instead (these include the training windows: a check of the
pipeline, not a measure of generalisation).

Windows are made as in training, from the model file's data contract: the
recordings are read with the variable, channel and input rate training used
(no data flag needed; a flag that contradicts the contract is obeyed with a
warning), resampled to the model's rate, low-passed, cut to its window length,
normalised per window. Every class of the data must be one of the model's
classes (matched by name; with --open-set, see below); a model for a
different class set is an error (exit code 3).

--open-set calls a window "unknown" when its novelty score lies above the
threshold 'ghl train' calibrated; unknown windows of the model's classes
count as errors and are shown in their own column. With --open-set the data
may also hold classes the model does not know: for each, eval says how many
of its windows were called unknown (the metrics cover the model's classes).`,
		Example: `  ghl eval model.ghl ../shared/data/cwru
  ghl eval model.ghl ../shared/data/cwru --set set2 --json
  ghl eval model.ghl ROOT --all
  ghl eval model.ghl ROOT_WITH_NEW_FAULTS --open-set`,
		Args: argsUsage(cobra.ExactArgs(2)),
		RunE: func(cmd *cobra.Command, args []string) error {
			spec, err := dataset.ParseSet(set)
			if err != nil {
				return err
			}
			if err := rf.check(); err != nil {
				return err
			}
			model, meta, opt, err := loadModel(args[0], threads)
			if err != nil {
				return err
			}
			stderr := cmd.ErrOrStderr()
			use, err := useModel(cmd.Flags(), args[0], model.Model, meta, healthy, openSet, stderr)
			if err != nil {
				return err
			}
			classes, h, oset := use.classes, use.healthy, use.openSet
			lopt := rf.loadOptions()
			lopt.ModelRate = use.modelRate
			corpus, err := dataset.Load(args[1], lopt)
			if err != nil {
				return err
			}
			for _, n := range corpus.Notes {
				fmt.Fprintln(stderr, "data:", n)
			}
			labelOf, err := classMap(corpus.Classes, classes, openSet)
			if err != nil {
				return fmt.Errorf("eval %s on %s: %w", args[0], args[1], err)
			}
			s, err := evalWindows(corpus, spec, opt, all)
			if err != nil {
				return err
			}
			dataLabel := slices.Clone(s.Y)
			for i, y := range s.Y {
				s.Y[i] = labelOf[y] // -1: a class the model does not know (--open-set)
			}
			probs, logits, err := probabilities(model, s)
			if err != nil {
				return fmt.Errorf("eval %s: %w", args[0], err)
			}
			c := len(classes)
			pred := make([]int, s.Len())
			for i := range pred {
				pred[i] = argmax(probs[i*c : (i+1)*c])
			}
			var unknown []int // per true class, with --open-set
			if oset != nil {
				unknown = make([]int, c)
				flags, _, _, err := unknownWindows(model, s, logits, oset)
				if err != nil {
					return err
				}
				for i, u := range flags {
					if u {
						pred[i] = -1 // a miss for train.Evaluate
						if s.Y[i] >= 0 {
							unknown[s.Y[i]]++
						}
					}
				}
			}
			novel := novelClasses(corpus.Classes, labelOf, dataLabel, pred)
			// The metrics are over the windows of the model's classes.
			var knownPred, knownY []int
			for i, y := range s.Y {
				if y >= 0 {
					knownPred, knownY = append(knownPred, pred[i]), append(knownY, y)
				}
			}
			m := train.Evaluate(knownPred, knownY, classes, h)
			windows := "test windows of " + spec.Name
			if all {
				windows = "all non-overlapping windows"
			}
			if asJSON {
				enc := json.NewEncoder(cmd.OutOrStdout())
				enc.SetIndent("", "  ")
				doc := map[string]any{"model": args[0], "data": args[1], "windows": windows, "metrics": m}
				if oset != nil {
					doc["open_set"], doc["unknown_windows"], doc["novel_classes"] = oset, unknown, novel
				}
				return enc.Encode(doc)
			}
			printMetrics(cmd.OutOrStdout(), fmt.Sprintf("%s on %s (%s, %d windows of the model's classes)", args[0], args[1], windows, m.N), m, unknown)
			for _, nc := range novel {
				fmt.Fprintf(cmd.OutOrStdout(), "%s (a class the model does not know): %d of %d windows called unknown (%.1f %%)\n",
					nc.Class, nc.Unknown, nc.Windows, 100*float64(nc.Unknown)/float64(nc.Windows))
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&set, "set", "set1", "sample set whose test windows to use: set1, set2, balanced or custom counts")
	f.BoolVar(&all, "all", false, "use every non-overlapping window of every recording, not only the test windows")
	f.BoolVar(&asJSON, "json", false, "write the metrics as JSON")
	f.StringVar(&healthy, "healthy", "", "name of the healthy class (default: the model file's)")
	f.BoolVar(&openSet, "open-set", false, openSetHelp)
	rf.register(f)
	f.IntVar(&threads, "threads", 0, "engine threads (default: number of cores)")
	return cmd
}

// novelClass counts how many windows of a data class the model does not
// know --open-set called unknown: the share is its detection rate.
type novelClass struct {
	Class   string `json:"class"`
	Windows int    `json:"windows"`
	Unknown int    `json:"unknown"`
}

// novelClasses returns, for each data class the model does not know
// (labelOf -1), its windows (dataLabel) and those predicted unknown (-1).
func novelClasses(data []string, labelOf, dataLabel, pred []int) []novelClass {
	var out []novelClass
	for k, name := range data {
		if labelOf[k] >= 0 {
			continue
		}
		nc := novelClass{Class: name}
		for i, y := range dataLabel {
			if y == k {
				nc.Windows++
				if pred[i] < 0 {
					nc.Unknown++
				}
			}
		}
		out = append(out, nc)
	}
	return out
}

// classMap maps the data's labels to the model's by class name. A data
// class the model does not know wraps ghl.ErrBadInput, unless open (with
// --open-set its windows measure how many are called unknown): then its
// label is -1.
func classMap(data, model []string, open bool) ([]int, error) {
	out := make([]int, len(data))
	var unknown []string
	for i, c := range data {
		out[i] = slices.Index(model, c)
		if out[i] < 0 {
			unknown = append(unknown, c)
		}
	}
	if len(unknown) == len(data) || (len(unknown) > 0 && !open) {
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

// printMetrics writes metrics and the confusion matrix as text, every
// column as wide as the longest class name. unknown, when not nil, counts
// each true class's windows called unknown (an extra column). A class
// with no windows has recall "–", a class never predicted precision "–".
func printMetrics(w io.Writer, title string, m train.Metrics, unknown []int) {
	fmt.Fprintln(w, title)
	fmt.Fprintf(w, "accuracy %.2f %%  macro-F1 %.3f  G-mean %.3f", 100*m.Accuracy, m.MacroF1, m.GMean)
	if m.Healthy >= 0 && m.Healthy < len(m.Classes) {
		fmt.Fprintf(w, "  false alarms %.3f  missed faults %.3f (healthy class %s)", m.FalseAlarm, m.MissedFault, m.Classes[m.Healthy])
	}
	fmt.Fprintln(w)
	width := 6
	if unknown != nil {
		width = len(unknownClass) + 1
	}
	for _, c := range m.Classes {
		width = max(width, utf8.RuneCountInString(c)+1)
	}
	pad := func(s string) string { return strings.Repeat(" ", max(0, width-utf8.RuneCountInString(s))) + s }
	fmt.Fprintf(w, "confusion (rows: true class, columns: predicted)\n%s", pad(""))
	for _, c := range m.Classes {
		fmt.Fprint(w, pad(c))
	}
	if unknown != nil {
		fmt.Fprint(w, pad("unknown"))
	}
	fmt.Fprintf(w, "  %7s %9s\n", "recall", "precision")
	for i, row := range m.Confusion {
		fmt.Fprint(w, pad(m.Classes[i]))
		rowSum, colSum := 0, 0
		for j, v := range row {
			fmt.Fprint(w, pad(strconv.Itoa(v)))
			rowSum += v
			colSum += m.Confusion[j][i]
		}
		if unknown != nil {
			fmt.Fprint(w, pad(strconv.Itoa(unknown[i])))
			rowSum += unknown[i]
		}
		recall, precision := "–", "–"
		if i < len(m.Support) {
			rowSum = m.Support[i] // counts windows of no class too
		}
		if rowSum > 0 {
			recall = fmt.Sprintf("%.3f", m.Recall[i])
		}
		if colSum > 0 {
			precision = fmt.Sprintf("%.3f", m.Precision[i])
		}
		fmt.Fprintf(w, "  %7s %9s\n", recall, precision)
	}
}
