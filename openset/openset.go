// Package openset scores how unlike the training classes a window is and
// calibrates the threshold above which a classifier should answer
// "unknown" instead of one of its classes.
//
// A classifier trained on inner- and outer-race faults has no way to say
// "none of these": on a healthy recording it still picks one of its
// classes, often with high probability. The novelty score here is the
// energy of the logits (Liu et al., "Energy-based out-of-distribution
// detection", NeurIPS 2020),
//
//	E(x) = −log Σ_k exp(z_k(x)),
//
// which is low when some class's logit is large and rises when every
// logit is small: unlike the softmax probability it does not lose the
// logits' scale. The threshold is set on windows of the known classes
// that took no part in fitting the weights (the validation block) so that
// a stated share of them, the false-alarm rate, score above it.
package openset

import (
	"errors"
	"fmt"
	"math"
	"slices"
)

// ScoreName is the name of the score Energy computes, as model files
// record it.
const ScoreName = "energy"

// Energy returns the energy score of each row of logits, row-major with
// classes values per row: −log Σ_k exp(z_k), computed stably. A larger
// score means a window less like the training classes.
func Energy(logits []float32, classes int) []float64 {
	if classes <= 0 {
		return nil
	}
	n := len(logits) / classes
	out := make([]float64, n)
	for i := range n {
		row := logits[i*classes : (i+1)*classes]
		mx := math.Inf(-1)
		for _, v := range row {
			mx = math.Max(mx, float64(v))
		}
		sum := 0.0
		for _, v := range row {
			sum += math.Exp(float64(v) - mx)
		}
		out[i] = -(mx + math.Log(sum))
	}
	return out
}

// Calibrate returns the threshold above which a share of at most
// falseAlarm of scores lies: with the scores sorted ascending and
// k = ⌊falseAlarm·n⌋ allowed above, the (n−k)-th smallest score. The
// scores are those of known-class windows not used to fit the weights;
// with n of them the achieved rate on them is k/n ≤ falseAlarm, and on new
// windows of the same classes it is near falseAlarm only when n·falseAlarm
// is well above 1 (with n = 100 and 1 %, one window decides it).
func Calibrate(scores []float64, falseAlarm float64) (float64, error) {
	if !(falseAlarm > 0 && falseAlarm < 1) {
		return 0, fmt.Errorf("openset: false-alarm rate %g: want a share in (0, 1)", falseAlarm)
	}
	if len(scores) == 0 {
		return 0, errors.New("openset: no calibration windows")
	}
	s := slices.Clone(scores)
	for _, v := range s {
		if math.IsNaN(v) {
			return 0, errors.New("openset: a calibration score is NaN")
		}
	}
	slices.Sort(s)
	k := int(math.Floor(falseAlarm * float64(len(s))))
	return s[len(s)-1-k], nil
}

// Above returns, for each score, whether it lies above threshold (the
// window is unknown), and how many do.
func Above(scores []float64, threshold float64) ([]bool, int) {
	out := make([]bool, len(scores))
	n := 0
	for i, v := range scores {
		if v > threshold || math.IsNaN(v) {
			out[i] = true
			n++
		}
	}
	return out, n
}

// MostlyUnknown reports whether a recording whose windows gave unknown of
// total unknown is itself unknown: more than half its windows are.
func MostlyUnknown(unknown, total int) bool { return total > 0 && 2*unknown > total }
