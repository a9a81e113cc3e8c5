package matv5_test

import (
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/ghl-dev/ghl/internal/realdata"
	"github.com/ghl-dev/ghl/recording/matv5"
)

// TestCWRUFiles reads every file of the real data folder and checks the
// chosen variable and its length against manifest.csv, and the RPM scalar
// (a double stored as a small miUINT16 element) against the manifest's rpm.
func TestCWRUFiles(t *testing.T) {
	dir := realdata.CWRU(t)
	mf, err := os.Open(filepath.Join(dir, "manifest.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer mf.Close()
	rows, err := csv.NewReader(mf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	for _, need := range []string{"file", "variable_de", "n_points_de", "rpm"} {
		if _, ok := col[need]; !ok {
			t.Fatalf("manifest.csv has no column %q", need)
		}
	}
	if len(rows) < 2 {
		t.Fatal("manifest.csv lists no files")
	}
	for _, row := range rows[1:] {
		file := row[col["file"]]
		t.Run(file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(dir, file))
			if err != nil {
				t.Fatal(err)
			}
			f, err := matv5.Decode(data)
			if err != nil {
				t.Fatal(err)
			}
			if f.BigEndian || f.Compressed {
				t.Errorf("BigEndian=%v Compressed=%v, want little-endian uncompressed", f.BigEndian, f.Compressed)
			}
			name, err := matv5.ChooseSignal(f, file)
			if err != nil {
				t.Fatal(err)
			}
			if want := row[col["variable_de"]]; name != want {
				t.Errorf("ChooseSignal = %q, want %q", name, want)
			}
			x, err := f.Numeric(name)
			if err != nil {
				t.Fatal(err)
			}
			if want, _ := strconv.Atoi(row[col["n_points_de"]]); len(x) != want {
				t.Errorf("%s has %d points, want %d", name, len(x), want)
			}
			for i, v := range x {
				if math.IsNaN(v) || math.IsInf(v, 0) || math.Abs(v) > 100 {
					t.Fatalf("%s[%d] = %v: not an acceleration in g", name, i, v)
				}
			}
			rpm := row[col["rpm"]]
			if rpm == "" {
				return
			}
			v, err := f.Lookup(name[:4] + "RPM")
			if err != nil {
				t.Fatal(err)
			}
			if got := strconv.Itoa(int(v.Real[0])); v.Class != matv5.Double || len(v.Real) != 1 || got != rpm {
				t.Errorf("%sRPM = %s %v, want double %s", name[:4], v.Describe(), v.Real, rpm)
			}
		})
	}
}

// BenchmarkDecode decodes 97.mat (3.9 MB, 243,938 + 243,938 doubles).
func BenchmarkDecode(b *testing.B) {
	data, err := os.ReadFile(filepath.Join(realdata.CWRU(b), "97.mat"))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := matv5.Decode(data); err != nil {
			b.Fatal(err)
		}
	}
}
