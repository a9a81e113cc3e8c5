package dataset

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ghl-dev/ghl"
	"github.com/ghl-dev/ghl/dataset/cwru"
	"github.com/ghl-dev/ghl/internal/realdata"
)

// matVar is one variable of a test MAT file: a double column vector, or a
// char array when Text is set.
type matVar struct {
	Name string
	Data []float64
	Text string
}

// encodeMAT writes a little-endian MAT v5 file (uncompressed miMATRIX
// elements, as CWRU's files are).
func encodeMAT(vars ...matVar) []byte {
	var b bytes.Buffer
	head := make([]byte, 128)
	copy(head, "MATLAB 5.0 MAT-file, written by the ghl dataset tests")
	for i := len("MATLAB 5.0 MAT-file, written by the ghl dataset tests"); i < 116; i++ {
		head[i] = ' '
	}
	binary.LittleEndian.PutUint16(head[124:], 0x0100)
	copy(head[126:], "IM")
	b.Write(head)
	le := binary.LittleEndian
	elem := func(w *bytes.Buffer, typ uint32, data []byte) {
		binary.Write(w, le, typ)
		binary.Write(w, le, uint32(len(data)))
		w.Write(data)
		for w.Len()%8 != 0 {
			w.WriteByte(0)
		}
	}
	for _, v := range vars {
		var m bytes.Buffer
		class, n := uint32(6), len(v.Data) // mxDOUBLE_CLASS
		if v.Text != "" {
			class, n = 4, len(v.Text) // mxCHAR_CLASS
		}
		flags := make([]byte, 8)
		le.PutUint32(flags, class)
		elem(&m, 6, flags) // miUINT32
		dims := make([]byte, 8)
		le.PutUint32(dims, uint32(n))
		le.PutUint32(dims[4:], 1)
		elem(&m, 5, dims) // miINT32
		elem(&m, 1, []byte(v.Name))
		if v.Text != "" {
			data := make([]byte, 2*n)
			for i, r := range []byte(v.Text) {
				le.PutUint16(data[2*i:], uint16(r))
			}
			elem(&m, 4, data) // miUINT16
		} else {
			data := make([]byte, 8*n)
			for i, x := range v.Data {
				le.PutUint64(data[8*i:], math.Float64bits(x))
			}
			elem(&m, 9, data) // miDOUBLE
		}
		elem(&b, 14, m.Bytes()) // miMATRIX
	}
	return b.Bytes()
}

// noise returns n deterministic, non-constant samples.
func noise(n int, seed uint64) []float64 {
	x := make([]float64, n)
	s := seed*2654435761 + 1
	for i := range x {
		s = s*6364136223846793005 + 1442695040888963407
		x[i] = float64(int64(s>>11))/float64(1<<52) - 1
	}
	return x
}

// linkCWRU makes a folder with symbolic links to the real files named.
func linkCWRU(t *testing.T, src string, names ...string) string {
	t.Helper()
	dir := t.TempDir()
	for _, n := range names {
		if err := os.Symlink(filepath.Join(src, n), filepath.Join(dir, n)); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// paperFaults lists the file names of the paper's eleven fault files.
func paperFaults() []string {
	var out []string
	for _, f := range cwru.Paper() {
		if !f.Normal() {
			out = append(out, f.Name())
		}
	}
	return out
}

func TestLoadCWRUReal(t *testing.T) {
	src := realdata.CWRU(t)
	c, err := Load(src, LoadOptions{Strict: true})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(c.Classes, cwru.PaperClasses) {
		t.Errorf("classes %v", c.Classes)
	}
	if len(c.Recordings) != 12 {
		t.Fatalf("%d recordings, want 12", len(c.Recordings))
	}
	for _, l := range c.Recordings {
		f, _ := cwru.LookupName(filepath.Base(l.Recording.Path))
		if l.Class != f.Class || l.Recording.Variable != f.Variable || l.Len() != f.Points || l.Recording.Rate != f.RateHz {
			t.Errorf("%s: class %s, %s, %d points at %g Hz; want %s, %s, %d at %g",
				f.Name(), l.Class, l.Recording.Variable, l.Len(), l.Recording.Rate, f.Class, f.Variable, f.Points, f.RateHz)
		}
	}
	if c.Notes[0] != "NC from 97.mat only (98.mat, 99.mat absent)" {
		t.Errorf("first note %q", c.Notes[0])
	}
	s, err := Build(c, mustSet(t, "set2"), BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got := s.TrainCounts(); got[0] != 3200 || got[1] != 16 || s.Test.Len() != 108 || s.Val.Len() != 12*DefaultVal {
		t.Errorf("set2: train %v, %d test, %d val", got, s.Test.Len(), s.Val.Len())
	}
	if nc := s.Recordings[0]; nc.ResampledPoints != 243938/4 && nc.ResampledPoints != 243938/4+1 {
		t.Errorf("97.mat at 12 kHz has %d points, want about %d", nc.ResampledPoints, 243938/4)
	}
}

// TestLoadCWRUSeveralNormal fakes 98.mat (the real one is not here) to check
// that NC takes its windows from every normal recording present, in
// proportion to length, and that a file unlike the catalogued one is a
// note by default and an error with Strict.
func TestLoadCWRUSeveralNormal(t *testing.T) {
	src := realdata.CWRU(t)
	dir := linkCWRU(t, src, append([]string{"97.mat"}, paperFaults()...)...)
	fake := encodeMAT(matVar{Name: "X098_DE_time", Data: noise(2*243938, 98)}, matVar{Name: "X098RPM", Data: []float64{1772}})
	if err := os.WriteFile(filepath.Join(dir, "98.mat"), fake, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "105.mat"), fake, 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := Load(dir, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	notes := strings.Join(c.Notes, "\n")
	for _, want := range []string{"NC from 97.mat, 98.mat (99.mat absent)", "98.mat: bad input data: checksum mismatch", "ignored (not in the paper's protocol): 105.mat", "X098_DE_time has 487876 points, the catalog says 483903"} {
		if !strings.Contains(notes, want) {
			t.Errorf("notes %q do not say %q", notes, want)
		}
	}
	s, err := Build(c, mustSet(t, "set1"), BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	r97, r98 := s.Recordings[0], s.Recordings[1]
	if r97.File != "97.mat" || r98.File != "98.mat" || r97.Train+r98.Train != 3200 || r98.Train < 2*r97.Train-2 || r98.Train > 2*r97.Train+2 {
		t.Errorf("NC split 97: %d, 98: %d; want 1:2 summing to 3200", r97.Train, r98.Train)
	}
	if got := s.PerClass[0].Recordings; !slices.Equal(got, []string{"97.mat", "98.mat"}) {
		t.Errorf("NC recordings %v", got)
	}
	_, err = Load(dir, LoadOptions{Strict: true})
	if !errors.Is(err, cwru.ErrChecksum) || !strings.Contains(err.Error(), "98.mat") {
		t.Errorf("Strict load of a fake 98.mat: %v, want a checksum error naming it", err)
	}
}

func TestLoadBadMAT(t *testing.T) {
	good := encodeMAT(matVar{Name: "acc", Data: noise(4000, 1)})
	for _, tc := range []struct {
		name string
		data []byte
		say  string
	}{
		{"truncated", good[:len(good)/2], "b.mat"},
		{"no numeric vector", encodeMAT(matVar{Name: "label", Text: "outer race"}), "b.mat"},
		{"not a MAT file", []byte("hello, world"), "b.mat"},
		{"NaN sample", encodeMAT(matVar{Name: "acc", Data: append(noise(100, 2), math.NaN())}), "sample 100"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			for _, d := range []string{"A", "B"} {
				os.MkdirAll(filepath.Join(root, d), 0o755)
				os.WriteFile(filepath.Join(root, d, "a.mat"), good, 0o644)
			}
			os.WriteFile(filepath.Join(root, "B", "b.mat"), tc.data, 0o644)
			c, err := Load(root, LoadOptions{Rate: 12000})
			if !errors.Is(err, ghl.ErrBadInput) || c != nil {
				t.Fatalf("Load = %v, %v; want ErrBadInput", c, err)
			}
			if !strings.Contains(err.Error(), tc.say) || strings.Contains(err.Error(), "\n") {
				t.Errorf("error %q: want one line saying %q", err, tc.say)
			}
			c, err = Load(root, LoadOptions{Rate: 12000, SkipBad: true})
			if err != nil || len(c.Recordings) != 2 {
				t.Fatalf("SkipBad: %v, %v", c, err)
			}
		})
	}
}

func mustSet(t *testing.T, name string) SetSpec {
	t.Helper()
	s, err := ParseSet(name)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestLoadRatePrecedence checks option > class rate.txt > ROOT/rate.txt >
// the rate the file states (a .mat "fs" variable).
func TestLoadRatePrecedence(t *testing.T) {
	mat := encodeMAT(matVar{Name: "acc", Data: noise(3000, 3)}, matVar{Name: "fs", Data: []float64{8000}})
	for _, tc := range []struct {
		name     string
		rootRate string
		clsRate  string
		opt      float64
		want     float64
	}{
		{"file", "", "", 0, 8000},
		{"root rate.txt", "24000", "", 0, 24000},
		{"class rate.txt", "24000", "48000", 0, 48000},
		{"option", "24000", "48000", 96000, 96000},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			os.MkdirAll(filepath.Join(root, "A"), 0o755)
			os.WriteFile(filepath.Join(root, "A", "a.mat"), mat, 0o644)
			if tc.rootRate != "" {
				os.WriteFile(filepath.Join(root, RateFile), []byte(tc.rootRate), 0o644)
			}
			if tc.clsRate != "" {
				os.WriteFile(filepath.Join(root, "A", RateFile), []byte(tc.clsRate), 0o644)
			}
			c, err := Load(root, LoadOptions{Rate: tc.opt})
			if err != nil {
				t.Fatal(err)
			}
			if got := c.Recordings[0].Recording.Rate; got != tc.want {
				t.Errorf("rate %g, want %g", got, tc.want)
			}
			if v := c.Recordings[0].Recording.Variable; v != "acc" {
				t.Errorf("variable %q, want acc (the signal, not the fs scalar)", v)
			}
		})
	}
}
