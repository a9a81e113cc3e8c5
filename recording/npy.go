package recording

import (
	"bytes"
	"encoding/binary"
	"strconv"
	"strings"

	"codeberg.org/sbinet/npyio"
)

// decodeNPY reads a NumPy .npy array with codeberg.org/sbinet/npyio (a
// maintained reader). Before the library sees the data, the header length
// and then the array shape are checked against the file's size, so that a
// lying header cannot make it allocate; guard turns any panic of the
// library into an error.
func decodeNPY(data []byte) (*Recording, error) {
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

	var x []float64
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
		n, err := vectorLen(r.Header.Descr.Shape)
		if err != nil {
			return err
		}
		if n > payload/size {
			return badInput("shape %s of %d-byte values needs %d bytes, the file has %d", pyShape(r.Header.Descr.Shape), size, n*size, payload)
		}
		x, err = readNPY(r, kind, n)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &Recording{Samples: x}, nil
}

// npyKinds maps the supported dtype kinds to their sizes in bytes.
var npyKinds = map[string]int{"f4": 4, "f8": 8, "i1": 1, "i2": 2, "i4": 4, "i8": 8, "u1": 1, "u2": 2, "u4": 4, "u8": 8}

// vectorLen returns the length of a vector-shaped array: (n,), (n, 1) or
// (1, n).
func vectorLen(shape []int) (int, error) {
	n, long := 1, 0
	for _, d := range shape {
		if d < 0 {
			return 0, badInput("negative dimension in shape %s", pyShape(shape))
		}
		if d == 0 {
			return 0, nil
		}
		if d > 1 {
			long++
		}
		if n > 1<<40/d {
			return 0, badInput("shape %s is impossibly large", pyShape(shape))
		}
		n *= d
	}
	if len(shape) == 0 || len(shape) > 2 || long > 1 {
		return 0, badInput("array of shape %s: only a 1-D array or one column/row of a 2-D array is read", pyShape(shape))
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
