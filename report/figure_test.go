package report_test

import (
	"bytes"
	"errors"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ghl-dev/ghl"
	"github.com/ghl-dev/ghl/dataset"
	"github.com/ghl-dev/ghl/internal/realdata"
	"github.com/ghl-dev/ghl/report"
	"github.com/ghl-dev/ghl/report/internal/fixture"
)

// sineSamples returns n windows of length l per class, class c a sine at
// (c+1)·base Hz sampled at rate.
func sineSamples(classes, n, l int, base, rate float64) *dataset.Samples {
	s := &dataset.Samples{L: l}
	for c := 0; c < classes; c++ {
		for k := 0; k < n; k++ {
			for i := 0; i < l; i++ {
				s.X = append(s.X, float32(math.Sin(2*math.Pi*base*float64(c+1)*float64(i+k*l)/rate)))
			}
			s.Y = append(s.Y, c)
		}
	}
	return s
}

// TestFiguresRender renders every figure as PNG and SVG. With
// GHL_REPORT_FIGDIR set it also saves them there, for looking at.
func TestFiguresRender(t *testing.T) {
	dir := t.TempDir()
	if _, err := fixture.Write(dir, fixture.Options{Seeds: 3, Iterations: 20, Summary: true}); err != nil {
		t.Fatal(err)
	}
	r, err := report.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	figs, notes := report.Figures(r)
	if len(notes) != 0 {
		t.Errorf("notes for a complete fixture: %q", notes)
	}
	w, err := report.WindowsFigure(sineSamples(12, 3, 1024, 500, 12000), fixture.Classes, 12000, 3)
	if err != nil {
		t.Fatal(err)
	}
	figs = append(figs, w)
	names := map[string]bool{}
	for _, f := range figs {
		if names[f.Name] {
			t.Errorf("two figures named %s", f.Name)
		}
		names[f.Name] = true
		p, err := f.PNG()
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		img, err := png.Decode(bytes.NewReader(p))
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		// 144 dpi: the pixel size follows the figure size.
		if got, want := img.Bounds().Dx(), int(math.Round(float64(f.Width)/72*144)); got != want {
			t.Errorf("%s: %d pixels wide, want %d", f.Name, got, want)
		}
		s, err := f.SVG()
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		if !bytes.Contains(s, []byte("<svg")) || !bytes.HasSuffix(bytes.TrimSpace(s), []byte("</svg>")) {
			t.Errorf("%s: not an SVG document", f.Name)
		}
		if d := os.Getenv("GHL_REPORT_FIGDIR"); d != "" {
			os.WriteFile(filepath.Join(d, f.Name+".png"), p, 0o644)
			os.WriteFile(filepath.Join(d, f.Name+".svg"), s, 0o644)
		}
	}
	for _, want := range []string{"accuracy", "fig2-thresholds-set1", "fig2-thresholds-set2", "fig3-angles",
		"learning-set1", "learning-balanced", "confusion-set1", "windows"} {
		if !names[want] {
			t.Errorf("no figure %s", want)
		}
	}
	if err := w.Render(&bytes.Buffer{}, "pdf"); !errors.Is(err, ghl.ErrUsage) {
		t.Errorf("unknown format: %v, want ErrUsage", err)
	}
}

func TestThresholdFigure(t *testing.T) {
	tests := []struct {
		name    string
		counts  []int
		classes []string
		wantErr error
	}{
		{"set1", []int{3200, 64, 64}, []string{"NC", "a", "b"}, nil},
		{"balanced", []int{16, 16}, []string{"a", "b"}, nil},
		{"one class", []int{5}, []string{"a"}, ghl.ErrUsage},
		{"mismatch", []int{5, 6}, []string{"a"}, ghl.ErrUsage},
		{"negative", []int{5, -1}, []string{"a", "b"}, ghl.ErrUsage},
		{"empty", []int{0, 0}, []string{"a", "b"}, ghl.ErrUsage},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, err := report.ThresholdFigure(tc.counts, tc.classes, 1, 1)
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("err = %v, want %v", err, tc.wantErr)
			}
			if err == nil {
				if _, err := f.PNG(); err != nil {
					t.Fatal(err)
				}
				if !strings.Contains(f.Caption, "C = ") {
					t.Errorf("caption %q", f.Caption)
				}
			}
		})
	}
}

func TestWindowsFigureErrors(t *testing.T) {
	good := sineSamples(2, 2, 64, 100, 1000)
	tests := []struct {
		name    string
		s       *dataset.Samples
		rate    float64
		per     int
		wantErr error
	}{
		{"nil", nil, 1000, 1, ghl.ErrBadInput},
		{"ragged", &dataset.Samples{X: make([]float32, 10), Y: []int{0, 1}, L: 64}, 1000, 1, ghl.ErrBadInput},
		{"rate", good, 0, 1, ghl.ErrUsage},
		{"per class", good, 1000, 0, ghl.ErrUsage},
		{"ok", good, 1000, 5, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := report.WindowsFigure(tc.s, []string{"a", "b", "c"}, tc.rate, tc.per)
			if !errors.Is(err, tc.wantErr) {
				t.Errorf("err = %v, want %v", err, tc.wantErr)
			}
		})
	}
}

// TestWindowsFigureCWRU draws the data figure from real CWRU windows.
func TestWindowsFigureCWRU(t *testing.T) {
	dir := realdata.CWRU(t)
	c, err := dataset.Load(dir, dataset.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	spec, err := dataset.ParseSet("balanced")
	if err != nil {
		t.Fatal(err)
	}
	ss, err := dataset.Build(c, spec, dataset.BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	f, err := report.WindowsFigure(&ss.Test, ss.Classes, ss.Rate, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Panels) != 2*len(ss.Classes) {
		t.Errorf("%d panels for %d classes", len(f.Panels), len(ss.Classes))
	}
	p, err := f.PNG()
	if err != nil {
		t.Fatal(err)
	}
	if d := os.Getenv("GHL_REPORT_FIGDIR"); d != "" {
		os.WriteFile(filepath.Join(d, "windows-cwru.png"), p, 0o644)
	}
}
