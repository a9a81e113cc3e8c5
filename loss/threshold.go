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

// Threshold rules, for Options.Threshold.
const (
	// ThresholdEq13 is the paper's rule (Eqs. 12–13, Thresholds): T_c from
	// the class share alone. A balanced set gets T_c = 0 for every class,
	// so GHL degenerates to its base loss there.
	ThresholdEq13 = "eq13"
	// ThresholdSpread (ours) scales each class's own spread of gradient
	// directions by its share (SpreadThresholds), so that similar gradients
	// are compressed on balanced and imbalanced sets alike.
	ThresholdSpread = "spread"
)

// SpreadThresholds returns the thresholds of the spread rule (radians):
//
//	T_c = α·γ·sigmoid((N_c/N − 1/C)·5C)·θ̄_c
//
// where θ̄_c is the mean angle between two gradients of class c in the
// batch (Eq. 18, MeanAngles of delta) and the sigmoid is Eq. 13's share
// term shifted to (0, 1). The reasoning: Eq. 13 compares gradient angles
// with a fixed scale (α/2 rad at most), but a class's angles shrink as
// training converges, and shrink unevenly across classes, so a fixed
// threshold either covers the whole class (every GD ≈ N_c: uniform
// weights) or nothing. θ̄_c makes the threshold relative to the class's
// own spread: a sample counts the neighbours closer than a share of the
// typical distance in its class, i.e. GD measures local crowding, which is
// what GHL means to down-weight. The share factor keeps Eq. 13's ordering —
// the majority gets nearly its whole spread (factor → 1), a class at 1/C
// gets half, a small minority almost nothing (factor → 0, like Eq. 13's
// negative T_c) — so on an imbalanced set the rule still compresses mainly
// the majority, and on a balanced set every class gets α·γ·θ̄_c/2 instead of
// 0. Classes with fewer than two usable gradients in the batch get 0.
func SpreadThresholds(counts []int, delta []float32, labels []int, alpha, gamma float64) []float64 {
	return spreadInto(make([]float64, len(counts)), counts, delta, labels, alpha, gamma)
}

// spreadInto is SpreadThresholds writing into t (len(counts) entries).
func spreadInto(t []float64, counts []int, delta []float32, labels []int, alpha, gamma float64) []float64 {
	C := len(counts)
	spread := MeanAngles(delta, labels, C)
	// Eq. 13's share term at α·γ = 1 is sigmoid − 0.5; add 0.5 back.
	thresholdsInto(t, counts, 1, 1)
	total := 0
	for _, n := range counts {
		total += n
	}
	for c := range t {
		if total == 0 {
			t[c] = 0
			continue
		}
		t[c] = alpha * gamma * (t[c] + 0.5) * spread[c]
	}
	return t
}
