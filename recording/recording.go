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
	// Rate is the sampling rate in Hz; 0 when the file does not say (or
	// its statements disagree: see Stated). A loader may replace it with
	// the rate it resolved (dataset.ResolveRate).
	Rate float64
	// Stated lists every sampling rate the file states, with where: the
	// WAV header, or each MAT scalar whose name says sampling rate (see
	// RateNames) in the scope of the signal. Rate is their common value
	// when they agree and are positive; otherwise Rate is 0 and the
	// resolver reports them.
	Stated []StatedRate
	// Scalars lists the other numeric scalars of that MAT scope ("bearing.rate
	// = 25"), which are not taken as a sampling rate; for messages.
	Scalars []string
	// Notes are choices the reader made that a user should see
	// ("decimal commas detected").
	Notes []string
	// Samples holds the signal.
	Samples []float64
}

// StatedRate is a sampling rate a file states.
type StatedRate struct {
	// Hz is the value as stored (not checked: the resolver refuses a value
	// that is not a positive finite rate).
	Hz float64
	// Where names it in the file: "WAV header", "field bearing.sr",
	// "variable fs".
	Where string
}

// Options says what to read from a file. The zero value chooses
// automatically.
//
// Every number that selects something is 0-based: Channel 0 is a WAV
// file's first channel, a CSV file's first column, a matrix's first
// column. Names (Variable) select by name only.
type Options struct {
	// Variable names what to read; "" chooses: the only numeric vector,
	// else the first one (for .mat, a variable ending in _DE_time that
	// matches the file number, as CWRU files need).
	//
	// For .mat it is a path into the file ("x", "s.data", "s(2).data",
	// "c{3}"; see matv5.File.Lookup). For .csv it is a header name (exact,
	// else case-insensitive); a column is picked by number with Channel.
	Variable string
	// Channel is the channel to read, 0-based: a WAV channel, a CSV
	// column, or a channel of a 2-D .npy/.mat array (channels run along
	// its shorter side). It only counts for CSV files and arrays when
	// PickChannel is set; a WAV file's channel 0 is read by default.
	Channel int
	// PickChannel says Channel was chosen by the user. Without it, a CSV
	// file of several columns or a 2-D array of several channels is an
	// error asking for one.
	PickChannel bool
	// Delimiter is the CSV field separator; 0 detects it from the first
	// content line: ';', else ',', else a tab, else runs of white space.
	Delimiter rune
	// DecimalComma reads "1,5" as 1.5 in a CSV file. Without it, a file
	// separated by ';' whose numbers have a comma and never a point is
	// read with decimal commas (a note says so); any
	// other comma inside a number is an error.
	DecimalComma bool
	// AllowIncreasing reads a signal that is strictly increasing. By
	// default it is refused: a strictly increasing column or vector is a
	// time or index axis, never a vibration signal, and reading it as one
	// silently gives meaningless results.
	AllowIncreasing bool
}
