package dataset

import (
	"errors"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ghl-dev/ghl"
	"github.com/ghl-dev/ghl/internal/matenc"
	"github.com/ghl-dev/ghl/recording"
)

// TestResolveRate walks ResolveRate's order, its errors and its notes.
func TestResolveRate(t *testing.T) {
	sr := []recording.StatedRate{{Hz: 48828, Where: "field bearing.sr"}}
	user := &recording.Recording{Path: "ROOT/IR/a.mat", Variable: "bearing.gs", Stated: sr}
	none := &recording.Recording{Path: "ROOT/IR/a.mat", Variable: "bearing.gs", Scalars: []string{"bearing.rate = 25"}}
	cwru105 := &recording.Recording{Path: "ROOT/IF1/105.mat", Variable: "X105_DE_time"}
	fake105 := &recording.Recording{Path: "ROOT/IF1/105.mat", Variable: "x"}
	for _, tc := range []struct {
		name   string
		rec    *recording.Recording
		points int
		in     RateInputs
		want   Rate   // Hz and Source
		err    string // an error containing this
		note   string // a note containing this
	}{
		{"flag wins", user, 1e5, RateInputs{Flag: 25600, Sidecar: 12000, Model: 8000}, Rate{Hz: 25600, Source: RateFromFlag}, "", "states 48828 Hz (field bearing.sr) but --input-rate"},
		{"sidecar next", user, 1e5, RateInputs{Sidecar: 12000, SidecarPath: "ROOT/rate.txt", Model: 8000}, Rate{Hz: 12000, Source: RateFromSidecar}, "", "but rate.txt ROOT/rate.txt gives 12000 Hz: using 12000 Hz"},
		{"model next", user, 1e5, RateInputs{Model: 8000}, Rate{Hz: 8000, Source: RateFromModel}, "", "but model gives"},
		{"the file's sr", user, 1e5, RateInputs{}, Rate{Hz: 48828, Source: RateFromFile}, "", ""},
		{"catalog", cwru105, 1e5, RateInputs{}, Rate{Hz: 12000, Source: RateFromCatalog}, "", ""},
		{"flag over catalog", cwru105, 1e5, RateInputs{Flag: 48000}, Rate{Hz: 48000, Source: RateFromFlag}, "", "catalogued by CWRU at 12000 Hz"},
		{"not a CWRU variable", fake105, 1e5, RateInputs{}, Rate{}, "sampling rate unknown", ""},
		{"none names the scalars", none, 1e5, RateInputs{}, Rate{}, "bearing.rate = 25, none named as a sampling rate: fs, sr", ""},
		{"disagreeing", &recording.Recording{Path: "a.mat", Stated: []recording.StatedRate{{Hz: 1000, Where: "variable fs"}, {Hz: 2000, Where: "variable SR"}}}, 1e5, RateInputs{}, Rate{}, "disagreeing sampling rates (variable fs = 1000, variable SR = 2000)", ""},
		{"disagreeing, flag given", &recording.Recording{Path: "a.mat", Stated: []recording.StatedRate{{Hz: 1000, Where: "variable fs"}, {Hz: 2000, Where: "variable SR"}}}, 1e5, RateInputs{Flag: 3000}, Rate{Hz: 3000, Source: RateFromFlag}, "", ""},
		{"zero stated", &recording.Recording{Path: "a.mat", Stated: []recording.StatedRate{{Hz: 0, Where: "variable fs"}}}, 1e5, RateInputs{}, Rate{}, "variable fs = 0 is not a positive rate", ""},
		{"implausibly low", &recording.Recording{Path: "a.mat", Stated: []recording.StatedRate{{Hz: 25, Where: "field s.fs"}}}, 1e5, RateInputs{}, Rate{}, "implausible sampling rate: 25 Hz (field s.fs of the file) is below 1000 Hz", ""},
		{"low but explicit", none, 1e5, RateInputs{Flag: 25}, Rate{Hz: 25, Source: RateFromFlag}, "", "below 1000 Hz"},
		{"longer than a day", user, 5e9, RateInputs{}, Rate{}, "would last 1.2 days", ""},
		{"own bound", user, 1e5, RateInputs{MinRate: 50000}, Rate{}, "below 50000 Hz", ""},
		{"NaN is no rate", &recording.Recording{Path: "a.mat", Stated: []recording.StatedRate{{Hz: math.NaN(), Where: "variable fs"}}}, 1e5, RateInputs{}, Rate{}, "not a positive rate", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ResolveRate(tc.rec, tc.points, tc.in)
			if tc.err != "" {
				if !errors.Is(err, ghl.ErrBadInput) || !strings.Contains(err.Error(), tc.err) || !strings.Contains(err.Error(), tc.rec.Path) {
					t.Fatalf("error %v, want ErrBadInput naming %s and saying %q", err, tc.rec.Path, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Hz != tc.want.Hz || got.Source != tc.want.Source {
				t.Errorf("got %v from %s, want %v from %s", got.Hz, got.Source, tc.want.Hz, tc.want.Source)
			}
			notes := strings.Join(got.Notes, "\n")
			if tc.note != "" && !strings.Contains(notes, tc.note) || tc.note == "" && notes != "" {
				t.Errorf("notes %q, want %q", notes, tc.note)
			}
		})
	}
}

// bearingMAT is a compressed MAT v7 file like the public dataset of issue
// 14: a struct bearing with the signal gs, its sampling rate sr and the
// shaft rate (25 Hz, not a sampling rate).
func bearingMAT(x []float64, sr float64) []byte {
	e := matenc.LE
	num := func(v ...float64) []byte { return e.Numeric("", matenc.MxDOUBLE, matenc.MiDOUBLE, []int{len(v), 1}, v) }
	return e.File(e.Compressed(e.Structure("bearing", []string{"gs", "sr", "rate"}, num(x...), num(sr), num(25))))
}

// TestLoadStructRate: a folder of compressed struct files is read at the
// sr rate, not the shaft rate, with no rate given, and says so.
func TestLoadStructRate(t *testing.T) {
	x := make([]float64, 50000)
	for i := range x {
		x[i] = math.Sin(float64(i)*0.3) + 0.1*math.Sin(float64(i)*1.7)
	}
	files := map[string]string{}
	for _, p := range []string{"healthy/a.mat", "healthy/b.mat", "outer/a.mat", "inner/a.mat"} {
		files[p] = string(bearingMAT(x, 48828))
	}
	root := writeTree(t, files)
	c, err := Load(root, LoadOptions{Read: recording.Options{Variable: "bearing.gs"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range c.Recordings {
		if l.Recording.Rate != 48828 || l.Rate.From() != "file: field bearing.sr" {
			t.Errorf("%s: %g Hz from %q, want 48828 from the field bearing.sr", l.Recording.Path, l.Recording.Rate, l.Rate.From())
		}
	}
	if want := "sampling rate 48828 Hz (field bearing.sr of the file): 4 recording(s)"; !strings.Contains(strings.Join(c.Notes, "\n"), want) {
		t.Errorf("notes %q lack %q", c.Notes, want)
	}
	for _, n := range c.Notes {
		if strings.Contains(n, "0 Hz") {
			t.Errorf("false note %q", n)
		}
	}
	// Without the sr field, the shaft rate is not taken: an error naming it.
	e := matenc.LE
	noSR := e.File(e.Compressed(e.Structure("bearing", []string{"gs", "rate"},
		e.Numeric("", matenc.MxDOUBLE, matenc.MiDOUBLE, []int{len(x), 1}, x), e.Numeric("", matenc.MxDOUBLE, matenc.MiDOUBLE, []int{1, 1}, []float64{25}))))
	root = writeTree(t, map[string]string{"healthy/a.mat": string(noSR), "outer/a.mat": string(noSR)})
	_, err = Load(root, LoadOptions{Read: recording.Options{Variable: "bearing.gs"}})
	if !errors.Is(err, ghl.ErrBadInput) || !strings.Contains(err.Error(), "bearing.rate = 25") || !strings.Contains(err.Error(), filepath.Join("healthy", "a.mat")) {
		t.Errorf("error %v, want one naming healthy/a.mat and bearing.rate = 25", err)
	}
}
