package recording

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"

	"github.com/ghl-dev/ghl"
)

// extensions lists the file extensions Read understands.
var extensions = []string{".mat", ".csv", ".npy", ".wav"}

// Extensions returns the file extensions Read understands, lower-case with
// the dot: .mat, .csv, .npy, .wav.
func Extensions() []string { return append([]string(nil), extensions...) }

// Supported reports whether Read understands the extension of path
// (compared case-insensitively).
func Supported(path string) bool {
	ext := strings.ToLower(filepath.Ext(path))
	for _, e := range extensions {
		if e == ext {
			return true
		}
	}
	return false
}

// Read reads one channel of the recording in the file at path, choosing
// the reader by the file's extension (case-insensitive). Every selector is
// 0-based (Options.Channel); names select by name.
//
//   - .mat: a MATLAB v5/v7 file (package matv5). opt.Variable names the
//     array (a path such as "x", "s.data" or "c{2}"); "" applies
//     matv5.ChooseSignal, the CWRU rule. A matrix (both sides longer than
//     1) is read only when opt.PickChannel picks a channel; a file holding
//     a matrix and no Variable named is otherwise an error pointing to the
//     windowed-dataset reader (ReadWindows). Stated: the scalars whose
//     name says sampling rate (RateNames) among the fields of the signal's
//     struct, else among the top-level variables.
//   - .csv: read with encoding/csv (quotes, separators inside quotes); one
//     column, the column opt.Variable names in a header row, or column
//     opt.Channel with opt.PickChannel; separator and decimal comma as
//     Options says; blank lines and lines starting with # are skipped.
//     Rate is 0.
//   - .npy: a 1-D array, a 2-D array with one column or row, or a channel
//     of a 2-D array, of float32, float64 or (unsigned) integers of any
//     width. Rate is 0.
//   - .wav: PCM 8/16/24/32-bit or IEEE float 32-bit; channel opt.Channel;
//     PCM is scaled to [-1, 1). Rate from the header.
//
// The samples are checked: an empty signal or a NaN or infinite sample is
// an error wrapping ghl.ErrBadInput that names the file (and the index of
// the first bad sample); so is a strictly increasing signal of at least
// MinIncreasing samples (a time or index column) unless
// opt.AllowIncreasing. Every error caused by the file's content wraps
// ghl.ErrBadInput; a variable, column or channel that the file does not
// have, or an unknown extension, wraps ghl.ErrUsage.
func Read(path string, opt Options) (*Recording, error) {
	ext := strings.ToLower(filepath.Ext(path))
	if !Supported(path) {
		return nil, fmt.Errorf("read %s: %w: unknown file type %q (supported: %s)", path, ghl.ErrUsage, ext, strings.Join(extensions, ", "))
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	rec, err := decode(ext, path, data, opt)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return rec, nil
}

// decode reads a recording of type ext from data; path is only used for
// messages and the MAT file-number rule.
func decode(ext, path string, data []byte, opt Options) (*Recording, error) {
	if opt.Channel < 0 {
		return nil, fmt.Errorf("%w: channel %d is negative", ghl.ErrUsage, opt.Channel)
	}
	var (
		rec *Recording
		err error
	)
	switch ext {
	case ".mat":
		rec, err = decodeMAT(path, data, opt)
	case ".csv":
		rec, err = decodeCSV(data, opt)
	case ".npy":
		rec, err = decodeNPY(data, opt)
	case ".wav":
		rec, err = decodeWAV(data, opt)
	default:
		err = fmt.Errorf("%w: unknown file type %q (supported: %s)", ghl.ErrUsage, ext, strings.Join(extensions, ", "))
	}
	if err != nil {
		return nil, err
	}
	rec.Path = path
	if err := Check(rec.Samples); err != nil {
		return nil, err
	}
	if !opt.AllowIncreasing && len(rec.Samples) >= MinIncreasing && increasing(rec.Samples) {
		what := "the signal"
		if rec.Variable != "" {
			what = rec.Variable
		}
		return nil, badInput("%s is strictly increasing (%g to %g): a time or index axis, not a vibration signal; "+
			"pick the signal with --variable NAME or --channel N (0-based), or pass --allow-increasing if it really is one", what, rec.Samples[0], rec.Samples[len(rec.Samples)-1])
	}
	return rec, nil
}

// MinIncreasing is the shortest strictly increasing signal Read refuses
// (see Options.AllowIncreasing); shorter ones are too short for a window.
const MinIncreasing = 16

// increasing reports whether every sample is larger than the one before.
func increasing(x []float64) bool {
	for i := 1; i < len(x); i++ {
		if !(x[i] > x[i-1]) {
			return false
		}
	}
	return true
}

// Check returns an error wrapping ghl.ErrBadInput if x is empty or holds
// a NaN or infinite value, naming the index of the first one.
func Check(x []float64) error {
	if len(x) == 0 {
		return fmt.Errorf("%w: no samples", ghl.ErrBadInput)
	}
	for i, v := range x {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("%w: sample %d (0-based) of %d is %v", ghl.ErrBadInput, i, len(x), v)
		}
	}
	return nil
}

// badInput returns an error wrapping ghl.ErrBadInput.
func badInput(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ghl.ErrBadInput, fmt.Sprintf(format, args...))
}

// guard runs f and turns a panic inside a third-party parser (npyio,
// go-audio) into an error wrapping ghl.ErrBadInput: malformed input must
// never crash the program. Our own code is fuzzed not to panic; this only
// shields us from the libraries.
func guard(what string, f func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = badInput("malformed %s file (the parser failed: %v)", what, r)
		}
	}()
	return f()
}
