// Package recording reads vibration recordings (MATLAB MAT v5, CSV, NPY and
// WAV files) into plain float64 signals with their sampling rate, and
// resamples them to a common rate with an anti-aliasing filter.
//
// Read picks the reader by file extension. MAT files go through the
// hand-written subpackage matv5 (no MAT reader is served by the Go module
// proxy); NPY files through codeberg.org/sbinet/npyio and WAV files through
// github.com/go-audio/wav, both maintained readers. Because those two
// libraries trust the sizes in a file's header, Read checks the sizes
// against the file first and turns any panic of theirs into an error:
// no input file may crash the program or make it allocate without bound.
// Every error caused by a file's content wraps ghl.ErrBadInput and names
// the file; a variable, column or channel the file lacks wraps ghl.ErrUsage.
//
// Resample converts between any two rates with a polyphase FIR filter
// (Kaiser windowed sinc, exact rational ratio for integer rates), and
// LowPass applies the same filter design without a rate change, so that a
// data set can give every recording the same band edge (SPEC section 6):
// decimate the 48 kHz recordings with Resample, low-pass the 12 kHz ones at
// PassbandEdge(48000, 12000).
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
	//
	// For .mat it is a path into the file ("x", "s.data", "s(2).data",
	// "c{3}"; see matv5.File.Lookup). For .csv it is a header name (exact,
	// else case-insensitive) or a 1-based column number ("2").
	Variable string
	// Channel is the WAV channel to read (0-based).
	Channel int
}
