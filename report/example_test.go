package report_test

import (
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"

	"github.com/ghl-dev/ghl/report"
	"github.com/ghl-dev/ghl/report/internal/fixture"
)

// Write turns a results folder of ghl reproduce into one self-contained
// HTML page. Here the folder is a synthetic fixture.
func ExampleWrite() {
	dir, err := os.MkdirTemp("", "results")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	if _, err := fixture.Write(dir, fixture.Options{Seeds: 2, Iterations: 5, Summary: true}); err != nil {
		log.Fatal(err)
	}
	path, err := report.Write(dir)
	if err != nil {
		log.Fatal(err)
	}
	page, err := os.ReadFile(path)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(filepath.Base(path))
	fmt.Println("images:", strings.Count(string(page), "<img "))
	fmt.Println("network references:", strings.Count(string(page), "://"))
	// Output:
	// report.html
	// images: 10
	// network references: 0
}

// ThresholdFigure draws the paper's Fig. 2 for a training set; render it
// with PNG or SVG.
func ExampleThresholdFigure() {
	counts := []int{3200, 64, 64, 64} // a healthy majority and three faults
	classes := []string{"NC", "OF1", "RF1", "IF1"}
	f, err := report.ThresholdFigure(counts, classes, 1, 1)
	if err != nil {
		log.Fatal(err)
	}
	svg, err := f.SVG()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(f.Name, len(f.Panels), strings.Contains(string(svg), "<svg"))
	// Output:
	// fig2-thresholds 1 true
}

// Load reads a results folder and says what is missing; Figures draws
// every figure the results allow.
func ExampleLoad() {
	dir, err := os.MkdirTemp("", "results")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	// A run still going: no summary.json yet, two seeds of dcnnc on set2 missing.
	opt := fixture.Options{Seeds: 3, Iterations: 5, DropSeeds: []int{1, 2}}
	if _, err := fixture.Write(dir, opt); err != nil {
		log.Fatal(err)
	}
	r, err := report.Load(dir)
	if err != nil {
		log.Fatal(err)
	}
	for _, n := range r.Notes {
		fmt.Println(n)
	}
	figs, _ := report.Figures(r)
	for _, f := range figs {
		fmt.Println(f.Name)
	}
	// Output:
	// summary.json is missing (the run has not finished): the tables are aggregated from the trial files present.
	// dcnnc on set2: no trial for seeds 1, 2, which other methods on set2 ran.
	// accuracy
	// fig2-thresholds-set1
	// fig2-thresholds-set2
	// fig3-angles
	// learning-set1
	// learning-set2
	// learning-balanced
	// confusion-set1
	// confusion-set2
	// confusion-balanced
}

// WindowsFigure shows a few windows of each class and their spectra;
// SaveExtra puts it into a results folder so that its report shows it.
func ExampleWindowsFigure() {
	// Two classes of 1024-point windows at 12 kHz: tones at 500 and 1000 Hz.
	s := sineSamples(2, 4, 1024, 500, 12000)
	f, err := report.WindowsFigure(s, []string{"NC", "IF1"}, 12000, 2)
	if err != nil {
		log.Fatal(err)
	}
	dir, err := os.MkdirTemp("", "results")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	if err := report.SaveExtra(dir, f); err != nil {
		log.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, report.ExtraDir, "*"))
	for _, p := range files {
		fmt.Println(filepath.Base(p))
	}
	fmt.Println(len(f.Panels), "panels")
	// Output:
	// windows.png
	// windows.svg
	// windows.txt
	// 4 panels
}

// ConfusionFigure draws confusion matrices (rows: true class) as heatmaps
// with the class names, one panel per matrix.
func ExampleConfusionFigure() {
	m := [][]int{{9, 0, 0}, {1, 8, 0}, {0, 3, 6}}
	f := report.ConfusionFigure("confusion", "Test confusion", [][][]int{m}, []string{"dcnng, 1 seed"},
		[]string{"NC", "OF1", "IF1"})
	png, err := f.PNG()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(f.Name, len(f.Panels), len(png) > 0)
	// Output:
	// confusion 1 true
}
