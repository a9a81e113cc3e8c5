package main

// Hostile inputs through the real command tree (issue 7): every case runs
// newRootCmd() with its arguments and asserts the exit code, the sentinel
// (errors.Is), that the message names the offending file, and that no file
// appeared or changed anywhere in the test's folder.

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/ghl-dev/ghl"
	"github.com/ghl-dev/ghl/internal/matenc"
	"github.com/ghl-dev/ghl/internal/realdata"
	"github.com/ghl-dev/ghl/nn"
	"github.com/ghl-dev/ghl/train"
)

// runGHL runs the whole command tree (as main does, without os.Exit) and
// returns stdout, stderr and the error.
func runGHL(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	root := newRootCmd()
	var out, errb bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&errb)
	root.SetArgs(args)
	err := root.ExecuteContext(context.Background())
	return out.String(), errb.String(), err
}

// tone returns n samples of a sine at freq cycles per 1000 samples plus a
// deterministic pseudo-random noise (an LCG), so fixtures need no rand.
func tone(n int, freq float64, seed uint32) []float64 {
	x := make([]float64, n)
	s := seed*2654435761 + 1
	for i := range x {
		s = s*1664525 + 1013904223
		x[i] = math.Sin(2*math.Pi*freq*float64(i)/1000) + 0.3*(float64(s>>8)/float64(1<<24)-0.5)
	}
	return x
}

// writeFile writes b to path, creating its folder.
func writeFile(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// csvBytes formats samples one per line.
func csvBytes(x []float64) []byte {
	var b bytes.Buffer
	for _, v := range x {
		fmt.Fprintf(&b, "%.6g\n", v)
	}
	return b.Bytes()
}

// npyBytes encodes x as a NumPy .npy file of little-endian float64.
func npyBytes(x []float64) []byte { return npyClaim(int64(len(x)), x) }

// npyClaim is npyBytes with a header that claims n values.
func npyClaim(n int64, x []float64) []byte { return npyShaped(fmt.Sprintf("(%d,)", n), x) }

// npyShaped encodes x as a .npy file of little-endian float64 whose header
// states shape (NumPy's notation: "(3,)", "(2, 5)").
func npyShaped(shape string, x []float64) []byte {
	h := fmt.Sprintf("{'descr': '<f8', 'fortran_order': False, 'shape': %s, }", shape)
	for (10+len(h)+1)%64 != 0 {
		h += " "
	}
	h += "\n"
	b := []byte("\x93NUMPY\x01\x00")
	b = binary.LittleEndian.AppendUint16(b, uint16(len(h)))
	b = append(b, h...)
	for _, v := range x {
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(v))
	}
	return b
}

// wavBytes encodes x (|x| ≤ 3) as a 16-bit PCM mono WAV file whose header
// states rate.
func wavBytes(x []float64, rate uint32) []byte {
	le := binary.LittleEndian
	b := append([]byte("RIFF"), le.AppendUint32(nil, uint32(36+2*len(x)))...)
	b = append(b, "WAVEfmt "...)
	b = le.AppendUint32(b, 16)
	b = le.AppendUint16(b, 1) // PCM
	b = le.AppendUint16(b, 1) // mono
	b = le.AppendUint32(b, rate)
	b = le.AppendUint32(b, 2*rate)
	b = le.AppendUint16(b, 2)
	b = le.AppendUint16(b, 16)
	b = append(b, "data"...)
	b = le.AppendUint32(b, uint32(2*len(x)))
	for _, v := range x {
		b = le.AppendUint16(b, uint16(int16(v*10000)))
	}
	return b
}

// matElem returns a little-endian MAT v5 data element padded to 8 bytes.
func matElem(typ uint32, data []byte) []byte {
	b := binary.LittleEndian.AppendUint32(nil, typ)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(data)))
	b = append(b, data...)
	for len(b)%8 != 0 {
		b = append(b, 0)
	}
	return b
}

// matHeader returns a 128-byte MAT file header of the given version.
func matHeader(text string, version uint16) []byte {
	h := bytes.Repeat([]byte{' '}, 128)
	copy(h, text)
	clear(h[116:124])
	binary.LittleEndian.PutUint16(h[124:], version)
	copy(h[126:], "IM")
	return h
}

// matV5 returns a MAT v5 file holding one variable: a column of doubles,
// or, when text is not "", a char array (no numeric vector at all).
func matV5(name string, x []float64, text string) []byte {
	const miINT8, miINT32, miUINT16, miUINT32, miDOUBLE, miMATRIX = 1, 5, 4, 6, 9, 14
	class, n := uint32(6), len(x) // mxDOUBLE
	var data []byte
	if text != "" {
		class, n = 4, len(text) // mxCHAR, stored as UTF-16 code units
		for _, r := range text {
			data = binary.LittleEndian.AppendUint16(data, uint16(r))
		}
		data = matElem(miUINT16, data)
	} else {
		for _, v := range x {
			data = binary.LittleEndian.AppendUint64(data, math.Float64bits(v))
		}
		data = matElem(miDOUBLE, data)
	}
	var body []byte
	body = append(body, matElem(miUINT32, binary.LittleEndian.AppendUint32(binary.LittleEndian.AppendUint32(nil, class), 0))...)
	body = append(body, matElem(miINT32, binary.LittleEndian.AppendUint32(binary.LittleEndian.AppendUint32(nil, uint32(n)), 1))...)
	body = append(body, matElem(miINT8, []byte(name))...)
	body = append(body, data...)
	return append(matHeader("MATLAB 5.0 MAT-file, written by ghl's hostile test", 0x0100), matElem(miMATRIX, body)...)
}

// matHugeDims returns a MAT v5 file whose one variable claims
// 2^31-1 × 2^31-1 doubles but holds a few.
func matHugeDims() []byte {
	b := matV5("acc", []float64{1, 2, 3}, "")
	// 128 header + 8 matrix tag + 16 flags element + 8 dims tag.
	binary.LittleEndian.PutUint32(b[160:], math.MaxInt32)
	binary.LittleEndian.PutUint32(b[164:], math.MaxInt32)
	return b
}

// hugeTensorModel returns the model file at path with one tensor's shape in
// its safetensors header changed to claim about 10^24 values.
func hugeTensorModel(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	n := binary.LittleEndian.Uint64(b)
	var hdr map[string]json.RawMessage
	if err := json.Unmarshal(b[8:8+n], &hdr); err != nil {
		t.Fatal(err)
	}
	changed := false
	for k, v := range hdr {
		var tensor map[string]any
		if k == "__metadata__" || json.Unmarshal(v, &tensor) != nil || tensor["shape"] == nil {
			continue
		}
		tensor["shape"] = []int64{1 << 40, 1 << 40}
		hdr[k], _ = json.Marshal(tensor)
		changed = true
		break
	}
	if !changed {
		t.Fatal("no tensor in the model header")
	}
	h, err := json.Marshal(hdr)
	if err != nil {
		t.Fatal(err)
	}
	return append(append(binary.LittleEndian.AppendUint64(nil, uint64(len(h))), h...), b[8+n:]...)
}

// matV4 returns a MAT v4 file holding x as a column of doubles.
func matV4(name string, x []float64) []byte {
	var b []byte
	for _, v := range []uint32{0, uint32(len(x)), 1, 0, uint32(len(name) + 1)} {
		b = binary.LittleEndian.AppendUint32(b, v)
	}
	b = append(append(b, name...), 0)
	for _, v := range x {
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(v))
	}
	return b
}

// matV73 returns the start of a MAT v7.3 file: the MAT header (version
// 0x0200) followed, at byte 512, by an HDF5 superblock signature.
func matV73() []byte {
	b := append(matHeader("MATLAB 7.3 MAT-file, Platform: GLNXA64, HDF5 schema 1.00 .", 0x0200), make([]byte, 384)...)
	return append(b, "\x89HDF\r\n\x1a\n\x00\x00\x00\x00\x00\x08\x08\x00"...)
}

// hostilePoints is the length of every fixture recording: enough for
// --set 8/4 at windows of 1024 (8 training, 16 validation, 9 test windows
// and a gap) with a little to spare.
const hostilePoints = 40000

// goodFolder writes ROOT/<class>/a.csv for each class (a distinct tone
// each) and ROOT/rate.txt (12 kHz), and returns ROOT.
func goodFolder(t *testing.T, root string, classes ...string) string {
	t.Helper()
	for i, c := range classes {
		writeFile(t, filepath.Join(root, c, "a.csv"), csvBytes(tone(hostilePoints, float64(20+15*i), uint32(i))))
	}
	writeFile(t, filepath.Join(root, "rate.txt"), []byte("12000\n"))
	return root
}

// snapshot lists every entry under dir with its size and mode, to detect
// files left behind or changed.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		out[path] = fmt.Sprintf("%v %d %v", info.Mode(), info.Size(), info.ModTime().UnixNano())
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// hostileFixture holds what several cases share: a good folder with
// classes NC, IF, OF and a model trained on it.
type hostileFixture struct {
	good, model string
}

// hostileCase is one hostile command line. setup writes the case's files
// into dir and returns the arguments and a text the error must contain
// (the offending file's name; "" when there is none). code is the exit
// code; want the sentinel (nil for exit codes 0 and 1). check, if set,
// inspects a successful run's stdout and stderr.
type hostileCase struct {
	name  string
	setup func(t *testing.T, f *hostileFixture, dir string) (args []string, mention string)
	code  int
	want  error
	check func(t *testing.T, stdout, stderr string)
	// says, if set, is a text the error must contain (what is wrong).
	says string
	// skip marks a case that fails because of a known bug elsewhere.
	skip string
}

// trainArgs returns the arguments of a quick training run on data that
// writes a model to dir/m.ghl (which must not appear when training fails).
func trainArgs(data, dir string, extra ...string) []string {
	return append([]string{"train", "--data", data, "--set", "8/4", "--quick", "--threads", "1", "--out", filepath.Join(dir, "m.ghl")}, extra...)
}

// badFile returns a setup that writes a good folder NC/IF/OF whose IF
// class also holds a file name with content b, and trains on it.
func badFile(name string, b []byte) func(t *testing.T, f *hostileFixture, dir string) ([]string, string) {
	return func(t *testing.T, f *hostileFixture, dir string) ([]string, string) {
		root := goodFolder(t, filepath.Join(dir, "data"), "NC", "IF", "OF")
		writeFile(t, filepath.Join(root, "IF", name), b)
		return trainArgs(root, dir), name
	}
}

// withSample returns a copy of x with x[i] = v.
func withSample(x []float64, i int, v float64) []float64 {
	y := append([]float64(nil), x...)
	y[i] = v
	return y
}

func hostileCases() []hostileCase {
	sig := tone(hostilePoints, 50, 9)
	mat := matV5("acc", sig, "")
	return []hostileCase{
		// Broken recordings: bad input data, named.
		{name: "truncated mat", setup: badFile("cut.mat", mat[:len(mat)/2]), code: 3, want: ghl.ErrBadInput},
		{name: "mat cut in its header", setup: badFile("head.mat", mat[:100]), code: 3, want: ghl.ErrBadInput},
		{name: "zero-length mat", setup: badFile("empty.mat", nil), code: 3, want: ghl.ErrBadInput},
		{name: "zero-length csv", setup: badFile("empty.csv", nil), code: 3, want: ghl.ErrBadInput},
		{name: "zero-length npy", setup: badFile("empty.npy", nil), code: 3, want: ghl.ErrBadInput},
		{name: "wrong magic mat", setup: badFile("text.mat", []byte(strings.Repeat("this is not a MAT file\n", 20))), code: 3, want: ghl.ErrBadInput},
		{name: "wrong magic npy", setup: badFile("x.npy", append([]byte("NUMPY!"), npyBytes(sig)[6:]...)), code: 3, want: ghl.ErrBadInput},
		{name: "npy claiming 10^12 values", setup: badFile("huge.npy", npyClaim(1e12, sig[:10])), code: 3, want: ghl.ErrBadInput},
		{name: "mat claiming 2^62 values", setup: badFile("huge.mat", matHugeDims()), code: 3, want: ghl.ErrBadInput},
		{name: "truncated npy", setup: badFile("cut.npy", npyBytes(sig)[:1000]), code: 3, want: ghl.ErrBadInput},
		{name: "truncated wav", setup: badFile("cut.wav", append([]byte("RIFF\xff\xff\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00\x01\x00"), make([]byte, 6)...)), code: 3, want: ghl.ErrBadInput},
		{name: "mat with no numeric vector", setup: badFile("chars.mat", matV5("label", nil, "outer race fault")), code: 3, want: ghl.ErrBadInput, says: "no real numeric vector"},
		{name: "mat v7.3 (HDF5)", setup: badFile("v73.mat", matV73()), code: 3, want: ghl.ErrBadInput, says: "v7.3"},
		{name: "mat v4", setup: badFile("v4.mat", matV4("x", sig)), code: 3, want: ghl.ErrBadInput, says: "v4"},
		{name: "csv with text in a row", setup: badFile("words.csv", append(csvBytes(sig[:100]), "twelve\n"...)), code: 3, want: ghl.ErrBadInput},
		{name: "NaN in csv", setup: badFile("nan.csv", csvBytes(withSample(sig, 777, math.NaN()))), code: 3, want: ghl.ErrBadInput, says: "sample 777 (0-based) of 40000 is NaN"},
		{name: "Inf in csv", setup: badFile("inf.csv", csvBytes(withSample(sig, 5, math.Inf(-1)))), code: 3, want: ghl.ErrBadInput, says: "-Inf"},
		{name: "NaN in npy", setup: badFile("nan.npy", npyBytes(withSample(sig, 31000, math.NaN()))), code: 3, want: ghl.ErrBadInput, says: "NaN"},
		{name: "Inf in npy", setup: badFile("inf.npy", npyBytes(withSample(sig, 0, math.Inf(1)))), code: 3, want: ghl.ErrBadInput, says: "Inf"},
		{name: "NaN in mat", setup: badFile("nan.mat", matV5("acc", withSample(sig, 12, math.NaN()), "")), code: 3, want: ghl.ErrBadInput, says: "NaN"},
		{name: "not a recording", setup: badFile("notes.txt", []byte("recorded on Monday\n")), code: 3, want: ghl.ErrBadInput},
		{name: "non-UTF-8 file name, bad content", setup: badFile("b\xffad\xfe.csv", []byte("\x00\x01\x02")), code: 3, want: ghl.ErrBadInput},
		{name: "wrong --variable", setup: func(t *testing.T, f *hostileFixture, dir string) ([]string, string) {
			root := filepath.Join(dir, "data")
			for _, c := range []string{"NC", "IF"} {
				writeFile(t, filepath.Join(root, c, c+".mat"), mat)
			}
			return []string{"data", "inspect", root, "--input-rate", "12000", "--variable", "nosuch"}, ".mat"
		}, code: 2, want: ghl.ErrUsage},

		// Folder structure.
		{name: "empty class folder", setup: func(t *testing.T, f *hostileFixture, dir string) ([]string, string) {
			root := goodFolder(t, filepath.Join(dir, "data"), "NC", "IF")
			if err := os.Mkdir(filepath.Join(root, "BF"), 0o755); err != nil {
				t.Fatal(err)
			}
			return trainArgs(root, dir), "BF"
		}, code: 3, want: ghl.ErrBadInput, says: "no recordings"},
		{name: "class folder of hidden files only", setup: func(t *testing.T, f *hostileFixture, dir string) ([]string, string) {
			root := goodFolder(t, filepath.Join(dir, "data"), "NC", "IF")
			writeFile(t, filepath.Join(root, "BF", ".DS_Store"), []byte("junk"))
			return trainArgs(root, dir), "BF"
		}, code: 3, want: ghl.ErrBadInput},
		{name: "no class folders", setup: func(t *testing.T, f *hostileFixture, dir string) ([]string, string) {
			writeFile(t, filepath.Join(dir, "data", "a.csv"), csvBytes(sig))
			return trainArgs(filepath.Join(dir, "data"), dir), "data"
		}, code: 3, want: ghl.ErrBadInput},
		{name: "data folder missing", setup: func(t *testing.T, f *hostileFixture, dir string) ([]string, string) {
			return trainArgs(filepath.Join(dir, "nowhere"), dir), "nowhere"
		}, code: 3, want: ghl.ErrBadInput},
		{name: "data is a file", setup: func(t *testing.T, f *hostileFixture, dir string) ([]string, string) {
			p := filepath.Join(dir, "x.csv")
			writeFile(t, p, csvBytes(sig))
			return []string{"data", "inspect", p}, "x.csv"
		}, code: 3, want: ghl.ErrBadInput},
		{name: "1-sample class", setup: func(t *testing.T, f *hostileFixture, dir string) ([]string, string) {
			root := goodFolder(t, filepath.Join(dir, "data"), "NC", "IF")
			writeFile(t, filepath.Join(root, "BF", "one.csv"), []byte("0.25\n"))
			return trainArgs(root, dir), "one.csv"
		}, code: 3, want: ghl.ErrBadInput, says: "too short"},
		{name: "constant signal class trains", setup: func(t *testing.T, f *hostileFixture, dir string) ([]string, string) {
			root := goodFolder(t, filepath.Join(dir, "data"), "NC", "IF")
			writeFile(t, filepath.Join(root, "BF", "flat.csv"), bytes.Repeat([]byte("1.5\n"), hostilePoints))
			return trainArgs(root, dir, "--json"), ""
		}, code: 0, check: func(t *testing.T, stdout, stderr string) {
			if !strings.Contains(stderr, "constant windows") {
				t.Errorf("no note about constant windows in stderr:\n%s", stderr)
			}
			checkTrainJSON(t, stdout)
		}},
		{name: "class names differing only in case", setup: func(t *testing.T, f *hostileFixture, dir string) ([]string, string) {
			root := goodFolder(t, filepath.Join(dir, "data"), "NC", "nc", "IF")
			return trainArgs(root, dir), "nc"
		}, code: 3, want: ghl.ErrBadInput, says: "differ only in case"},
		{name: "missing sampling rate", setup: func(t *testing.T, f *hostileFixture, dir string) ([]string, string) {
			root := goodFolder(t, filepath.Join(dir, "data"), "NC", "IF")
			if err := os.Remove(filepath.Join(root, "rate.txt")); err != nil {
				t.Fatal(err)
			}
			return trainArgs(root, dir), "a.csv"
		}, code: 3, want: ghl.ErrBadInput, says: "sampling rate"},
		{name: "garbage rate.txt", setup: func(t *testing.T, f *hostileFixture, dir string) ([]string, string) {
			root := goodFolder(t, filepath.Join(dir, "data"), "NC", "IF")
			writeFile(t, filepath.Join(root, "IF", "rate.txt"), []byte("fast\n"))
			return trainArgs(root, dir), "rate.txt"
		}, code: 3, want: ghl.ErrBadInput},
		{name: "mixed sampling rates are resampled", setup: func(t *testing.T, f *hostileFixture, dir string) ([]string, string) {
			root := goodFolder(t, filepath.Join(dir, "data"), "NC", "OF")
			writeFile(t, filepath.Join(root, "IF", "fast.csv"), csvBytes(tone(2*hostilePoints, 20, 4)))
			writeFile(t, filepath.Join(root, "IF", "rate.txt"), []byte("24000\n"))
			return []string{"data", "inspect", root, "--set", "8/4", "--json"}, ""
		}, code: 0, check: func(t *testing.T, stdout, _ string) {
			var doc struct {
				RateHz     float64 `json:"rate_hz"`
				Recordings []struct {
					File            string  `json:"file"`
					RateHz          float64 `json:"rate_hz"`
					ResampledToHz   float64 `json:"resampled_to_hz"`
					ResampledPoints int     `json:"resampled_points"`
				} `json:"recordings"`
			}
			if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
				t.Fatalf("%v\n%s", err, stdout)
			}
			if len(doc.Recordings) != 3 {
				t.Fatalf("%d recordings, want 3", len(doc.Recordings))
			}
			for _, r := range doc.Recordings {
				if r.ResampledToHz != doc.RateHz || r.ResampledPoints < hostilePoints-2 || r.ResampledPoints > hostilePoints+2 {
					t.Errorf("%s at %g Hz: resampled to %g Hz, %d points; want every recording at %g Hz, %d points",
						r.File, r.RateHz, r.ResampledToHz, r.ResampledPoints, doc.RateHz, hostilePoints)
				}
			}
		}},
		{name: "WAV header rate conflicts with rate.txt", setup: func(t *testing.T, f *hostileFixture, dir string) ([]string, string) {
			root := goodFolder(t, filepath.Join(dir, "data"), "NC", "OF")
			writeFile(t, filepath.Join(root, "IF", "x.wav"), wavBytes(tone(2*hostilePoints, 20, 4), 24000))
			return []string{"data", "inspect", root, "--set", "8/4"}, ""
		}, code: 0, check: func(t *testing.T, stdout, _ string) {
			if !strings.Contains(stdout, "x.wav") || !strings.Contains(stdout, "24000") {
				t.Errorf("x.wav states 24000 Hz, ROOT/rate.txt 12000 Hz: no note says which was used:\n%s", stdout)
			}
		}},
		{name: "WAV header rate is used and resampled", setup: func(t *testing.T, f *hostileFixture, dir string) ([]string, string) {
			root := filepath.Join(dir, "data")
			for i, c := range []string{"NC", "OF"} {
				writeFile(t, filepath.Join(root, c, "a.csv"), csvBytes(tone(hostilePoints, float64(20+15*i), uint32(i))))
				writeFile(t, filepath.Join(root, c, "rate.txt"), []byte("12000\n"))
			}
			writeFile(t, filepath.Join(root, "IF", "x.wav"), wavBytes(tone(2*hostilePoints, 20, 4), 24000))
			return []string{"data", "inspect", root, "--set", "8/4", "--json"}, ""
		}, code: 0, check: func(t *testing.T, stdout, _ string) {
			if !strings.Contains(stdout, `"rate_hz": 24000`) || strings.Count(stdout, `"resampled_to_hz": 12000`) != 3 {
				t.Errorf("x.wav is not read at 24000 Hz and resampled to 12000 Hz with the others:\n%s", stdout)
			}
		}},
		{name: "symlink loop in a class folder", setup: func(t *testing.T, f *hostileFixture, dir string) ([]string, string) {
			root := goodFolder(t, filepath.Join(dir, "data"), "NC", "IF")
			if err := os.Symlink("loop.csv", filepath.Join(root, "IF", "loop.csv")); err != nil {
				t.Fatal(err)
			}
			return trainArgs(root, dir), "loop.csv"
		}, code: 3, want: ghl.ErrBadInput},
		{name: "symlink to its own folder", setup: func(t *testing.T, f *hostileFixture, dir string) ([]string, string) {
			root := goodFolder(t, filepath.Join(dir, "data"), "NC", "IF")
			if err := os.Symlink(".", filepath.Join(root, "IF", "again")); err != nil {
				t.Fatal(err)
			}
			return []string{"data", "inspect", root, "--set", "8/4"}, "again"
		}, code: 3, want: ghl.ErrBadInput},
		{name: "non-UTF-8 class and file names load", setup: func(t *testing.T, f *hostileFixture, dir string) ([]string, string) {
			root := goodFolder(t, filepath.Join(dir, "data"), "NC", "I\xffF")
			if err := os.Rename(filepath.Join(root, "NC", "a.csv"), filepath.Join(root, "NC", "\xfe\xfe.csv")); err != nil {
				t.Fatal(err)
			}
			return []string{"data", "inspect", root, "--set", "8/4"}, ""
		}, code: 0, check: func(t *testing.T, stdout, _ string) {
			if !strings.Contains(stdout, "I\xffF") || !strings.Contains(stdout, "\xfe\xfe.csv") {
				t.Errorf("the names are not shown as they are:\n%s", stdout)
			}
		}},
		{name: "window longer than the recording", setup: func(t *testing.T, f *hostileFixture, dir string) ([]string, string) {
			return []string{"data", "inspect", f.good, "--set", "8/4", "--window", "50000"}, "a.csv"
		}, code: 3, want: ghl.ErrBadInput, says: "too short"},
		{name: "recording too short for the set", setup: func(t *testing.T, f *hostileFixture, dir string) ([]string, string) {
			root := goodFolder(t, filepath.Join(dir, "data"), "NC", "IF")
			writeFile(t, filepath.Join(root, "BF", "short.csv"), csvBytes(sig[:20000]))
			return trainArgs(root, dir), "short.csv"
		}, code: 3, want: ghl.ErrBadInput},

		// Models.
		{name: "model for a different class set", setup: func(t *testing.T, f *hostileFixture, dir string) ([]string, string) {
			root := goodFolder(t, filepath.Join(dir, "data"), "NC", "IF", "BF")
			return []string{"eval", f.model, root}, "BF"
		}, code: 3, want: ghl.ErrBadInput, says: "different class set"},
		{name: "truncated model", setup: func(t *testing.T, f *hostileFixture, dir string) ([]string, string) {
			b, err := os.ReadFile(f.model)
			if err != nil {
				t.Fatal(err)
			}
			p := filepath.Join(dir, "cut.ghl")
			writeFile(t, p, b[:len(b)*2/3])
			return []string{"eval", p, f.good}, "cut.ghl"
		}, code: 3, want: ghl.ErrBadInput},
		{name: "corrupted model header", setup: func(t *testing.T, f *hostileFixture, dir string) ([]string, string) {
			b, err := os.ReadFile(f.model)
			if err != nil {
				t.Fatal(err)
			}
			b = append([]byte(nil), b...)
			for i := 8; i < 40 && i < len(b); i++ {
				b[i] ^= 0x5a
			}
			p := filepath.Join(dir, "bad.ghl")
			writeFile(t, p, b)
			return []string{"predict", p, filepath.Join(f.good, "NC", "a.csv")}, "bad.ghl"
		}, code: 3, want: ghl.ErrBadInput},
		{name: "model claiming a 2^80-value tensor", setup: func(t *testing.T, f *hostileFixture, dir string) ([]string, string) {
			p := filepath.Join(dir, "huge.ghl")
			writeFile(t, p, hugeTensorModel(t, f.model))
			return []string{"eval", p, f.good}, "huge.ghl"
		}, code: 3, want: ghl.ErrBadInput},
		{name: "model is a recording", setup: func(t *testing.T, f *hostileFixture, dir string) ([]string, string) {
			p := filepath.Join(f.good, "NC", "a.csv")
			return []string{"predict", p, p}, "a.csv"
		}, code: 3, want: ghl.ErrBadInput},
		{name: "model missing", setup: func(t *testing.T, f *hostileFixture, dir string) ([]string, string) {
			return []string{"eval", filepath.Join(dir, "none.ghl"), f.good}, "none.ghl"
		}, code: 3, want: ghl.ErrBadInput},
		{name: "predict a missing recording", setup: func(t *testing.T, f *hostileFixture, dir string) ([]string, string) {
			return []string{"predict", f.model, filepath.Join(dir, "gone.csv"), "--input-rate", "12000"}, "gone.csv"
		}, code: 3, want: ghl.ErrBadInput},
		{name: "predict a recording shorter than a window", setup: func(t *testing.T, f *hostileFixture, dir string) ([]string, string) {
			p := filepath.Join(dir, "short.csv")
			writeFile(t, p, csvBytes(sig[:900]))
			return []string{"predict", f.model, p, "--input-rate", "12000"}, "short.csv"
		}, code: 3, want: ghl.ErrBadInput, says: "shorter than one window"},
		{name: "predict a v7.3 mat", setup: func(t *testing.T, f *hostileFixture, dir string) ([]string, string) {
			p := filepath.Join(dir, "h5.mat")
			writeFile(t, p, matV73())
			return []string{"predict", f.model, p, "--input-rate", "12000"}, "h5.mat"
		}, code: 3, want: ghl.ErrBadInput, says: "v7.3"},

		// Options and arguments: usage errors.
		{name: "unknown set name", setup: func(t *testing.T, f *hostileFixture, dir string) ([]string, string) {
			return trainArgs(f.good, dir, "--set", "set9"), "set9"
		}, code: 2, want: ghl.ErrUsage},
		{name: "set names a class the data lacks", setup: func(t *testing.T, f *hostileFixture, dir string) ([]string, string) {
			return trainArgs(f.good, dir, "--set", "NC=8,XX=4,*=4"), "XX"
		}, code: 2, want: ghl.ErrUsage},
		{name: "unknown method", setup: func(t *testing.T, f *hostileFixture, dir string) ([]string, string) {
			return trainArgs(f.good, dir, "--method", "dcnnx"), "dcnnx"
		}, code: 2, want: ghl.ErrUsage},
		{name: "bad method option", setup: func(t *testing.T, f *hostileFixture, dir string) ([]string, string) {
			return trainArgs(f.good, dir, "--method", "dcnng:alpha=lots"), "alpha"
		}, code: 2, want: ghl.ErrUsage},
		{name: "bad --seeds", setup: func(t *testing.T, f *hostileFixture, dir string) ([]string, string) {
			return []string{"reproduce", "--data", f.good, "--sets", "8/4", "--seeds", "three", "--out", filepath.Join(dir, "r")}, "three"
		}, code: 2, want: ghl.ErrUsage},
		{name: "zero --seeds", setup: func(t *testing.T, f *hostileFixture, dir string) ([]string, string) {
			return []string{"reproduce", "--data", f.good, "--sets", "8/4", "--seeds", "0", "--out", filepath.Join(dir, "r")}, ""
		}, code: 2, want: ghl.ErrUsage},
		{name: "reproduce unknown method", setup: func(t *testing.T, f *hostileFixture, dir string) ([]string, string) {
			return []string{"reproduce", "--data", f.good, "--sets", "8/4", "--methods", "dcnn,nope", "--out", filepath.Join(dir, "r")}, "nope"
		}, code: 2, want: ghl.ErrUsage},
		{name: "unknown flag", setup: func(t *testing.T, f *hostileFixture, dir string) ([]string, string) {
			return trainArgs(f.good, dir, "--bogus"), "bogus"
		}, code: 2, want: ghl.ErrUsage},
		{name: "bad flag value", setup: func(t *testing.T, f *hostileFixture, dir string) ([]string, string) {
			return trainArgs(f.good, dir, "--seed", "x"), ""
		}, code: 2, want: ghl.ErrUsage},
		{name: "extra args to train", setup: func(t *testing.T, f *hostileFixture, dir string) ([]string, string) {
			return trainArgs(f.good, dir, "extra"), ""
		}, code: 2, want: ghl.ErrUsage},
		{name: "extra args to report", setup: func(t *testing.T, f *hostileFixture, dir string) ([]string, string) {
			return []string{"report", dir, dir}, ""
		}, code: 2, want: ghl.ErrUsage},
		{name: "predict without a recording", setup: func(t *testing.T, f *hostileFixture, dir string) ([]string, string) {
			return []string{"predict", f.model}, ""
		}, code: 2, want: ghl.ErrUsage},
		{name: "negative --input-rate", setup: func(t *testing.T, f *hostileFixture, dir string) ([]string, string) {
			return []string{"predict", f.model, filepath.Join(f.good, "NC", "a.csv"), "--input-rate", "-3"}, ""
		}, code: 2, want: ghl.ErrUsage},
		{name: "zero --window", setup: func(t *testing.T, f *hostileFixture, dir string) ([]string, string) {
			return []string{"data", "inspect", f.good, "--window", "0"}, ""
		}, code: 2, want: ghl.ErrUsage},
		{name: "fetch an unknown dataset", setup: func(t *testing.T, f *hostileFixture, dir string) ([]string, string) {
			return []string{"data", "fetch", "mfpt", filepath.Join(dir, "dl")}, "mfpt"
		}, code: 2, want: ghl.ErrUsage},
		{name: "unknown subcommand", setup: func(t *testing.T, f *hostileFixture, dir string) ([]string, string) {
			return []string{"trian"}, "trian"
		}, code: 2, want: ghl.ErrUsage},

		// Output folders.
		{name: "results dir is a file", setup: func(t *testing.T, f *hostileFixture, dir string) ([]string, string) {
			p := filepath.Join(dir, "results")
			writeFile(t, p, []byte("keep me\n"))
			return []string{"reproduce", "--data", f.good, "--sets", "8/4", "--methods", "dcnn", "--seeds", "1", "--quick",
				"--no-fig3", "--no-report", "--out", p}, "results"
		}, code: 2, want: ghl.ErrUsage},
		{name: "report on an empty folder", setup: func(t *testing.T, f *hostileFixture, dir string) ([]string, string) {
			p := filepath.Join(dir, "results")
			if err := os.Mkdir(p, 0o755); err != nil {
				t.Fatal(err)
			}
			return []string{"report", p}, "results"
		}, code: 3, want: ghl.ErrBadInput},
		{name: "report --out is a folder", setup: func(t *testing.T, f *hostileFixture, dir string) ([]string, string) {
			p := filepath.Join(dir, "results")
			writeFile(t, filepath.Join(p, "trials", "set1__dcnn__seed0.json"), []byte(`{"set":"set1"}`))
			return []string{"report", p, "--out", dir}, dir
		}, code: 2, want: ghl.ErrUsage},
		{name: "report --figures is a file", setup: func(t *testing.T, f *hostileFixture, dir string) ([]string, string) {
			p := filepath.Join(dir, "results")
			writeFile(t, filepath.Join(p, "trials", "set1__dcnn__seed0.json"), []byte(`{"set":"set1"}`))
			writeFile(t, filepath.Join(dir, "figs"), []byte("a file"))
			return []string{"report", p, "--out", filepath.Join(dir, "r.html"), "--figures", filepath.Join(dir, "figs")}, "figs"
		}, code: 2, want: ghl.ErrUsage},
		{name: "predict a folder", setup: func(t *testing.T, f *hostileFixture, dir string) ([]string, string) {
			return []string{"predict", f.model, f.good}, "good"
		}, code: 2, want: ghl.ErrUsage},
		{name: "report on a missing folder", setup: func(t *testing.T, f *hostileFixture, dir string) ([]string, string) {
			return []string{"report", filepath.Join(dir, "nothing")}, "nothing"
		}, code: 3, want: ghl.ErrBadInput},
		{name: "report on a corrupt trial file", setup: func(t *testing.T, f *hostileFixture, dir string) ([]string, string) {
			p := filepath.Join(dir, "results")
			writeFile(t, filepath.Join(p, "trials", "set1__dcnn__seed0.json"), []byte(`{"set":"set1","method":`))
			return []string{"report", p}, "results"
		}, code: 3, want: ghl.ErrBadInput},
	}
}

// checkTrainJSON checks that train --json printed finite test metrics.
func checkTrainJSON(t *testing.T, stdout string) {
	t.Helper()
	var doc struct {
		Test struct {
			Accuracy, MacroF1 float64
		} `json:"test"`
	}
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatalf("train --json: %v\n%s", err, stdout)
	}
	if math.IsNaN(doc.Test.Accuracy) || math.IsNaN(doc.Test.MacroF1) {
		t.Errorf("test metrics not finite: %+v", doc.Test)
	}
}

func TestHostileInputs(t *testing.T) {
	base := t.TempDir()
	f := &hostileFixture{good: goodFolder(t, filepath.Join(base, "good"), "NC", "IF", "OF"), model: filepath.Join(base, "model.ghl")}
	if _, stderr, err := runGHL(t, "train", "--data", f.good, "--set", "8/4", "--quick", "--threads", "1", "--out", f.model); err != nil {
		t.Fatalf("training the fixture model: %v\n%s", err, stderr)
	}
	cases := hostileCases()
	if len(cases) < 30 {
		t.Fatalf("%d cases, issue 7 asks for at least 30", len(cases))
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) { runHostile(t, base, filepath.Join(base, fmt.Sprintf("case%02d", i)), f, c) })
	}
}

// runHostile runs one case in the new folder dir and checks it; base is
// the folder in which no file may appear or change.
func runHostile(t *testing.T, base, dir string, f *hostileFixture, c hostileCase) {
	t.Helper()
	if c.skip != "" {
		t.Skip(c.skip)
	}
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	args, mention := c.setup(t, f, dir)
	before := snapshot(t, base)
	stdout, stderr, err := runGHL(t, args...)
	after := snapshot(t, base)

	if got := exitCode(err); got != c.code {
		t.Errorf("ghl %q: exit code %d, want %d (error: %v)", args, got, c.code, err)
	}
	if c.want != nil && !errors.Is(err, c.want) {
		t.Errorf("error %v does not wrap %v", err, c.want)
	}
	if err != nil {
		msg := err.Error()
		t.Logf("exit %d: %s", exitCode(err), msg)
		if mention != "" && !strings.Contains(msg, mention) {
			t.Errorf("error %q does not name %q", msg, mention)
		}
		if !strings.Contains(msg, c.says) {
			t.Errorf("error %q does not say %q", msg, c.says)
		}
		if strings.Contains(msg, "\n") && c.code == 3 {
			t.Errorf("bad-input error is not one line: %q", msg)
		}
	}
	if c.check != nil && err == nil {
		c.check(t, stdout, stderr)
	}
	if c.code != 0 {
		for p, s := range after {
			if before[p] == "" {
				t.Errorf("left behind: %s", p)
			} else if before[p] != s && !strings.HasPrefix(s, "d") {
				t.Errorf("changed: %s (%s → %s)", p, before[p], s)
			}
		}
	}
	for p := range before {
		if _, ok := after[p]; !ok {
			t.Errorf("removed: %s", p)
		}
	}
}

// cwruCopy makes dir/cwru a CWRU folder of symbolic links to the real
// files in real, except that the files in replace get the given content
// and omit is left out. It returns the folder.
func cwruCopy(t *testing.T, dir, real string, replace map[string][]byte, omit string) string {
	t.Helper()
	out := filepath.Join(dir, "cwru")
	if err := os.Mkdir(out, 0o755); err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob(filepath.Join(real, "*.mat"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no .mat files in %s (%v)", real, err)
	}
	for _, p := range files {
		name := filepath.Base(p)
		switch {
		case name == omit:
		case replace[name] != nil:
			writeFile(t, filepath.Join(out, name), replace[name])
		default:
			if err := os.Symlink(p, filepath.Join(out, name)); err != nil {
				t.Fatal(err)
			}
		}
	}
	for name, b := range replace {
		if _, err := os.Lstat(filepath.Join(out, name)); err != nil {
			writeFile(t, filepath.Join(out, name), b)
		}
	}
	return out
}

// TestHostileCWRU damages a copy of the real CWRU folder one file at a time.
func TestHostileCWRU(t *testing.T) {
	real := realdata.CWRU(t)
	read := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join(real, name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	flipped := append([]byte(nil), read("236.mat")...)
	flipped[len(flipped)-104] ^= 1 // the last bit of one sample's mantissa: same length, other checksum
	cut := read("132.mat")
	cut = cut[:len(cut)/2]
	cases := []hostileCase{
		{name: "truncated fault file", setup: func(t *testing.T, f *hostileFixture, dir string) ([]string, string) {
			return trainArgs(cwruCopy(t, dir, real, map[string][]byte{"132.mat": cut}, ""), dir), "132.mat"
		}, code: 3, want: ghl.ErrBadInput},
		{name: "fault file missing", setup: func(t *testing.T, f *hostileFixture, dir string) ([]string, string) {
			return trainArgs(cwruCopy(t, dir, real, nil, "199.mat"), dir), "199.mat"
		}, code: 3, want: ghl.ErrBadInput, says: "missing"},
		{name: "normal baseline is a v7.3 file", setup: func(t *testing.T, f *hostileFixture, dir string) ([]string, string) {
			return trainArgs(cwruCopy(t, dir, real, map[string][]byte{"97.mat": matV73()}, ""), dir), "97.mat"
		}, code: 3, want: ghl.ErrBadInput, says: "v7.3"},
		{name: "checksum mismatch with --strict", setup: func(t *testing.T, f *hostileFixture, dir string) ([]string, string) {
			return []string{"data", "inspect", cwruCopy(t, dir, real, map[string][]byte{"236.mat": flipped}, ""), "--strict"}, "236.mat"
		}, code: 3, want: ghl.ErrBadInput, says: "checksum"},
		{name: "checksum mismatch is a note", setup: func(t *testing.T, f *hostileFixture, dir string) ([]string, string) {
			return []string{"data", "inspect", cwruCopy(t, dir, real, map[string][]byte{"236.mat": flipped}, "")}, ""
		}, code: 0, check: func(t *testing.T, stdout, _ string) {
			if !strings.Contains(stdout, "236.mat") || !strings.Contains(stdout, "differs from the catalogued") {
				t.Errorf("no note about 236.mat's checksum:\n%s", stdout)
			}
		}},
		{name: "stray mat file is ignored with a note", setup: func(t *testing.T, f *hostileFixture, dir string) ([]string, string) {
			return []string{"data", "inspect", cwruCopy(t, dir, real, map[string][]byte{"999.mat": []byte("junk")}, "")}, ""
		}, code: 0, check: func(t *testing.T, stdout, _ string) {
			if !strings.Contains(stdout, "ignored") || !strings.Contains(stdout, "999.mat") {
				t.Errorf("no note about the ignored 999.mat:\n%s", stdout)
			}
		}},
	}
	base := t.TempDir()
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) { runHostile(t, base, filepath.Join(base, fmt.Sprintf("case%02d", i)), nil, c) })
	}
}

// ---- Issue 14 (part A): users' own data read without silent errors. ----
// The cases below each reproduce an item of the "Found" list
// (rate fields, rate resolution, CSV, matrices and windowed datasets) with
// fixtures built here; TestUserDataFlows runs the done-when flows.

// userSig is the signal of the issue-14 fixtures: a tone per class.
func userSig(class int) []float64 { return tone(80000, float64(20+15*class), uint32(40+class)) }

// bearingStruct returns a compressed MAT v7 file like the public dataset
// of issue 14: a struct bearing holding the signal gs, its sampling rate
// under the field name rateField (sr; "" for none) and the shaft rate
// "rate" = 25 Hz.
func bearingStruct(x []float64, rateField string, sr float64) []byte {
	e := matenc.LE
	num := func(v ...float64) []byte { return e.Numeric("", matenc.MxDOUBLE, matenc.MiDOUBLE, []int{len(v), 1}, v) }
	names, fields := []string{"gs", "rate"}, [][]byte{num(x...), num(25)}
	if rateField != "" {
		names, fields = append(names, rateField), append(fields, num(sr))
	}
	return e.File(e.Compressed(e.Structure("bearing", names, fields...)))
}

// structFolder writes ROOT/<class>/a.mat of bearingStruct files (sr =
// 24000 Hz) for NC, IF and OF and returns ROOT.
func structFolder(t *testing.T, root string) string {
	t.Helper()
	for i, c := range []string{"NC", "IF", "OF"} {
		writeFile(t, filepath.Join(root, c, "a.mat"), bearingStruct(userSig(i), "sr", 24000))
	}
	return root
}

// userFolder writes ROOT/<class>/name for NC, IF and OF with content
// make(class index) and a rate.txt of 12 kHz in ROOT, and returns ROOT.
func userFolder(t *testing.T, root, name string, make func(i int) []byte) string {
	t.Helper()
	for i, c := range []string{"NC", "IF", "OF"} {
		writeFile(t, filepath.Join(root, c, name), make(i))
	}
	writeFile(t, filepath.Join(root, "rate.txt"), []byte("12000\n"))
	return root
}

// timeValueCSV formats x as a CSV with a header and a strictly increasing
// time column before the signal; sep separates the cells and decimal
// comma-formats the numbers.
func timeValueCSV(x []float64, header, sep string, decimal bool) []byte {
	var b bytes.Buffer
	b.WriteString(header + "\n")
	for i, v := range x {
		t, s := fmt.Sprintf("%.6f", float64(i)/12000), fmt.Sprintf("%.6f", v)
		if decimal {
			t, s = strings.Replace(t, ".", ",", 1), strings.Replace(s, ".", ",", 1)
		}
		fmt.Fprintf(&b, "%s%s%s\n", t, sep, s)
	}
	return b.Bytes()
}

// npyMatrix encodes a rows × cols row-major float64 matrix as .npy.
func npyMatrix(rows, cols int, x []float64) []byte {
	return npyShaped(fmt.Sprintf("(%d, %d)", rows, cols), x)
}

// windowedSet returns n windows of l points per class (3 classes, each
// class's windows consecutive stretches of its tone), interleaved in blocks
// as public datasets often store them, with their labels 0, 1, 2.
func windowedSet(n, l int) (x, y []float64) {
	sig := [][]float64{userSig(0), userSig(1), userSig(2)}
	for k := range n {
		for c := range 3 {
			x = append(x, sig[c][k*l:(k+1)*l]...)
			y = append(y, float64(c))
		}
	}
	return x, y
}

// windowedMAT is a MAT v7 file holding data (N × l, one window per row),
// label (N) and fs.
func windowedMAT(n, l int, fs float64) []byte {
	x, y := windowedSet(n, l)
	rows := len(y)
	colMajor := make([]float64, len(x))
	for r := range rows {
		for c := range l {
			colMajor[c*rows+r] = x[r*l+c]
		}
	}
	e := matenc.LE
	return e.File(
		e.Compressed(e.Numeric("data", matenc.MxDOUBLE, matenc.MiDOUBLE, []int{rows, l}, colMajor)),
		e.Compressed(e.Numeric("label", matenc.MxDOUBLE, matenc.MiDOUBLE, []int{rows, 1}, y)),
		e.Compressed(e.Numeric("fs", matenc.MxDOUBLE, matenc.MiDOUBLE, []int{1, 1}, []float64{fs})))
}

// npzBytes zips .npy members into an .npz archive.
func npzBytes(t *testing.T, members map[string][]byte) []byte {
	t.Helper()
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	for _, name := range slices.Sorted(maps.Keys(members)) {
		w, err := z.Create(name + ".npy")
		if err != nil {
			t.Fatal(err)
		}
		w.Write(members[name])
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// stderrSays returns a check that stderr (or stdout) holds every text and
// none of the banned ones.
func stderrSays(texts []string, banned ...string) func(t *testing.T, stdout, stderr string) {
	return func(t *testing.T, stdout, stderr string) {
		t.Helper()
		all := stdout + stderr
		for _, s := range texts {
			if !strings.Contains(all, s) {
				t.Errorf("output lacks %q:\n%s", s, all)
			}
		}
		for _, s := range banned {
			if strings.Contains(all, s) {
				t.Errorf("output has %q:\n%s", s, all)
			}
		}
	}
}

func userDataCases() []hostileCase {
	inspect := func(root string, extra ...string) []string {
		return append([]string{"data", "inspect", root, "--set", "8/4"}, extra...)
	}
	return []hostileCase{
		// Found 1: a field called rate is the shaft rate, never the sampling rate.
		{name: "14.1 struct with sr and shaft rate read at sr", setup: func(t *testing.T, _ *hostileFixture, dir string) ([]string, string) {
			return inspect(structFolder(t, filepath.Join(dir, "data"))), ""
		}, code: 0, check: stderrSays([]string{"24000", "file: field bearing.sr", "sampling rate 24000 Hz (field bearing.sr of the file): 3 recording(s)"}, "25 Hz", " 0 Hz")},
		{name: "14.1 struct with only the shaft rate", setup: func(t *testing.T, _ *hostileFixture, dir string) ([]string, string) {
			root := structFolder(t, filepath.Join(dir, "data"))
			writeFile(t, filepath.Join(root, "IF", "a.mat"), bearingStruct(userSig(1), "", 0))
			return trainArgs(root, dir), filepath.Join("IF", "a.mat")
		}, code: 3, want: ghl.ErrBadInput, says: "bearing.rate = 25, none named as a sampling rate"},
		{name: "14.1 implausible stated rate", setup: func(t *testing.T, _ *hostileFixture, dir string) ([]string, string) {
			root := structFolder(t, filepath.Join(dir, "data"))
			writeFile(t, filepath.Join(root, "OF", "a.mat"), bearingStruct(userSig(2), "fs", 25))
			return trainArgs(root, dir), filepath.Join("OF", "a.mat")
		}, code: 3, want: ghl.ErrBadInput, says: "implausible sampling rate: 25 Hz (field bearing.fs of the file) is below 1000 Hz"},
		{name: "14.1 disagreeing rate fields", setup: func(t *testing.T, _ *hostileFixture, dir string) ([]string, string) {
			root := structFolder(t, filepath.Join(dir, "data"))
			e := matenc.LE
			num := func(v ...float64) []byte { return e.Numeric("", matenc.MxDOUBLE, matenc.MiDOUBLE, []int{len(v), 1}, v) }
			writeFile(t, filepath.Join(root, "NC", "b.mat"), e.File(e.Structure("s", []string{"x", "Fs", "sampling_rate"}, num(userSig(0)...), num(24000), num(48000))))
			return trainArgs(root, dir), filepath.Join("NC", "b.mat")
		}, code: 3, want: ghl.ErrBadInput, says: "disagreeing sampling rates (field s.Fs = 24000, field s.sampling_rate = 48000)"},
		{name: "14.1 no false rate.txt note for WAV", setup: func(t *testing.T, _ *hostileFixture, dir string) ([]string, string) {
			root := filepath.Join(dir, "data")
			for i, c := range []string{"NC", "IF", "OF"} {
				writeFile(t, filepath.Join(root, c, "a.wav"), wavBytes(userSig(i), 24000))
			}
			return inspect(root), ""
		}, code: 0, check: stderrSays([]string{"file: WAV header", "sampling rate 24000 Hz (WAV header of the file): 3 recording(s)"}, "rate.txt says", " 0 Hz")},
		// Found 2: every command resolves the rate the same way.
		{name: "14.2 predict honours rate.txt beside the file", setup: func(t *testing.T, f *hostileFixture, dir string) ([]string, string) {
			writeFile(t, filepath.Join(dir, "rec", "x.csv"), csvBytes(userSig(1)))
			writeFile(t, filepath.Join(dir, "rec", "rate.txt"), []byte("12000\n"))
			return []string{"predict", f.model, filepath.Join(dir, "rec", "x.csv")}, ""
		}, code: 0, check: stderrSays([]string{"sampling rate 12000 Hz (", filepath.Join("rec", "rate.txt") + ")"})},
		{name: "14.2 CWRU file in a user folder gets the catalog rate", setup: func(t *testing.T, _ *hostileFixture, dir string) ([]string, string) {
			root := filepath.Join(dir, "data")
			writeFile(t, filepath.Join(root, "NC", "a.csv"), csvBytes(userSig(0)))
			writeFile(t, filepath.Join(root, "NC", "rate.txt"), []byte("12000\n"))
			writeFile(t, filepath.Join(root, "IF", "105.mat"), matV5("X105_DE_time", userSig(1), ""))
			return inspect(root), ""
		}, code: 0, check: stderrSays([]string{"105.mat  X105_DE_time", "CWRU catalog", "sampling rate 12000 Hz (CWRU catalog): 1 recording(s)"})},
		{name: "14.2 a wrong --input-rate is flagged", setup: func(t *testing.T, f *hostileFixture, dir string) ([]string, string) {
			writeFile(t, filepath.Join(dir, "x.wav"), wavBytes(userSig(0), 12000))
			return []string{"predict", f.model, filepath.Join(dir, "x.wav"), "--input-rate", "48000"}, ""
		}, code: 0, check: stderrSays([]string{"states 12000 Hz (WAV header) but --input-rate gives 48000 Hz"})},
		{name: "14.2 predict: a CSV with no rate anywhere", setup: func(t *testing.T, f *hostileFixture, dir string) ([]string, string) {
			writeFile(t, filepath.Join(dir, "x.csv"), csvBytes(userSig(0)))
			// f.model keeps its training folder's rate.txt rate in its data
			// contract: a model without one leaves no rate anywhere.
			m, meta, err := nn.Load(f.model)
			if err != nil {
				t.Fatal(err)
			}
			meta.Contract.InputRateHz = 0
			model := filepath.Join(dir, "norate.ghl")
			if err := nn.Save(model, m, *meta); err != nil {
				t.Fatal(err)
			}
			return []string{"predict", model, filepath.Join(dir, "x.csv")}, "x.csv"
		}, code: 3, want: ghl.ErrBadInput, says: "sampling rate unknown"},
		// Found 4: CSV.
		{name: "14.4 quoted CSV header with commas", setup: func(t *testing.T, _ *hostileFixture, dir string) ([]string, string) {
			root := userFolder(t, filepath.Join(dir, "data"), "a.csv", func(i int) []byte { return timeValueCSV(userSig(i), `"time, s","acc, g"`, ",", false) })
			return inspect(root, "--variable", "acc, g"), ""
		}, code: 0, check: stderrSays([]string{"acc, g"})},
		{name: "14.4 decimal-comma CSV detected", setup: func(t *testing.T, _ *hostileFixture, dir string) ([]string, string) {
			root := userFolder(t, filepath.Join(dir, "data"), "a.csv", func(i int) []byte { return timeValueCSV(userSig(i), "Zeit;Beschleunigung", ";", true) })
			return inspect(root, "--variable", "Beschleunigung"), ""
		}, code: 0, check: stderrSays([]string{"decimal commas detected"})},
		{name: "14.4 decimal comma in a comma CSV", setup: func(t *testing.T, _ *hostileFixture, dir string) ([]string, string) {
			root := userFolder(t, filepath.Join(dir, "data"), "a.csv", func(i int) []byte { return []byte("x\n\"0,5\"\n\"1,5\"\n") })
			return inspect(root), filepath.Join("NC", "a.csv")
		}, code: 3, want: ghl.ErrBadInput, says: "pass --decimal-comma"},
		{name: "14.4 --variable 1 is not a column number", setup: func(t *testing.T, _ *hostileFixture, dir string) ([]string, string) {
			root := userFolder(t, filepath.Join(dir, "data"), "a.csv", func(i int) []byte { return timeValueCSV(userSig(i), "time,value", ",", false) })
			return trainArgs(root, dir, "--variable", "1"), filepath.Join("NC", "a.csv")
		}, code: 2, want: ghl.ErrUsage, says: "--channel 1 (0-based: the 2nd column)"},
		{name: "14.4 the time column is never taken", setup: func(t *testing.T, _ *hostileFixture, dir string) ([]string, string) {
			root := userFolder(t, filepath.Join(dir, "data"), "a.csv", func(i int) []byte { return timeValueCSV(userSig(i), "time,value", ",", false) })
			return trainArgs(root, dir, "--channel", "0"), filepath.Join("NC", "a.csv")
		}, code: 3, want: ghl.ErrBadInput, says: "time is strictly increasing"},
		{name: "14.4 --channel 1 reads the value column", setup: func(t *testing.T, _ *hostileFixture, dir string) ([]string, string) {
			root := userFolder(t, filepath.Join(dir, "data"), "a.csv", func(i int) []byte { return timeValueCSV(userSig(i), "time,value", ",", false) })
			return inspect(root, "--channel", "1"), ""
		}, code: 0, check: stderrSays([]string{" value "})},
		{name: "14.4 two columns, none picked", setup: func(t *testing.T, _ *hostileFixture, dir string) ([]string, string) {
			root := userFolder(t, filepath.Join(dir, "data"), "a.csv", func(i int) []byte { return timeValueCSV(userSig(i), "time,value", ",", false) })
			return inspect(root), filepath.Join("NC", "a.csv")
		}, code: 2, want: ghl.ErrUsage, says: "2 columns (time, value): pick one with --variable NAME or --channel N (0-based)"},
		// Found 5: matrices are signals only by channel; windowed datasets.
		{name: "14.5 matrix in a .mat recording", setup: func(t *testing.T, _ *hostileFixture, dir string) ([]string, string) {
			root := goodFolder(t, filepath.Join(dir, "data"), "NC", "IF", "OF")
			writeFile(t, filepath.Join(root, "IF", "w.mat"), windowedMAT(100, 256, 12000))
			return trainArgs(root, dir), "w.mat"
		}, code: 3, want: ghl.ErrBadInput, says: "data (double 300x256)"},
		{name: "14.5 matrix in a .npy recording", setup: func(t *testing.T, _ *hostileFixture, dir string) ([]string, string) {
			root := goodFolder(t, filepath.Join(dir, "data"), "NC", "IF", "OF")
			x, _ := windowedSet(100, 256)
			writeFile(t, filepath.Join(root, "IF", "w.npy"), npyMatrix(300, 256, x))
			return trainArgs(root, dir), "w.npy"
		}, code: 3, want: ghl.ErrBadInput, says: "windowed dataset"},
		{name: "14.5 a channel of a multi-channel .npy", setup: func(t *testing.T, _ *hostileFixture, dir string) ([]string, string) {
			root := userFolder(t, filepath.Join(dir, "data"), "two.npy", func(i int) []byte {
				a, b := userSig(i), userSig(i+3)
				x := make([]float64, 0, 2*len(a))
				for k := range a {
					x = append(x, a[k], b[k])
				}
				return npyMatrix(len(a), 2, x)
			})
			return inspect(root, "--channel", "1"), ""
		}, code: 0, check: stderrSays([]string{" ch1 "})},
		{name: "14.5 windowed .mat file inspected", setup: func(t *testing.T, _ *hostileFixture, dir string) ([]string, string) {
			writeFile(t, filepath.Join(dir, "w.mat"), windowedMAT(150, 256, 12000))
			return inspect(filepath.Join(dir, "w.mat"), "--class-names", "NC,IF,OF"), ""
		}, code: 0, check: stderrSays([]string{"450 windows of 256 points (data, labels label) at 12000 Hz (variable fs of the file)", "file: variable fs", "data[label=1]"})},
		{name: "14.5 windowed file: labels and windows disagree", setup: func(t *testing.T, _ *hostileFixture, dir string) ([]string, string) {
			x, y := windowedSet(50, 256)
			writeFile(t, filepath.Join(dir, "w.npz"), npzBytes(t, map[string][]byte{"X": npyMatrix(150, 256, x), "y": npyBytes(y[:149])}))
			return inspect(filepath.Join(dir, "w.npz"), "--windows", "X", "--labels", "y", "--input-rate", "12000"), "w.npz"
		}, code: 3, want: ghl.ErrBadInput, says: "149 labels in y, but X is 150 × 256"},
		{name: "14.5 windowed file: too few class names", setup: func(t *testing.T, _ *hostileFixture, dir string) ([]string, string) {
			writeFile(t, filepath.Join(dir, "w.mat"), windowedMAT(50, 256, 12000))
			return inspect(filepath.Join(dir, "w.mat"), "--class-names", "NC,IF"), "w.mat"
		}, code: 2, want: ghl.ErrUsage, says: "2 class names in the class names given (NC, IF) for 3 label values (0, 1, 2)"},
		{name: "14.5 windowed .npz: which matrix?", setup: func(t *testing.T, _ *hostileFixture, dir string) ([]string, string) {
			x, y := windowedSet(50, 256)
			writeFile(t, filepath.Join(dir, "w.npz"), npzBytes(t, map[string][]byte{"a": npyMatrix(150, 256, x), "b": npyMatrix(256, 150, x), "y": npyBytes(y)}))
			return inspect(filepath.Join(dir, "w.npz"), "--input-rate", "12000"), "w.npz"
		}, code: 2, want: ghl.ErrUsage, says: "name it with --windows"},
		{name: "14.5 windowed file with no rate", setup: func(t *testing.T, _ *hostileFixture, dir string) ([]string, string) {
			x, y := windowedSet(50, 256)
			writeFile(t, filepath.Join(dir, "w.npz"), npzBytes(t, map[string][]byte{"X": npyMatrix(150, 256, x), "y": npyBytes(y)}))
			return inspect(filepath.Join(dir, "w.npz")), "w.npz"
		}, code: 3, want: ghl.ErrBadInput, says: "sampling rate unknown"},
		// Smaller items.
		{name: "14 stray README.txt in a class folder", setup: badFile("README.txt", []byte("recorded on pump 3\n")), code: 3, want: ghl.ErrBadInput, says: "--skip-bad"},
	}
}

// TestHostileUserData runs userDataCases like TestHostileInputs.
func TestHostileUserData(t *testing.T) {
	base := t.TempDir()
	f := &hostileFixture{good: goodFolder(t, filepath.Join(base, "good"), "NC", "IF", "OF"), model: filepath.Join(base, "model.ghl")}
	if _, stderr, err := runGHL(t, "train", "--data", f.good, "--set", "8/4", "--quick", "--threads", "1", "--out", f.model); err != nil {
		t.Fatalf("training the fixture model: %v\n%s", err, stderr)
	}
	for i, c := range userDataCases() {
		t.Run(c.name, func(t *testing.T) { runHostile(t, base, filepath.Join(base, fmt.Sprintf("case%02d", i)), f, c) })
	}
}

// TestUserDataFlows runs the done-when flows of issue 14 (part A) through
// the command tree: a folder of compressed struct files with sr and a shaft
// rate is trained on, evaluated and predicted with no rate or data flag;
// a windowed-matrix file trains and evaluates.
func TestUserDataFlows(t *testing.T) {
	dir := t.TempDir()
	root := structFolder(t, filepath.Join(dir, "data"))
	model := filepath.Join(dir, "m.ghl")
	_, stderr, err := runGHL(t, "train", "--data", root, "--set", "8/4", "--quick", "--threads", "1", "--out", model)
	if err != nil {
		t.Fatalf("train: %v\n%s", err, stderr)
	}
	stderrSays([]string{"sampling rate 24000 Hz (field bearing.sr of the file): 3 recording(s)", "resampled 24000 → 12000 Hz"}, " 25 Hz")(t, "", stderr)
	out, stderr, err := runGHL(t, "eval", model, root, "--set", "8/4", "--json")
	if err != nil {
		t.Fatalf("eval: %v\n%s", err, stderr)
	}
	var doc struct{ Metrics train.Metrics }
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Metrics.Accuracy < 0.9 {
		t.Errorf("eval accuracy %.3f on three distinct tones, want ≥ 0.9", doc.Metrics.Accuracy)
	}
	out, stderr, err = runGHL(t, "predict", model, filepath.Join(root, "OF", "a.mat"), "--json")
	if err != nil {
		t.Fatalf("predict: %v\n%s", err, stderr)
	}
	stderrSays([]string{"sampling rate 24000 Hz (field bearing.sr of the file)"})(t, "", stderr)
	var pred predictOutput
	if err := json.Unmarshal([]byte(out), &pred); err != nil {
		t.Fatal(err)
	}
	if len(pred.Recordings) != 1 || pred.Recordings[0].Class != "OF" || pred.Recordings[0].RateHz != 24000 {
		t.Errorf("predict: %+v, want OF read at 24000 Hz", pred.Recordings)
	}

	// A windowed-matrix file trains and evaluates through the same commands.
	w := filepath.Join(dir, "w.mat")
	writeFile(t, w, windowedMAT(150, 256, 12000))
	wmodel := filepath.Join(dir, "w.ghl")
	if _, stderr, err := runGHL(t, "train", "--data", w, "--class-names", "NC,IF,OF", "--set", "8/4", "--quick", "--threads", "1", "--out", wmodel); err != nil {
		t.Fatalf("train on windows: %v\n%s", err, stderr)
	}
	out, stderr, err = runGHL(t, "eval", wmodel, w, "--class-names", "NC,IF,OF", "--set", "8/4", "--json")
	if err != nil {
		t.Fatalf("eval on windows: %v\n%s", err, stderr)
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Metrics.Accuracy < 0.9 || len(doc.Metrics.Classes) != 3 || doc.Metrics.Classes[0] != "NC" {
		t.Errorf("eval on windows: accuracy %.3f, classes %v; want ≥ 0.9 and NC first", doc.Metrics.Accuracy, doc.Metrics.Classes)
	}

	// Declared independent: one window per file window (windows of 256
	// points need --window 256), also for eval --all.
	indep := []string{"--class-names", "NC,IF,OF", "--independent-windows"}
	if _, stderr, err := runGHL(t, append([]string{"train", "--data", w, "--set", "8/4", "--quick", "--threads", "1", "--out", wmodel, "--window", "256"}, indep...)...); err != nil {
		t.Fatalf("train on independent windows: %v\n%s", err, stderr)
	}
	out, stderr, err = runGHL(t, append([]string{"eval", wmodel, w, "--all", "--json"}, indep...)...)
	if err != nil {
		t.Fatalf("eval --all on independent windows: %v\n%s", err, stderr)
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, row := range doc.Metrics.Confusion {
		for _, v := range row {
			total += v
		}
	}
	if total != 450 || doc.Metrics.Accuracy < 0.9 {
		t.Errorf("eval --all on independent windows: %d windows, accuracy %.3f; want all 450 file windows and ≥ 0.9", total, doc.Metrics.Accuracy)
	}
}

// Issue 14 part B: the model file's data contract, open set and the
// command-line fixes. Kept apart from the other cases so that both parts
// of the issue can add theirs without conflicts.

// contractCases are the hostile cases of the model file's contract (Found
// 3), of the open set (Found 6) and of the smaller problems of issue 14.
// The fixture model f.model was trained with rate.txt; m14 (in base) with
// --input-rate on files that state no rate and --healthy "Normal Zustand".
func contractCases(m14, data14 string) []hostileCase {
	noRate := func(t *testing.T, f *hostileFixture, dir string) string {
		p := filepath.Join(dir, "x.npy")
		writeFile(t, p, npyBytes(tone(hostilePoints, 20, 1)))
		return p
	}
	saveWith := func(t *testing.T, dir string, c nn.Contract) string {
		m, meta, err := nn.Load(m14)
		if err != nil {
			t.Fatal(err)
		}
		meta.Contract = c
		p := filepath.Join(dir, "c.ghl")
		if err := nn.Save(p, m, *meta); err != nil {
			t.Fatal(err)
		}
		return p
	}
	contains := func(texts ...string) func(t *testing.T, stdout, stderr string) {
		return func(t *testing.T, stdout, stderr string) {
			for _, s := range texts {
				if !strings.Contains(stdout+stderr, s) {
					t.Errorf("output does not say %q:\n%s\n%s", s, stdout, stderr)
				}
			}
		}
	}
	return []hostileCase{
		// Found 3: no data flags after training.
		{name: "predict needs no --input-rate after training with it", setup: func(t *testing.T, f *hostileFixture, dir string) ([]string, string) {
			return []string{"predict", m14, noRate(t, f, dir)}, ""
		}, code: 0, check: contains("sampling rate 12000 Hz (model)")},
		{name: "eval needs no --input-rate after training with it", setup: func(t *testing.T, f *hostileFixture, dir string) ([]string, string) {
			return []string{"eval", m14, data14, "--all"}, ""
		}, code: 0, check: contains("healthy class Normal Zustand")},
		{name: "an explicit flag against the contract warns", setup: func(t *testing.T, f *hostileFixture, dir string) ([]string, string) {
			return []string{"predict", m14, noRate(t, f, dir), "--input-rate", "48000"}, ""
		}, code: 0, check: contains("warning: --input-rate 48000 contradicts the model file's data contract")},
		{name: "a contract with an input representation this ghl cannot compute", setup: func(t *testing.T, f *hostileFixture, dir string) ([]string, string) {
			return []string{"predict", saveWith(t, dir, nn.Contract{InputRateHz: 12000, Representation: "wavelet"}), noRate(t, f, dir)}, "c.ghl"
		}, code: 3, want: ghl.ErrBadInput, says: `representation "wavelet"`},
		{name: "--healthy that is no class", setup: func(t *testing.T, f *hostileFixture, dir string) ([]string, string) {
			return trainArgs(f.good, dir, "--healthy", "Normal"), "Normal"
		}, code: 2, want: ghl.ErrUsage, says: "classes: NC, IF, OF"},
		{name: "eval --healthy that is no class", setup: func(t *testing.T, f *hostileFixture, dir string) ([]string, string) {
			return []string{"eval", f.model, f.good, "--healthy", "gesund"}, "gesund"
		}, code: 2, want: ghl.ErrUsage},
		{name: "eval of a windowed file needs no --windows/--labels/--class-names after training with them", setup: func(t *testing.T, f *hostileFixture, dir string) ([]string, string) {
			x, y := windowedSet(150, 256)
			idx := make([]float64, len(y)) // a second vector of N: the labels must be named
			for i := range idx {
				idx[i] = float64(i)
			}
			w := filepath.Join(dir, "w.npz")
			writeFile(t, w, npzBytes(t, map[string][]byte{"X": npyMatrix(len(y), 256, x), "y": npyBytes(y), "index": npyBytes(idx)}))
			model := filepath.Join(dir, "w.ghl")
			if _, stderr, err := runGHL(t, "train", "--data", w, "--windows", "X", "--labels", "y", "--class-names", "Gesund,Innenring,Aussenring",
				"--input-rate", "12000", "--window", "512", "--set", "8/4", "--quick", "--threads", "1", "--healthy", "Gesund", "--out", model); err != nil {
				t.Fatalf("train on the windowed file: %v\n%s", err, stderr)
			}
			return []string{"eval", model, w, "--set", "8/4"}, ""
		}, code: 0, check: contains("Innenring", "healthy class Gesund")},
		// Found 6: none of these.
		{name: "--open-set on a model without a threshold", setup: func(t *testing.T, f *hostileFixture, dir string) ([]string, string) {
			return []string{"predict", saveWith(t, dir, nn.Contract{InputRateHz: 12000}), noRate(t, f, dir), "--open-set"}, "c.ghl"
		}, code: 2, want: ghl.ErrUsage, says: "retrain"},
		{name: "--open-set-rate outside (0, 1)", setup: func(t *testing.T, f *hostileFixture, dir string) ([]string, string) {
			return trainArgs(f.good, dir, "--open-set-rate", "1.5"), "--open-set-rate"
		}, code: 2, want: ghl.ErrUsage},
		{name: "--open-set-score unknown", setup: func(t *testing.T, f *hostileFixture, dir string) ([]string, string) {
			return trainArgs(f.good, dir, "--open-set-score", "softmax"), "softmax"
		}, code: 2, want: ghl.ErrUsage},
		{name: "a signal of no known class is unknown with --open-set", setup: func(t *testing.T, f *hostileFixture, dir string) ([]string, string) {
			p := filepath.Join(dir, "other.csv")
			writeFile(t, p, csvBytes(tone(hostilePoints, 400, 7)))
			return []string{"predict", f.model, p, "--open-set", "--input-rate", "12000"}, ""
		}, code: 0, check: contains("unknown, none of the model's classes")},
		// Smaller problems.
		{name: "swapped predict arguments", setup: func(t *testing.T, f *hostileFixture, dir string) ([]string, string) {
			return []string{"predict", filepath.Join(f.good, "NC", "a.csv"), f.model}, "a.csv"
		}, code: 3, want: ghl.ErrBadInput, says: "the model comes first"},
		{name: "eval on a folder without some classes shows –", setup: func(t *testing.T, f *hostileFixture, dir string) ([]string, string) {
			return []string{"eval", f.model, goodFolder(t, filepath.Join(dir, "part"), "NC"), "--all"}, ""
		}, code: 0, check: func(t *testing.T, stdout, stderr string) {
			if !regexp.MustCompile(`(?m)^ +IF( +\d+){3} +– +`).MatchString(stdout) {
				t.Errorf("the IF row has a recall, want –:\n%s", stdout)
			}
		}},
		{name: "long class names keep the confusion matrix aligned", setup: func(t *testing.T, f *hostileFixture, dir string) ([]string, string) {
			return []string{"eval", m14, data14, "--all"}, ""
		}, code: 0, check: func(t *testing.T, stdout, stderr string) {
			lines := strings.Split(stdout, "\n")
			i := slices.IndexFunc(lines, func(s string) bool { return strings.HasPrefix(s, "confusion") })
			if i < 0 || i+4 >= len(lines) {
				t.Fatalf("no confusion matrix:\n%s", stdout)
			}
			for _, l := range lines[i+2 : i+5] {
				if utf8.RuneCountInString(l) != utf8.RuneCountInString(lines[i+1]) {
					t.Errorf("rows of different widths:\n%s", strings.Join(lines[i+1:i+5], "\n"))
					break
				}
			}
		}},
		{name: "train --help shows the *= syntax and every key's default", setup: func(t *testing.T, f *hostileFixture, dir string) ([]string, string) {
			return []string{"train", "--help"}, ""
		}, code: 0, check: contains("'NC=400,*=40'", "alpha     GHL", "(dcnng: 1-f1)", "--healthy", "--open-set-rate", "select    the weights kept", "(dcnng: val)")},
		{name: "--version", setup: func(t *testing.T, f *hostileFixture, dir string) ([]string, string) {
			return []string{"--version"}, ""
		}, code: 0, check: contains("ghl version ")},
		{name: "train shows progress in epochs without --verbose", setup: func(t *testing.T, f *hostileFixture, dir string) ([]string, string) {
			return []string{"train", "--data", f.good, "--set", "8/4", "--quick", "--threads", "1"}, ""
		}, code: 0, check: func(t *testing.T, stdout, stderr string) {
			if !strings.Contains(stderr, "training dcnng: epoch ") || !strings.Contains(stdout, " epochs, best at ") || strings.Contains(stdout, "iteration") ||
				!strings.Contains(stdout, ", shifted val 0.") && !strings.Contains(stdout, ", shifted val 1.000") {
				t.Errorf("progress or unit:\n%s\n%s", stdout, stderr)
			}
		}},
	}
}

// TestHostileContract runs contractCases, and Ctrl-C during training.
func TestHostileContract(t *testing.T) {
	base := t.TempDir()
	f := &hostileFixture{good: goodFolder(t, filepath.Join(base, "good"), "NC", "IF", "OF"), model: filepath.Join(base, "model.ghl")}
	if _, stderr, err := runGHL(t, "train", "--data", f.good, "--set", "8/4", "--quick", "--threads", "1", "--out", f.model); err != nil {
		t.Fatalf("training the fixture model: %v\n%s", err, stderr)
	}
	data14 := filepath.Join(base, "npy")
	for i, c := range []string{"Normal Zustand", "Außenring-Schaden mit langem Namen", "IR"} {
		writeFile(t, filepath.Join(data14, c, "a.npy"), npyBytes(tone(hostilePoints, float64(20+15*i), uint32(i))))
	}
	m14 := filepath.Join(base, "m14.ghl")
	if _, stderr, err := runGHL(t, "train", "--data", data14, "--input-rate", "12000", "--healthy", "Normal Zustand",
		"--set", "8/4", "--quick", "--threads", "1", "--out", m14); err != nil {
		t.Fatalf("training the contract model: %v\n%s", err, stderr)
	}
	for i, c := range contractCases(m14, data14) {
		t.Run(c.name, func(t *testing.T) { runHostile(t, base, filepath.Join(base, fmt.Sprintf("contract%02d", i)), f, c) })
	}
	t.Run("Ctrl-C in train", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		root := newRootCmd()
		var out, errb bytes.Buffer
		root.SetOut(&out)
		root.SetErr(&errb)
		dir := t.TempDir()
		root.SetArgs(trainArgs(f.good, dir))
		cancel() // as the signal handler does on Ctrl-C
		err := root.ExecuteContext(ctx)
		if err == nil || !strings.HasPrefix(err.Error(), "interrupted") || strings.Contains(err.Error(), "context canceled") {
			t.Errorf("error %v, want it to say interrupted", err)
		}
		if _, serr := os.Stat(filepath.Join(dir, "m.ghl")); !os.IsNotExist(serr) {
			t.Error("an interrupted train wrote a model")
		}
	})
}

// TestCWRUInUserFolder: real CWRU files copied into a user folder
// ROOT/<class>/ (not a CWRU folder: no catalogued file at the top) get the
// catalog's rates with no rate given — 48 kHz for the normal baseline,
// 12 kHz for the faults — and say so (issue 14, Found 2).
func TestCWRUInUserFolder(t *testing.T) {
	real := realdata.CWRU(t)
	root := t.TempDir()
	for class, file := range map[string]string{"normal": "97.mat", "inner": "105.mat", "outer": "130.mat"} {
		if err := os.MkdirAll(filepath.Join(root, class), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(filepath.Join(real, file), filepath.Join(root, class, file)); err != nil {
			t.Fatal(err)
		}
	}
	out, stderr, err := runGHL(t, "data", "inspect", root, "--set", "100/20", "--json")
	if err != nil {
		t.Fatalf("inspect: %v\n%s", err, stderr)
	}
	var doc inspectDoc
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	want := map[string]float64{"97.mat": 48000, "105.mat": 12000, "130.mat": 12000}
	if len(doc.Recordings) != 3 {
		t.Fatalf("%d recordings, want 3", len(doc.Recordings))
	}
	for _, r := range doc.Recordings {
		if r.RateHz != want[r.File] || r.RateFrom != "CWRU catalog" {
			t.Errorf("%s: %g Hz from %q, want %g from the CWRU catalog", r.File, r.RateHz, r.RateFrom, want[r.File])
		}
	}
}
