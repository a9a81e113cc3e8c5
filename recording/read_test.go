package recording

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ghl-dev/ghl"
	"github.com/ghl-dev/ghl/internal/matenc"
)

// matRow returns row r of the 4 × 20 matrix of the windows.mat case.
func matRow(r int) []float64 {
	x := make([]float64, 20)
	for c := range x {
		x[c] = float64(c) + float64(r)/10
	}
	return x
}

// npyFile builds a version 1.0 .npy file by hand.
func npyFile(descr, shape string, data []byte) []byte {
	h := fmt.Sprintf("{'descr': '%s', 'fortran_order': False, 'shape': %s, }", descr, shape)
	for (10+len(h)+1)%64 != 0 {
		h += " "
	}
	h += "\n"
	b := append([]byte("\x93NUMPY\x01\x00"), byte(len(h)), byte(len(h)>>8))
	return append(append(b, h...), data...)
}

// le encodes values little-endian with the given byte size (float for 4
// and 8 when float is set).
func le(size int, float bool, vals ...float64) []byte {
	var b []byte
	for _, v := range vals {
		switch {
		case size == 1:
			b = append(b, byte(int8(v)))
		case size == 2:
			b = binary.LittleEndian.AppendUint16(b, uint16(int16(v)))
		case size == 3:
			u := uint32(int32(v))
			b = append(b, byte(u), byte(u>>8), byte(u>>16))
		case size == 4 && float:
			b = binary.LittleEndian.AppendUint32(b, math.Float32bits(float32(v)))
		case size == 4:
			b = binary.LittleEndian.AppendUint32(b, uint32(int32(v)))
		case size == 8 && float:
			b = binary.LittleEndian.AppendUint64(b, math.Float64bits(v))
		default:
			b = binary.LittleEndian.AppendUint64(b, uint64(int64(v)))
		}
	}
	return b
}

// wavFile builds a WAV file by hand: a fmt chunk, optional extra chunks
// before the data, and the interleaved sample bytes.
func wavFile(format uint16, channels, rate, bits int, data []byte, extra ...[]byte) []byte {
	fmtc := binary.LittleEndian.AppendUint16(nil, format)
	fmtc = binary.LittleEndian.AppendUint16(fmtc, uint16(channels))
	fmtc = binary.LittleEndian.AppendUint32(fmtc, uint32(rate))
	fmtc = binary.LittleEndian.AppendUint32(fmtc, uint32(rate*channels*bits/8))
	fmtc = binary.LittleEndian.AppendUint16(fmtc, uint16(channels*bits/8))
	fmtc = binary.LittleEndian.AppendUint16(fmtc, uint16(bits))
	body := []byte("WAVE")
	body = append(body, chunk("fmt ", fmtc)...)
	for _, e := range extra {
		body = append(body, e...)
	}
	body = append(body, chunk("data", data)...)
	return append(append([]byte("RIFF"), binary.LittleEndian.AppendUint32(nil, uint32(len(body)))...), body...)
}

// wavExtFile builds a WAVE_FORMAT_EXTENSIBLE file whose SubFormat GUID
// carries the format code sub (1 PCM, 3 float).
func wavExtFile(sub uint16, channels, rate, bits int, data []byte) []byte {
	b := wavFile(0xFFFE, channels, rate, bits, nil)
	fmtc := b[20:36]                                                          // the 16 bytes of the plain fmt chunk
	ext := binary.LittleEndian.AppendUint16(append([]byte(nil), fmtc...), 22) // cbSize
	ext = binary.LittleEndian.AppendUint16(ext, uint16(bits))                 // valid bits
	ext = binary.LittleEndian.AppendUint32(ext, 0)                            // channel mask
	ext = binary.LittleEndian.AppendUint16(ext, sub)
	ext = append(ext, "\x00\x00\x00\x00\x10\x00\x80\x00\x00\xaa\x00\x38\x9b\x71"...)
	body := append([]byte("WAVE"), chunk("fmt ", ext)...)
	body = append(body, chunk("data", data)...)
	return append(append([]byte("RIFF"), binary.LittleEndian.AppendUint32(nil, uint32(len(body)))...), body...)
}

func chunk(id string, data []byte) []byte {
	b := append([]byte(id), binary.LittleEndian.AppendUint32(nil, uint32(len(data)))...)
	b = append(b, data...)
	if len(data)%2 == 1 {
		b = append(b, 0)
	}
	return b
}

// listClaim is a LIST chunk header claiming 4 GiB.
var listClaim = []byte("LIST\xf0\xff\xff\xffINFO")

// readCase is one file for Read: its content and what must come out.
type readCase struct {
	name string // file name; its extension picks the reader
	data []byte
	opt  Options
	// On success:
	want     []float64
	variable string
	rate     float64
	// On failure: the sentinel and words the message must hold.
	err   error
	words []string
}

func readCases(t testing.TB) []readCase {
	fixture := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	stereo := le(2, false, 100, -100, 200, -200, 300, -300)
	sig := make([]float64, 20)
	var tv bytes.Buffer
	tv.WriteString("time,value\n")
	for i := range sig {
		sig[i] = math.Sin(float64(i))
		fmt.Fprintf(&tv, "%g,%v\n", float64(i)/100, sig[i])
	}
	timeValue := tv.Bytes()
	e := matenc.LE
	num := func(name string, v ...float64) []byte {
		return e.Numeric(name, matenc.MxDOUBLE, matenc.MiDOUBLE, []int{len(v), 1}, v)
	}
	// The public dataset of issue 14: a struct with the signal, its
	// sampling rate sr and the shaft rate, compressed (MAT v7).
	bearing := e.File(e.Compressed(e.Structure("bearing", []string{"gs", "sr", "rate"}, num("", sig...), num("", 48828), num("", 25))))
	shaftOnly := e.File(e.Compressed(e.Structure("bearing", []string{"gs", "rate"}, num("", sig...), num("", 25))))
	disagree := e.File(num("x", sig...), num("fs", 1000), num("SR", 2000))
	flat := make([]float64, 80)
	for i := range flat {
		flat[i] = float64(i/4) + float64(i%4)/10 // column-major 4 × 20: row r, column c is c + r/10
	}
	windows := e.File(e.Numeric("data", matenc.MxDOUBLE, matenc.MiDOUBLE, []int{4, 20}, flat), num("label", 0, 1, 0, 1))
	return []readCase{
		// CSV
		{name: "one.csv", data: []byte("1.5\n-2\n3e2\n"), want: []float64{1.5, -2, 300}},
		{name: "crlf.csv", data: []byte("\xef\xbb\xbf# comment\r\n\r\n1\r\n2\r\n"), want: []float64{1, 2}},
		{name: "named.csv", data: []byte("time;\"acc\"\n0;0.5\n1;0.25\n"), opt: Options{Variable: "acc"}, want: []float64{0.5, 0.25}, variable: "acc"},
		{name: "caseless.csv", data: []byte("Time,ACC\n0,1\n1,2\n"), opt: Options{Variable: "acc"}, want: []float64{1, 2}, variable: "ACC"},
		{name: "spaces.csv", data: []byte("0 10\n1   20\n2\t30\n"), opt: Options{Channel: 1, PickChannel: true}, want: []float64{10, 20, 30}, variable: "column 1"},
		{name: "quoted.csv", data: []byte("time,\"acc, x\"\n0,\"1.5\"\n1,-2\n"), opt: Options{Variable: "acc, x"}, want: []float64{1.5, -2}, variable: "acc, x"},
		{name: "decimal.csv", data: []byte("zeit;beschl\n0;0,5\n1;-0,25\n"), opt: Options{Variable: "beschl"}, want: []float64{0.5, -0.25}, variable: "beschl"},
		{name: "decimalflag.csv", data: []byte("0,5\n-1,25\n"), opt: Options{Delimiter: ';', DecimalComma: true}, want: []float64{0.5, -1.25}},
		{name: "comma.csv", data: []byte("a;b\n1,5;2.5\n"), opt: Options{Variable: "a"}, err: ghl.ErrBadInput, words: []string{`"1,5"`, "--decimal-comma"}},
		{name: "badquote.csv", data: []byte("a,b\n1,\"2\n"), opt: Options{Variable: "b"}, err: ghl.ErrBadInput, words: []string{"line 2"}},
		{name: "time.csv", data: timeValue, opt: Options{PickChannel: true}, err: ghl.ErrBadInput, words: []string{"time is strictly increasing", "--allow-increasing"}},
		{name: "timeallowed.csv", data: timeValue, opt: Options{PickChannel: true, AllowIncreasing: true}, variable: "time"},
		{name: "value.csv", data: timeValue, opt: Options{Channel: 1, PickChannel: true}, variable: "value", want: sig},
		{name: "numbername.csv", data: timeValue, opt: Options{Variable: "1"}, err: ghl.ErrUsage, words: []string{"--channel 1", "0-based", "2nd column"}},
		{name: "farcolumn.csv", data: timeValue, opt: Options{Channel: 2, PickChannel: true}, err: ghl.ErrUsage, words: []string{"column 2 requested", "has 2"}},
		{name: "header1.csv", data: []byte("acc\n1\n2\n"), want: []float64{1, 2}, variable: "acc"},
		{name: "text.csv", data: []byte("1\n2\nabc\n"), err: ghl.ErrBadInput, words: []string{"line 3, column 0", "abc"}},
		{name: "ragged.csv", data: []byte("a,b\n1,2\n3\n"), opt: Options{Variable: "b"}, err: ghl.ErrBadInput, words: []string{"line 3"}},
		{name: "twocols.csv", data: []byte("a,b\n1,2\n"), err: ghl.ErrUsage, words: []string{"2 columns", "a, b", "--channel"}},
		{name: "nocol.csv", data: []byte("a,b\n1,2\n"), opt: Options{Variable: "c"}, err: ghl.ErrUsage, words: []string{`"c"`, "a, b"}},
		{name: "nan.csv", data: []byte("1\nNaN\n3\n"), err: ghl.ErrBadInput, words: []string{"sample 1", "NaN"}},
		{name: "inf.csv", data: []byte("1\n2\n-Inf\n"), err: ghl.ErrBadInput, words: []string{"sample 2", "-Inf"}},
		{name: "headeronly.csv", data: []byte("acc\n"), err: ghl.ErrBadInput, words: []string{"no samples"}},
		{name: "empty.csv", data: nil, err: ghl.ErrBadInput, words: []string{"no samples"}},
		{name: "binary.csv", data: []byte{0, 1, 2, 0xff, '\n', 3}, err: ghl.ErrBadInput, words: []string{"not a number"}},
		{name: "UPPER.CSV", data: []byte("7\n8\n"), want: []float64{7, 8}},
		// NPY
		{name: "f8.npy", data: npyFile("<f8", "(3,)", le(8, true, 1, -2, 3.5)), want: []float64{1, -2, 3.5}},
		{name: "matrix.npy", data: npyFile("<f8", "(2, 3)", le(8, true, 1, 2, 3, 4, 6, 5)), err: ghl.ErrBadInput, words: []string{"(2, 3)", "--channel", "windowed dataset"}},
		{name: "row.npy", data: npyFile("<f8", "(2, 3)", le(8, true, 1, 2, 3, 4, 6, 5)), opt: Options{Channel: 1, PickChannel: true}, want: []float64{4, 6, 5}, variable: "ch1"},
		{name: "column.npy", data: npyFile("<f8", "(3, 2)", le(8, true, 1, 2, 3, 4, 6, 5)), opt: Options{Channel: 1, PickChannel: true}, want: []float64{2, 4, 5}, variable: "ch1"},
		{name: "nochannel.npy", data: npyFile("<f8", "(3, 2)", le(8, true, 1, 2, 3, 4, 6, 5)), opt: Options{Channel: 2, PickChannel: true}, err: ghl.ErrUsage, words: []string{"channel 2", "has 2"}},
		{name: "f4.npy", data: npyFile("<f4", "(2,)", le(4, true, 0.5, -0.25)), want: []float64{0.5, -0.25}},
		{name: "i2.npy", data: npyFile("<i2", "(3,)", le(2, false, -7, 0, 9)), want: []float64{-7, 0, 9}},
		{name: "u1.npy", data: npyFile("|u1", "(2,)", []byte{200, 3}), want: []float64{200, 3}},
		{name: "i8.npy", data: npyFile("<i8", "(2,)", le(8, false, -5, 1<<40)), want: []float64{-5, 1 << 40}},
		{name: "be.npy", data: npyFile(">f8", "(2,)", binary.BigEndian.AppendUint64(binary.BigEndian.AppendUint64(nil, math.Float64bits(1.25)), math.Float64bits(-8))), want: []float64{1.25, -8}},
		{name: "col.npy", data: npyFile("<f8", "(3, 1)", le(8, true, 4, 5, 6)), want: []float64{4, 5, 6}},
		{name: "row.npy", data: npyFile("<f8", "(1, 2)", le(8, true, 4, 5)), want: []float64{4, 5}},
		{name: "matrix.npy", data: npyFile("<f8", "(2, 3)", le(8, true, 1, 2, 3, 4, 5, 6)), err: ghl.ErrBadInput, words: []string{"(2, 3)", "shape"}},
		{name: "complex.npy", data: npyFile("<c16", "(1,)", make([]byte, 16)), err: ghl.ErrBadInput, words: []string{"c16"}},
		{name: "short.npy", data: npyFile("<f8", "(5,)", le(8, true, 1, 2)), err: ghl.ErrBadInput, words: []string{"needs 40 bytes"}},
		{name: "huge.npy", data: npyFile("<f8", "(1000000000000,)", le(8, true, 1)), err: ghl.ErrBadInput, words: []string{"bytes"}},
		{name: "magic.npy", data: []byte("NUMPY but not really"), err: ghl.ErrBadInput, words: []string{"magic"}},
		{name: "hlen.npy", data: []byte("\x93NUMPY\x01\x00\xff\xff{'descr'"), err: ghl.ErrBadInput, words: []string{"header"}},
		{name: "nannpy.npy", data: npyFile("<f4", "(3,)", le(4, true, 1, math.Inf(1), 2)), err: ghl.ErrBadInput, words: []string{"sample 1", "+Inf"}},
		{name: "empty.npy", data: npyFile("<f8", "(0,)", nil), err: ghl.ErrBadInput, words: []string{"no samples"}},
		// WAV
		{name: "pcm16.wav", data: wavFile(1, 1, 8000, 16, le(2, false, 0, 16384, -32768)), want: []float64{0, 0.5, -1}, variable: "ch0", rate: 8000},
		{name: "stereo.wav", data: wavFile(1, 2, 44100, 16, stereo), opt: Options{Channel: 1}, want: []float64{-100.0 / 32768, -200.0 / 32768, -300.0 / 32768}, variable: "ch1", rate: 44100},
		{name: "pcm24.wav", data: wavFile(1, 1, 48000, 24, le(3, false, 4194304, -8388608)), want: []float64{0.5, -1}, variable: "ch0", rate: 48000},
		{name: "pcm32.wav", data: wavFile(1, 1, 96000, 32, le(4, false, 1<<30, -(1<<31))), want: []float64{0.5, -1}, variable: "ch0", rate: 96000},
		{name: "pcm8.wav", data: wavFile(1, 1, 8000, 8, []byte{128, 192, 0}), want: []float64{0, 0.5, -1}, variable: "ch0", rate: 8000},
		{name: "float.wav", data: wavFile(3, 1, 12000, 32, le(4, true, 0.25, -3.5)), want: []float64{0.25, -3.5}, variable: "ch0", rate: 12000},
		{name: "extfloat.wav", data: wavExtFile(3, 1, 25600, 32, le(4, true, 0.75, -0.5)), want: []float64{0.75, -0.5}, variable: "ch0", rate: 25600},
		{name: "extpcm32.wav", data: wavExtFile(1, 1, 25600, 32, le(4, false, 1<<30)), want: []float64{0.5}, variable: "ch0", rate: 25600},
		{name: "extpcm24.wav", data: wavExtFile(1, 2, 48000, 24, le(3, false, 1, 4194304)), opt: Options{Channel: 1}, want: []float64{0.5}, variable: "ch1", rate: 48000},
		{name: "list.wav", data: wavFile(1, 1, 8000, 16, le(2, false, 1, 2), chunk("LIST", []byte("INFOISFT\x03\x00\x00\x00ab\x00\x00"))), want: []float64{1.0 / 32768, 2.0 / 32768}, variable: "ch0", rate: 8000},
		// A LIST entry claiming 3.6 GB, which go-audio would allocate: found by FuzzWAV.
		{name: "listentry.wav", data: wavFile(1, 1, 8000, 16, le(2, false, 1), chunk("LIST", []byte("INFOI\xd9\xd9\xd9\xd9\xd9\xd9\xd9ab\x00\x00"))), want: []float64{1.0 / 32768}, variable: "ch0", rate: 8000},
		{name: "fmtafter.wav", data: []byte("RIFF\x10\x00\x00\x00WAVEdata\x02\x00\x00\x00\x01\x00"), err: ghl.ErrBadInput, words: []string{"before any fmt"}},
		{name: "channel.wav", data: wavFile(1, 2, 8000, 16, stereo), opt: Options{Channel: 2}, err: ghl.ErrUsage, words: []string{"channel 2", "2"}},
		{name: "float64.wav", data: wavFile(3, 1, 8000, 64, le(8, true, 1)), err: ghl.ErrBadInput, words: []string{"64-bit float"}},
		{name: "alaw.wav", data: wavFile(6, 1, 8000, 8, []byte{1, 2}), err: ghl.ErrBadInput, words: []string{"0x0006"}},
		{name: "bomb.wav", data: wavFile(1, 1, 8000, 16, le(2, false, 1), listClaim), err: ghl.ErrBadInput, words: []string{"LIST", "claims"}},
		{name: "nodata.wav", data: wavFile(1, 1, 8000, 16, nil)[:36], err: ghl.ErrBadInput, words: []string{"no data chunk"}},
		{name: "notriff.wav", data: []byte("RIFX....WAVEfmt "), err: ghl.ErrBadInput, words: []string{"not a WAV"}},
		{name: "rate0.wav", data: wavFile(1, 1, 0, 16, le(2, false, 1, 2)), err: ghl.ErrBadInput, words: []string{"rate 0"}},
		{name: "silence.wav", data: wavFile(1, 1, 8000, 16, nil), err: ghl.ErrBadInput, words: []string{"no samples"}},
		{name: "neg.wav", data: wavFile(1, 1, 8000, 16, le(2, false, 1)), opt: Options{Channel: -1}, err: ghl.ErrUsage, words: []string{"negative"}},
		// MAT (fixtures written by the matv5 tests' encoder)
		{name: "cwru99.mat", data: fixture("cwru99.mat"), variable: "X099_DE_time"},
		{name: "v7struct.mat", data: fixture("v7struct.mat"), variable: "s.data", rate: 25600},
		{name: "cell.mat", data: fixture("v7struct.mat"), opt: Options{Variable: "c{2}"}, want: []float64{0.5, 1.5, 2.5}, variable: "c{2}", rate: 0},
		{name: "bearing.mat", data: bearing, opt: Options{Variable: "bearing.gs"}, variable: "bearing.gs", rate: 48828, want: sig},
		{name: "shaftonly.mat", data: shaftOnly, opt: Options{Variable: "bearing.gs"}, variable: "bearing.gs", rate: 0},
		{name: "disagree.mat", data: disagree, variable: "x", rate: 0},
		{name: "windows.mat", data: windows, err: ghl.ErrBadInput, words: []string{"data (double 4x20)", "windowed dataset"}},
		{name: "windowsvar.mat", data: windows, opt: Options{Variable: "data"}, err: ghl.ErrBadInput, words: []string{"data is a matrix", "--channel"}},
		{name: "channel.mat", data: windows, opt: Options{Variable: "data", Channel: 3, PickChannel: true, AllowIncreasing: true}, variable: "data[ch3]", want: matRow(3)},
		{name: "vecchannel.mat", data: windows, opt: Options{Variable: "label", Channel: 1, PickChannel: true}, err: ghl.ErrUsage, words: []string{"one channel"}},
		{name: "v4.mat", data: fixture("v4.mat"), err: ghl.ErrBadInput, words: []string{"v4", "-v7"}},
		{name: "v73.mat", data: fixture("v73.mat"), err: ghl.ErrBadInput, words: []string{"v7.3", "HDF5"}},
		{name: "novar.mat", data: fixture("cwru99.mat"), opt: Options{Variable: "nope"}, err: ghl.ErrUsage, words: []string{`"nope"`, "X099_DE_time"}},
		{name: "scalar.mat", data: fixture("cwru99.mat"), opt: Options{Variable: "X099RPM"}, err: ghl.ErrBadInput, words: []string{"not a real numeric vector"}},
		{name: "complex.mat", data: fixture("bigendian.mat"), opt: Options{Variable: "z"}, err: ghl.ErrBadInput, words: []string{"complex"}},
		{name: "truncated.mat", data: fixture("cwru99.mat")[:1000], err: ghl.ErrBadInput, words: []string{"truncated"}},
		{name: "nan.mat", data: fixture("nan.mat"), err: ghl.ErrBadInput, words: []string{"sample 2", "NaN"}},
		{name: "zero.mat", data: nil, err: ghl.ErrBadInput, words: []string{"too short"}},
		// Unknown type
		{name: "signal.txt", data: []byte("1\n2\n"), err: ghl.ErrUsage, words: []string{".txt", ".mat, .csv, .npy, .wav"}},
		{name: "noext", data: []byte("1\n2\n"), err: ghl.ErrUsage, words: []string{"supported"}},
	}
}

// TestRead reads every case from a file and checks the samples, or the
// error's sentinel, its words and that it names the file.
func TestRead(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range readCases(t) {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, tc.name)
			if err := os.WriteFile(path, tc.data, 0o644); err != nil {
				t.Fatal(err)
			}
			rec, err := Read(path, tc.opt)
			if !wantError(t, err, tc.err, append(tc.words, path)...) {
				return
			}
			if rec.Path != path || rec.Variable != tc.variable || rec.Rate != tc.rate {
				t.Errorf("got path %q variable %q rate %v, want %q %q %v", rec.Path, rec.Variable, rec.Rate, path, tc.variable, tc.rate)
			}
			if tc.want != nil && !slices.Equal(rec.Samples, tc.want) {
				t.Errorf("samples %v, want %v", rec.Samples, tc.want)
			}
			if len(rec.Samples) == 0 {
				t.Error("no samples")
			}
		})
	}
}

// wantError checks err against want (nil: no error) and the words its
// message must hold; it reports whether the caller should go on checking a
// successful result.
func wantError(t *testing.T, err, want error, words ...string) bool {
	t.Helper()
	if want == nil {
		if err != nil {
			t.Fatal(err)
		}
		return true
	}
	if !errors.Is(err, want) {
		t.Fatalf("error %v, want one wrapping %v", err, want)
	}
	for _, w := range words {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q does not mention %q", err, w)
		}
	}
	return false
}

func TestReadMissingFile(t *testing.T) {
	_, err := Read(filepath.Join(t.TempDir(), "absent.csv"), Options{})
	if err == nil || errors.Is(err, ghl.ErrBadInput) || !errors.Is(err, os.ErrNotExist) {
		t.Errorf("error %v, want a not-exist error that is not ErrBadInput", err)
	}
}

// TestReadMATValues checks the MAT samples against the matv5 fixtures'
// known content: the CWRU file number picks X099 over the copy of X098.
func TestReadMATValues(t *testing.T) {
	rec, err := Read(filepath.Join("testdata", "cwru99.mat"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.Samples) != 180 || rec.Variable != "X099_DE_time" {
		t.Errorf("got %s with %d samples, want X099_DE_time with 180", rec.Variable, len(rec.Samples))
	}
	rec, err = Read(filepath.Join("testdata", "cwru99.mat"), Options{Variable: "X098_DE_time"})
	if err != nil || len(rec.Samples) != 200 {
		t.Errorf("X098_DE_time: %v, %v", rec, err)
	}
}

func TestCheck(t *testing.T) {
	for _, tc := range []struct {
		x    []float64
		want string
	}{
		{nil, "no samples"},
		{[]float64{1, math.NaN()}, "sample 1"},
		{[]float64{math.Inf(-1)}, "sample 0"},
		{[]float64{1, 2}, ""},
	} {
		err := Check(tc.x)
		if tc.want == "" && err != nil || tc.want != "" && (!errors.Is(err, ghl.ErrBadInput) || !strings.Contains(err.Error(), tc.want)) {
			t.Errorf("Check(%v) = %v, want %q", tc.x, err, tc.want)
		}
	}
}

// TestNoPanicOnPrefixes reads every prefix of every good case: errors
// are fine, panics are not, and errors wrap a sentinel.
func TestNoPanicOnPrefixes(t *testing.T) {
	for _, tc := range readCases(t) {
		if tc.err != nil || len(tc.data) > 5000 {
			continue
		}
		ext := strings.ToLower(filepath.Ext(tc.name))
		for n := range len(tc.data) {
			_, err := decode(ext, tc.name, bytes.Clone(tc.data[:n]), tc.opt)
			if err != nil && !errors.Is(err, ghl.ErrBadInput) && !errors.Is(err, ghl.ErrUsage) {
				t.Fatalf("%s[:%d]: error %v wraps no sentinel", tc.name, n, err)
			}
		}
	}
}

// BenchmarkDecodeCSV reads a time,value CSV of 10^5 rows (the second
// column), the size of a 10 s recording at 10 kHz.
func BenchmarkDecodeCSV(b *testing.B) {
	var buf bytes.Buffer
	buf.WriteString("time,\"acc, g\"\n")
	for i := range 100000 {
		fmt.Fprintf(&buf, "%.6f,%.6f\n", float64(i)/1e4, math.Sin(float64(i)))
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := decodeCSV(data, Options{Channel: 1, PickChannel: true}); err != nil {
			b.Fatal(err)
		}
	}
}
