package recording

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"codeberg.org/sbinet/npyio"

	"github.com/ghl-dev/ghl"
)

// Array is a numeric array read from a .npy file (or a .npz member, or a
// MAT variable) as float64, with its shape.
type Array struct {
	// Shape is the array's shape as stored.
	Shape []int
	// Values holds the elements in row-major (C) order.
	Values []float64
}

// decodeNPY reads a NumPy .npy file as a signal: a 1-D array, a 2-D array
// with one column or row, or one channel of a 2-D array chosen by
// opt.Channel (with opt.PickChannel; channels along its shorter side).
func decodeNPY(data []byte, opt Options) (*Recording, error) {
	a, err := DecodeNPY(data)
	if err != nil {
		return nil, err
	}
	switch {
	case len(a.Shape) == 2 && a.Shape[0] > 1 && a.Shape[1] > 1:
		if !opt.PickChannel {
			return nil, badInput("array of shape %s: a matrix is read as a signal only when --channel picks one of its channels (0-based, along its shorter side); "+
				"a matrix of windows (one per row) with a label vector is a windowed dataset: give the file itself as the data with --labels naming the label file", pyShape(a.Shape))
		}
		x, err := channelOf(a.Values, a.Shape[0], a.Shape[1], false, opt.Channel)
		if err != nil {
			return nil, err
		}
		return &Recording{Variable: fmt.Sprintf("ch%d", opt.Channel), Samples: x}, nil
	case len(a.Shape) == 0 || len(a.Shape) > 2:
		return nil, badInput("array of shape %s: only a 1-D array or a 2-D array (one channel of it) is read as a signal", pyShape(a.Shape))
	}
	if opt.PickChannel && opt.Channel != 0 {
		return nil, fmt.Errorf("%w: channel %d requested, the array of shape %s has one (channel 0)", ghl.ErrUsage, opt.Channel, pyShape(a.Shape))
	}
	return &Recording{Samples: a.Values}, nil
}

// DecodeNPY reads a whole NumPy .npy array of float32, float64 or (unsigned)
// integers of any width with codeberg.org/sbinet/npyio (a maintained
// reader). Before the library sees the data, the header length and then the
// array shape are checked against the file's size, so that a lying header
// cannot make it allocate; a panic of the library becomes an error. A
// Fortran-order array is returned in C order. Errors wrap ghl.ErrBadInput.
func DecodeNPY(data []byte) (*Array, error) {
	if len(data) < 10 || !bytes.Equal(data[:6], npyio.Magic[:]) {
		return nil, badInput("not a NumPy .npy file (no \\x93NUMPY magic)")
	}
	start := 10
	var hlen int
	switch data[6] {
	case 1:
		hlen = int(binary.LittleEndian.Uint16(data[8:10]))
	case 2:
		if len(data) < 12 {
			return nil, badInput("truncated .npy header")
		}
		hlen, start = int(binary.LittleEndian.Uint32(data[8:12])), 12
	default:
		return nil, badInput(".npy format version %d.%d is not supported (1.x and 2.x are)", data[6], data[7])
	}
	if hlen > len(data)-start || hlen == 0 || data[start+hlen-1] != '\n' {
		return nil, badInput("truncated or malformed .npy header (%d header bytes claimed, %d in the file)", hlen, len(data)-start)
	}
	payload := len(data) - start - hlen

	var a Array
	err := guard(".npy", func() error {
		r, err := npyio.NewReader(bytes.NewReader(data))
		if err != nil {
			return badInput("%v", err)
		}
		dtype := strings.Trim(r.Header.Descr.Type, `'" `)
		kind := strings.TrimLeft(dtype, "<>|=")
		size, ok := npyKinds[kind]
		if !ok {
			return badInput("array of dtype %q: only float32/float64 and integer arrays are read", dtype)
		}
		a.Shape = slices.Clone(r.Header.Descr.Shape)
		n, err := arrayLen(a.Shape)
		if err != nil {
			return err
		}
		if n > payload/size {
			return badInput("shape %s of %d-byte values needs %d bytes, the file has %d", pyShape(a.Shape), size, n*size, payload)
		}
		if a.Values, err = readNPY(r, kind, n); err != nil {
			return err
		}
		if r.Header.Descr.Fortran && len(a.Shape) == 2 {
			a.Values = transpose(a.Values, a.Shape[1], a.Shape[0])
		} else if r.Header.Descr.Fortran && len(a.Shape) > 2 {
			return badInput("a Fortran-order array of %d dimensions is not read (save it in C order: numpy.ascontiguousarray)", len(a.Shape))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &a, nil
}

// transpose returns the rows × cols row-major matrix a transposed.
func transpose(a []float64, rows, cols int) []float64 {
	out := make([]float64, len(a))
	for r := range rows {
		for c := range cols {
			out[c*rows+r] = a[r*cols+c]
		}
	}
	return out
}

// npyKinds maps the supported dtype kinds to their sizes in bytes.
var npyKinds = map[string]int{"f4": 4, "f8": 8, "i1": 1, "i2": 2, "i4": 4, "i8": 8, "u1": 1, "u2": 2, "u4": 4, "u8": 8}

// arrayLen returns the number of elements of an array of the given shape,
// refusing negative and impossibly large shapes.
func arrayLen(shape []int) (int, error) {
	n := 1
	for _, d := range shape {
		if d < 0 {
			return 0, badInput("negative dimension in shape %s", pyShape(shape))
		}
		if d == 0 {
			return 0, nil
		}
		if n > 1<<40/d {
			return 0, badInput("shape %s is impossibly large", pyShape(shape))
		}
		n *= d
	}
	return n, nil
}

// readNPY reads n values of the given kind and converts them.
func readNPY(r *npyio.Reader, kind string, n int) ([]float64, error) {
	switch kind {
	case "f4":
		return readAs[float32](r, n)
	case "f8":
		return readAs[float64](r, n)
	case "i1":
		return readAs[int8](r, n)
	case "i2":
		return readAs[int16](r, n)
	case "i4":
		return readAs[int32](r, n)
	case "i8":
		return readAs[int64](r, n)
	case "u1":
		return readAs[uint8](r, n)
	case "u2":
		return readAs[uint16](r, n)
	case "u4":
		return readAs[uint32](r, n)
	default: // u8
		return readAs[uint64](r, n)
	}
}

// readAs reads n values stored as T and converts them to float64.
func readAs[T float32 | float64 | int8 | int16 | int32 | int64 | uint8 | uint16 | uint32 | uint64](r *npyio.Reader, n int) ([]float64, error) {
	if n == 0 {
		return nil, nil
	}
	v := make([]T, n)
	if err := r.Read(&v); err != nil {
		return nil, badInput("reading the .npy data: %v", err)
	}
	if len(v) != n {
		return nil, badInput("read %d of %d .npy values", len(v), n)
	}
	out := make([]float64, n)
	for i, x := range v {
		out[i] = float64(x)
	}
	return out, nil
}

// pyShape formats a shape as NumPy prints it: (3,) or (2, 3).
func pyShape(shape []int) string {
	s := make([]string, len(shape))
	for i, d := range shape {
		s[i] = strconv.Itoa(d)
	}
	if len(s) == 1 {
		return "(" + s[0] + ",)"
	}
	return "(" + strings.Join(s, ", ") + ")"
}
