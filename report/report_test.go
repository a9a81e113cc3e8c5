package report_test

import (
	"bytes"
	"encoding/base64"
	"errors"
	"html"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/ghl-dev/ghl"
	"github.com/ghl-dev/ghl/experiment"
	"github.com/ghl-dev/ghl/report"
	"github.com/ghl-dev/ghl/report/internal/fixture"
)

var imgSrc = regexp.MustCompile(`<img src="data:image/png;base64,([^"]+)"`)

// decodeImages returns the PNG images inlined in page, failing the test
// on any that does not decode or is empty.
func decodeImages(t *testing.T, page string) int {
	t.Helper()
	n := 0
	for _, m := range imgSrc.FindAllStringSubmatch(page, -1) {
		b, err := base64.StdEncoding.DecodeString(html.UnescapeString(m[1]))
		if err != nil {
			t.Fatalf("image %d: %v", n, err)
		}
		img, err := png.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("image %d: %v", n, err)
		}
		if r := img.Bounds(); r.Dx() < 100 || r.Dy() < 100 {
			t.Errorf("image %d is %v", n, r)
		}
		n++
	}
	return n
}

// writeReport writes the report of dir and returns the page.
func writeReport(t *testing.T, dir string) string {
	t.Helper()
	path, err := report.Write(dir)
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestWrite(t *testing.T) {
	tests := []struct {
		name string
		opt  fixture.Options
		// want are strings the page must contain; figures is the number
		// of inlined images.
		want    []string
		figures int
	}{
		{
			name: "complete",
			opt:  fixture.Options{Seeds: 3, Iterations: 12, Summary: true, Ablation: true},
			want: []string{"95.28 ± 2.51", "81.84 ± 3.98", "88.83 ± 5.78", "ghl reproduce --out fixture",
				"go-fixture", "fixture sweep", "Fixture ablation", "Synthetic &lt;b&gt;text&lt;/b&gt;",
				"Fig. 2", "Fig. 3", "GHL activity of dcnng on set1 (3 seeds)", "Learning curves on set1", "Test confusion matrices on set2",
				"Holm-adjusted p", "wins / ties / losses", "bootstrap CI", "IF4", "Every trial", "healthy-class recall"},
			// accuracy, Fig. 2 ×2, Fig. 3, learning ×3, confusion ×3
			figures: 10,
		},
		{
			name: "partial",
			opt:  fixture.Options{Seeds: 3, Iterations: 4, DropSeeds: []int{1, 2}},
			want: []string{"summary.json is missing", "dcnnc on set2: no trial for seeds 1, 2",
				"the command and versions are not known yet", "No ablation results", "Holm-adjusted p"},
			figures: 10,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			if _, err := fixture.Write(dir, tc.opt); err != nil {
				t.Fatal(err)
			}
			page := writeReport(t, dir)
			for _, w := range tc.want {
				if !strings.Contains(page, w) {
					t.Errorf("page lacks %q", w)
				}
			}
			if n := decodeImages(t, page); n != tc.figures {
				t.Errorf("%d images, want %d", n, tc.figures)
			}
			if n := strings.Count(page, "<img "); n != tc.figures {
				t.Errorf("%d <img> tags, want %d", n, tc.figures)
			}
			for _, bad := range []string{"http://", "https://", "<script", "<link", "//cdn", "ZgotmplZ"} {
				if strings.Contains(page, bad) {
					t.Errorf("page contains %q", bad)
				}
			}
			left, _ := filepath.Glob(filepath.Join(dir, ".report.html.tmp*"))
			if len(left) > 0 {
				t.Errorf("temporary files left: %v", left)
			}
		})
	}
}

func TestExtraFigures(t *testing.T) {
	dir := t.TempDir()
	if _, err := fixture.Write(dir, fixture.Options{Seeds: 1, Iterations: 3}); err != nil {
		t.Fatal(err)
	}
	f, err := report.WindowsFigure(sineSamples(2, 2, 64, 100, 1000), []string{"NC", "IF"}, 1000, 2)
	if err != nil {
		t.Fatal(err)
	}
	if err := report.SaveExtra(dir, f); err != nil {
		t.Fatal(err)
	}
	// A damaged extra is left out with a note, not fatal.
	if err := os.WriteFile(filepath.Join(dir, report.ExtraDir, "broken.png"), []byte("no"), 0o644); err != nil {
		t.Fatal(err)
	}
	page := writeReport(t, dir)
	if n := decodeImages(t, page); n != 11 {
		t.Errorf("%d images, want 10 drawn + 1 extra", n)
	}
	for _, want := range []string{f.Title, "stacked", "broken.png could not be read"} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
}

func TestSaveFigures(t *testing.T) {
	dir := t.TempDir()
	if _, err := fixture.Write(dir, fixture.Options{Seeds: 1, Iterations: 3}); err != nil {
		t.Fatal(err)
	}
	r, err := report.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "figs")
	if _, err := report.SaveFigures(r, out); err != nil {
		t.Fatal(err)
	}
	figs, _ := report.Figures(r)
	for _, f := range figs {
		for _, ext := range []string{".png", ".svg"} {
			if st, err := os.Stat(filepath.Join(out, f.Name+ext)); err != nil || st.Size() == 0 {
				t.Errorf("%s%s: %v", f.Name, ext, err)
			}
		}
	}
}

func TestPartialFigures(t *testing.T) {
	dir := t.TempDir()
	trials, err := fixture.Write(dir, fixture.Options{Seeds: 2, Iterations: 5})
	if err != nil {
		t.Fatal(err)
	}
	// Without the balanced set, Fig. 3 has two panels and names the third.
	var some []experiment.TrialResult
	for _, tr := range trials {
		if tr.Set != "balanced" {
			some = append(some, tr)
		}
	}
	f, missing := report.AngleFigure(some, report.Fig3Panels)
	if f == nil || len(f.Panels) != 2 {
		t.Fatalf("AngleFigure: %v panels, want 2", f)
	}
	if len(missing) != 1 || !strings.Contains(missing[0], "balanced") || !strings.Contains(f.Caption, "balanced") {
		t.Errorf("missing = %q, caption %q", missing, f.Caption)
	}
	if f, missing := report.AngleFigure(nil, report.Fig3Panels); f != nil || len(missing) != 3 {
		t.Errorf("no trials: figure %v, missing %q", f, missing)
	}
	if f := report.LearningFigure(some, "nosuchset"); f != nil {
		t.Errorf("learning figure for a set without trials")
	}
}

func TestLoadErrors(t *testing.T) {
	dir := t.TempDir()
	if _, err := report.Load(dir); !errors.Is(err, ghl.ErrBadInput) {
		t.Errorf("empty folder: %v, want ErrBadInput", err)
	}
	if _, err := report.Load(filepath.Join(dir, "none")); !errors.Is(err, ghl.ErrBadInput) {
		t.Errorf("missing folder: %v, want ErrBadInput", err)
	}
	// A corrupt trial file is noted and left out, not fatal.
	if _, err := fixture.Write(dir, fixture.Options{Seeds: 1, Iterations: 2}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "trials", "broken.json"), []byte("{"), 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := report.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Trials) != 7 {
		t.Errorf("%d trials, want 7", len(r.Trials))
	}
	if !strings.Contains(strings.Join(r.Notes, "\n"), "broken.json") {
		t.Errorf("notes do not name the broken file: %q", r.Notes)
	}
}
