package dataset

import "slices"

// NormaliseWindow writes the window src normalised by norm into dst
// (len(src) values), exactly as Build normalises each window. norm must be
// a per-window normalisation (NormZScore, NormRMS, NormMinMax, NormNone;
// NormRecording needs the whole recording). It returns false, leaving dst
// all zero, for a constant window (see ConstantTolerance) or another norm.
func NormaliseWindow(dst []float32, src []float64, norm string) bool {
	dst = dst[:len(src)]
	if norm == NormRecording || !slices.Contains(Norms, norm) {
		clear(dst)
		return false
	}
	return normalise(dst, src, norm)
}
