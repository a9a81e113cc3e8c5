package dataset

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/ghl-dev/ghl"
)

// NoisyTest returns the test windows of s with white Gaussian noise added
// at snrDB decibels before normalisation: the noise variance of a window is
// its recording's power (mean square over the whole recording at the common
// rate, measured before windowing, the convention of the field's noise
// studies) divided by 10^(snrDB/10). The noise is drawn from seed and snrDB
// alone, so the same (seed, SNR) gives the same windows. +Inf gives the
// clean windows (up to the float32 rounding of the raw samples). s must have been built with BuildOptions.KeepRawTest.
func (s *SampleSet) NoisyTest(snrDB float64, seed uint64) (Samples, error) {
	if s.TestRaw.Len() != s.Test.Len() || len(s.TestPower) != s.Test.Len() {
		return Samples{}, fmt.Errorf("%w: sample set %s: no raw test windows (build it with KeepRawTest)", ghl.ErrUsage, s.Name)
	}
	if math.IsNaN(snrDB) || math.IsInf(snrDB, -1) {
		return Samples{}, fmt.Errorf("%w: SNR %g dB: want a finite value or +Inf", ghl.ErrUsage, snrDB)
	}
	L := s.TestRaw.L
	out := Samples{X: make([]float32, len(s.TestRaw.X)), Y: append([]int(nil), s.TestRaw.Y...), L: L}
	rng := rand.New(rand.NewPCG(seed, math.Float64bits(snrDB)))
	buf := make([]float64, L)
	for i := range s.TestRaw.Len() {
		sigma := 0.0
		if !math.IsInf(snrDB, 1) {
			sigma = math.Sqrt(s.TestPower[i] / math.Pow(10, snrDB/10))
		}
		for k, v := range s.TestRaw.Window(i) {
			buf[k] = float64(v)
			if sigma > 0 {
				buf[k] += sigma * rng.NormFloat64()
			}
		}
		normalise(out.X[i*L:(i+1)*L], buf, s.Norm)
	}
	return out, nil
}
