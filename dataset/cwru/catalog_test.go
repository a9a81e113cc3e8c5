package cwru

import (
	"errors"
	"fmt"
	"testing"

	"github.com/ghl-dev/ghl"
)

func TestPaper(t *testing.T) {
	files := Paper()
	if len(files) != len(PaperNormal)+len(PaperClasses)-1 {
		t.Fatalf("Paper() has %d files, want %d", len(files), len(PaperNormal)+len(PaperClasses)-1)
	}
	for i, f := range files[len(PaperNormal):] {
		if f.Class != PaperClasses[i+1] || f.LoadHP != 2 || f.RateHz != 12000 {
			t.Errorf("paper fault %d = %+v, want class %s at 2 hp, 12 kHz", i, f, PaperClasses[i+1])
		}
	}
	for _, f := range files[:len(PaperNormal)] {
		if !f.Normal() || f.RateHz != 48000 || !f.HasChecksum() {
			t.Errorf("paper normal %+v: want NC at 48 kHz with a checksum", f)
		}
	}
}

func TestCatalog(t *testing.T) {
	seen := map[int]bool{}
	for _, f := range Catalog() {
		if seen[f.Number] {
			t.Errorf("file %d catalogued twice", f.Number)
		}
		seen[f.Number] = true
		if f.Variable == "" || f.Class == "" || (f.RateHz != 12000 && f.RateHz != 48000) {
			t.Errorf("incomplete entry %+v", f)
		}
	}
	if len(seen) != 64 {
		t.Errorf("catalog has %d files, want 64 (60 drive-end 12 kHz faults + 4 normal)", len(seen))
	}
	for _, tc := range []struct {
		name, variable, class string
	}{
		{"3003.mat", "X058_DE_time", "IF4"},
		{"3007.mat", "X050_DE_time", "RF4"},
		{"99.mat", "X099_DE_time", "NC"},
		{"246.mat", "X246_DE_time", "OF3@3"},
	} {
		f, ok := LookupName(tc.name)
		if !ok || f.Variable != tc.variable || f.Class != tc.class {
			t.Errorf("LookupName(%s) = %+v, %v; want variable %s class %s", tc.name, f, ok, tc.variable, tc.class)
		}
	}
	for _, name := range []string{"097.mat", "97", "5.mat", "x.mat"} {
		if _, ok := LookupName(name); ok {
			t.Errorf("LookupName(%q) found an entry", name)
		}
	}
}

func TestParseNumbers(t *testing.T) {
	for _, tc := range []struct {
		in      string
		n       int
		wantErr error
	}{
		{"paper", 14, nil},
		{"", 14, nil},
		{"all", 64, nil},
		{"97, 98.mat,132", 3, nil},
		{"97,5", 0, ghl.ErrUsage},
		{"97,x", 0, ghl.ErrUsage},
	} {
		files, err := ParseNumbers(tc.in)
		if !errors.Is(err, tc.wantErr) || len(files) != tc.n {
			t.Errorf("ParseNumbers(%q) = %d files, %v; want %d, %v", tc.in, len(files), err, tc.n, tc.wantErr)
		}
	}
}

func ExamplePaper() {
	for _, f := range Paper() {
		fmt.Printf("%s %s %.3f in %d hp %g Hz %s\n", f.Name(), f.Class, f.SizeInch, f.LoadHP, f.RateHz, f.Variable)
	}
	// Output:
	// 97.mat NC 0.000 in 0 hp 48000 Hz X097_DE_time
	// 98.mat NC 0.000 in 1 hp 48000 Hz X098_DE_time
	// 99.mat NC 0.000 in 2 hp 48000 Hz X099_DE_time
	// 132.mat OF1 0.007 in 2 hp 12000 Hz X132_DE_time
	// 199.mat OF2 0.014 in 2 hp 12000 Hz X199_DE_time
	// 236.mat OF3 0.021 in 2 hp 12000 Hz X236_DE_time
	// 120.mat RF1 0.007 in 2 hp 12000 Hz X120_DE_time
	// 187.mat RF2 0.014 in 2 hp 12000 Hz X187_DE_time
	// 224.mat RF3 0.021 in 2 hp 12000 Hz X224_DE_time
	// 3007.mat RF4 0.028 in 2 hp 12000 Hz X050_DE_time
	// 107.mat IF1 0.007 in 2 hp 12000 Hz X107_DE_time
	// 171.mat IF2 0.014 in 2 hp 12000 Hz X171_DE_time
	// 211.mat IF3 0.021 in 2 hp 12000 Hz X211_DE_time
	// 3003.mat IF4 0.028 in 2 hp 12000 Hz X058_DE_time
}
