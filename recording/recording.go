// Package recording reads vibration recordings (MATLAB MAT v5, CSV, NPY and
// WAV files) into plain float64 signals with their sampling rate, and
// resamples them to a common rate with an anti-aliasing filter.
package recording

// Recording is one channel of a vibration signal read from a file.
type Recording struct {
	// Path is the file the signal was read from.
	Path string
	// Variable names what was read inside the file: a MAT variable, a CSV
	// column, a WAV channel ("ch0") or "" for a one-array NPY file.
	Variable string
	// Rate is the sampling rate in Hz; 0 when the file does not say.
	Rate float64
	// Samples holds the signal.
	Samples []float64
}

// Options says what to read from a file. The zero value chooses
// automatically.
type Options struct {
	// Variable is the MAT variable or CSV column to read; "" chooses: the
	// only numeric vector, else the first one (for .mat, a variable ending in
	// _DE_time that matches the file number, as CWRU files need).
	Variable string
	// Channel is the WAV channel to read (0-based).
	Channel int
}
