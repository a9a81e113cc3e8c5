package loss

import (
	"fmt"
	"math"

	"github.com/ghl-dev/ghl"
)

// Thresholds returns the per-class gradient similarity thresholds T_c in
// radians (the paper's Eqs. 12–13):
//
//	T_c = α·γ·(sigmoid((N_c/N − 1/C)·5C) − 0.5),  N = Σ_c N_c, C = len(counts).
//
// Minority classes get a negative T_c (no neighbour but the sample itself),
// a balanced set gives T_c = 0 for every class. counts are the training
// samples per class; an all-zero counts gives all-zero thresholds.
func Thresholds(counts []int, alpha, gamma float64) []float64 {
	return thresholdsInto(make([]float64, len(counts)), counts, alpha, gamma)
}

// thresholdsInto is Thresholds writing into t (len(counts) entries).
func thresholdsInto(t []float64, counts []int, alpha, gamma float64) []float64 {
	clear(t)
	total := 0
	for _, n := range counts {
		total += n
	}
	if total <= 0 {
		return t
	}
	C := float64(len(counts))
	for c, n := range counts {
		t[c] = threshold(float64(n)/float64(total), C, alpha, gamma)
	}
	return t
}

// threshold is Eq. 13 for one class share.
func threshold(share, C, alpha, gamma float64) float64 {
	x := (share - 1/C) * 5 * C
	return alpha * gamma * (1/(1+math.Exp(-x)) - 0.5)
}

// ThresholdCurve returns T_c for each class share in shares (N_c/N, in
// [0, 1]) with C classes: the curve of the paper's Fig. 2.
func ThresholdCurve(C int, alpha, gamma float64, shares []float64) []float64 {
	t := make([]float64, len(shares))
	for i, s := range shares {
		t[i] = threshold(s, float64(C), alpha, gamma)
	}
	return t
}

// Anneal names, for Options.Anneal: how γ of Eq. 13 follows training.
const (
	// AnnealF1 is the paper's literal reading: γ = the previous
	// iteration's training macro-F1 (thresholds grow as training converges).
	AnnealF1 = "f1"
	// AnnealOneMinusF1 is the paper's stated intent: γ = 1 − F1
	// (thresholds shrink as training converges).
	AnnealOneMinusF1 = "1-f1"
	// AnnealNone fixes γ = 1 (Eq. 12).
	AnnealNone = "none"
)

// Gamma returns the annealing factor γ for the previous iteration's
// training macro-F1 prevF1 (clamped to [0, 1]; NaN counts as 0). An unknown
// mode wraps ghl.ErrUsage.
func Gamma(mode string, prevF1 float64) (float64, error) {
	f := prevF1
	if !(f >= 0) {
		f = 0
	}
	if f > 1 {
		f = 1
	}
	switch mode {
	case AnnealF1:
		return f, nil
	case AnnealOneMinusF1:
		return 1 - f, nil
	case AnnealNone:
		return 1, nil
	}
	return 0, fmt.Errorf("loss: unknown annealing %q (want f1, 1-f1 or none): %w", mode, ghl.ErrUsage)
}
