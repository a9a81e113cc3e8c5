// Package matv5 reads MATLAB Level 5 MAT-files (the format of MATLAB 5 to
// 7.2, "-v6" and "-v7"), the format of the CWRU bearing data.
//
// It is hand-written because no MAT-file reader is served by the Go module
// proxy. It reads what vibration recordings need and refuses everything else
// with a clear error:
//
//   - numeric arrays of every class (double, single, int8 … uint64), whatever
//     storage type MATLAB chose for them (a double array may be stored as
//     miUINT16, as CWRU's X###RPM scalars are), converted to float64;
//   - little- and big-endian files (header bytes 126–127 "IM" or "MI");
//   - the packed "small data element" (tag and up to 4 data bytes in 8);
//   - zlib-compressed miCOMPRESSED elements (MATLAB v7 files), decompressed
//     with a hard cap (MaxDecompressed);
//   - struct and cell arrays (and objects, read as structs), so that numeric
//     fields can be found by a path such as "s.data" or "c{2}";
//   - char arrays (as text) and logical arrays (as 0/1, never chosen as a
//     signal);
//   - sparse matrices, function handles and opaque objects (string, table,
//     datetime …) are listed with a Skipped reason instead of being read.
//
// MAT v7.3 files (HDF5 containers) and v4 files are recognised and refused
// with an error that says how to convert them.
//
// The decoder works on the whole file in memory. Every size read from the
// file is checked against the bytes that remain before anything is
// allocated, nesting is limited to MaxDepth, and no input makes it panic (a
// fuzz test, FuzzDecode, checks this). Errors caused by the file's content
// wrap ghl.ErrBadInput; a path that names nothing wraps ghl.ErrUsage.
package matv5

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"strings"
	"unicode/utf16"

	"github.com/ghl-dev/ghl"
)

// MaxDecompressed is the most bytes one miCOMPRESSED element may inflate to
// (1 GiB, 128 Mi doubles). A larger claim is refused before inflating, so a
// "zip bomb" cannot exhaust memory.
const MaxDecompressed = 1 << 30

// MaxDepth is the deepest nesting of cells and structs the decoder follows.
const MaxDepth = 64

// headerLen is the length of the MAT v5 descriptive header.
const headerLen = 128

// Data types of MAT v5 data elements.
const (
	miINT8       = 1
	miUINT8      = 2
	miINT16      = 3
	miUINT16     = 4
	miINT32      = 5
	miUINT32     = 6
	miSINGLE     = 7
	miDOUBLE     = 9
	miINT64      = 12
	miUINT64     = 13
	miMATRIX     = 14
	miCOMPRESSED = 15
	miUTF8       = 16
	miUTF16      = 17
	miUTF32      = 18
)

// Class is a MATLAB array class (the mxCLASS codes of the format).
type Class uint8

// The MATLAB array classes.
const (
	Cell     Class = 1
	Struct   Class = 2
	Object   Class = 3
	Char     Class = 4
	Sparse   Class = 5
	Double   Class = 6
	Single   Class = 7
	Int8     Class = 8
	Uint8    Class = 9
	Int16    Class = 10
	Uint16   Class = 11
	Int32    Class = 12
	Uint32   Class = 13
	Int64    Class = 14
	Uint64   Class = 15
	Function Class = 16
	Opaque   Class = 17
)

var classNames = [...]string{
	Cell: "cell", Struct: "struct", Object: "object", Char: "char", Sparse: "sparse",
	Double: "double", Single: "single", Int8: "int8", Uint8: "uint8", Int16: "int16",
	Uint16: "uint16", Int32: "int32", Uint32: "uint32", Int64: "int64", Uint64: "uint64",
	Function: "function_handle", Opaque: "opaque",
}

// String returns MATLAB's name for the class ("double", "struct" …).
func (c Class) String() string {
	if int(c) < len(classNames) && classNames[c] != "" {
		return classNames[c]
	}
	return fmt.Sprintf("class(%d)", uint8(c))
}

// numeric reports whether c is one of the numeric classes double … uint64.
func (c Class) numeric() bool { return c >= Double && c <= Uint64 }

// Variable is one MATLAB array: a top-level variable, a cell or a struct
// field.
type Variable struct {
	// Name is the variable's name ("" inside cells and structs).
	Name string
	// Class is the MATLAB class.
	Class Class
	// Dims are the dimensions (at least two for arrays MATLAB wrote).
	Dims []int
	// Complex, Global and Logical are the array flags.
	Complex, Global, Logical bool
	// Real holds the values of a numeric or logical array converted to
	// float64, in MATLAB's column-major order; Imag the imaginary part of a
	// complex array.
	Real, Imag []float64
	// Text holds a char array, one line per row.
	Text string
	// Fields are the field names of a struct or object.
	Fields []string
	// Elems are the cells of a cell array (column-major), or the field
	// values of a struct array: element i's field j is Elems[i*len(Fields)+j].
	Elems []*Variable
	// Skipped says why the content was not read (sparse matrices, function
	// handles, opaque objects); "" when it was.
	Skipped string
}

// Len returns the number of elements, the product of Dims.
func (v *Variable) Len() int {
	n := 1
	for _, d := range v.Dims {
		n *= d
	}
	return n
}

// IsVector reports whether v is a real, non-logical numeric array with at
// least two elements and at most one dimension longer than 1: something
// that can be a signal.
func (v *Variable) IsVector() bool {
	if !v.Class.numeric() || v.Complex || v.Logical || v.Skipped != "" || len(v.Real) < 2 {
		return false
	}
	long := 0
	for _, d := range v.Dims {
		if d > 1 {
			long++
		}
	}
	return long <= 1
}

// Describe returns a short description such as "double 121410x1" or
// "sparse 3x3 (skipped: …)".
func (v *Variable) Describe() string {
	dims := make([]string, len(v.Dims))
	for i, d := range v.Dims {
		dims[i] = fmt.Sprint(d)
	}
	s := v.Class.String()
	if v.Logical {
		s = "logical"
	}
	if v.Complex {
		s += " complex"
	}
	if len(dims) > 0 {
		s += " " + strings.Join(dims, "x")
	}
	if v.Skipped != "" {
		s += " (skipped: " + v.Skipped + ")"
	}
	return s
}

// File is a decoded MAT-file.
type File struct {
	// Text is the descriptive text of the header ("MATLAB 5.0 MAT-file …").
	Text string
	// BigEndian is true for files written on big-endian machines ("MI").
	BigEndian bool
	// Compressed is true when the file held miCOMPRESSED elements (v7).
	Compressed bool
	// Vars are the top-level variables in file order. Unnamed variables
	// (MATLAB's hidden subsystem data) are left out.
	Vars []*Variable
}

// decoder holds the state of one Decode call.
type decoder struct {
	bo  binary.ByteOrder
	off func(b []byte) int // offset of b in the buffer being parsed, for messages
}

// errf returns an error wrapping ghl.ErrBadInput.
func errf(format string, args ...any) error {
	return fmt.Errorf("matv5: %w: %s", ghl.ErrBadInput, fmt.Sprintf(format, args...))
}

// Decode decodes a whole MAT v5 file held in data.
func Decode(data []byte) (*File, error) {
	if err := checkHeader(data); err != nil {
		return nil, err
	}
	f := &File{Text: strings.TrimRight(string(data[:116]), " \x00")}
	var d decoder
	switch string(data[126:128]) {
	case "IM":
		d.bo = binary.LittleEndian
	case "MI":
		d.bo = binary.BigEndian
		f.BigEndian = true
	}
	rest := data[headerLen:]
	d.off = func(b []byte) int { return len(data) - len(b) }
	for len(rest) > 0 {
		if len(rest) < 8 && allZero(rest) {
			break // trailing padding
		}
		at := d.off(rest)
		typ, payload, next, err := d.element(rest)
		if err != nil {
			return nil, fmt.Errorf("%w (top-level element at offset %d)", err, at)
		}
		rest = next
		switch typ {
		case miCOMPRESSED:
			f.Compressed = true
			inner, err := inflate(payload, d.bo)
			if err != nil {
				return nil, fmt.Errorf("%w (compressed element at offset %d)", err, at)
			}
			// Offsets inside the inflated data are not file offsets.
			id := decoder{bo: d.bo, off: func(b []byte) int { return len(inner) - len(b) }}
			vars, err := id.topLevel(inner)
			if err != nil {
				return nil, fmt.Errorf("%w (inside compressed element at offset %d)", err, at)
			}
			f.Vars = append(f.Vars, vars...)
		case miMATRIX:
			v, err := d.matrix(payload, 0)
			if err != nil {
				return nil, fmt.Errorf("%w (variable at offset %d)", err, at)
			}
			if v.Name != "" {
				f.Vars = append(f.Vars, v)
			}
		}
		// Other top-level element types carry no variable: ignore them.
	}
	return f, nil
}

// topLevel parses the miMATRIX elements of an inflated compressed element.
func (d *decoder) topLevel(b []byte) ([]*Variable, error) {
	var vars []*Variable
	for len(b) > 0 {
		if len(b) < 8 && allZero(b) {
			break
		}
		at := d.off(b)
		typ, payload, next, err := d.element(b)
		if err != nil {
			return nil, err
		}
		b = next
		if typ == miCOMPRESSED {
			return nil, errf("nested compressed element at inflated offset %d", at)
		}
		if typ != miMATRIX {
			continue
		}
		v, err := d.matrix(payload, 0)
		if err != nil {
			return nil, err
		}
		if v.Name != "" {
			vars = append(vars, v)
		}
	}
	return vars, nil
}

func allZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}

// checkHeader recognises v4, v7.3/HDF5 and non-MAT files and checks the v5
// header.
func checkHeader(data []byte) error {
	const convert = "re-save it as a v7 (or v6) MAT-file: save(file, '-v7') in MATLAB or scipy.io.savemat(file, vars) in Python"
	hdf := []byte("\x89HDF\r\n\x1a\n")
	if bytes.HasPrefix(data, hdf) || (len(data) >= 520 && bytes.Equal(data[512:520], hdf)) ||
		bytes.Contains(data[:min(len(data), headerLen)], []byte("MATLAB 7.3")) ||
		(len(data) >= headerLen && isEndian(data[126:128]) && versionOf(data) == 0x0200) {
		return errf("a MAT v7.3 file (an HDF5 container), which this reader does not read: %s", convert)
	}
	if looksV4(data) {
		return errf("a MAT v4 file, which this reader does not read: %s", convert)
	}
	if len(data) < headerLen {
		return errf("%d bytes: too short for a MAT v5 file (the header alone is %d bytes)", len(data), headerLen)
	}
	if !isEndian(data[126:128]) {
		return errf("not a MAT v5 file: header bytes 126-127 are %q, want \"IM\" or \"MI\"", data[126:128])
	}
	if v := versionOf(data); v != 0x0100 {
		return errf("unknown MAT-file version 0x%04x (want 0x0100 for a v5/v7 file)", v)
	}
	return nil
}

func isEndian(b []byte) bool { return string(b) == "IM" || string(b) == "MI" }

func versionOf(data []byte) uint16 {
	if string(data[126:128]) == "IM" {
		return binary.LittleEndian.Uint16(data[124:126])
	}
	return binary.BigEndian.Uint16(data[124:126])
}

// looksV4 reports whether data starts with a plausible MAT v4 matrix
// header: type MOPT with M in 0..4, O = 0, P in 0..5, T in 0..2, then rows,
// columns, imaginary flag and a name length, in either byte order. A v5 file
// starts with text, which never has a zero among its first four bytes.
func looksV4(data []byte) bool {
	if len(data) < 20 || !bytes.Contains(data[:4], []byte{0}) {
		return false
	}
	for _, bo := range []binary.ByteOrder{binary.LittleEndian, binary.BigEndian} {
		mopt := bo.Uint32(data[0:4])
		m, o, p, t := mopt/1000, mopt/100%10, mopt/10%10, mopt%10
		imag, namlen := bo.Uint32(data[12:16]), bo.Uint32(data[16:20])
		if mopt < 5000 && m <= 4 && o == 0 && p <= 5 && t <= 2 && imag <= 1 && namlen >= 1 && namlen < 1<<16 {
			return true
		}
	}
	return false
}

// element splits the data element at the start of b into its type, its
// payload and what follows it (after padding to 8 bytes).
func (d *decoder) element(b []byte) (typ uint32, payload, rest []byte, err error) {
	if len(b) < 8 {
		return 0, nil, nil, errf("truncated: %d bytes left where an 8-byte element tag should be", len(b))
	}
	w := d.bo.Uint32(b[0:4])
	if n := w >> 16; n != 0 { // small data element: size in the upper half
		if n > 4 {
			return 0, nil, nil, errf("small data element claims %d bytes (at most 4 fit)", n)
		}
		return w & 0xffff, b[4 : 4+n], b[8:], nil
	}
	size := uint64(d.bo.Uint32(b[4:8]))
	if size > uint64(len(b)-8) {
		return 0, nil, nil, errf("truncated: element of type %d claims %d bytes, only %d remain", w, size, len(b)-8)
	}
	end := 8 + int(size)
	payload = b[8:end]
	if w != miCOMPRESSED { // compressed elements are not padded
		end += (8 - int(size)%8) % 8
	}
	return w, payload, b[min(end, len(b)):], nil
}

// inflate decompresses the payload of an miCOMPRESSED element. It reads
// the inner element's tag first and refuses a claimed size above
// MaxDecompressed; memory then grows only with bytes actually inflated.
func inflate(payload []byte, bo binary.ByteOrder) ([]byte, error) {
	zr, err := zlib.NewReader(bytes.NewReader(payload))
	if err != nil {
		return nil, errf("compressed element: %v", err)
	}
	defer zr.Close()
	var tag [8]byte
	if _, err := io.ReadFull(zr, tag[:]); err != nil {
		return nil, errf("compressed element: inflating the inner tag: %v", err)
	}
	claim := uint64(bo.Uint32(tag[4:]))
	if bo.Uint32(tag[:4])>>16 != 0 {
		claim = 0 // a small data element: its 4 bytes are already in tag
	}
	if claim > MaxDecompressed {
		return nil, errf("compressed element claims %d bytes inflated, more than the limit of %d", claim, MaxDecompressed)
	}
	claim += 8 // padding of the inner element
	var buf bytes.Buffer
	buf.Write(tag[:])
	if _, err := io.Copy(&buf, io.LimitReader(zr, int64(claim))); err != nil {
		return nil, errf("compressed element: %v", err)
	}
	// Finish the stream so that zlib verifies its checksum.
	if _, err := io.Copy(io.Discard, io.LimitReader(zr, 64)); err != nil {
		return nil, errf("compressed element: %v", err)
	}
	return buf.Bytes(), nil
}

// matrix parses the payload of an miMATRIX element.
func (d *decoder) matrix(b []byte, depth int) (*Variable, error) {
	if depth > MaxDepth {
		return nil, errf("cells or structs nested deeper than %d levels", MaxDepth)
	}
	v := &Variable{Class: Double, Dims: []int{0, 0}}
	if len(b) == 0 { // an empty array [] inside a cell or struct
		return v, nil
	}
	typ, flags, b, err := d.element(b)
	if err != nil {
		return nil, fmt.Errorf("%w: array flags", err)
	}
	if typ != miUINT32 || len(flags) != 8 {
		return nil, errf("array flags: want an 8-byte miUINT32 element, got type %d with %d bytes", typ, len(flags))
	}
	fw := d.bo.Uint32(flags[:4])
	v.Class = Class(fw & 0xff)
	v.Complex, v.Global, v.Logical = fw&0x0800 != 0, fw&0x0400 != 0, fw&0x0200 != 0
	if v.Class == Opaque || v.Class == Function {
		v.Dims = nil
		// Best effort to recover the name; the layout varies by type.
		if typ, name, _, err := d.element(b); err == nil && (typ == miINT8 || typ == miUINT8) {
			v.Name = string(name)
		}
		v.Skipped = "MATLAB objects (string, table, datetime, function handles …) are not read; store the signal as a numeric array"
		return v, nil
	}
	typ, dims, b, err := d.element(b)
	if err != nil {
		return nil, fmt.Errorf("%w: dimensions", err)
	}
	if typ != miINT32 || len(dims)%4 != 0 || len(dims) == 0 {
		return nil, errf("dimensions: want an miINT32 element, got type %d with %d bytes", typ, len(dims))
	}
	v.Dims = make([]int, len(dims)/4)
	numel := 1
	for i := range v.Dims {
		n := int32(d.bo.Uint32(dims[4*i:]))
		if n < 0 {
			return nil, errf("negative dimension %d", n)
		}
		v.Dims[i] = int(n)
	}
	for _, n := range v.Dims {
		if n == 0 {
			numel = 0
		}
	}
	for _, n := range v.Dims {
		// Every element takes at least one byte, so a product above the
		// bytes left is refused below; stop multiplying before overflow.
		if numel <= len(b) {
			numel *= n
		}
	}
	typ, name, b, err := d.element(b)
	if err != nil {
		return nil, fmt.Errorf("%w: array name", err)
	}
	if typ != miINT8 && typ != miUINT8 {
		return nil, errf("array name: want an miINT8 element, got type %d", typ)
	}
	v.Name = string(name)
	if numel > len(b) && v.Class != Sparse {
		return nil, errf("array %q: dimensions %v claim %d elements but only %d bytes remain", v.Name, v.Dims, numel, len(b))
	}
	switch {
	case v.Class.numeric():
		err = d.numeric(v, b, numel)
	case v.Class == Char:
		err = d.char(v, b)
	case v.Class == Cell:
		err = d.cell(v, b, numel, depth)
	case v.Class == Struct || v.Class == Object:
		err = d.structure(v, b, numel, depth)
	case v.Class == Sparse:
		v.Skipped = "sparse matrices are not read; convert with full() before saving"
	default:
		v.Skipped = fmt.Sprintf("unknown array class %d", uint8(v.Class))
	}
	if err != nil {
		return nil, fmt.Errorf("%w (array %q)", err, v.Name)
	}
	return v, nil
}

// numeric reads the real (and imaginary) part of a numeric array.
func (d *decoder) numeric(v *Variable, b []byte, numel int) error {
	var err error
	if v.Real, b, err = d.values(b, numel, "real part"); err != nil {
		return err
	}
	if v.Complex {
		v.Imag, _, err = d.values(b, numel, "imaginary part")
	}
	return err
}

// values reads one numeric data element holding numel values.
func (d *decoder) values(b []byte, numel int, what string) ([]float64, []byte, error) {
	typ, data, rest, err := d.element(b)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %s", err, what)
	}
	size := typeSize(typ)
	if size == 0 {
		return nil, nil, errf("%s: data type %d is not numeric", what, typ)
	}
	if len(data) != numel*size {
		return nil, nil, errf("%s: %d bytes of type %d hold %d values, the dimensions need %d", what, len(data), typ, len(data)/size, numel)
	}
	out := make([]float64, numel)
	for i := range out {
		out[i] = d.value(typ, data[i*size:])
	}
	return out, rest, nil
}

// typeSize returns the byte size of a numeric data type, 0 for others.
func typeSize(typ uint32) int {
	switch typ {
	case miINT8, miUINT8:
		return 1
	case miINT16, miUINT16:
		return 2
	case miINT32, miUINT32, miSINGLE:
		return 4
	case miDOUBLE, miINT64, miUINT64:
		return 8
	}
	return 0
}

// value converts the value of type typ at the start of b.
func (d *decoder) value(typ uint32, b []byte) float64 {
	switch typ {
	case miINT8:
		return float64(int8(b[0]))
	case miUINT8:
		return float64(b[0])
	case miINT16:
		return float64(int16(d.bo.Uint16(b)))
	case miUINT16:
		return float64(d.bo.Uint16(b))
	case miINT32:
		return float64(int32(d.bo.Uint32(b)))
	case miUINT32:
		return float64(d.bo.Uint32(b))
	case miSINGLE:
		return float64(math.Float32frombits(d.bo.Uint32(b)))
	case miDOUBLE:
		return math.Float64frombits(d.bo.Uint64(b))
	case miINT64:
		return float64(int64(d.bo.Uint64(b)))
	default: // miUINT64
		return float64(d.bo.Uint64(b))
	}
}

// char reads a char array as text, one line per row.
func (d *decoder) char(v *Variable, b []byte) error {
	typ, data, _, err := d.element(b)
	if err != nil {
		return fmt.Errorf("%w: char data", err)
	}
	var runes []rune
	switch typ {
	case miUTF16, miUINT16:
		u := make([]uint16, len(data)/2)
		for i := range u {
			u[i] = d.bo.Uint16(data[2*i:])
		}
		runes = utf16.Decode(u)
	case miUTF8, miUINT8, miINT8:
		runes = []rune(string(data))
	case miUTF32, miINT32, miUINT32:
		runes = make([]rune, len(data)/4)
		for i := range runes {
			runes[i] = rune(d.bo.Uint32(data[4*i:]))
		}
	default:
		return errf("char data of type %d", typ)
	}
	rows := 1
	if len(v.Dims) == 2 && v.Dims[0] > 0 && v.Dims[0]*v.Dims[1] == len(runes) {
		rows = v.Dims[0]
	}
	lines := make([]string, rows)
	for r := range lines {
		var sb strings.Builder
		for i := r; i < len(runes); i += rows { // column-major
			sb.WriteRune(runes[i])
		}
		lines[r] = sb.String()
	}
	v.Text = strings.Join(lines, "\n")
	return nil
}

// cell reads the numel arrays of a cell array.
func (d *decoder) cell(v *Variable, b []byte, numel, depth int) error {
	if numel > len(b)/8 {
		return errf("cell array of %d elements in %d bytes", numel, len(b))
	}
	var err error
	v.Elems, _, err = d.children(b, numel, depth)
	return err
}

// structure reads a struct or object array: field names, then each
// element's fields.
func (d *decoder) structure(v *Variable, b []byte, numel, depth int) error {
	if v.Class == Object {
		typ, _, rest, err := d.element(b)
		if err != nil {
			return fmt.Errorf("%w: object class name", err)
		}
		if typ != miINT8 && typ != miUINT8 {
			return errf("object class name: want an miINT8 element, got type %d", typ)
		}
		b = rest
	}
	typ, ln, b, err := d.element(b)
	if err != nil {
		return fmt.Errorf("%w: field name length", err)
	}
	if typ != miINT32 || len(ln) != 4 {
		return errf("field name length: want a 4-byte miINT32 element, got type %d with %d bytes", typ, len(ln))
	}
	width := int(int32(d.bo.Uint32(ln)))
	typ, names, b, err := d.element(b)
	if err != nil {
		return fmt.Errorf("%w: field names", err)
	}
	if typ != miINT8 && typ != miUINT8 {
		return errf("field names: want an miINT8 element, got type %d", typ)
	}
	if width <= 0 && len(names) > 0 || width > 0 && len(names)%width != 0 {
		return errf("field names: %d bytes do not split into names of %d bytes", len(names), width)
	}
	if width > 0 {
		for i := 0; i < len(names); i += width {
			v.Fields = append(v.Fields, string(bytes.TrimRight(names[i:i+width], "\x00")))
		}
	}
	n := numel * len(v.Fields) // numel <= len(b), len(Fields) <= len(names): no overflow
	if n > len(b)/8 {
		return errf("struct array of %d elements with %d fields in %d bytes", numel, len(v.Fields), len(b))
	}
	v.Elems, _, err = d.children(b, n, depth)
	return err
}

// children reads n miMATRIX elements.
func (d *decoder) children(b []byte, n, depth int) ([]*Variable, []byte, error) {
	out := make([]*Variable, n)
	for i := range out {
		typ, payload, rest, err := d.element(b)
		if err != nil {
			return nil, nil, fmt.Errorf("%w: element %d of %d", err, i+1, n)
		}
		if typ != miMATRIX {
			return nil, nil, errf("element %d of %d: want an miMATRIX element, got type %d", i+1, n, typ)
		}
		if out[i], err = d.matrix(payload, depth+1); err != nil {
			return nil, nil, fmt.Errorf("%w: element %d of %d", err, i+1, n)
		}
		b = rest
	}
	return out, b, nil
}
