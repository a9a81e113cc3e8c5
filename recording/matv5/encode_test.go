package matv5_test

// A small MAT v5 encoder used only to build the test fixtures: it writes
// what the decoder must read (every numeric storage type, small data
// elements, both byte orders, miCOMPRESSED, structs, cells, char, logical,
// sparse), so the fixtures do not depend on MATLAB or SciPy.

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"math"
)

// MAT v5 data types and classes, as in the format specification.
const (
	miINT8, miUINT8, miINT16, miUINT16, miINT32, miUINT32, miSINGLE = 1, 2, 3, 4, 5, 6, 7
	miDOUBLE, miINT64, miUINT64, miMATRIX, miCOMPRESSED, miUTF8     = 9, 12, 13, 14, 15, 16

	mxCELL, mxSTRUCT, mxCHAR, mxSPARSE, mxDOUBLE, mxSINGLE = 1, 2, 4, 5, 6, 7
	mxINT8, mxUINT8, mxINT16, mxUINT16, mxINT32, mxUINT32  = 8, 9, 10, 11, 12, 13
	mxINT64, mxUINT64                                      = 14, 15

	flagComplex, flagLogical = 0x0800, 0x0200
)

// order is binary.LittleEndian or binary.BigEndian.
type order interface {
	binary.ByteOrder
	binary.AppendByteOrder
}

// enc encodes in one byte order.
type enc struct{ bo order }

// header returns the 128-byte file header.
func (e enc) header(text string) []byte {
	h := bytes.Repeat([]byte{' '}, 128)
	copy(h, text)
	for i := 116; i < 124; i++ {
		h[i] = 0
	}
	e.bo.PutUint16(h[124:], 0x0100)
	if e.bo == binary.LittleEndian {
		copy(h[126:], "IM")
	} else {
		copy(h[126:], "MI")
	}
	return h
}

// elem returns a data element with an 8-byte tag, padded to 8 bytes.
func (e enc) elem(typ uint32, data []byte) []byte {
	b := make([]byte, 8, 8+len(data)+7)
	e.bo.PutUint32(b, typ)
	e.bo.PutUint32(b[4:], uint32(len(data)))
	b = append(b, data...)
	for len(b)%8 != 0 {
		b = append(b, 0)
	}
	return b
}

// small returns a small data element (at most 4 data bytes).
func (e enc) small(typ uint32, data []byte) []byte {
	b := make([]byte, 8)
	e.bo.PutUint32(b, uint32(len(data))<<16|typ)
	copy(b[4:], data)
	return b
}

// auto returns a small element when the data fits, else a full one.
func (e enc) auto(typ uint32, data []byte) []byte {
	if len(data) <= 4 && len(data) > 0 {
		return e.small(typ, data)
	}
	return e.elem(typ, data)
}

// values encodes v as data type typ.
func (e enc) values(typ uint32, v []float64) []byte {
	var b []byte
	for _, x := range v {
		switch typ {
		case miINT8:
			b = append(b, byte(int8(x)))
		case miUINT8:
			b = append(b, byte(x))
		case miINT16:
			b = e.bo.AppendUint16(b, uint16(int16(x)))
		case miUINT16:
			b = e.bo.AppendUint16(b, uint16(x))
		case miINT32:
			b = e.bo.AppendUint32(b, uint32(int32(x)))
		case miUINT32:
			b = e.bo.AppendUint32(b, uint32(x))
		case miSINGLE:
			b = e.bo.AppendUint32(b, math.Float32bits(float32(x)))
		case miDOUBLE:
			b = e.bo.AppendUint64(b, math.Float64bits(x))
		case miINT64:
			b = e.bo.AppendUint64(b, uint64(int64(x)))
		case miUINT64:
			b = e.bo.AppendUint64(b, uint64(x))
		}
	}
	return b
}

// matrix returns an miMATRIX element: flags, dims, name, then body.
func (e enc) matrix(class, flags uint32, dims []int, name string, body ...[]byte) []byte {
	fl := e.bo.AppendUint32(nil, class|flags)
	fl = e.bo.AppendUint32(fl, 0)
	var d []byte
	for _, n := range dims {
		d = e.bo.AppendUint32(d, uint32(n))
	}
	b := append(e.elem(miUINT32, fl), e.elem(miINT32, d)...)
	b = append(b, e.auto(miINT8, []byte(name))...)
	for _, x := range body {
		b = append(b, x...)
	}
	return e.elem(miMATRIX, b)
}

// numeric returns a numeric matrix of class stored as data type typ.
func (e enc) numeric(name string, class, typ uint32, dims []int, v []float64) []byte {
	return e.matrix(class, 0, dims, name, e.auto(typ, e.values(typ, v)))
}

// char returns a 1xN char array stored as UTF-8.
func (e enc) char(name, s string) []byte {
	return e.matrix(mxCHAR, 0, []int{1, len(s)}, name, e.auto(miUTF8, []byte(s)))
}

// structure returns a 1x1 struct holding the given field values.
func (e enc) structure(name string, names []string, fields ...[]byte) []byte {
	return e.structArray(name, []int{1, 1}, names, fields...)
}

// structArray returns a struct array; fields holds the field values of
// element 1, then of element 2, and so on.
func (e enc) structArray(name string, dims []int, names []string, fields ...[]byte) []byte {
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
	body := [][]byte{e.small(miINT32, e.bo.AppendUint32(nil, uint32(width))), e.elem(miINT8, nb)}
	return e.matrix(mxSTRUCT, 0, dims, name, append(body, fields...)...)
}

// compressed wraps elements in one miCOMPRESSED element.
func (e enc) compressed(elems ...[]byte) []byte {
	var z bytes.Buffer
	w, _ := zlib.NewWriterLevel(&z, zlib.BestCompression)
	for _, x := range elems {
		w.Write(x)
	}
	w.Close()
	b := make([]byte, 8)
	e.bo.PutUint32(b, miCOMPRESSED)
	e.bo.PutUint32(b[4:], uint32(z.Len()))
	return append(b, z.Bytes()...)
}

// file concatenates a header and elements.
func (e enc) file(elems ...[]byte) []byte {
	b := e.header("MATLAB 5.0 MAT-file, Platform: GLNXA64, written by ghl's test encoder")
	for _, x := range elems {
		b = append(b, x...)
	}
	return b
}
