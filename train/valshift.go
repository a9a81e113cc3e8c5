package train

import (
	"fmt"

	"github.com/ghl-dev/ghl/dataset"
)

// ValShift is the synthetic condition shift of the shifted-source
// validation: a criterion computed from the source condition's validation
// windows only, for choosing between recipes that all score about 100 % on
// the unshifted windows. Every validation window is copied under each
// combination of a fixed time-stretch (factors 1−Stretch and 1+Stretch, as
// at a shaft speed a few percent off) and a fixed spectral tilt (−Tilt and
// +Tilt dB across the band, RMS kept, as at another transfer path or load),
// so the shifted block is 4× the validation block and the same for every
// method and seed: no randomness, nothing of the target condition.
//
// The shifts use the same resampler and filter as the training
// augmentations Stretch and Tilt; a recipe trained with those sees similar
// perturbations, which is the point of the criterion (whether they help off
// the source condition) and its limit (it rewards them by construction;
// README says how the rule was declared).
type ValShift struct {
	// Stretch is the stretch's distance from 1 (0.03: factors 0.97, 1.03).
	Stretch float64
	// Tilt is the tilt in dB from the lowest to the highest frequency's
	// midpoint: the gain is Tilt·(2f − 1) dB at f ∈ [0, 1] × Nyquist.
	Tilt float64
}

// DefaultValShift is the shift ghl reports for every trial: ±3 % speed
// (CWRU's loads differ by up to 3.9 % in speed) and ±3 dB tilt.
var DefaultValShift = ValShift{Stretch: 0.03, Tilt: 3}

// Enabled reports whether a shifted validation is computed.
func (v ValShift) Enabled() bool { return v.Stretch > 0 || v.Tilt > 0 }

// String describes the shift ("stretch=0.03 tilt=3").
func (v ValShift) String() string { return fmt.Sprintf("stretch=%g tilt=%g", v.Stretch, v.Tilt) }

// conditions returns the stretch factors and tilts whose combinations make
// the shifted copies (one factor 1 or tilt 0 when that part is off).
func (v ValShift) conditions() (stretch, tilt []float64) {
	stretch, tilt = []float64{1}, []float64{0}
	if v.Stretch > 0 {
		stretch = []float64{1 - v.Stretch, 1 + v.Stretch}
	}
	if v.Tilt > 0 {
		tilt = []float64{-v.Tilt, v.Tilt}
	}
	return stretch, tilt
}

// Copies returns how many shifted copies of each window ShiftWindows makes.
func (v ValShift) Copies() int {
	s, t := v.conditions()
	return len(s) * len(t)
}

// ShiftWindows returns v's shifted copies of the windows of s: for each
// stretch factor and tilt, a copy of every window (in s's order), with
// labels. s is not modified. With the zero ValShift the one copy equals s.
func ShiftWindows(s *dataset.Samples, v ValShift) (*dataset.Samples, error) {
	if !(v.Stretch >= 0 && v.Stretch < 0.5 && v.Tilt >= 0 && v.Tilt <= 40) {
		return nil, fmt.Errorf("train: validation shift %s: want stretch in [0, 0.5) and tilt in [0, 40] dB", v)
	}
	L, n := s.L, s.Len()
	stretch, tilt := v.conditions()
	out := &dataset.Samples{L: L, X: make([]float32, 0, v.Copies()*len(s.X)), Y: make([]int, 0, v.Copies()*n)}
	var fs filterState
	buf := make([]float32, L)
	for _, f := range stretch {
		for _, db := range tilt {
			for i := range n {
				w := s.X[i*L : (i+1)*L]
				if f != 1 {
					stretchWindow(buf, w, f)
				} else {
					copy(buf, w)
				}
				if db != 0 {
					fs.gain(buf, func(fr float64) float64 { return db * (2*fr - 1) })
				}
				out.X = append(out.X, buf...)
				out.Y = append(out.Y, s.Y[i])
			}
		}
	}
	return out, nil
}
