// Package matenc is a small MAT v5 encoder for tests: it writes what
// recording/matv5 must read (every numeric storage type, small data
// elements, both byte orders, miCOMPRESSED, structs, cells, char, logical,
// sparse), so fixtures depend on neither MATLAB nor SciPy. It is not a
// general MAT writer: it does no validation and writes what it is told.
package matenc

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"math"
)

// MAT v5 data types, array classes and flags, as in the format specification.
const (
	MiINT8, MiUINT8, MiINT16, MiUINT16, MiINT32, MiUINT32, MiSINGLE = 1, 2, 3, 4, 5, 6, 7
	MiDOUBLE, MiINT64, MiUINT64, MiMATRIX, MiCOMPRESSED, MiUTF8     = 9, 12, 13, 14, 15, 16

	MxCELL, MxSTRUCT, MxCHAR, MxSPARSE, MxDOUBLE, MxSINGLE = 1, 2, 4, 5, 6, 7
	MxINT8, MxUINT8, MxINT16, MxUINT16, MxINT32, MxUINT32  = 8, 9, 10, 11, 12, 13
	MxINT64, MxUINT64                                      = 14, 15

	FlagComplex, FlagLogical = 0x0800, 0x0200
)

// Order is binary.LittleEndian or binary.BigEndian.
type Order interface {
	binary.ByteOrder
	binary.AppendByteOrder
}

// Encoder encodes in one byte order.
type Encoder struct {
	// BO is the byte order of everything written.
	BO Order
}

// LE and BE are the little- and big-endian encoders.
var (
	LE = Encoder{BO: binary.LittleEndian}
	BE = Encoder{BO: binary.BigEndian}
)

// Header returns the 128-byte file header.
func (e Encoder) Header(text string) []byte {
	h := bytes.Repeat([]byte{' '}, 128)
	copy(h, text)
	for i := 116; i < 124; i++ {
		h[i] = 0
	}
	e.BO.PutUint16(h[124:], 0x0100)
	if e.BO == binary.LittleEndian {
		copy(h[126:], "IM")
	} else {
		copy(h[126:], "MI")
	}
	return h
}

// Elem returns a data element with an 8-byte tag, padded to 8 bytes.
func (e Encoder) Elem(typ uint32, data []byte) []byte {
	b := make([]byte, 8, 8+len(data)+7)
	e.BO.PutUint32(b, typ)
	e.BO.PutUint32(b[4:], uint32(len(data)))
	b = append(b, data...)
	for len(b)%8 != 0 {
		b = append(b, 0)
	}
	return b
}

// Small returns a small data element (at most 4 data bytes).
func (e Encoder) Small(typ uint32, data []byte) []byte {
	b := make([]byte, 8)
	e.BO.PutUint32(b, uint32(len(data))<<16|typ)
	copy(b[4:], data)
	return b
}

// Auto returns a small element when the data fits, else a full one.
func (e Encoder) Auto(typ uint32, data []byte) []byte {
	if len(data) <= 4 && len(data) > 0 {
		return e.Small(typ, data)
	}
	return e.Elem(typ, data)
}

// Values encodes v as data type typ.
func (e Encoder) Values(typ uint32, v []float64) []byte {
	var b []byte
	for _, x := range v {
		switch typ {
		case MiINT8:
			b = append(b, byte(int8(x)))
		case MiUINT8:
			b = append(b, byte(x))
		case MiINT16:
			b = e.BO.AppendUint16(b, uint16(int16(x)))
		case MiUINT16:
			b = e.BO.AppendUint16(b, uint16(x))
		case MiINT32:
			b = e.BO.AppendUint32(b, uint32(int32(x)))
		case MiUINT32:
			b = e.BO.AppendUint32(b, uint32(x))
		case MiSINGLE:
			b = e.BO.AppendUint32(b, math.Float32bits(float32(x)))
		case MiDOUBLE:
			b = e.BO.AppendUint64(b, math.Float64bits(x))
		case MiINT64:
			b = e.BO.AppendUint64(b, uint64(int64(x)))
		case MiUINT64:
			b = e.BO.AppendUint64(b, uint64(x))
		}
	}
	return b
}

// Matrix returns an MiMATRIX element: flags, dims, name, then body.
func (e Encoder) Matrix(class, flags uint32, dims []int, name string, body ...[]byte) []byte {
	fl := e.BO.AppendUint32(nil, class|flags)
	fl = e.BO.AppendUint32(fl, 0)
	var d []byte
	for _, n := range dims {
		d = e.BO.AppendUint32(d, uint32(n))
	}
	b := append(e.Elem(MiUINT32, fl), e.Elem(MiINT32, d)...)
	b = append(b, e.Auto(MiINT8, []byte(name))...)
	for _, x := range body {
		b = append(b, x...)
	}
	return e.Elem(MiMATRIX, b)
}

// Numeric returns a numeric matrix of class stored as data type typ.
func (e Encoder) Numeric(name string, class, typ uint32, dims []int, v []float64) []byte {
	return e.Matrix(class, 0, dims, name, e.Auto(typ, e.Values(typ, v)))
}

// Char returns a 1xN char array stored as UTF-8.
func (e Encoder) Char(name, s string) []byte {
	return e.Matrix(MxCHAR, 0, []int{1, len(s)}, name, e.Auto(MiUTF8, []byte(s)))
}

// Structure returns a 1x1 struct holding the given field values.
func (e Encoder) Structure(name string, names []string, fields ...[]byte) []byte {
	return e.StructArray(name, []int{1, 1}, names, fields...)
}

// StructArray returns a struct array; fields holds the field values of
// element 1, then of element 2, and so on.
func (e Encoder) StructArray(name string, dims []int, names []string, fields ...[]byte) []byte {
	width := 0
	for _, n := range names {
		width = max(width, len(n)+1)
	}
	var nb []byte
	for _, n := range names {
		f := make([]byte, width)
		copy(f, n)
		nb = append(nb, f...)
	}
	body := [][]byte{e.Small(MiINT32, e.BO.AppendUint32(nil, uint32(width))), e.Elem(MiINT8, nb)}
	return e.Matrix(MxSTRUCT, 0, dims, name, append(body, fields...)...)
}

// Compressed wraps elements in one MiCOMPRESSED element.
func (e Encoder) Compressed(elems ...[]byte) []byte {
	var z bytes.Buffer
	w, _ := zlib.NewWriterLevel(&z, zlib.BestCompression)
	for _, x := range elems {
		w.Write(x)
	}
	w.Close()
	b := make([]byte, 8)
	e.BO.PutUint32(b, MiCOMPRESSED)
	e.BO.PutUint32(b[4:], uint32(z.Len()))
	return append(b, z.Bytes()...)
}

// File concatenates a header and elements.
func (e Encoder) File(elems ...[]byte) []byte {
	b := e.Header("MATLAB 5.0 MAT-file, Platform: GLNXA64, written by ghl's test encoder")
	for _, x := range elems {
		b = append(b, x...)
	}
	return b
}
