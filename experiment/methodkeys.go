package experiment

import (
	"fmt"
	"strings"

	"github.com/ghl-dev/ghl/loss"
	"github.com/ghl-dev/ghl/train"
)

// MethodKey documents one ":key=value" override of a method spec
// (ParseMethod): its name, what it sets, and how to read its value from a
// Method.
type MethodKey struct {
	Key, Meaning string
	value        func(Method) string
}

// Value returns the key's value in m, as ParseMethod would read it.
func (k MethodKey) Value(m Method) string { return k.value(m) }

// MethodKeys lists every key ParseMethod accepts, in the order --help
// shows them.
func MethodKeys() []MethodKey {
	return []MethodKey{
		{"base", "base loss: ce (cross-entropy), mse, rmse", func(m Method) string { return m.Loss.Base.String() }},
		{"scheme", "imbalance scheme: plain, class-cost, ghl, ghl-paper, …", func(m Method) string { return m.Scheme }},
		{"alpha", "GHL: α, how strongly densely populated gradients are down-weighted", func(m Method) string { return fmt.Sprint(m.Loss.Alpha) }},
		{"anneal", "GHL: annealing of α by the class's training F1: f1, 1-f1, none", func(m Method) string { return m.Loss.Anneal }},
		{"gamma", "GHL: the F1 that γ follows: batch, epoch (training macro-F1 of the previous one), ema (their moving average), val (the last validation macro-F1), progress (the share of training done)", func(m Method) string {
			if m.Train.GammaFrom == "" {
				return train.GammaBatch
			}
			return m.Train.GammaFrom
		}},
		{"threshold", "GHL: T_c, eq13 (Eq. 13: 0 on a balanced set) or spread (each class's mean gradient angle × its share term)", func(m Method) string {
			if m.Loss.Threshold == "" {
				return loss.ThresholdEq13
			}
			return m.Loss.Threshold
		}},
		{"density", "GHL: gradient density estimate: exact, plane2d, sampled", func(m Method) string { return m.Loss.Density }},
		{"m", "GHL: samples of the sampled density (0: its default)", func(m Method) string { return fmt.Sprint(m.Loss.SampleM) }},
		{"eps", "GHL: weight below which a sample is not back-propagated (ε)", func(m Method) string { return fmt.Sprint(m.Loss.Epsilon) }},
		{"batch", "mini-batch size (0: full batch)", func(m Method) string { return fmt.Sprint(m.Train.BatchSize) }},
		{"iters", "epochs (mini-batch) or full-batch steps", func(m Method) string { return fmt.Sprint(m.Train.Iterations) }},
		{"minsteps", "at least this many mini-batch steps: epochs are raised to reach it", func(m Method) string { return fmt.Sprint(m.Train.MinSteps) }},
		{"lr", "learning rate", func(m Method) string { return fmt.Sprint(m.Train.LR) }},
		{"schedule", "learning-rate schedule: const, cosine", func(m Method) string { return m.Train.Schedule }},
		{"patience", "stop after this many validations without improvement (0: never)", func(m Method) string { return fmt.Sprint(m.Train.Patience) }},
		{"eval", "validate every N epochs or steps", func(m Method) string { return fmt.Sprint(m.Train.EvalEvery) }},
		{"opt", "optimizer: adam, sgd", func(m Method) string { return m.Optimizer }},
		{"shift", "augmentation: largest circular shift in points", func(m Method) string { return fmt.Sprint(m.Train.Augment.Shift) }},
		{"scale", "augmentation: amplitude scaling ±share", func(m Method) string { return fmt.Sprint(m.Train.Augment.Scale) }},
		{"noise", "augmentation: added noise, share of the signal's scale", func(m Method) string { return fmt.Sprint(m.Train.Augment.Noise) }},
		{"stretch", "speed perturbation: time-stretch each training window by up to ±share (0.05: ±5 %)", func(m Method) string { return fmt.Sprint(m.Train.Augment.Stretch) }},
		{"tilt", "random filtering: spectral tilt of up to ±dB", func(m Method) string { return fmt.Sprint(m.Train.Augment.Tilt) }},
		{"aug", "augmentation: 0 none, 1 the default shift/scale/noise", func(m Method) string {
			switch m.Train.Augment {
			case DefaultAugment:
				return "1"
			case train.Augment{}:
				return "0"
			}
			return "custom"
		}},
		{"repr", "the model's input: raw (the window), spectrum (its magnitude spectrum), logspectrum (its logarithm: band gains become offsets) or envelope[/LO-HI] (its envelope spectrum, band in fractions of Nyquist, default 0.1-0.8); kept in the model file, eval/predict apply it", func(m Method) string { return m.Input.String() }},
		{"select", "the weights kept: val (best validation macro-F1) or shift (best macro-F1 on the validation windows under a fixed ±3 % stretch and ±3 dB tilt, a source-only proxy for another operating condition)", func(m Method) string {
			if m.Train.Select == "" {
				return train.SelectVal
			}
			return m.Train.Select
		}},
	}
}

// MethodKeysHelp lists every key with its meaning and its value in method
// name under profile p (its default), one per line, for --help.
func MethodKeysHelp(name string, p Profile) string {
	m, err := LookupMethod(name, p)
	if err != nil {
		return err.Error()
	}
	var b strings.Builder
	for _, k := range MethodKeys() {
		fmt.Fprintf(&b, "  %-9s %s (%s: %s)\n", k.Key, k.Meaning, name, k.Value(m))
	}
	return b.String()
}
