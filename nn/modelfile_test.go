package nn

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/ghl-dev/ghl"
)

// tinyModel is a small model with every layer kind, for file tests.
func tinyModel(t testing.TB) *Model {
	t.Helper()
	m, err := NewSequential(Shape{16, 1}, 5,
		&Conv1D{Filters: 2, Kernel: 3, Padding: "same"}, &ReLU{}, &MaxPool1D{Size: 2},
		&Conv1D{Filters: 3, Kernel: 2, Padding: "valid"}, &Flatten{}, &Dense{Units: 3})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func encodeModel(t testing.TB, m *Model, meta Metadata) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := Encode(&b, m, meta); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestSaveLoadRoundTrip(t *testing.T) {
	dir := t.TempDir()
	meta := Metadata{
		Classes: []string{"NC", "OF1", "OF2", "OF3", "RF1", "RF2", "RF3", "RF4", "IF1", "IF2", "IF3", "IF4"},
		RateHz:  12000, Window: 1024, Normalisation: "zscore",
		Training: map[string]string{"method": "dcnng", "seed": "1"},
		Contract: Contract{InputRateHz: 25600, InputRateSource: "flag", Variable: "bearing.gs", Channel: 1, PickChannel: true,
			CSVDelimiter: ";", DecimalComma: true, AllowIncreasing: true,
			Windows: "X", Labels: "y", IndependentWindows: true, WindowClassNames: []string{"NC", "IR"},
			LowPassHz: 5400, Healthy: "NC", Representation: "envelope", RepresentationOptions: map[string]string{"band": "2000-5000"},
			OpenSet: &OpenSet{Score: "energy", Threshold: -3.25, FalseAlarmRate: 0.01, Windows: 240, Above: 2}},
	}
	m, err := NewDCNN(DCNNConfig{InputLen: 1024, Classes: 12, Seed: 11})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "model.safetensors")
	if err := Save(path, m, meta); err != nil {
		t.Fatal(err)
	}
	got, gotMeta, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(*gotMeta, meta) {
		t.Errorf("metadata %+v, want %+v", *gotMeta, meta)
	}
	x := randInput(1, 5, 1024)
	a, _ := m.Infer(x, 5, nil)
	b, _ := got.Infer(x, 5, nil)
	for i := range a {
		if math.Float32bits(a[i]) != math.Float32bits(b[i]) {
			t.Fatalf("logit %d after reload %v, before %v", i, b[i], a[i])
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("directory holds %d entries after Save, want only the model", len(entries))
	}
	// Valid padding and every layer kind survive too.
	tm := tinyModel(t)
	tm2, _, err := Decode(encodeModel(t, tm, Metadata{}))
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(tm2.architecture()) != fmt.Sprint(tm.architecture()) || relErr(tm2.flatW, tm.flatW) != 0 {
		t.Error("tiny model changed in a round trip")
	}
}

func TestLoadRefusesDamage(t *testing.T) {
	m := tinyModel(t)
	good := encodeModel(t, m, Metadata{Classes: []string{"a", "b", "c"}})
	hn := int(binary.LittleEndian.Uint64(good))
	header := string(good[8 : 8+hn])
	replaceMeta := func(old, new string) []byte {
		h := strings.Replace(header, old, new, 1)
		if h == header {
			t.Fatalf("%q not in header", old)
		}
		out := binary.LittleEndian.AppendUint64(nil, uint64(len(h)))
		return append(append(out, h...), good[8+hn:]...)
	}
	flip := func(i int) []byte {
		b := bytes.Clone(good)
		b[i] ^= 0x10
		return b
	}
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "too short"},
		{"truncated data", good[:len(good)-7], "truncated"},
		{"truncated header", good[:20], "truncated"},
		{"flipped weight bit", flip(len(good) - 5), "checksum"},
		{"flipped class name", replaceMeta(`\"a\"`, `\"x\"`), "header checksum"},
		{"newer format", replaceMeta(`"format_version":"2"`, `"format_version":"7"`), "made by a newer ghl (format 7), this reads ≤ 2"},
		{"foreign file", replaceMeta(`"format":"ghl.model"`, `"format":"other"`), "not a ghl model"},
		{"not json", append(binary.LittleEndian.AppendUint64(nil, 4), "{{{{"...), "header"},
	} {
		_, _, err := Decode(tc.data)
		if !errors.Is(err, ghl.ErrBadInput) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want ErrBadInput mentioning %q", tc.name, err, tc.want)
		}
	}
	path := filepath.Join(t.TempDir(), "m.safetensors")
	os.WriteFile(path, good[:len(good)/2], 0o644)
	if _, _, err := Load(path); !errors.Is(err, ghl.ErrBadInput) || !strings.Contains(err.Error(), path) {
		t.Errorf("Load of a truncated file: %v", err)
	}
}

func TestSaveChecksMetadata(t *testing.T) {
	m := tinyModel(t)
	path := filepath.Join(t.TempDir(), "m.safetensors")
	for _, meta := range []Metadata{{Classes: []string{"a"}}, {Window: 99},
		{Classes: []string{"a", "b", "c"}, Contract: Contract{Healthy: "Normal"}},
		{Contract: Contract{InputRateHz: math.NaN()}},
		{Contract: Contract{InputRateHz: -1}},
		{Contract: Contract{OpenSet: &OpenSet{Score: "energy", Threshold: 1, FalseAlarmRate: 0}}},
		{Contract: Contract{OpenSet: &OpenSet{Score: "mahalanobis", Threshold: 1, FalseAlarmRate: 0.01}}},
		{Contract: Contract{OpenSet: &OpenSet{Score: "distance", Threshold: 1, FalseAlarmRate: 0.01}}},
		{Contract: Contract{OpenSet: &OpenSet{Score: "distance", Threshold: 1, FalseAlarmRate: 0.01, Means: make([][]float64, 3), Scale: []float64{1}}}},
		{Contract: Contract{OpenSet: &OpenSet{Score: "distance", Threshold: 1, FalseAlarmRate: 0.01, Means: [][]float64{{1}, {2}, {3}}, Scale: []float64{0}}}},
		{Contract: Contract{OpenSet: &OpenSet{Score: "energy", Threshold: math.NaN(), FalseAlarmRate: 0.01}}},
	} {
		if err := Save(path, m, meta); !errors.Is(err, ghl.ErrUsage) {
			t.Errorf("Save(%+v): %v, want ErrUsage", meta, err)
		}
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Error("a failed Save left a file")
	}
}

// goldenV1 is a format-1 file written by this package when format 1 was
// current, with an input and the logits it gave: every later version must
// keep reading it (issue 6).
const goldenV1 = "testdata/model_v1.safetensors"

type golden struct {
	X      []float32 `json:"x"`
	Logits []float32 `json:"logits"`
}

func TestReadsFormat1(t *testing.T) {
	m, meta, err := Load(goldenV1)
	if err != nil {
		t.Fatal(err)
	}
	var g golden
	b, err := os.ReadFile(goldenV1 + ".json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &g); err != nil {
		t.Fatal(err)
	}
	n := len(g.X) / m.in.Size()
	z, err := m.Infer(g.X, n, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Other kernel paths add in other orders: allow rounding, nothing more.
	if e := relErr(z, g.Logits); e > 1e-5 {
		t.Errorf("format-1 model's logits differ by %.3g from when it was written", e)
	}
	if fmt.Sprint(meta.Classes) != "[a b c]" || meta.RateHz != 12000 {
		t.Errorf("format-1 metadata read as %+v", meta)
	}
	// A format-1 file has no contract: it reads as the zero Contract,
	// which means what format 1 meant.
	if !reflect.DeepEqual(meta.Contract, Contract{}) || !meta.Contract.IsRaw() {
		t.Errorf("format-1 contract read as %+v, want the zero Contract", meta.Contract)
	}
}

// TestUpgradeV1LowPass checks that a format-1 file's "lowpass_hz" training
// option, where format 1 kept whether the low-pass was applied, becomes
// the contract's.
func TestUpgradeV1LowPass(t *testing.T) {
	for _, tc := range []struct {
		training map[string]string
		want     Contract
	}{
		{nil, Contract{}},
		{map[string]string{"lowpass_hz": "0"}, Contract{NoLowPass: true}},
		{map[string]string{"lowpass_hz": ""}, Contract{NoLowPass: true}},
		{map[string]string{"lowpass_hz": "5400"}, Contract{LowPassHz: 5400}},
	} {
		meta := Metadata{Training: tc.training, Contract: Contract{Healthy: "stale"}}
		upgradeV1(&meta)
		if !reflect.DeepEqual(meta.Contract, tc.want) {
			t.Errorf("training %v: contract %+v, want %+v", tc.training, meta.Contract, tc.want)
		}
	}
}

// TestWriteFuzzCorpus regenerates the committed seed corpus of FuzzDecode
// and the format-1 golden file when GHL_WRITE_CORPUS=1 (only ever rewrite
// the golden file when FormatVersion is still 1).
func TestWriteFuzzCorpus(t *testing.T) {
	if os.Getenv("GHL_WRITE_CORPUS") != "1" {
		t.Skip("set GHL_WRITE_CORPUS=1 to rewrite testdata/fuzz/FuzzDecode")
	}
	dir := filepath.Join("testdata", "fuzz", "FuzzDecode")
	os.MkdirAll(dir, 0o755)
	good := encodeModel(t, tinyModel(t), Metadata{Classes: []string{"a", "b", "c"}, RateHz: 12000})
	m := tinyModel(t)
	x := randInput(3, 4, m.in.Size())
	z, _ := m.Infer(x, 4, nil)
	gj, _ := json.Marshal(golden{X: x, Logits: z})
	// The format-1 golden file is history: this package writes format
	// FormatVersion now, so it is kept as it was.
	if FormatVersion == 1 {
		if err := os.WriteFile(goldenV1+".json", gj, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := Save(goldenV1, m, Metadata{Classes: []string{"a", "b", "c"}, RateHz: 12000}); err != nil {
			t.Fatal(err)
		}
	}
	for name, data := range map[string][]byte{
		"valid":     good,
		"truncated": good[:len(good)-9],
		"header":    good[:64],
	} {
		s := fmt.Sprintf("go test fuzz v1\n[]byte(%q)\n", data)
		if err := os.WriteFile(filepath.Join(dir, name), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// FuzzDecode: no input may panic the loader, and whatever it accepts must
// run and re-encode to a file it accepts again.
func FuzzDecode(f *testing.F) {
	f.Add(encodeModel(f, tinyModel(f), Metadata{}))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, meta, err := Decode(data)
		if err != nil {
			if !errors.Is(err, ghl.ErrBadInput) {
				t.Fatalf("error %v does not wrap ErrBadInput", err)
			}
			return
		}
		if m.maxAct <= 1<<14 { // bounded: Infer's buffers are BlockSize·maxAct
			if _, err := m.Infer(make([]float32, m.in.Size()), 1, nil); err != nil {
				t.Fatal(err)
			}
		}
		var b bytes.Buffer
		if err := Encode(&b, m, *meta); err != nil {
			t.Fatal(err)
		}
		if _, _, err := Decode(b.Bytes()); err != nil {
			t.Fatalf("re-encoded model refused: %v", err)
		}
	})
}

// ExampleSave saves a freshly initialised DCNN with its metadata and loads
// it back.
func ExampleSave() {
	m, err := NewDCNN(DCNNConfig{InputLen: 1024, Classes: 3, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	dir, _ := os.MkdirTemp("", "ghl")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "dcnn.safetensors")
	meta := Metadata{Classes: []string{"NC", "OF", "IF"}, RateHz: 12000, Window: 1024, Normalisation: "zscore"}
	if err := Save(path, m, meta); err != nil {
		fmt.Println(err)
		return
	}
	m2, meta2, err := Load(path)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(m2.InputLen(), m2.Classes(), meta2.Classes)
	// Output: 1024 3 [NC OF IF]
}

// TestPyTorchLoadsModelFile saves a DCNN and has PyTorch (Debian's
// python3-torch, bench/peer/check_modelfile.py) load it into its DCNN and
// reproduce ghl's logits. Skipped when /usr/bin/python3 has no torch.
func TestPyTorchLoadsModelFile(t *testing.T) {
	const py = "/usr/bin/python3"
	if err := exec.Command(py, "-c", "import torch").Run(); err != nil {
		t.Skipf("%s with torch not available: %v", py, err)
	}
	dir := t.TempDir()
	for _, pad := range []string{"same", "valid"} {
		m, err := NewDCNN(DCNNConfig{InputLen: 1024, Classes: 5, Seed: 4, Padding: pad})
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, "m.safetensors")
		if err := Save(path, m, Metadata{Classes: []string{"a", "b", "c", "d", "e"}}); err != nil {
			t.Fatal(err)
		}
		x := randInput(5, 6, 1024)
		z, _ := m.Infer(x, 6, nil)
		writeF32 := func(name string, v []float32) string {
			p := filepath.Join(dir, name)
			if err := os.WriteFile(p, appendFloats(nil, v), 0o644); err != nil {
				t.Fatal(err)
			}
			return p
		}
		out, err := exec.Command(py, filepath.Join("..", "bench", "peer", "check_modelfile.py"),
			path, writeF32("x.f32", x), writeF32("z.f32", z)).CombinedOutput()
		if err != nil {
			t.Errorf("padding %s: PyTorch does not reproduce the logits: %v\n%s", pad, err, out)
		} else {
			t.Logf("padding %s: %s", pad, bytes.TrimSpace(out))
		}
	}
}
