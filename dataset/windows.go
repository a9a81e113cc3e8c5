package dataset

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/ghl-dev/ghl"
	"github.com/ghl-dev/ghl/recording"
)

// ClassesFile is the sidecar that names the classes of a windowed dataset,
// one name per line in order of ascending label value: <file>.classes.txt
// beside the file (data.mat → data.classes.txt), else classes.txt there.
const ClassesFile = "classes.txt"

// WindowOptions says how to read a windowed-dataset file (LoadWindows).
type WindowOptions struct {
	// WindowsOptions names the matrix of windows and the label vector.
	recording.WindowsOptions
	// Classes names the classes in order of ascending label value (labels
	// 0, 1, 2 … are Classes[0], Classes[1] …); nil: from the ClassesFile
	// sidecar, else the label values themselves ("0", "1" …).
	Classes []string
	// Independent declares that the windows are not consecutive stretches
	// of one recording per class (they overlap, are shuffled or come from
	// several recordings): each window then gives one window, its first
	// BuildOptions.Window points after resampling, and the split counts
	// whole windows in file order (see Labelled.Segment).
	Independent bool
}

// IsWindowsFile reports whether path names a file Load reads as a windowed
// dataset (.mat, .npy or .npz).
func IsWindowsFile(path string) bool { return recording.IsWindowsFile(path) }

// LoadWindows reads a windowed dataset — a matrix of N windows of L points
// and a vector of N labels in a .mat, .npy or .npz file (see
// recording.ReadWindows) — as a corpus with the same sets and protocols as
// a folder of recordings.
//
// By default the windows of one class are taken to be consecutive,
// non-overlapping stretches of one recording, in file order (the common
// layout of such files: a recording cut into windows back to back). Each
// class becomes one recording: its windows concatenated in file order.
// Build then splits it in time as any recording — training windows from the
// start, validation and test windows from the end — resampling and
// low-passing it as usual, so no test window comes from the same stretch of
// signal as a training window.
//
// Windows that are not contiguous (they overlap, or come from several
// recordings) are declared with opt.Windows.Independent: each file window
// is then resampled and filtered on its own and gives one window, and the
// split counts whole windows in file order (test windows the last ones,
// then validation, a gap of at least one window — raise BuildOptions.Gap
// for windows that overlap by more than half — and training windows from
// the first). Shuffled windows cannot be split in time by any reader.
//
// Class names: opt.Windows.Classes, else the sidecar ClassesFile, else the
// label values; they are ordered as a folder's classes are (SortClasses:
// a healthy-sounding name first). The sampling rate is ResolveRate's
// (--input-rate, rate.txt beside the file, the model's, a sampling-rate
// scalar in a .mat beside the matrix); none is an error. Errors caused by
// the file wrap ghl.ErrBadInput and name it.
func LoadWindows(path string, opt LoadOptions) (*Corpus, error) {
	w, err := recording.ReadWindows(path, opt.Windows.WindowsOptions)
	if err != nil {
		if !errors.Is(err, ghl.ErrBadInput) && !errors.Is(err, ghl.ErrUsage) {
			err = fmt.Errorf("%w: %w", ghl.ErrBadInput, err)
		}
		return nil, fmt.Errorf("load %w", err)
	}
	values := slices.Clone(w.Y)
	slices.Sort(values)
	values = slices.Compact(values)
	names, err := windowClassNames(path, values, opt.Windows.Classes)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", path, err)
	}
	sidecar, sidecarPath, err := SidecarRate(filepath.Dir(path))
	if err != nil {
		return nil, err
	}
	desc := &recording.Recording{Path: path, Variable: w.Data, Stated: w.Stated, Scalars: w.Scalars}
	rate, err := ResolveRate(desc, w.N*w.L, RateInputs{Flag: opt.Rate, Sidecar: sidecar, SidecarPath: sidecarPath, Model: opt.ModelRate})
	if err != nil {
		return nil, fmt.Errorf("load %w", err)
	}
	classes := slices.Clone(names)
	SortClasses(classes)
	c := &Corpus{Name: "windows", Classes: classes}
	layout := "each class's windows joined in file order as one recording, split in time (declared contiguous; --independent-windows if they are not)"
	if opt.Windows.Independent {
		layout = "independent windows, split by whole windows in file order"
	}
	c.Notes = append(c.Notes, fmt.Sprintf("%s: %d windows of %d points (%s, labels %s) at %s; %s",
		filepath.Base(path), w.N, w.L, w.Data, w.Labels, rate, layout))
	c.Notes = append(c.Notes, rate.Notes...)
	for _, class := range classes {
		k := slices.Index(names, class)
		var x []float64
		for i, y := range w.Y {
			if y == values[k] {
				x = append(x, w.X[i*w.L:(i+1)*w.L]...)
			}
		}
		rec := &recording.Recording{Path: path, Variable: fmt.Sprintf("%s[%s=%s]", w.Data, w.Labels, label(values[k])), Rate: rate.Hz, Samples: x}
		l := Labelled{Class: class, Recording: rec, Rate: rate}
		if opt.Windows.Independent {
			l.Segment = w.L
		}
		c.Recordings = append(c.Recordings, l)
	}
	return c, nil
}

// label formats a label value.
func label(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// windowClassNames returns the name of each distinct label value (sorted
// ascending): given, from a sidecar, or the values themselves.
func windowClassNames(path string, values []float64, given []string) ([]string, error) {
	from := "the class names given"
	if len(given) == 0 {
		base := strings.TrimSuffix(path, filepath.Ext(path))
		for _, p := range []string{base + "." + ClassesFile, filepath.Join(filepath.Dir(path), ClassesFile)} {
			b, err := os.ReadFile(p)
			if errors.Is(err, os.ErrNotExist) {
				continue
			}
			if err != nil {
				return nil, fmt.Errorf("%w: %v", ghl.ErrBadInput, err)
			}
			for _, line := range strings.Split(string(b), "\n") {
				if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
					given = append(given, line)
				}
			}
			from = p
			break
		}
	}
	if len(given) == 0 {
		names := make([]string, len(values))
		for i, v := range values {
			names[i] = label(v)
		}
		return names, nil
	}
	seen := map[string]bool{}
	for _, n := range given {
		if seen[strings.ToLower(n)] {
			return nil, fmt.Errorf("%w: class name %q appears twice in %s", ghl.ErrUsage, n, from)
		}
		seen[strings.ToLower(n)] = true
	}
	if len(given) != len(values) {
		vals := make([]string, len(values))
		for i, v := range values {
			vals[i] = label(v)
		}
		return nil, fmt.Errorf("%w: %d class names in %s (%s) for %d label values (%s): give one name per label value, in ascending order",
			ghl.ErrUsage, len(given), from, strings.Join(given, ", "), len(values), strings.Join(vals, ", "))
	}
	return slices.Clone(given), nil
}
