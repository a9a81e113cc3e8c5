package dataset

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/ghl-dev/ghl"
	"github.com/ghl-dev/ghl/dataset/cwru"
	"github.com/ghl-dev/ghl/recording"
)

// RateFile is the name of the sidecar file that gives the sampling rate in
// Hz (one number) of a user folder's recordings: ROOT/<class>/rate.txt for
// one class, ROOT/rate.txt for all.
const RateFile = "rate.txt"

// healthyNames are the class folder names (case-insensitive) that sort
// first in a user folder, so that the healthy class is label 0 and the
// majority class of the named sets.
var healthyNames = []string{"nc", "normal", "healthy", "health", "baseline", "ok"}

// LoadOptions controls Load.
type LoadOptions struct {
	// Rate is the sampling rate in Hz of a user folder's recordings. When
	// > 0 it wins over rate.txt sidecars and over the rate the files state
	// (ResolveRate's order). CWRU folders ignore it: the catalog knows
	// their rates.
	Rate float64
	// ModelRate is the input rate a model file's data contract fixes (see
	// RateInputs.Model); 0: none.
	ModelRate float64
	// Read says what to read from each file of a user folder (variable,
	// channel, CSV separator …; the zero value chooses automatically, see
	// recording.Options).
	Read recording.Options
	// Windows says how to read a windowed-dataset file (see LoadWindows).
	Windows WindowOptions
	// SkipBad skips unreadable or non-recording files, listing each in the
	// corpus notes, instead of failing on the first one.
	SkipBad bool
	// RPM is the shaft speed in revolutions per minute of a user folder's
	// recordings. When > 0 it wins over rpm.txt sidecars (RPMFile). CWRU
	// folders ignore it: the catalog knows their loads and speeds.
	RPM float64
	// Strict makes a CWRU file that does not match its catalogued checksum
	// or length an error; by default it is a note (users may have other,
	// equally good copies).
	Strict bool
}

// Load reads the corpus in dir: a CWRU folder or a user folder.
//
// A folder holding at least one file of the paper's CWRU selection
// (cwru.Paper: 97.mat ... 3003.mat) at its top level is a CWRU folder; see
// LoadCWRU. Any other folder is a user folder ROOT/<class>/*.{mat,csv,npy,wav}:
// each sub-folder is a class named after it. Classes are ordered by name,
// except that a class named like a healthy condition (NC, normal, healthy,
// health, baseline, ok; any case) comes first: label 0 is the majority class
// of the named sample sets. Dot-files, dot-folders and rate.txt are ignored;
// any other file in a class folder must be a readable recording.
//
// A file (.mat, .npy or .npz) instead of a folder is a windowed dataset: a
// matrix of windows and a label vector (see LoadWindows).
//
// The sampling rate of a user recording is ResolveRate's: LoadOptions.Rate,
// ROOT/<class>/rate.txt, ROOT/rate.txt, LoadOptions.ModelRate, the rate the
// file states (WAV header, a sampling-rate scalar in a .mat), the CWRU
// catalog for a CWRU file; none of them is an error naming the file.
// Each recording's Labelled.Rate says where its rate came from.
//
// Load reads each recording once to check it (finite samples, a known rate)
// and keeps only its description: the corpus's recordings have nil Samples
// and an Open function (see Labelled), so memory stays bounded by one
// recording. Errors caused by the data wrap ghl.ErrBadInput and name the file.
func Load(dir string, opt LoadOptions) (*Corpus, error) {
	st, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w: %v", dir, ghl.ErrBadInput, err)
	}
	if !st.IsDir() {
		if IsWindowsFile(dir) {
			return LoadWindows(dir, opt)
		}
		return nil, fmt.Errorf("load %s: %w: not a folder (want a folder of recordings, or a windowed dataset: a .mat, .npy or .npz file)", dir, ghl.ErrBadInput)
	}
	if IsCWRU(dir) {
		return LoadCWRU(dir, opt)
	}
	return loadFolder(dir, opt)
}

// IsCWRU reports whether dir holds, at its top level, at least one file of
// the paper's CWRU selection.
func IsCWRU(dir string) bool {
	for _, f := range cwru.Paper() {
		if st, err := os.Stat(filepath.Join(dir, f.Name())); err == nil && st.Mode().IsRegular() {
			return true
		}
	}
	return false
}

// LoadCWRU reads a CWRU folder as the paper's 12 classes, in the order of
// cwru.PaperClasses. NC comes from whichever of 97.mat, 98.mat and 99.mat
// are present (a note says which); each fault class from its 2 hp file,
// which must be present. Each file is read with the drive-end variable the
// catalog names (so 99.mat's copy of 98's signal is never taken) and the
// catalog's sampling rate (48 kHz for the normal baseline); LoadOptions.Rate
// and Variable do not apply. A file that does not match its catalogued
// checksum or length, or lacks the catalogued variable but holds another
// drive-end signal, gets a note, or an error with Strict (users may have
// other copies). Other files in the folder are listed in a note and ignored.
func LoadCWRU(dir string, opt LoadOptions) (*Corpus, error) {
	c := &Corpus{Name: "cwru", Classes: slices.Clone(cwru.PaperClasses)}
	var present []cwru.File
	var missing, usedNC, absentNC []string
	used := map[string]bool{}
	for _, f := range cwru.Paper() {
		if _, err := os.Stat(filepath.Join(dir, f.Name())); err != nil {
			if f.Normal() {
				absentNC = append(absentNC, f.Name())
			} else {
				missing = append(missing, f.Name()+" ("+f.Class+")")
			}
			continue
		}
		present = append(present, f)
		used[f.Name()] = true
		if f.Normal() {
			usedNC = append(usedNC, f.Name())
		}
	}
	if len(usedNC) == 0 {
		missing = append([]string{strings.Join(absentNC, " or ") + " (NC)"}, missing...)
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("load CWRU folder %s: %w: missing %s (run 'ghl data fetch cwru %s')",
			dir, ghl.ErrBadInput, strings.Join(missing, ", "), dir)
	}
	for _, f := range present {
		l, err := readCWRUFile(dir, f, opt, c)
		if err != nil {
			return nil, err
		}
		c.Recordings = append(c.Recordings, l)
	}
	nc := "NC from " + strings.Join(usedNC, ", ")
	switch {
	case len(usedNC) == 1 && len(absentNC) > 0:
		nc = "NC from " + usedNC[0] + " only (" + strings.Join(absentNC, ", ") + " absent)"
	case len(absentNC) > 0:
		nc += " (" + strings.Join(absentNC, ", ") + " absent)"
	}
	c.Notes = append([]string{nc}, c.Notes...)
	if opt.Rate > 0 || opt.Read.Variable != "" {
		c.Notes = append(c.Notes, "the given sampling rate and variable were ignored: a CWRU folder's come from the catalog")
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", dir, err)
	}
	var ignored []string
	for _, e := range entries {
		name := e.Name()
		if !used[name] && strings.EqualFold(filepath.Ext(name), ".mat") {
			ignored = append(ignored, name)
		}
	}
	if len(ignored) > 0 {
		c.Notes = append(c.Notes, "ignored (not in the paper's protocol): "+strings.Join(ignored, ", "))
	}
	return c, nil
}

// readCWRUFile checks the catalogued file f in dir against the catalog and
// scans it, adding notes to c; the result carries f's class and load.
func readCWRUFile(dir string, f cwru.File, opt LoadOptions, c *Corpus) (Labelled, error) {
	path := filepath.Join(dir, f.Name())
	if err := cwru.Verify(path, f); err != nil {
		if opt.Strict || !errors.Is(err, cwru.ErrChecksum) {
			return Labelled{}, fmt.Errorf("load %w", err)
		}
		c.Notes = append(c.Notes, fmt.Sprintf("%v: differs from the catalogued CWRU file; used as it is", err))
	}
	catalog := func(*recording.Recording) (Rate, error) {
		return Rate{Hz: f.RateHz, Source: RateFromCatalog, Where: f.Name()}, nil
	}
	l, err := scan(path, recording.Options{Variable: f.Variable}, catalog)
	if err != nil && !opt.Strict {
		// Another copy may name its variable differently: accept the
		// drive-end signal the automatic choice finds, with a note.
		alt, altErr := scan(path, recording.Options{}, catalog)
		if altErr == nil && strings.HasSuffix(alt.Recording.Variable, "_DE_time") {
			c.Notes = append(c.Notes, fmt.Sprintf("%s: no %s, read %s instead", f.Name(), f.Variable, alt.Recording.Variable))
			l, err = alt, nil
		}
	}
	if err != nil {
		return Labelled{}, err
	}
	if f.Points > 0 && l.Points != f.Points {
		msg := fmt.Sprintf("%s: %s has %d points, the catalog says %d", path, f.Variable, l.Points, f.Points)
		if opt.Strict {
			return Labelled{}, fmt.Errorf("load %s: %w", msg, ghl.ErrBadInput)
		}
		c.Notes = append(c.Notes, msg)
	}
	l.Class, l.RPM = f.Class, f.RPM()
	l.Condition = LoadCondition(f.LoadHP)
	return l, nil
}

// loadFolder reads a user folder ROOT/<class>/*.
func loadFolder(root string, opt LoadOptions) (*Corpus, error) {
	entries, err := os.ReadDir(root)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w: %v", root, ghl.ErrBadInput, err)
	}
	var classes []string
	for _, e := range entries {
		if e.IsDir() && !strings.HasPrefix(e.Name(), ".") {
			classes = append(classes, e.Name())
		}
	}
	if len(classes) == 0 {
		return nil, fmt.Errorf("load %s: %w: no class folders (want ROOT/<class>/*.{mat,csv,npy,wav} or a CWRU folder with 97.mat, 132.mat, ...)", root, ghl.ErrBadInput)
	}
	SortClasses(classes)
	seen := map[string]string{}
	for _, class := range classes {
		k := strings.ToLower(class)
		if prev, ok := seen[k]; ok {
			return nil, fmt.Errorf("load %s: %w: class folders %q and %q differ only in case (one folder on case-insensitive file systems): merge or rename them", root, ghl.ErrBadInput, prev, class)
		}
		seen[k] = class
	}
	c := &Corpus{Name: "folder", Classes: classes}
	for _, class := range classes {
		dir := filepath.Join(root, class)
		sidecar, sidecarPath, err := SidecarRate(dir, root)
		if err != nil {
			return nil, err
		}
		in := RateInputs{Flag: opt.Rate, Sidecar: sidecar, SidecarPath: sidecarPath, Model: opt.ModelRate}
		rpm := opt.RPM
		if rpm == 0 {
			if rpm, _, err = SidecarRPM(dir, root); err != nil {
				return nil, err
			}
		}
		files, err := os.ReadDir(dir)
		if err != nil {
			return nil, fmt.Errorf("load %s: %w: %v", dir, ghl.ErrBadInput, err)
		}
		n := 0
		for _, e := range files {
			name := e.Name()
			if strings.HasPrefix(name, ".") || name == RateFile || name == RPMFile {
				continue
			}
			path := filepath.Join(dir, name)
			var l Labelled
			if e.IsDir() || !recording.Supported(name) {
				err = fmt.Errorf("load %s: %w: not a recording (want .mat, .csv, .npy or .wav): move it out of the class folder, or pass --skip-bad to skip it with a note", path, ghl.ErrBadInput)
			} else {
				l, err = scan(path, opt.Read, func(r *recording.Recording) (Rate, error) { return ResolveRate(r, len(r.Samples), in) })
			}
			if err != nil {
				if !opt.SkipBad {
					return nil, err
				}
				c.Notes = append(c.Notes, "skipped: "+err.Error())
				continue
			}
			l.Class, l.RPM = class, rpm
			c.Recordings = append(c.Recordings, l)
			c.Notes = append(c.Notes, l.Rate.Notes...)
			n++
		}
		if n == 0 {
			return nil, fmt.Errorf("load %s: %w: class folder %s holds no recordings", dir, ghl.ErrBadInput, class)
		}
	}
	c.Notes = append(c.Notes, rateSummary(c.Recordings)...)
	return c, nil
}

// rateSummary returns one note per distinct sampling rate and source:
// "sampling rate 48828 Hz (field bearing.sr of the file): 12 recordings".
func rateSummary(recs []Labelled) []string {
	var keys []string
	count := map[string]int{}
	for _, l := range recs {
		k := l.Rate.String()
		if count[k] == 0 {
			keys = append(keys, k)
		}
		count[k]++
	}
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = fmt.Sprintf("sampling rate %s: %d recording(s)", k, count[k])
	}
	return out
}

// HealthyLabel returns the label of the healthy class: 0 when the first
// class is named like a healthy condition (NC, normal, healthy, health,
// baseline, ok; any case), as SortClasses and the CWRU catalog put it,
// else -1 (no healthy class: false-alarm rates are not computed).
func HealthyLabel(classes []string) int {
	if len(classes) > 0 && slices.Contains(healthyNames, strings.ToLower(classes[0])) {
		return 0
	}
	return -1
}

// SortClasses sorts class names by name, except that names of a healthy
// condition (NC, normal, healthy, health, baseline, ok; any case) come
// first. This is the label order of a user folder.
func SortClasses(classes []string) {
	rank := func(s string) int {
		if slices.Contains(healthyNames, strings.ToLower(s)) {
			return 0
		}
		return 1
	}
	slices.SortFunc(classes, func(a, b string) int {
		if d := rank(a) - rank(b); d != 0 {
			return d
		}
		return strings.Compare(a, b)
	})
}

// scan reads the recording at path once to check it, resolves its rate
// with resolve, and returns its description with an Open function that
// reads it again (with the same rate). The rate's notes and the reader's
// (decimal commas …) are in the result's Rate.Notes.
func scan(path string, ropt recording.Options, resolve func(*recording.Recording) (Rate, error)) (Labelled, error) {
	read := func() (*recording.Recording, error) {
		r, err := recording.Read(path, ropt)
		if err != nil {
			if !errors.Is(err, ghl.ErrBadInput) && !errors.Is(err, ghl.ErrUsage) {
				err = fmt.Errorf("%w: %w", ghl.ErrBadInput, err)
			}
			return nil, fmt.Errorf("load %s: %w", path, err)
		}
		return r, nil
	}
	r, err := read()
	if err != nil {
		return Labelled{}, err
	}
	rate, err := resolve(r)
	if err != nil {
		return Labelled{}, fmt.Errorf("load %w", err)
	}
	for _, n := range r.Notes {
		rate.Notes = append(rate.Notes, path+": "+n)
	}
	open := func() (*recording.Recording, error) {
		r, err := read()
		if err != nil {
			return nil, err
		}
		r.Rate = rate.Hz
		return r, nil
	}
	desc := &recording.Recording{Path: r.Path, Variable: r.Variable, Rate: rate.Hz}
	return Labelled{Recording: desc, Points: len(r.Samples), Open: open, Rate: rate}, nil
}

// checkFinite returns an error naming the file if the recording is empty or
// holds a NaN or infinite sample (recording.Check).
func checkFinite(r *recording.Recording) error {
	if err := recording.Check(r.Samples); err != nil {
		return fmt.Errorf("load %s: %s: %w", r.Path, r.Variable, err)
	}
	return nil
}

// errNoSamples is the error of a Labelled with neither samples nor Open.
func errNoSamples(l Labelled) error {
	path := "?"
	if l.Recording != nil {
		path = l.Recording.Path
	}
	return fmt.Errorf("recording %s of class %s: %w: no samples and no Open function", path, l.Class, ghl.ErrBadInput)
}
