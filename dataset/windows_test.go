package dataset

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ghl-dev/ghl"
	"github.com/ghl-dev/ghl/internal/matenc"
)

// windowsFile writes a .mat windowed dataset of n windows of l points per
// class (classes 0 and 1, interleaved) whose point j of class c's window k
// is c*1e6 + k*1000 + j + (j%7)/10, so every window can be recognised; fs
// is 12 kHz. It returns the path.
func windowsFile(t *testing.T, n, l int) string {
	t.Helper()
	var rows [][]float64
	var y []float64
	for k := range n {
		for c := range 2 {
			r := make([]float64, l)
			for j := range r {
				r[j] = float64(c)*1e6 + float64(k)*1000 + float64(j) + float64(j%7)/10
			}
			rows, y = append(rows, r), append(y, float64(c))
		}
	}
	colMajor := make([]float64, 0, len(rows)*l)
	for j := range l {
		for _, r := range rows {
			colMajor = append(colMajor, r[j])
		}
	}
	e := matenc.LE
	b := e.File(e.Compressed(e.Numeric("X", matenc.MxDOUBLE, matenc.MiDOUBLE, []int{len(rows), l}, colMajor)),
		e.Numeric("y", matenc.MxDOUBLE, matenc.MiDOUBLE, []int{len(y), 1}, y),
		e.Numeric("fs", matenc.MxDOUBLE, matenc.MiDOUBLE, []int{1, 1}, []float64{12000}))
	path := filepath.Join(t.TempDir(), "w.mat")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// windowID returns (class, k, offset) of a window cut from windowsFile.
func windowID(w []float32) (int, int, int) {
	v := float64(w[0])
	c := int(v / 1e6)
	k := int((v - float64(c)*1e6) / 1000)
	return c, k, int(v - float64(c)*1e6 - float64(k)*1000)
}

// TestLoadWindows reads a windowed .mat file both ways: contiguous (each
// class's windows joined and split in time) and independent (one window per
// file window, split by whole windows in file order).
func TestLoadWindows(t *testing.T) {
	path := windowsFile(t, 40, 300)
	build := BuildOptions{Window: 256, Rate: 12000, NoLowPass: true, Norm: NormNone}
	spec := SetSpec{Name: "t", Train: map[string]int{"*": 10}, Val: 4, Test: 5}

	c, err := Load(path, LoadOptions{Windows: WindowOptions{Classes: []string{"OF", "normal"}}})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(c.Classes, []string{"normal", "OF"}) || c.Recordings[0].Len() != 40*300 || c.Recordings[0].Rate.From() != "file: variable fs" {
		t.Fatalf("classes %v, %d points, rate from %q; want [normal OF] (healthy first), 12000 points, the fs variable",
			c.Classes, c.Recordings[0].Len(), c.Recordings[0].Rate.From())
	}
	ss, err := Build(c, spec, build)
	if err != nil {
		t.Fatal(err)
	}
	// Contiguous: the last test window ends at the last point of the class.
	last := ss.Test.Window(4)
	if cl, k, off := windowID(last); cl != 1 || k != 39 || off != 300-256 {
		t.Errorf("last test window of normal starts at class %d window %d point %d, want 1, 39, 44", cl, k, off)
	}

	c, err = Load(path, LoadOptions{Windows: WindowOptions{Classes: []string{"OF", "normal"}, Independent: true}})
	if err != nil {
		t.Fatal(err)
	}
	ss, err = Build(c, spec, build)
	if err != nil {
		t.Fatal(err)
	}
	// Independent: every window is the start of one file window; test
	// windows are the last 5 of each class, validation the 4 before, one
	// window left out, training from the first.
	check := func(what string, s *Samples, i, class, k int) {
		t.Helper()
		if cl, kk, off := windowID(s.Window(i)); cl != class || kk != k || off != 0 {
			t.Errorf("%s window %d: class %d window %d offset %d, want %d %d 0", what, i, cl, kk, off, class, k)
		}
	}
	for i := range 5 {
		check("test", &ss.Test, i, 1, 35+i)
	}
	for i := range 4 {
		check("val", &ss.Val, i, 1, 31+i)
	}
	for i := range 10 {
		check("train", &ss.Train, i, 1, 3*i) // 30 available, stride 29/9 = 3
	}
	if lay := ss.Recordings[0]; lay.Available != 40 || lay.Stride != 3*300 {
		t.Errorf("layout %+v: want 40 available, stride 900", lay)
	}
	// Too many training windows for the independent windows.
	_, err = Build(c, SetSpec{Name: "big", Train: map[string]int{"*": 31}, Val: 4, Test: 5}, build)
	if !errors.Is(err, ghl.ErrBadInput) || !strings.Contains(err.Error(), "too few independent windows") {
		t.Errorf("error %v, want too few independent windows", err)
	}
	// A window longer than the file's windows.
	_, err = Build(c, spec, BuildOptions{Window: 512, Rate: 12000, NoLowPass: true})
	if !errors.Is(err, ghl.ErrBadInput) || !strings.Contains(err.Error(), "use --window 300 or less") {
		t.Errorf("error %v, want one suggesting --window 300", err)
	}
}
