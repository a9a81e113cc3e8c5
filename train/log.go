package train

// IterLog records one training iteration (one step of full-batch training,
// or one epoch of mini-batch training). Slices are indexed by class.
type IterLog struct {
	Iter  int `json:"iter"`
	Epoch int `json:"epoch"`
	// Loss is the scheme's weighted, normalised training loss.
	Loss float64 `json:"loss"`
	// TrainAccuracy and TrainMacroF1 are computed from the iteration's
	// training predictions (before the update).
	TrainAccuracy float64 `json:"train_accuracy"`
	TrainMacroF1  float64 `json:"train_macro_f1"`
	// ValMacroF1 is the validation macro-F1 after the update, or -1 when the
	// validation block was not evaluated at this iteration.
	ValMacroF1 float64 `json:"val_macro_f1"`
	// ValShiftMacroF1 is the shifted validation's macro-F1 (Config.ValShift)
	// when the weights are selected on it (nil otherwise).
	ValShiftMacroF1 *float64 `json:"val_shift_macro_f1,omitempty"`
	// Thresholds are GHL's T_c in radians (nil for other schemes).
	Thresholds []float64 `json:"thresholds,omitempty"`
	// Eliminated counts samples not back-propagated (weight below ε).
	Eliminated int `json:"eliminated"`
	// GHL is what a GHL scheme did in this iteration (nil for other schemes).
	GHL *GHLLog `json:"ghl,omitempty"`
	// Angles is the mean within-class gradient angle (Eq. 18), radians.
	Angles []float64 `json:"angles,omitempty"`
	// Seconds since the start of training.
	Seconds float64 `json:"seconds"`
}
