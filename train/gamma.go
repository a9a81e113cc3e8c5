package train

import (
	"fmt"

	"github.com/ghl-dev/ghl/loss"
)

// Where GHL's annealing factor γ takes its F1 from, for Config.GammaFrom.
// The loss scheme turns that F1 into γ (loss.Options.Anneal: γ = 1 − F1 by
// default for dcnng). Whatever the source, the first steps use the
// untrained model's macro-F1 on the first batch.
const (
	// GammaBatch is the previous batch's training macro-F1 (over the
	// classes present in it): in mini-batch training it reaches 1 within a
	// few epochs on 64-window batches, which switches γ = 1 − F1 off.
	GammaBatch = "batch"
	// GammaEpoch is the previous epoch's training macro-F1 over all its
	// batches, held for the whole next epoch (full batch: the previous
	// step's, as GammaBatch).
	GammaEpoch = "epoch"
	// GammaEMA is an exponential moving average of the batches' training
	// macro-F1 with a time constant of one epoch (weight 1/steps per
	// epoch for each new batch).
	GammaEMA = "ema"
	// GammaVal is the validation macro-F1 of the last evaluation.
	GammaVal = "val"
	// GammaProgress is not an F1 but the share of the planned training
	// steps already taken, in [0, 1): with γ = 1 − F1 it is a linear
	// schedule from 1 to 0 that ignores how training goes.
	GammaProgress = "progress"
)

// GammaSources lists the Config.GammaFrom values.
func GammaSources() []string {
	return []string{GammaBatch, GammaEpoch, GammaEMA, GammaVal, GammaProgress}
}

func checkGammaFrom(s string) error {
	switch s {
	case "", GammaBatch, GammaEpoch, GammaEMA, GammaVal, GammaProgress:
		return nil
	}
	return fmt.Errorf("train: unknown γ source %q (batch, epoch, ema, val, progress)", s)
}

// gammaSource keeps the F1 that γ follows (loss.Context.PrevF1).
type gammaSource struct {
	from          string
	value         float64 // current F1 fed to the scheme; < 0 before the first batch
	stepsPerEpoch int
	plannedSteps  int
	steps         int
}

// before returns the F1 for the coming step; batchF1 is the current
// batch's macro-F1 before the update (used only to start).
func (g *gammaSource) before(batchF1 float64) float64 {
	if g.from == GammaProgress {
		return float64(g.steps) / float64(max(1, g.plannedSteps))
	}
	if g.value < 0 {
		g.value = batchF1 // the untrained model's F1 starts the annealing (SPEC 3)
	}
	return g.value
}

// afterBatch records a finished step with its batch macro-F1.
func (g *gammaSource) afterBatch(f1 float64) {
	g.steps++
	switch g.from {
	case "", GammaBatch:
		g.value = f1
	case GammaEMA:
		g.value += (f1 - g.value) / float64(max(1, g.stepsPerEpoch))
	}
}

// afterEpoch records an epoch's (or a full-batch step's) training macro-F1.
func (g *gammaSource) afterEpoch(f1 float64) {
	if g.from == GammaEpoch {
		g.value = f1
	}
}

// afterVal records a validation macro-F1.
func (g *gammaSource) afterVal(f1 float64) {
	if g.from == GammaVal {
		g.value = f1
	}
}

// GHLLog is what a GHL scheme did during one logged iteration (one epoch of
// mini-batch training, one full-batch step).
type GHLLog struct {
	// Gamma is the mean annealing factor γ over the iteration's steps.
	Gamma float64 `json:"gamma"`
	// MajorityThreshold is the mean T_c of the majority class (radians).
	MajorityThreshold float64 `json:"majority_threshold"`
	// Active is the share of the iteration's steps in which GHL acted on
	// the majority class: T_c > 0 and at least one of its samples had
	// GD_i > 1.
	Active float64 `json:"active"`
	// MajorityGD is the mean GD_i over the majority class's samples.
	MajorityGD float64 `json:"majority_gd"`
	// ExactFallbacks counts the classes the sampled density counted
	// exactly in this iteration because they had at most M+1 samples
	// (loss.Output.ExactFallbacks): with every class of every batch so, the
	// sampled mode is the exact one.
	ExactFallbacks int `json:"sampled_exact_fallbacks,omitempty"`
}

// ghlStats accumulates GHLLog over an iteration and the active share over
// the run. The majority class is the one with the most training windows
// (the first of them on a tie).
type ghlStats struct {
	majority            int
	steps, active       int
	gamma, thr, gdSum   float64
	gdN                 int
	fallbacks           int
	runSteps, runActive int
}

func newGHLStats(counts []int) *ghlStats {
	m := 0
	for c, n := range counts {
		if n > counts[m] {
			m = c
		}
	}
	return &ghlStats{majority: m}
}

// observe records one step's scheme output; schemes without thresholds
// are ignored.
func (s *ghlStats) observe(out *loss.Output, labels []int) {
	if out.Thresholds == nil || out.Density == nil {
		return
	}
	s.steps++
	s.fallbacks += out.ExactFallbacks
	s.gamma += out.Gamma
	t := out.Thresholds[s.majority]
	s.thr += t
	dense := false
	for i, y := range labels {
		if y == s.majority {
			d := float64(out.Density[i])
			s.gdSum += d
			s.gdN++
			dense = dense || d > 1
		}
	}
	if t > 0 && dense {
		s.active++
	}
}

// flush returns the iteration's GHLLog (nil when no GHL step ran) and
// starts the next iteration.
func (s *ghlStats) flush() *GHLLog {
	if s.steps == 0 {
		return nil
	}
	l := &GHLLog{Gamma: s.gamma / float64(s.steps), MajorityThreshold: s.thr / float64(s.steps),
		Active: float64(s.active) / float64(s.steps), ExactFallbacks: s.fallbacks}
	if s.gdN > 0 {
		l.MajorityGD = s.gdSum / float64(s.gdN)
	}
	s.runSteps += s.steps
	s.runActive += s.active
	s.steps, s.active, s.gamma, s.thr, s.gdSum, s.gdN, s.fallbacks = 0, 0, 0, 0, 0, 0, 0
	return l
}

// activeFraction is the share of all GHL steps so far that were active
// (−1 when none ran).
func (s *ghlStats) activeFraction() float64 {
	if s.runSteps == 0 {
		return -1
	}
	return float64(s.runActive) / float64(s.runSteps)
}
