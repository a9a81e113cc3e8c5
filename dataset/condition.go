package dataset

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/ghl-dev/ghl"
	"github.com/ghl-dev/ghl/dataset/cwru"
)

// LoadCondition names a motor load in horsepower as an operating condition:
// LoadCondition(2) is "2hp".
func LoadCondition(hp int) string { return strconv.Itoa(hp) + "hp" }

// CWRUFiles returns the catalogued CWRU files present at the top level of
// dir, in catalog order. It only looks at file names (no file is read), so
// a protocol can list its cells without loading data.
func CWRUFiles(dir string) []cwru.File {
	var out []cwru.File
	for _, f := range cwru.Catalog() {
		if st, err := os.Stat(filepath.Join(dir, f.Name())); err == nil && st.Mode().IsRegular() {
			out = append(out, f)
		}
	}
	return out
}

// LoadCWRUAll reads every catalogued CWRU recording in dir, whatever its
// load, each with its motor load as Condition ("0hp" … "3hp"). This is the
// corpus of the load-matched and cross-load protocols; the paper's protocol
// reads LoadCWRU's fixed selection instead. Classes are the paper's classes
// that have a recording here, in the paper's order, then any other
// catalogued class present (OF1@3, …) in catalog order. Files are checked
// against the catalog as LoadCWRU does; files not in the catalog are listed
// in a note and ignored.
func LoadCWRUAll(dir string, opt LoadOptions) (*Corpus, error) {
	files := CWRUFiles(dir)
	if len(files) == 0 {
		return nil, fmt.Errorf("load CWRU folder %s: %w: no catalogued CWRU file (97.mat, 105.mat, …) in it", dir, ghl.ErrBadInput)
	}
	c := &Corpus{Name: "cwru"}
	has := map[string]bool{}
	for _, f := range files {
		has[f.Class] = true
	}
	for _, cl := range cwru.PaperClasses {
		if has[cl] {
			c.Classes = append(c.Classes, cl)
		}
	}
	for _, f := range files {
		if !slices.Contains(c.Classes, f.Class) {
			c.Classes = append(c.Classes, f.Class)
		}
	}
	used := map[string]bool{}
	for _, f := range files {
		l, err := readCWRUFile(dir, f, opt, c)
		if err != nil {
			return nil, err
		}
		c.Recordings = append(c.Recordings, l)
		used[f.Name()] = true
	}
	// Recordings in label order, then by load, then by file number.
	slices.SortStableFunc(c.Recordings, func(a, b Labelled) int {
		if d := slices.Index(c.Classes, a.Class) - slices.Index(c.Classes, b.Class); d != 0 {
			return d
		}
		return CompareConditions(a.Condition, b.Condition)
	})
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", dir, err)
	}
	var ignored []string
	for _, e := range entries {
		if name := e.Name(); !used[name] && strings.EqualFold(filepath.Ext(name), ".mat") {
			ignored = append(ignored, name)
		}
	}
	if len(ignored) > 0 {
		c.Notes = append(c.Notes, "ignored (not in the CWRU catalog): "+strings.Join(ignored, ", "))
	}
	return c, nil
}

// CompareConditions orders condition names by their leading number when
// both have one ("2hp" before "10hp"), else by name; "" comes first.
func CompareConditions(a, b string) int {
	na, okA := leadingInt(a)
	nb, okB := leadingInt(b)
	if okA && okB && na != nb {
		return na - nb
	}
	return strings.Compare(a, b)
}

func leadingInt(s string) (int, bool) {
	i := 0
	for i < len(s) && (s[i] >= '0' && s[i] <= '9' || i == 0 && s[i] == '-') {
		i++
	}
	n, err := strconv.Atoi(s[:i])
	return n, err == nil
}

// Conditions returns the distinct non-empty conditions of c's recordings,
// ordered by CompareConditions.
func (c *Corpus) Conditions() []string {
	var out []string
	for _, l := range c.Recordings {
		if l.Condition != "" && !slices.Contains(out, l.Condition) {
			out = append(out, l.Condition)
		}
	}
	slices.SortFunc(out, CompareConditions)
	return out
}

// Subset returns a corpus with c's name, classes (so labels keep their
// meaning) and notes, holding the recordings keep accepts, in c's order. A
// class may end up with no recording: Build refuses such a corpus, Every
// accepts it.
func (c *Corpus) Subset(keep func(Labelled) bool) *Corpus {
	out := &Corpus{Name: c.Name, Classes: slices.Clone(c.Classes), Notes: slices.Clone(c.Notes)}
	for _, l := range c.Recordings {
		if keep(l) {
			out.Recordings = append(out.Recordings, l)
		}
	}
	return out
}

// Every cuts each recording of c into as many back-to-back,
// non-overlapping windows as it holds (ending at its last point), resampled,
// low-passed and normalised as Build does, for evaluation on whole
// recordings (the cross-load protocol's targets). The windows are the Test
// part of the result; Train and Val are empty. Unlike Build it accepts
// classes without recordings: they have no windows.
func Every(c *Corpus, name string, opt BuildOptions) (*SampleSet, error) {
	opt, err := opt.withDefaults()
	if err != nil {
		return nil, err
	}
	s := &SampleSet{Name: name, Classes: slices.Clone(c.Classes), Rate: opt.Rate, Window: opt.Window, Norm: opt.Norm,
		Notes: slices.Clone(c.Notes), Test: makeSamples(0, opt.Window)}
	cutoff := opt.Band
	if cutoff == 0 && !opt.NoLowPass {
		if cutoff, err = CommonBand(c, opt); err != nil {
			return nil, err
		}
	}
	perClass := make([]ClassLayout, len(c.Classes))
	for i := range perClass {
		perClass[i].Class = c.Classes[i]
	}
	for ri, l := range c.Recordings {
		ci := slices.Index(c.Classes, l.Class)
		if ci < 0 || l.Recording == nil || !(l.Recording.Rate > 0) {
			return nil, fmt.Errorf("corpus %s: %w: recording %d (class %q) has no sampling rate or an unknown class", c.Name, ghl.ErrBadInput, ri, l.Class)
		}
		lay, err := cutRecording(l, ci, 0, 0, allWindows, cutoff, opt, name, s, uint64(ri))
		if err != nil {
			return nil, err
		}
		s.Recordings = append(s.Recordings, lay)
		perClass[ci].Test += lay.Test
		perClass[ci].Recordings = append(perClass[ci].Recordings, lay.File)
	}
	s.PerClass = perClass
	return s, nil
}
