package recording

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/ghl-dev/ghl"
	"github.com/ghl-dev/ghl/recording/matv5"
)

// windowExtensions are the file types ReadWindows reads.
var windowExtensions = []string{".mat", ".npy", ".npz"}

// IsWindowsFile reports whether ReadWindows understands the extension of
// path (.mat, .npy or .npz, any case).
func IsWindowsFile(path string) bool {
	return slices.Contains(windowExtensions, strings.ToLower(filepath.Ext(path)))
}

// WindowsOptions names the arrays of a windowed-dataset file. The zero value
// chooses automatically.
type WindowsOptions struct {
	// Data names the N × L matrix of windows: a MAT path ("data",
	// "s.X") or an .npz member ("X" or "X.npy"). "" chooses the only
	// numeric matrix (both sides longer than 1) of the file.
	Data string
	// Labels names the label vector of N numbers: a MAT path or an .npz
	// member; for .npy, a second .npy file (a path relative to the data
	// file's folder). "" chooses the only other numeric vector of N
	// elements (for .npy: labels.npy beside the data file).
	Labels string
}

// Windows is a windowed dataset: N windows of L points, one label each.
type Windows struct {
	// Path is the file; Data and Labels name the arrays read.
	Path, Data, Labels string
	// N windows of L points; window i is X[i*L:(i+1)*L].
	N, L int
	X    []float64
	// Y holds the N labels as stored.
	Y []float64
	// Stated and Scalars are as in Recording (MAT files: the
	// sampling-rate scalars beside the data matrix).
	Stated  []StatedRate
	Scalars []string
}

// ReadWindows reads a windowed dataset: a matrix of windows and a vector of
// labels, from a .mat file (both arrays in it), an .npz archive (both
// members in it) or an .npy file (the matrix; the labels in a second .npy
// file). A matrix whose rows number the labels holds one window per row;
// one whose columns do (and not its rows) one per column. The arrays are
// checked: finite values, as many labels as windows, at least two points
// per window. Errors caused by the files wrap ghl.ErrBadInput and name the
// file; an array the file lacks wraps ghl.ErrUsage.
func ReadWindows(path string, opt WindowsOptions) (*Windows, error) {
	w, err := readWindows(path, opt)
	if err != nil {
		return nil, fmt.Errorf("read windows %s: %w", path, err)
	}
	w.Path = path
	if err := Check(w.X); err != nil {
		return nil, fmt.Errorf("read windows %s: %s: %w", path, w.Data, err)
	}
	if err := Check(w.Y); err != nil {
		return nil, fmt.Errorf("read windows %s: %s: %w", path, w.Labels, err)
	}
	return w, nil
}

func readWindows(path string, opt WindowsOptions) (*Windows, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	switch strings.ToLower(filepath.Ext(path)) {
	case ".mat":
		return matWindows(data, opt)
	case ".npz":
		return npzWindows(data, opt)
	case ".npy":
		a, err := DecodeNPY(data)
		if err != nil {
			return nil, err
		}
		labels := opt.Labels
		if labels == "" {
			labels = "labels.npy"
		}
		lpath := labels
		if !filepath.IsAbs(lpath) {
			lpath = filepath.Join(filepath.Dir(path), labels)
		}
		lb, err := os.ReadFile(lpath)
		if err != nil {
			return nil, fmt.Errorf("%w: the labels of a .npy windowed dataset are a second .npy file (--labels FILE, default labels.npy beside it): %v", ghl.ErrBadInput, err)
		}
		y, err := DecodeNPY(lb)
		if err != nil {
			return nil, fmt.Errorf("labels %s: %w", lpath, err)
		}
		return arrayWindows(filepath.Base(path), a.Shape, a.Values, false, labels, y.Shape, y.Values)
	}
	return nil, fmt.Errorf("%w: a windowed dataset is a .mat, .npy or .npz file, not %q", ghl.ErrUsage, filepath.Ext(path))
}

// arrayWindows checks the shapes of a data matrix (row-major, or
// column-major when colMajor) and a label vector and returns the windows.
func arrayWindows(dname string, dshape []int, dvals []float64, colMajor bool, lname string, lshape []int, lvals []float64) (*Windows, error) {
	if len(dshape) != 2 || dshape[0] < 2 || dshape[1] < 2 {
		return nil, fmt.Errorf("%w: %s has shape %v: want a matrix of windows, one per row (N × L)", ghl.ErrBadInput, dname, dshape)
	}
	long := 0
	for _, d := range lshape {
		if d > 1 {
			long++
		}
	}
	if long > 1 {
		return nil, fmt.Errorf("%w: labels %s have shape %v: want a vector of one label per window", ghl.ErrBadInput, lname, lshape)
	}
	rows, cols, n := dshape[0], dshape[1], len(lvals)
	w := &Windows{Data: dname, Labels: lname, Y: lvals, N: n}
	switch {
	case rows == n:
		w.L = cols
		if colMajor {
			w.X = transpose(dvals, cols, rows)
		} else {
			w.X = dvals
		}
	case cols == n:
		w.L = rows
		if colMajor {
			w.X = dvals
		} else {
			w.X = transpose(dvals, rows, cols)
		}
	default:
		return nil, fmt.Errorf("%w: %d labels in %s, but %s is %d × %d: one label per window (row) is needed", ghl.ErrBadInput, n, lname, dname, rows, cols)
	}
	return w, nil
}

// matWindows reads the windows of a MAT file.
func matWindows(data []byte, opt WindowsOptions) (*Windows, error) {
	f, err := matv5.Decode(data)
	if err != nil {
		return nil, err
	}
	dname := opt.Data
	if dname == "" {
		m := matrices(f)
		if len(m) != 1 {
			return nil, fmt.Errorf("%w: %d matrices in the file (%s): name the matrix of windows with --windows", ghl.ErrUsage, len(m), strings.Join(m, ", "))
		}
		dname = firstMatrix(f)
	}
	d, err := f.Lookup(dname)
	if err != nil {
		return nil, err
	}
	if !isMatrix(d) {
		return nil, fmt.Errorf("%w: %s is %s, not a real numeric matrix of windows", ghl.ErrBadInput, dname, d.Describe())
	}
	lname := opt.Labels
	if lname == "" {
		var cands []string
		for _, p := range f.Vectors() {
			if v, err := f.Lookup(p); err == nil && (v.Len() == d.Dims[0] || v.Len() == d.Dims[1]) {
				cands = append(cands, p)
			}
		}
		if len(cands) != 1 {
			return nil, fmt.Errorf("%w: %d vectors of %d or %d elements in the file (%s): name the label vector with --labels", ghl.ErrUsage, len(cands), d.Dims[0], d.Dims[1], strings.Join(cands, ", "))
		}
		lname = cands[0]
	}
	l, err := f.Numeric(lname)
	if err != nil {
		return nil, err
	}
	w, err := arrayWindows(dname, d.Dims, d.Real, true, lname, []int{len(l)}, l)
	if err != nil {
		return nil, err
	}
	w.Stated, w.Scalars = matRates(f, dname)
	return w, nil
}

// MaxNPZMember is the largest .npz member ReadWindows inflates (1 GiB).
const MaxNPZMember = 1 << 30

// npzWindows reads the windows of an .npz archive (a zip of .npy files).
func npzWindows(data []byte, opt WindowsOptions) (*Windows, error) {
	z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, badInput("not an .npz archive: %v", err)
	}
	arrays := map[string]*Array{}
	var names []string
	for _, m := range z.File {
		name := strings.TrimSuffix(m.Name, ".npy")
		if m.UncompressedSize64 > MaxNPZMember {
			return nil, badInput("member %s claims %d bytes (more than %d)", m.Name, m.UncompressedSize64, MaxNPZMember)
		}
		r, err := m.Open()
		if err != nil {
			return nil, badInput("member %s: %v", m.Name, err)
		}
		b, err := io.ReadAll(io.LimitReader(r, int64(m.UncompressedSize64)+1))
		r.Close()
		if err != nil || uint64(len(b)) != m.UncompressedSize64 {
			return nil, badInput("member %s: %d bytes read of %d claimed (%v)", m.Name, len(b), m.UncompressedSize64, err)
		}
		a, err := DecodeNPY(b)
		if err != nil {
			return nil, fmt.Errorf("member %s: %w", m.Name, err)
		}
		arrays[name] = a
		names = append(names, fmt.Sprintf("%s %s", name, pyShape(a.Shape)))
	}
	pick := func(want, what, flag string, ok func(*Array) bool) (string, error) {
		if want != "" {
			want = strings.TrimSuffix(want, ".npy")
			if arrays[want] == nil {
				return "", fmt.Errorf("%w: no array %q in the archive (it has %s)", ghl.ErrUsage, want, strings.Join(names, ", "))
			}
			return want, nil
		}
		var cands []string
		for k, a := range arrays {
			if ok(a) {
				cands = append(cands, k)
			}
		}
		if len(cands) != 1 {
			return "", fmt.Errorf("%w: %d candidate %s in the archive (it has %s): name it with %s", ghl.ErrUsage, len(cands), what, strings.Join(names, ", "), flag)
		}
		return cands[0], nil
	}
	dname, err := pick(opt.Data, "matrices of windows", "--windows", func(a *Array) bool { return len(a.Shape) == 2 && a.Shape[0] > 1 && a.Shape[1] > 1 })
	if err != nil {
		return nil, err
	}
	d := arrays[dname]
	lname, err := pick(opt.Labels, "label vectors", "--labels", func(a *Array) bool {
		return a != d && len(a.Values) > 0 && (len(a.Values) == d.Shape[0] || len(a.Values) == d.Shape[1]) && (len(a.Shape) == 1 || len(a.Values) == a.Shape[0])
	})
	if err != nil {
		return nil, err
	}
	return arrayWindows(dname, d.Shape, d.Values, false, lname, arrays[lname].Shape, arrays[lname].Values)
}
