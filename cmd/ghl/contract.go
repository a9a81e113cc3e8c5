package main

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/ghl-dev/ghl"
	"github.com/ghl-dev/ghl/dataset"
	"github.com/ghl-dev/ghl/nn"
	"github.com/ghl-dev/ghl/openset"
	"github.com/ghl-dev/ghl/train"
	"github.com/spf13/pflag"
)

// modelUse is what eval and predict take from a model file besides its
// windowing: the class names, the input rate its contract fixes (0:
// none), the healthy class (-1: none) and, with --open-set, the threshold.
type modelUse struct {
	classes   []string
	modelRate float64
	healthy   int
	openSet   *nn.OpenSet
}

// useModel applies the contract of the model file at path to the flags
// (applyContract), resolves the healthy class (--healthy name, else the
// contract's) and, when openSet, the open-set threshold.
func useModel(fl *pflag.FlagSet, path string, model *nn.Model, meta *nn.Metadata, healthy string, openSet bool, w io.Writer) (modelUse, error) {
	u := modelUse{classes: modelClasses(model, meta)}
	var err error
	if u.modelRate, err = applyContract(fl, meta.Contract, w); err != nil {
		return u, err
	}
	if u.healthy, err = modelHealthy(healthy, u.classes, meta.Contract, w); err != nil {
		return u, err
	}
	if openSet {
		u.openSet, err = checkOpenSet(path, meta)
	}
	return u, err
}

// applyContract makes eval and predict read recordings as the model's
// training recordings were read: every reading flag the user did not give
// takes the contract's value (as if given, so the readers treat it alike),
// and a given flag that contradicts the contract is kept with a warning to
// w. It returns the input rate the contract fixes (0: none), which the
// rate resolver puts after --input-rate and rate.txt.
func applyContract(fl *pflag.FlagSet, c nn.Contract, w io.Writer) (float64, error) {
	for _, f := range []struct {
		name, value, trained string
		set                  bool
	}{
		{"variable", c.Variable, describe(c.Variable, "the reader's default variable"), c.Variable != ""},
		{"channel", strconv.Itoa(c.Channel), "channel " + strconv.Itoa(c.Channel), c.PickChannel || c.Channel != 0},
		{"csv-delimiter", c.CSVDelimiter, describe(c.CSVDelimiter, "the detected CSV separator"), c.CSVDelimiter != ""},
		{"decimal-comma", strconv.FormatBool(c.DecimalComma), "decimal-comma " + strconv.FormatBool(c.DecimalComma), c.DecimalComma},
		{"allow-increasing", strconv.FormatBool(c.AllowIncreasing), "allow-increasing " + strconv.FormatBool(c.AllowIncreasing), c.AllowIncreasing},
		{"windows", c.Windows, describe(c.Windows, "the only matrix"), c.Windows != ""},
		{"labels", c.Labels, describe(c.Labels, "the default label vector"), c.Labels != ""},
		{"independent-windows", strconv.FormatBool(c.IndependentWindows), "independent-windows " + strconv.FormatBool(c.IndependentWindows), c.IndependentWindows},
		{"class-names", strings.Join(c.WindowClassNames, ","), describe(strings.Join(c.WindowClassNames, ","), "the default class names"), len(c.WindowClassNames) > 0},
	} {
		flag := fl.Lookup(f.name)
		switch {
		case flag == nil:
		case !flag.Changed:
			if f.set {
				if err := fl.Set(f.name, f.value); err != nil {
					return 0, fmt.Errorf("%w: the model file's data contract: --%s %q: %v", ghl.ErrBadInput, f.name, f.value, err)
				}
			}
		case flag.Value.String() != f.value && (f.set || f.name == "variable"):
			fmt.Fprintf(w, "warning: --%s %s contradicts the model file's data contract (trained with %s); using %s as you asked\n",
				f.name, flag.Value.String(), f.trained, flag.Value.String())
		}
	}
	if flag := fl.Lookup("input-rate"); flag != nil && flag.Changed && c.InputRateHz > 0 && flag.Value.String() != strconv.FormatFloat(c.InputRateHz, 'g', -1, 64) {
		fmt.Fprintf(w, "warning: --input-rate %s contradicts the model file's data contract (trained with recordings at %g Hz, from %s); using %s as you asked\n",
			flag.Value.String(), c.InputRateHz, c.InputRateSource, flag.Value.String())
	}
	return c.InputRateHz, nil
}

// describe returns v quoted, or def when v is empty.
func describe(v, def string) string {
	if v == "" {
		return def
	}
	return strconv.Quote(v)
}

// modelHealthy returns the label of the healthy class among the model's
// classes: --healthy when given (name, a warning to w when it contradicts
// the contract), else the contract's, else the class found by name as
// format-1 files had it (-1: none).
func modelHealthy(name string, classes []string, c nn.Contract, w io.Writer) (int, error) {
	switch {
	case name != "":
		h, err := healthyLabel(name, classes)
		if err == nil && c.Healthy != "" && c.Healthy != name {
			fmt.Fprintf(w, "warning: --healthy %q contradicts the model file's data contract (healthy class %q); using %q as you asked\n", name, c.Healthy, name)
		}
		return h, err
	case c.Healthy != "":
		return slices.Index(classes, c.Healthy), nil
	}
	return dataset.HealthyLabel(classes), nil
}

// openSetHelp is the help of the --open-set flag of eval and predict.
const openSetHelp = "call windows whose novelty score lies above the threshold 'ghl train' stored in the model file \"unknown\" (see 'ghl train --open-set-score, --open-set-rate')"

// checkOpenSet returns the model's open-set threshold, or an error saying
// how to get one when the file has none.
func checkOpenSet(path string, meta *nn.Metadata) (*nn.OpenSet, error) {
	o := meta.Contract.OpenSet
	if o == nil {
		return nil, usageError("--open-set: model %s has no open-set threshold (it was made by an older ghl or outside 'ghl train'): retrain it with 'ghl train' to calibrate one", path)
	}
	return o, nil
}

// noveltyScores returns the open-set score of o for each window of s,
// whose logits (classes per row) the caller has.
func noveltyScores(model *inputModel, s *dataset.Samples, logits []float32, o *nn.OpenSet) ([]float64, error) {
	if o.Score == openset.ScoreName {
		return openset.Energy(logits, model.Classes()), nil
	}
	feat, _, err := openset.Features(model.Model, model.inputs(s), s.Len())
	if err != nil {
		return nil, err
	}
	c := openset.Centroids{Means: o.Means, Scale: o.Scale}
	return c.Distance(feat), nil
}

// unknownWindows returns which windows of s score above the open-set
// threshold o, their scores and how many do.
func unknownWindows(model *inputModel, s *dataset.Samples, logits []float32, o *nn.OpenSet) ([]bool, []float64, int, error) {
	scores, err := noveltyScores(model, s, logits, o)
	if err != nil {
		return nil, nil, 0, fmt.Errorf("open set: %w", err)
	}
	flags, n := openset.Above(scores, o.Threshold)
	return flags, scores, n, nil
}

// defaultOpenSetRate is the false-alarm rate the stored open-set
// threshold is calibrated at unless 'ghl train --open-set-rate' says
// otherwise (also for 'ghl reproduce --save-models').
const defaultOpenSetRate = 0.01

// addOpenSet calibrates the open-set threshold of model, trained on set,
// and stores it in meta's contract (whose input representation it
// follows).
func addOpenSet(meta *nn.Metadata, model *nn.Model, set *train.Set, score string, falseAlarm float64) error {
	im, err := withInput(model, meta, meta.Window)
	if err != nil {
		return err
	}
	meta.Contract.OpenSet, err = calibrateOpenSet(im, set, score, falseAlarm)
	return err
}

// calibrateOpenSet sets the open-set threshold of model for score
// ("energy" or "distance") on the validation windows of set at the
// false-alarm rate falseAlarm; the distance score's class means and scales
// come from the training windows. The validation block chose the epoch
// kept but fitted no weight; a threshold from the training windows would
// be too low, from the test windows a peek.
func calibrateOpenSet(model *inputModel, set *train.Set, score string, falseAlarm float64) (*nn.OpenSet, error) {
	o := &nn.OpenSet{Score: score, FalseAlarmRate: falseAlarm, Windows: set.Val.Len()}
	if score == openset.DistanceName {
		feat, dim, err := openset.Features(model.Model, model.inputs(&set.Train), set.Train.Len())
		if err != nil {
			return nil, fmt.Errorf("open-set calibration: %w", err)
		}
		c, err := openset.FitCentroids(feat, dim, set.Train.Y, model.Classes())
		if err != nil {
			return nil, fmt.Errorf("open-set calibration: %w", err)
		}
		o.Means, o.Scale = c.Means, c.Scale
	}
	logits, err := model.Infer(model.inputs(&set.Val), set.Val.Len(), nil)
	if err != nil {
		return nil, fmt.Errorf("open-set calibration: %w", err)
	}
	scores, err := noveltyScores(model, &set.Val, logits, o)
	if err != nil {
		return nil, fmt.Errorf("open-set calibration: %w", err)
	}
	if o.Threshold, err = openset.Calibrate(scores, falseAlarm); err != nil {
		return nil, fmt.Errorf("open-set calibration on %d validation windows: %w", set.Val.Len(), err)
	}
	_, o.Above = openset.Above(scores, o.Threshold)
	return o, nil
}
