package matv5_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ghl-dev/ghl"
	"github.com/ghl-dev/ghl/internal/matenc"
	"github.com/ghl-dev/ghl/recording/matv5"
)

var update = flag.Bool("update", false, "rewrite the MAT fixtures in ../testdata")

// fixtureDir holds the committed fixtures, shared with package recording.
const fixtureDir = "../testdata"

// wave is a deterministic test signal.
func wave(n int, f float64) []float64 {
	x := make([]float64, n)
	for i := range x {
		x[i] = 3*math.Sin(f*float64(i)) + 0.25*math.Cos(0.37*float64(i)) + float64(i)/float64(n)
	}
	return x
}

// storage lists every numeric class with its natural storage type and
// values that type holds exactly.
var storage = []struct {
	class, typ uint32
	vals       []float64
}{
	{matenc.MxDOUBLE, matenc.MiDOUBLE, []float64{-1.5, 0, 3.25e10, math.SmallestNonzeroFloat64}},
	{matenc.MxSINGLE, matenc.MiSINGLE, []float64{-1.5, 0, 0.25, 1 << 20}},
	{matenc.MxINT8, matenc.MiINT8, []float64{-128, 0, 1, 127}},
	{matenc.MxUINT8, matenc.MiUINT8, []float64{0, 1, 200, 255}},
	{matenc.MxINT16, matenc.MiINT16, []float64{-32768, -1, 2, 32767}},
	{matenc.MxUINT16, matenc.MiUINT16, []float64{0, 1, 1750, 65535}},
	{matenc.MxINT32, matenc.MiINT32, []float64{-2147483648, -5, 6, 2147483647}},
	{matenc.MxUINT32, matenc.MiUINT32, []float64{0, 7, 1 << 31, 4294967295}},
	{matenc.MxINT64, matenc.MiINT64, []float64{-(1 << 62), -9, 10, 1 << 53}},
	{matenc.MxUINT64, matenc.MiUINT64, []float64{0, 11, 1 << 40, 1 << 63}},
	// MATLAB stores double arrays of small integers in the smallest type.
	{matenc.MxDOUBLE, matenc.MiUINT8, []float64{0, 1, 2, 255}},
	{matenc.MxDOUBLE, matenc.MiINT16, []float64{-3, 1, 2, 300}},
	{matenc.MxDOUBLE, matenc.MiUINT16, []float64{1797, 1, 2, 65535}},
	{matenc.MxDOUBLE, matenc.MiINT32, []float64{-70000, 1, 2, 3}},
}

// fixtures returns the committed MAT fixtures, built by the test encoder.
func fixtures() map[string][]byte {
	le, be := matenc.LE, matenc.BE
	sparse := le.Matrix(matenc.MxSPARSE, 0, []int{3, 3}, "sp",
		le.Elem(matenc.MiINT32, le.Values(matenc.MiINT32, []float64{0, 2})),
		le.Elem(matenc.MiINT32, le.Values(matenc.MiINT32, []float64{0, 1, 1, 2})),
		le.Elem(matenc.MiDOUBLE, le.Values(matenc.MiDOUBLE, []float64{5, 6})))
	bigVars := [][]byte{
		be.Numeric("x", matenc.MxDOUBLE, matenc.MiDOUBLE, []int{300, 1}, wave(300, 0.05)),
		be.Matrix(matenc.MxDOUBLE, matenc.FlagComplex, []int{1, 2}, "z",
			be.Elem(matenc.MiDOUBLE, be.Values(matenc.MiDOUBLE, []float64{1, 2})),
			be.Elem(matenc.MiDOUBLE, be.Values(matenc.MiDOUBLE, []float64{-1, -2}))),
		be.Numeric("X010RPM", matenc.MxDOUBLE, matenc.MiUINT16, []int{1, 1}, []float64{1797}),
	}
	for i, s := range storage {
		bigVars = append(bigVars, be.Numeric(fmt.Sprintf("t%d", i), s.class, s.typ, []int{1, 4}, s.vals))
	}
	return map[string][]byte{
		// A MATLAB v7 file: every variable zlib-compressed, a nested struct.
		"v7struct.mat": le.File(
			le.Compressed(le.Structure("s", []string{"data", "fs", "name", "meta"},
				le.Numeric("", matenc.MxDOUBLE, matenc.MiDOUBLE, []int{500, 1}, wave(500, 0.05)),
				le.Numeric("", matenc.MxDOUBLE, matenc.MiUINT16, []int{1, 1}, []float64{25600}),
				le.Char("", "bearing A"),
				le.Structure("", []string{"gain"}, le.Numeric("", matenc.MxINT16, matenc.MiINT16, []int{1, 1}, []float64{-3})))),
			le.Compressed(le.Matrix(matenc.MxCELL, 0, []int{1, 2}, "c",
				le.Numeric("", matenc.MxINT16, matenc.MiINT16, []int{1, 4}, []float64{1, -2, 3, -4}),
				le.Numeric("", matenc.MxSINGLE, matenc.MiSINGLE, []int{3, 1}, []float64{0.5, 1.5, 2.5}))),
			le.Compressed(le.Matrix(matenc.MxUINT8, matenc.FlagLogical, []int{1, 3}, "flag", le.Auto(matenc.MiUINT8, []byte{1, 0, 1}))),
			le.Compressed(sparse)),
		// A file from a big-endian machine with every storage type.
		"bigendian.mat": be.File(bigVars...),
		// CWRU's layout: two drive-end signals (99.mat carries a copy of
		// 98's) and an RPM double stored as a small miUINT16 element.
		"cwru99.mat": le.File(
			le.Numeric("X098_DE_time", matenc.MxDOUBLE, matenc.MiDOUBLE, []int{200, 1}, wave(200, 0.2)),
			le.Numeric("X099_DE_time", matenc.MxDOUBLE, matenc.MiDOUBLE, []int{180, 1}, wave(180, 0.05)),
			le.Numeric("X099RPM", matenc.MxDOUBLE, matenc.MiUINT16, []int{1, 1}, []float64{1750})),
		// A signal with a NaN sample, for the recording package's checks.
		"nan.mat": le.File(le.Numeric("acc", matenc.MxDOUBLE, matenc.MiDOUBLE, []int{1, 5}, []float64{1, 2, math.NaN(), 4, 5})),
		"v4.mat":  v4File(),
		"v73.mat": v73File(),
	}
}

// v4File is a MAT v4 file holding x = [1;2;3].
func v4File() []byte {
	b := binary.LittleEndian.AppendUint32(nil, 0) // MOPT 0000: little-endian double full
	for _, v := range []uint32{3, 1, 0, 2} {      // rows, cols, imagf, namlen
		b = binary.LittleEndian.AppendUint32(b, v)
	}
	b = append(b, 'x', 0)
	return append(b, matenc.LE.Values(matenc.MiDOUBLE, []float64{1, 2, 3})...)
}

// v73File is the start of a MAT v7.3 file: text header, then HDF5.
func v73File() []byte {
	h := matenc.LE.Header("MATLAB 7.3 MAT-file, Platform: GLNXA64, Created on: Mon Jan  1 00:00:00 2024 HDF5 schema 1.00 .")
	binary.LittleEndian.PutUint16(h[124:], 0x0200)
	b := append(h, make([]byte, 512-len(h))...)
	return append(b, append([]byte("\x89HDF\r\n\x1a\n"), make([]byte, 24)...)...)
}

// TestFixturesUpToDate writes the fixtures under -update, else checks that
// the committed ones decode like freshly encoded ones.
func TestFixturesUpToDate(t *testing.T) {
	for name, want := range fixtures() {
		path := filepath.Join(fixtureDir, name)
		if *update {
			if err := os.WriteFile(path, want, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test ./recording/matv5 -run TestFixturesUpToDate -update)", err)
		}
		if !strings.HasPrefix(name, "v7") && !bytes.Equal(got, want) {
			t.Errorf("%s differs from the encoder's output: rerun with -update", name)
		}
	}
}

// pathValues is a path into a file and the values it must hold.
type pathValues struct {
	path string
	want []float64
}

// checkValues looks up every path and compares its values.
func checkValues(t *testing.T, f *matv5.File, cases []pathValues) {
	t.Helper()
	for _, tc := range cases {
		v, err := f.Lookup(tc.path)
		if err != nil {
			t.Errorf("Lookup(%q): %v", tc.path, err)
			continue
		}
		if !slices.Equal(v.Real, tc.want) {
			t.Errorf("%s = %v, want %v", tc.path, v.Real, tc.want)
		}
	}
}

func decodeFixture(t *testing.T, name string) *matv5.File {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(fixtureDir, name))
	if err != nil {
		t.Fatal(err)
	}
	f, err := matv5.Decode(data)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return f
}

func TestV7StructFixture(t *testing.T) {
	f := decodeFixture(t, "v7struct.mat")
	if !f.Compressed || f.BigEndian {
		t.Errorf("Compressed=%v BigEndian=%v, want compressed little-endian", f.Compressed, f.BigEndian)
	}
	var names []string
	for _, v := range f.Vars {
		names = append(names, v.Name+":"+v.Class.String())
	}
	if want := []string{"s:struct", "c:cell", "flag:uint8", "sp:sparse"}; !slices.Equal(names, want) {
		t.Errorf("variables %v, want %v", names, want)
	}
	x, err := f.Numeric("s.data")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(x, wave(500, 0.05)) {
		t.Error("s.data differs from what was written")
	}
	checkValues(t, f, []pathValues{
		{"s.fs", []float64{25600}},
		{"s.meta.gain", []float64{-3}},
		{"s(1).meta(1).gain", []float64{-3}},
		{"c{1}", []float64{1, -2, 3, -4}},
		{"c{2}", []float64{0.5, 1.5, 2.5}},
		{"flag", []float64{1, 0, 1}},
	})
	if v, _ := f.Lookup("s.name"); v == nil || v.Text != "bearing A" {
		t.Errorf("s.name = %+v, want text %q", v, "bearing A")
	}
	if v, _ := f.Lookup("sp"); v == nil || !strings.Contains(v.Skipped, "sparse") {
		t.Errorf("sp = %+v, want skipped with a reason", v)
	}
	if got, want := f.Vectors(), []string{"s.data", "c{1}", "c{2}"}; !slices.Equal(got, want) {
		t.Errorf("Vectors() = %v, want %v (logical, scalars and sparse are not signals)", got, want)
	}
	for _, bad := range []string{"nope", "s.nope", "c{3}", "s(2).data", "c(1)", "s.data.x", "s..data", "c{0}", "c{x}", "s(1"} {
		if _, err := f.Lookup(bad); !errors.Is(err, ghl.ErrUsage) {
			t.Errorf("Lookup(%q) error %v, want one wrapping ghl.ErrUsage", bad, err)
		}
	}
	for _, notVector := range []string{"flag", "s.name", "sp", "s"} {
		if _, err := f.Numeric(notVector); !errors.Is(err, ghl.ErrBadInput) {
			t.Errorf("Numeric(%q) error %v, want ErrBadInput", notVector, err)
		}
	}
}

func TestBigEndianFixture(t *testing.T) {
	f := decodeFixture(t, "bigendian.mat")
	if !f.BigEndian || f.Compressed {
		t.Errorf("BigEndian=%v Compressed=%v", f.BigEndian, f.Compressed)
	}
	if x, err := f.Numeric("x"); err != nil || !slices.Equal(x, wave(300, 0.05)) {
		t.Errorf("x: %v (equal %v)", err, slices.Equal(x, wave(300, 0.05)))
	}
	z, err := f.Lookup("z")
	if err != nil || !z.Complex || !slices.Equal(z.Real, []float64{1, 2}) || !slices.Equal(z.Imag, []float64{-1, -2}) {
		t.Errorf("z = %+v, %v", z, err)
	}
	if _, err := f.Numeric("z"); err == nil {
		t.Error("a complex array was accepted as a signal")
	}
	if v, err := f.Lookup("X010RPM"); err != nil || !slices.Equal(v.Real, []float64{1797}) {
		t.Errorf("X010RPM = %+v, %v", v, err)
	}
	for i, s := range storage {
		name := fmt.Sprintf("t%d", i)
		got, err := f.Numeric(name)
		if err != nil || !slices.Equal(got, s.vals) {
			t.Errorf("%s (class %d stored as %d): %v, %v, want %v", name, s.class, s.typ, got, err, s.vals)
		}
	}
}

// TestStorageTypes decodes every class and storage type, in both byte
// orders, as a full and (when it fits) as a small data element.
func TestStorageTypes(t *testing.T) {
	for _, bo := range []matenc.Order{binary.LittleEndian, binary.BigEndian} {
		e := matenc.Encoder{BO: bo}
		for _, s := range storage {
			for _, n := range []int{1, 4} {
				vals := s.vals[:n]
				name := fmt.Sprintf("%v/class%d/type%d/n%d", bo, s.class, s.typ, n)
				t.Run(name, func(t *testing.T) {
					data := e.File(e.Numeric("v", s.class, s.typ, []int{1, n}, vals))
					f, err := matv5.Decode(data)
					if err != nil {
						t.Fatal(err)
					}
					v, err := f.Lookup("v")
					if err != nil {
						t.Fatal(err)
					}
					if v.Class != matv5.Class(s.class) || !slices.Equal(v.Real, vals) {
						t.Errorf("got %s %v, want class %d %v", v.Describe(), v.Real, s.class, vals)
					}
				})
			}
		}
	}
}

func TestCWRULayoutFixture(t *testing.T) {
	f := decodeFixture(t, "cwru99.mat")
	for _, tc := range []struct{ file, want, err string }{
		{"cwru99.mat", "X099_DE_time", ""},
		{"/data/normal_2_99.mat", "X099_DE_time", ""},
		{"98.mat", "X098_DE_time", ""},
		{"other.mat", "", "several drive-end signals"},
		{"100.mat", "", "several drive-end signals"},
	} {
		got, err := matv5.ChooseSignal(f, tc.file)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) || !errors.Is(err, ghl.ErrBadInput) {
				t.Errorf("ChooseSignal(%q) = %q, %v; want error containing %q", tc.file, got, err, tc.err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("ChooseSignal(%q) = %q, %v; want %q", tc.file, got, err, tc.want)
		}
	}
	if v, err := f.Lookup("X099RPM"); err != nil || !slices.Equal(v.Real, []float64{1750}) || v.Class != matv5.Double {
		t.Errorf("X099RPM (small matenc.MiUINT16 element) = %+v, %v", v, err)
	}
}

func TestChooseSignalRules(t *testing.T) {
	e := matenc.LE
	sig := e.Numeric("X058_DE_time", matenc.MxDOUBLE, matenc.MiDOUBLE, []int{10, 1}, wave(10, 1))
	other := e.Numeric("acc", matenc.MxSINGLE, matenc.MiSINGLE, []int{1, 10}, wave(10, 1))
	scalar := e.Numeric("fs", matenc.MxDOUBLE, matenc.MiDOUBLE, []int{1, 1}, []float64{12000})
	for _, tc := range []struct {
		name  string
		file  []byte
		want  string
		fails bool
	}{
		{"only DE, other number", e.File(scalar, other, sig), "X058_DE_time", false},
		{"first vector", e.File(scalar, other), "acc", false},
		{"struct field", e.File(scalar, e.Structure("s", []string{"x"}, other)), "s.x", false},
		{"no vector", e.File(scalar, e.Char("note", "hello")), "", true},
		{"empty file", e.File(), "", true},
	} {
		f, err := matv5.Decode(tc.file)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		got, err := matv5.ChooseSignal(f, "3003.mat")
		if tc.fails != (err != nil) || got != tc.want {
			t.Errorf("%s: ChooseSignal = %q, %v; want %q (error: %v)", tc.name, got, err, tc.want, tc.fails)
		}
		if err != nil && !errors.Is(err, ghl.ErrBadInput) {
			t.Errorf("%s: error %v does not wrap ErrBadInput", tc.name, err)
		}
	}
}

// TestStructArrayAndChar reads a 1x2 struct array by element index, and a
// two-row char array as two lines.
func TestStructArrayAndChar(t *testing.T) {
	e := matenc.LE
	vec := func(v ...float64) []byte { return e.Numeric("", matenc.MxDOUBLE, matenc.MiDOUBLE, []int{len(v), 1}, v) }
	rows := e.Matrix(matenc.MxCHAR, 0, []int{2, 3}, "txt", e.Elem(matenc.MiUTF8, []byte("adbecf"))) // column-major "abc";"def"
	f, err := matv5.Decode(e.File(
		e.StructArray("trials", []int{1, 2}, []string{"x", "label"},
			vec(1, 2), e.Char("", "first"),
			vec(3, 4, 5), e.Char("", "second")),
		rows))
	if err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string][]float64{"trials(1).x": {1, 2}, "trials(2).x": {3, 4, 5}} {
		if got, err := f.Numeric(path); err != nil || !slices.Equal(got, want) {
			t.Errorf("Numeric(%q) = %v, %v; want %v", path, got, err, want)
		}
	}
	if v, err := f.Lookup("trials(2).label"); err != nil || v.Text != "second" {
		t.Errorf("trials(2).label = %+v, %v", v, err)
	}
	if _, err := f.Lookup("trials.x"); err == nil || !strings.Contains(err.Error(), "(k).x") {
		t.Errorf("trials.x on a 1x2 struct array: error %v, want a hint to index", err)
	}
	if got, want := f.Vectors(), []string{"trials(1).x", "trials(2).x"}; !slices.Equal(got, want) {
		t.Errorf("Vectors() = %v, want %v", got, want)
	}
	if v, _ := f.Lookup("txt"); v == nil || v.Text != "abc\ndef" {
		t.Errorf("txt = %+v, want two lines abc, def", v)
	}
}

// TestOpaqueSkipped lists a MATLAB object (a string) by name with a reason
// and never chooses it as a signal.
func TestOpaqueSkipped(t *testing.T) {
	e := matenc.LE
	fl := e.BO.AppendUint32(nil, 17) // mxOPAQUE_CLASS
	fl = e.BO.AppendUint32(fl, 0)
	body := append(e.Elem(matenc.MiUINT32, fl), e.Elem(matenc.MiINT8, []byte("label"))...)
	body = append(body, e.Elem(matenc.MiINT8, []byte("MCOS"))...)
	body = append(body, e.Elem(matenc.MiINT8, []byte("string"))...)
	body = append(body, e.Numeric("", matenc.MxUINT32, matenc.MiUINT32, []int{6, 1}, []float64{1, 2, 3, 4, 5, 6})...)
	f, err := matv5.Decode(e.File(e.Elem(matenc.MiMATRIX, body)))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Vars) != 1 || f.Vars[0].Name != "label" || f.Vars[0].Skipped == "" {
		t.Fatalf("vars %+v, want one skipped opaque variable named label", f.Vars)
	}
	_, err = matv5.ChooseSignal(f, "x.mat")
	if err == nil || !strings.Contains(err.Error(), "label (opaque") || !strings.Contains(err.Error(), "not read") {
		t.Errorf("ChooseSignal error %v, want one listing the skipped object and why", err)
	}
}

// TestRefusedFormats checks the message for v4, v7.3 and non-MAT files.
func TestRefusedFormats(t *testing.T) {
	v73, _ := os.ReadFile(filepath.Join(fixtureDir, "v73.mat"))
	v4, _ := os.ReadFile(filepath.Join(fixtureDir, "v4.mat"))
	hdfOnly := append([]byte("\x89HDF\r\n\x1a\n"), make([]byte, 200)...)
	badEndian := matenc.LE.File()
	copy(badEndian[126:], "XX")
	badVersion := matenc.LE.File()
	badVersion[124] = 7
	for _, tc := range []struct {
		name string
		data []byte
		want []string
	}{
		{"v7.3", v73, []string{"v7.3", "HDF5", "-v7", "scipy.io.savemat"}},
		{"bare HDF5", hdfOnly, []string{"v7.3", "HDF5"}},
		{"v4", v4, []string{"v4", "-v7", "scipy.io.savemat"}},
		{"empty", nil, []string{"too short"}},
		{"text", []byte("time,value\n0,1\n"), []string{"too short"}},
		{"bad endian", badEndian, []string{"IM", "MI"}},
		{"bad version", badVersion, []string{"version"}},
	} {
		_, err := matv5.Decode(tc.data)
		if !errors.Is(err, ghl.ErrBadInput) {
			t.Errorf("%s: error %v, want ErrBadInput", tc.name, err)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %q does not mention %q", tc.name, err, w)
			}
		}
	}
}

// TestHostileSizes checks that impossible sizes are refused before
// anything is allocated for them.
func TestHostileSizes(t *testing.T) {
	e := matenc.LE
	huge := e.Numeric("x", matenc.MxDOUBLE, matenc.MiDOUBLE, []int{1000000, 1000000}, []float64{1}) // claims 10^12 elements
	// A compressed element whose inner tag claims almost 4 GiB.
	claim := e.Elem(matenc.MiMATRIX, nil)
	binary.LittleEndian.PutUint32(claim[4:], 0xFFFFFFF0)
	bomb := e.Compressed(claim)
	deep := e.Numeric("", matenc.MxDOUBLE, matenc.MiDOUBLE, []int{1, 2}, []float64{1, 2})
	for range matv5.MaxDepth + 2 {
		deep = e.Matrix(matenc.MxCELL, 0, []int{1, 1}, "", deep)
	}
	deep = e.Matrix(matenc.MxCELL, 0, []int{1, 1}, "d", deep) // name the top level
	elemClaim := e.File(e.Elem(matenc.MiMATRIX, nil))
	binary.LittleEndian.PutUint32(elemClaim[132:], 0x7FFFFFF8)
	cellClaim := e.File(e.Matrix(matenc.MxCELL, 0, []int{100000, 1000}, "c"))
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"10^12 elements", e.File(huge), "claim"},
		{"4 GiB inflated", e.File(bomb), "limit"},
		{"element larger than file", elemClaim, "claims"},
		{"cell of 10^8 cells", cellClaim, "claim"},
		{"nested too deep", e.File(deep), "nested"},
	} {
		var ms0, ms1 runtimeMem
		ms0.read()
		_, err := matv5.Decode(tc.data)
		ms1.read()
		if !errors.Is(err, ghl.ErrBadInput) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want ErrBadInput mentioning %q", tc.name, err, tc.want)
		}
		if grew := ms1.total - ms0.total; grew > 64<<20 {
			t.Errorf("%s: allocated %d MiB before refusing", tc.name, grew>>20)
		}
	}
}

// TestTruncated decodes every prefix of small fixtures: each must fail
// with ErrBadInput, or (cut at a variable boundary) hold a prefix of the
// variables, never panic.
func TestTruncated(t *testing.T) {
	for _, name := range []string{"cwru99.mat", "v7struct.mat", "bigendian.mat", "scipy_v7.mat"} {
		full := decodeFixture(t, name)
		data, _ := os.ReadFile(filepath.Join(fixtureDir, name))
		errs := 0
		for n := range len(data) {
			f, err := matv5.Decode(data[:n])
			if err != nil {
				if !errors.Is(err, ghl.ErrBadInput) {
					t.Fatalf("%s[:%d]: error %v does not wrap ErrBadInput", name, n, err)
				}
				errs++
				continue
			}
			if len(f.Vars) >= len(full.Vars) && n < len(data)-7 {
				t.Fatalf("%s[:%d] decoded all %d variables from a truncated file", name, n, len(f.Vars))
			}
			for i, v := range f.Vars {
				if v.Name != full.Vars[i].Name || !slices.Equal(v.Real, full.Vars[i].Real) {
					t.Fatalf("%s[:%d]: variable %d differs from the full file's", name, n, i)
				}
			}
		}
		if errs < len(data)*9/10 {
			t.Errorf("%s: only %d of %d prefixes failed", name, errs, len(data))
		}
	}
}

// TestCorrupted flips bytes of the compressed fixture: never a panic, and
// damaged compressed data is detected (zlib checksum or inflate error).
func TestCorrupted(t *testing.T) {
	data, _ := os.ReadFile(filepath.Join(fixtureDir, "v7struct.mat"))
	for i := 128; i < len(data); i++ {
		c := bytes.Clone(data)
		c[i] ^= 0x5A
		if _, err := matv5.Decode(c); err != nil && !errors.Is(err, ghl.ErrBadInput) {
			t.Fatalf("byte %d: error %v does not wrap ErrBadInput", i, err)
		}
	}
}
