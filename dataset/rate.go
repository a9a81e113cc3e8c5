package dataset

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/ghl-dev/ghl"
	"github.com/ghl-dev/ghl/dataset/cwru"
	"github.com/ghl-dev/ghl/recording"
)

// RateSource says where a recording's sampling rate came from, in the order
// ResolveRate tries them.
type RateSource string

// The sources of a sampling rate, highest priority first.
const (
	// RateFromFlag is a rate the user gave for the command (--input-rate).
	RateFromFlag RateSource = "--input-rate"
	// RateFromSidecar is a rate.txt file (RateFile) beside the recording.
	RateFromSidecar RateSource = "rate.txt"
	// RateFromModel is the input rate a model file's data contract fixes.
	RateFromModel RateSource = "model"
	// RateFromFile is a rate the recording states (WAV header, a MAT
	// scalar named as a sampling rate: recording.RateNames).
	RateFromFile RateSource = "file"
	// RateFromCatalog is the CWRU catalog's rate for a CWRU file name
	// holding a CWRU variable (X105_DE_time).
	RateFromCatalog RateSource = "CWRU catalog"
)

// Plausibility bounds of a sampling rate that the user did not give
// explicitly (see ResolveRate).
const (
	// DefaultMinRate is the lowest plausible sampling rate of a vibration
	// recording, in Hz: twice 500 Hz, below which the bearing fault
	// frequencies of interest lie (an inner-race defect frequency of 5 to
	// 10 times a shaft rate of up to 60 Hz, and its first harmonics). A
	// shaft rate (25 Hz) taken as the sampling rate falls far below it.
	DefaultMinRate = 1000.0
	// MaxSeconds is the longest plausible recording: one day.
	MaxSeconds = 86400.0
)

// RateInputs are the places a sampling rate can come from other than the
// recording itself, and the plausibility bound. The zero value has none.
type RateInputs struct {
	// Flag is the rate the user gave for the command (--input-rate); 0:
	// none.
	Flag float64
	// Sidecar is the rate of a rate.txt file and SidecarPath its path (see
	// SidecarRate); 0: none.
	Sidecar     float64
	SidecarPath string
	// Model is the input rate a model file's data contract fixes; 0: none
	// (a model whose training rate came from the files themselves leaves
	// it 0, so each file's own rate counts).
	Model float64
	// MinRate is the lowest plausible rate of a rate not given explicitly
	// (0: DefaultMinRate).
	MinRate float64
}

// Rate is a resolved sampling rate and where it came from.
type Rate struct {
	// Hz is the rate.
	Hz float64 `json:"hz"`
	// Source is where it came from.
	Source RateSource `json:"source"`
	// Where details the source: the rate.txt path, the MAT field
	// ("field bearing.sr"), "WAV header", the catalog entry.
	Where string `json:"where,omitempty"`
	// Notes are what a user should know: a rate the file states that was
	// overridden, a rate given explicitly that looks implausible.
	Notes []string `json:"notes,omitempty"`
}

// Explicit reports whether the user gave the rate (flag or rate.txt).
func (r Rate) Explicit() bool { return r.Source == RateFromFlag || r.Source == RateFromSidecar }

// From says where the rate came from, without the rate: "--input-rate",
// "rate.txt ROOT/rate.txt", "file: field bearing.sr", "CWRU catalog".
func (r Rate) From() string {
	if r.Where == "" || r.Source == RateFromCatalog {
		return string(r.Source)
	}
	if r.Source == RateFromFile {
		return "file: " + r.Where
	}
	return string(r.Source) + " " + r.Where
}

// String says the rate and its source: "48828 Hz (field bearing.sr of the
// file)".
func (r Rate) String() string {
	switch r.Source {
	case RateFromFile:
		return fmt.Sprintf("%g Hz (%s of the file)", r.Hz, r.Where)
	case RateFromSidecar:
		return fmt.Sprintf("%g Hz (%s)", r.Hz, r.Where)
	case "":
		return fmt.Sprintf("%g Hz", r.Hz)
	}
	return fmt.Sprintf("%g Hz (%s)", r.Hz, r.Source)
}

// cwruVariable matches the signal names of CWRU files.
var cwruVariable = regexp.MustCompile(`^X\d+_(DE|FE|BA)_time$`)

// ResolveRate returns the sampling rate of a recording of points samples
// (rec's Samples may be nil), from the first source that gives one, in this
// order:
//
//  1. in.Flag, the rate the user gave for the command (--input-rate);
//  2. in.Sidecar, a rate.txt file (the recording's class folder, then the
//     data folder; beside the file for a single file);
//  3. in.Model, the input rate a model file's data contract fixes;
//  4. the rate the file states (rec.Stated): the WAV header, or MAT scalars
//     named as a sampling rate (recording.RateNames: fs, sr, sample_rate,
//     SamplingRate, …; never "rate") beside the signal in its struct, else
//     at the top level; several that disagree, or one that is not a
//     positive number, is an error naming them;
//  5. the CWRU catalog, for a file named like a catalogued CWRU file
//     (105.mat) whose signal is a CWRU variable (X105_DE_time).
//
// None of them is an error naming the file, the numeric scalars it holds
// and the fix. A rate from sources 3–5 that makes the recording
// implausible — below in.MinRate (DefaultMinRate, 1000 Hz) or longer than
// MaxSeconds (a day) — is an error saying so; the same rate given
// explicitly (1, 2) is used, with a note. A rate the file states that
// differs from the one used is a note. Errors wrap ghl.ErrBadInput.
func ResolveRate(rec *recording.Recording, points int, in RateInputs) (Rate, error) {
	r, err := pickRate(rec, in)
	if err != nil {
		return Rate{}, fmt.Errorf("%s: %w", rec.Path, err)
	}
	minRate := in.MinRate
	if minRate <= 0 {
		minRate = DefaultMinRate
	}
	var problem string
	switch seconds := float64(points) / r.Hz; {
	case r.Hz < minRate:
		problem = fmt.Sprintf("%s is below %g Hz, too low for bearing vibration (%d samples would last %.0f s)", r, minRate, points, seconds)
	case seconds > MaxSeconds:
		problem = fmt.Sprintf("at %s its %d samples would last %.1f days", r, points, seconds/86400)
	}
	if problem != "" {
		if !r.Explicit() {
			return Rate{}, fmt.Errorf("%s: %w: implausible sampling rate: %s; if the rate is right, give it with --input-rate or a %s file", rec.Path, ghl.ErrBadInput, problem, RateFile)
		}
		r.Notes = append(r.Notes, fmt.Sprintf("%s: %s (used, as given)", rec.Path, problem))
	}
	if st := recording.AgreedRate(rec.Stated); r.Source != RateFromFile && st > 0 && st != r.Hz {
		r.Notes = append(r.Notes, fmt.Sprintf("%s states %g Hz (%s) but %s gives %g Hz: using %g Hz", rec.Path, st, rec.Stated[0].Where, r.From(), r.Hz, r.Hz))
	}
	if f, ok := catalogRate(rec); ok && r.Source != RateFromCatalog && f != r.Hz {
		r.Notes = append(r.Notes, fmt.Sprintf("%s is catalogued by CWRU at %g Hz but %s gives %g Hz: using %g Hz", rec.Path, f, r.From(), r.Hz, r.Hz))
	}
	return r, nil
}

// pickRate returns the rate of the first source that has one.
func pickRate(rec *recording.Recording, in RateInputs) (Rate, error) {
	switch {
	case in.Flag > 0:
		return Rate{Hz: in.Flag, Source: RateFromFlag}, nil
	case in.Sidecar > 0:
		return Rate{Hz: in.Sidecar, Source: RateFromSidecar, Where: in.SidecarPath}, nil
	case in.Model > 0:
		return Rate{Hz: in.Model, Source: RateFromModel}, nil
	}
	if len(rec.Stated) > 0 {
		var list []string
		for _, s := range rec.Stated {
			list = append(list, fmt.Sprintf("%s = %g", s.Where, s.Hz))
		}
		hz := recording.AgreedRate(rec.Stated)
		switch {
		case hz > 0:
			return Rate{Hz: hz, Source: RateFromFile, Where: strings.Join(whereOf(rec.Stated), ", ")}, nil
		case len(rec.Stated) > 1:
			return Rate{}, fmt.Errorf("%w: the file states disagreeing sampling rates (%s): give the right one with --input-rate or a %s file", ghl.ErrBadInput, strings.Join(list, ", "), RateFile)
		default:
			return Rate{}, fmt.Errorf("%w: the file's sampling rate %s is not a positive rate in Hz: give the right one with --input-rate or a %s file", ghl.ErrBadInput, list[0], RateFile)
		}
	}
	if f, ok := catalogRate(rec); ok {
		return Rate{Hz: f, Source: RateFromCatalog, Where: filepath.Base(rec.Path)}, nil
	}
	seen := ""
	if len(rec.Scalars) > 0 {
		seen = " (it holds " + strings.Join(rec.Scalars, ", ") + ", none named as a sampling rate: " + strings.Join(recording.RateNames, ", ") + ", in any case, with or without underscores)"
	}
	return Rate{}, fmt.Errorf("%w: sampling rate unknown: no --input-rate, no %s, and the file states none%s: give it with --input-rate or a %s file in the class folder (or beside the file)",
		ghl.ErrBadInput, RateFile, seen, RateFile)
}

func whereOf(stated []recording.StatedRate) []string {
	out := make([]string, len(stated))
	for i, s := range stated {
		out[i] = s.Where
	}
	return out
}

// catalogRate returns the CWRU catalog's rate for a recording read from a
// catalogued file name whose signal is a CWRU variable.
func catalogRate(rec *recording.Recording) (float64, bool) {
	f, ok := cwru.LookupName(filepath.Base(rec.Path))
	if !ok || !cwruVariable.MatchString(rec.Variable) {
		return 0, false
	}
	return f.RateHz, true
}

// SidecarRate returns the rate of the first rate.txt (RateFile) found in
// dirs, in order, and its path; no file gives 0 and "". A file that is not
// one positive number (optionally followed by "Hz") is an error wrapping
// ghl.ErrBadInput.
func SidecarRate(dirs ...string) (float64, string, error) {
	return sidecarNumber(RateFile, "Hz", "a sampling rate in Hz such as 12000", dirs)
}

// sidecarNumber returns the number in the first file called name found in
// dirs and its path (0 and "" when there is none). The number may be
// followed by unit; anything else, or a number that is not positive and
// finite, is an error wrapping ghl.ErrBadInput that says want.
func sidecarNumber(name, unit, want string, dirs []string) (float64, string, error) {
	for _, d := range dirs {
		path := filepath.Join(d, name)
		b, err := os.ReadFile(path)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return 0, "", fmt.Errorf("read %s: %w: %v", path, ghl.ErrBadInput, err)
		}
		s := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(string(b)), unit))
		r, err := strconv.ParseFloat(s, 64)
		if err != nil || !(r > 0) || math.IsInf(r, 0) {
			return 0, "", fmt.Errorf("read %s: %w: want %s, got %q", path, ghl.ErrBadInput, want, strings.TrimSpace(string(b)))
		}
		return r, path, nil
	}
	return 0, "", nil
}
