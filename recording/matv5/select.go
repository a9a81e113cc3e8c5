package matv5

import (
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/ghl-dev/ghl"
)

// Lookup returns the array a path names. A path is a variable name followed
// by any number of field accesses and 1-based indices, as in MATLAB:
// "x", "s.data", "s(2).data", "c{3}", "s.trials{2}.signal". A field of a
// struct array with more than one element needs an index. A path that names
// nothing is an error wrapping ErrNotFound and ghl.ErrUsage.
func (f *File) Lookup(path string) (*Variable, error) {
	segs := strings.Split(path, ".")
	name, idx, err := splitIndex(segs[0])
	if err != nil {
		return nil, fmt.Errorf("matv5: path %q: %w", path, err)
	}
	var v *Variable
	for _, c := range f.Vars {
		if c.Name == name {
			v = c
			break
		}
	}
	if v == nil {
		return nil, fmt.Errorf("matv5: %w: %w: no variable %q (the file has: %s)", ghl.ErrUsage, ErrNotFound, name, f.names())
	}
	where := name
	for i := 0; ; i++ {
		for _, k := range idx {
			if v, err = index(v, k); err != nil {
				return nil, fmt.Errorf("matv5: %w: %w: %s: %v", ghl.ErrUsage, ErrNotFound, where, err)
			}
			where += k.String()
		}
		if i+1 == len(segs) {
			return v, nil
		}
		var field string
		if field, idx, err = splitIndex(segs[i+1]); err != nil {
			return nil, fmt.Errorf("matv5: path %q: %w", path, err)
		}
		if v, err = fieldOf(v, field); err != nil {
			return nil, fmt.Errorf("matv5: %w: %w: %s: %v", ghl.ErrUsage, ErrNotFound, where, err)
		}
		where += "." + field
	}
}

// Numeric returns the values of the real numeric vector a path names (see
// Lookup). The slice belongs to the File.
func (f *File) Numeric(path string) ([]float64, error) {
	v, err := f.Lookup(path)
	if err != nil {
		return nil, err
	}
	if !v.IsVector() {
		return nil, fmt.Errorf("matv5: %w: %s is %s, not a real numeric vector", ghl.ErrBadInput, path, v.Describe())
	}
	return v.Real, nil
}

// Vectors returns the paths of every real numeric vector in the file
// (see Variable.IsVector), depth first in file order: top-level variables,
// struct fields and cells.
func (f *File) Vectors() []string {
	var out []string
	var walk func(v *Variable, path string)
	walk = func(v *Variable, path string) {
		switch {
		case v.IsVector():
			out = append(out, path)
		case v.Class == Cell:
			for i, e := range v.Elems {
				walk(e, fmt.Sprintf("%s{%d}", path, i+1))
			}
		case len(v.Fields) > 0:
			n := len(v.Elems) / len(v.Fields)
			for i := range n {
				p := path
				if n > 1 {
					p = fmt.Sprintf("%s(%d)", path, i+1)
				}
				for j, name := range v.Fields {
					walk(v.Elems[i*len(v.Fields)+j], p+"."+name)
				}
			}
		}
	}
	for _, v := range f.Vars {
		walk(v, v.Name)
	}
	return out
}

// ChooseSignal returns the path of the signal to read from the file named
// fileName when the user names none. The rule fits the CWRU files and any
// other file:
//
//  1. a top-level vector whose name ends in "_DE_time" and carries the file
//     number (the last run of digits in the file name): 99.mat → X099_DE_time,
//     even though CWRU's 99.mat also holds a copy of 98's X098_DE_time;
//  2. else the only top-level "_DE_time" vector (3003.mat holds only
//     X058_DE_time, 3007.mat only X050_DE_time);
//  3. several "_DE_time" vectors and none matching the number is ambiguous:
//     an error listing them;
//  4. else the first real numeric vector (Vectors), the only one if there
//     is one;
//  5. no vector at all: an error (wrapping ghl.ErrBadInput) listing what
//     the file holds.
func ChooseSignal(f *File, fileName string) (string, error) {
	num, hasNum := fileNumber(fileName)
	var de []string
	for _, v := range f.Vars {
		if !v.IsVector() || !strings.HasSuffix(v.Name, "_DE_time") {
			continue
		}
		de = append(de, v.Name)
		if hasNum && deNumber(v.Name) == num {
			return v.Name, nil
		}
	}
	switch len(de) {
	case 0:
	case 1:
		return de[0], nil
	default:
		return "", fmt.Errorf("matv5: %w: %s holds several drive-end signals (%s) and none matches its file number: name the variable to read",
			ghl.ErrBadInput, filepath.Base(fileName), strings.Join(de, ", "))
	}
	if vs := f.Vectors(); len(vs) > 0 {
		return vs[0], nil
	}
	return "", fmt.Errorf("matv5: %w: %s holds no real numeric vector (it has: %s)", ghl.ErrBadInput, filepath.Base(fileName), f.names())
}

// fileNumber returns the last run of digits in the base name of a file.
func fileNumber(fileName string) (int, bool) {
	base := strings.TrimSuffix(filepath.Base(fileName), filepath.Ext(fileName))
	end := strings.LastIndexFunc(base, isDigit)
	if end < 0 {
		return 0, false
	}
	start := strings.LastIndexFunc(base[:end], func(r rune) bool { return !isDigit(r) }) + 1
	n, err := strconv.Atoi(base[start : end+1])
	return n, err == nil
}

// deNumber returns nnn of "Xnnn_DE_time", or -1.
func deNumber(name string) int {
	digits, ok := strings.CutPrefix(strings.TrimSuffix(name, "_DE_time"), "X")
	if !ok {
		return -1
	}
	n, err := strconv.Atoi(digits)
	if err != nil || n < 0 {
		return -1
	}
	return n
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

// names lists the top-level variables with their descriptions.
func (f *File) names() string {
	if len(f.Vars) == 0 {
		return "no variables"
	}
	s := make([]string, len(f.Vars))
	for i, v := range f.Vars {
		s[i] = v.Name + " (" + v.Describe() + ")"
	}
	return strings.Join(s, ", ")
}

// pathIndex is one "(k)" or "{k}" of a path.
type pathIndex struct {
	k    int
	cell bool
}

func (p pathIndex) String() string {
	if p.cell {
		return fmt.Sprintf("{%d}", p.k)
	}
	return fmt.Sprintf("(%d)", p.k)
}

// splitIndex splits "name(2){3}" into "name" and its indices.
func splitIndex(seg string) (string, []pathIndex, error) {
	i := strings.IndexAny(seg, "({")
	if i < 0 {
		i = len(seg)
	}
	name, rest := seg[:i], seg[i:]
	if name == "" {
		return "", nil, fmt.Errorf("%w: empty name in %q", ghl.ErrUsage, seg)
	}
	var idx []pathIndex
	for rest != "" {
		closer := map[byte]string{'(': ")", '{': "}"}[rest[0]]
		j := strings.Index(rest, closer)
		if closer == "" || j < 0 {
			return "", nil, fmt.Errorf("%w: bad index %q in %q", ghl.ErrUsage, rest, seg)
		}
		k, err := strconv.Atoi(rest[1:j])
		if err != nil || k < 1 {
			return "", nil, fmt.Errorf("%w: index %q in %q is not a positive integer", ghl.ErrUsage, rest[1:j], seg)
		}
		idx = append(idx, pathIndex{k: k, cell: rest[0] == '{'})
		rest = rest[j+1:]
	}
	return name, idx, nil
}

// index applies one index to v: {k} to a cell, (k) to a struct array.
func index(v *Variable, p pathIndex) (*Variable, error) {
	switch {
	case p.cell && v.Class == Cell:
		if p.k > len(v.Elems) {
			return nil, fmt.Errorf("index %d exceeds the %d cells", p.k, len(v.Elems))
		}
		return v.Elems[p.k-1], nil
	case !p.cell && len(v.Fields) > 0:
		n := len(v.Elems) / len(v.Fields)
		if p.k > n {
			return nil, fmt.Errorf("index %d exceeds the %d struct elements", p.k, n)
		}
		// An element of a struct array: a 1x1 struct of the same fields.
		return &Variable{Class: v.Class, Dims: []int{1, 1}, Fields: v.Fields,
			Elems: v.Elems[(p.k-1)*len(v.Fields) : p.k*len(v.Fields)]}, nil
	}
	return nil, fmt.Errorf("cannot index %s with %s", v.Describe(), p)
}

// fieldOf returns a field of a 1x1 struct.
func fieldOf(v *Variable, name string) (*Variable, error) {
	if len(v.Fields) == 0 {
		return nil, fmt.Errorf("%s has no fields", v.Describe())
	}
	n := len(v.Elems) / len(v.Fields)
	if n != 1 {
		return nil, fmt.Errorf("a struct array of %d elements: write (k).%s", n, name)
	}
	for j, f := range v.Fields {
		if f == name {
			return v.Elems[j], nil
		}
	}
	return nil, fmt.Errorf("no field %q (fields: %s)", name, strings.Join(v.Fields, ", "))
}

// ErrNotFound is wrapped by Lookup's error when a path names nothing.
var ErrNotFound = errors.New("matv5: not found")
