package recording

import (
	"archive/zip"
	"bytes"
	"math"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/ghl-dev/ghl"
	"github.com/ghl-dev/ghl/internal/matenc"
)

// windowsCase is one windowed-dataset file for ReadWindows.
type windowsCase struct {
	name  string
	data  []byte
	extra map[string][]byte // more files beside it (labels.npy)
	opt   WindowsOptions
	// On success: windows, their length, the first window and the labels.
	n, l  int
	first []float64
	y     []float64
	rate  float64 // the agreed stated rate
	// On failure:
	err   error
	words []string
}

// zipOf builds an .npz archive of the given members.
func zipOf(t testing.TB, members ...string) func(...[]byte) []byte {
	return func(data ...[]byte) []byte {
		var b bytes.Buffer
		z := zip.NewWriter(&b)
		for i, m := range members {
			w, err := z.Create(m)
			if err != nil {
				t.Fatal(err)
			}
			w.Write(data[i])
		}
		if err := z.Close(); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
}

func windowsCases(t testing.TB) []windowsCase {
	// Three windows of four points: window i is 10i + (0, 1, 2, 3) with a
	// twist so no window is constant; labels 0, 1, 0.
	rows := [][]float64{{0, 1, 3, 2}, {10, 11, 13, 12}, {20, 21, 23, 22}}
	var rowMajor, colMajor []float64
	for _, r := range rows {
		rowMajor = append(rowMajor, r...)
	}
	for c := range 4 {
		for _, r := range rows {
			colMajor = append(colMajor, r[c])
		}
	}
	y := []float64{0, 1, 0}
	e := matenc.LE
	mat := func(dims []int, v []float64, extra ...[]byte) []byte {
		elems := [][]byte{e.Compressed(e.Numeric("X", matenc.MxDOUBLE, matenc.MiDOUBLE, dims, v)), e.Numeric("y", matenc.MxDOUBLE, matenc.MiDOUBLE, []int{3, 1}, y)}
		return e.File(append(elems, extra...)...)
	}
	fs := e.Numeric("fs", matenc.MxDOUBLE, matenc.MiDOUBLE, []int{1, 1}, []float64{25600})
	npyX := npyFile("<f8", "(3, 4)", le(8, true, rowMajor...))
	npyY := npyFile("<i8", "(3,)", le(8, false, y...))
	npz := zipOf(t, "X.npy", "y.npy")
	return []windowsCase{
		{name: "rows.mat", data: mat([]int{3, 4}, colMajor, fs), n: 3, l: 4, first: rows[0], y: y, rate: 25600},
		{name: "columns.mat", data: mat([]int{4, 3}, rowMajor), n: 3, l: 4, first: rows[0], y: y},
		{name: "named.mat", data: mat([]int{3, 4}, colMajor), opt: WindowsOptions{Data: "X", Labels: "y"}, n: 3, l: 4, first: rows[0], y: y},
		{name: "nolabels.mat", data: mat([]int{3, 4}, colMajor), opt: WindowsOptions{Labels: "z"}, err: ghl.ErrUsage, words: []string{`"z"`}},
		{name: "badlength.mat", data: e.File(e.Numeric("X", matenc.MxDOUBLE, matenc.MiDOUBLE, []int{3, 4}, colMajor), e.Numeric("y", matenc.MxDOUBLE, matenc.MiDOUBLE, []int{2, 1}, y[:2])), opt: WindowsOptions{Labels: "y"}, err: ghl.ErrBadInput, words: []string{"2 labels in y", "3 × 4"}},
		{name: "nomatrix.mat", data: e.File(e.Numeric("y", matenc.MxDOUBLE, matenc.MiDOUBLE, []int{3, 1}, y)), err: ghl.ErrUsage, words: []string{"0 matrices", "--windows"}},
		{name: "w.npz", data: npz(npyX, npyY), n: 3, l: 4, first: rows[0], y: y},
		{name: "named.npz", data: npz(npyX, npyY), opt: WindowsOptions{Data: "X.npy", Labels: "y"}, n: 3, l: 4, first: rows[0], y: y},
		{name: "absent.npz", data: npz(npyX, npyY), opt: WindowsOptions{Data: "data"}, err: ghl.ErrUsage, words: []string{`"data"`, "X (3, 4)"}},
		{name: "notzip.npz", data: []byte("PK nothing"), err: ghl.ErrBadInput, words: []string{"not an .npz archive"}},
		{name: "badmember.npz", data: npz(npyX[:40], npyY), err: ghl.ErrBadInput, words: []string{"member X.npy"}},
		{name: "data.npy", data: npyX, extra: map[string][]byte{"labels.npy": npyY}, n: 3, l: 4, first: rows[0], y: y},
		{name: "nolabels.npy", data: npyX, err: ghl.ErrBadInput, words: []string{"second .npy file"}},
		{name: "nan.npy", data: npyFile("<f8", "(3, 4)", le(8, true, append([]float64{0, 1, 2, math.NaN()}, rowMajor[4:]...)...)), extra: map[string][]byte{"labels.npy": npyY}, err: ghl.ErrBadInput, words: []string{"sample 3", "NaN"}},
		{name: "naninlabels.npy", data: npyX, extra: map[string][]byte{"labels.npy": npyFile("<f8", "(3,)", le(8, true, 0, math.Inf(1), 2))}, err: ghl.ErrBadInput, words: []string{"labels.npy", "+Inf"}},
		{name: "vector.npy", data: npyY, extra: map[string][]byte{"labels.npy": npyY}, err: ghl.ErrBadInput, words: []string{"want a matrix of windows"}},
		{name: "matrixlabels.npy", data: npyX, extra: map[string][]byte{"labels.npy": npyX}, err: ghl.ErrBadInput, words: []string{"want a vector of one label per window"}},
	}
}

func TestReadWindows(t *testing.T) {
	for _, tc := range windowsCases(t) {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, tc.name)
			if err := os.WriteFile(path, tc.data, 0o644); err != nil {
				t.Fatal(err)
			}
			for name, b := range tc.extra {
				if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			w, err := ReadWindows(path, tc.opt)
			if !wantError(t, err, tc.err, append(tc.words, path)...) {
				return
			}
			if w.N != tc.n || w.L != tc.l || len(w.X) != w.N*w.L {
				t.Fatalf("%d windows of %d (%d values), want %d of %d", w.N, w.L, len(w.X), tc.n, tc.l)
			}
			if tc.first != nil && !slices.Equal(w.X[:w.L], tc.first) {
				t.Errorf("first window %v, want %v", w.X[:w.L], tc.first)
			}
			if tc.y != nil && !slices.Equal(w.Y, tc.y) {
				t.Errorf("labels %v, want %v", w.Y, tc.y)
			}
			if got := AgreedRate(w.Stated); got != tc.rate {
				t.Errorf("stated rate %v, want %v", got, tc.rate)
			}
		})
	}
}
