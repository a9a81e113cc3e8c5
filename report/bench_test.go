package report_test

import (
	"io"
	"testing"

	"github.com/ghl-dev/ghl/report"
	"github.com/ghl-dev/ghl/report/internal/fixture"
)

// BenchmarkRender measures a full report of a run of the default size
// (2 sets × 3 methods × 10 seeds plus the balanced set, 40 logged
// iterations each): loading, drawing ten figures as PNG and the page.
func BenchmarkRender(b *testing.B) {
	dir := b.TempDir()
	if _, err := fixture.Write(dir, fixture.Options{Seeds: 10, Iterations: 40, Summary: true}); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		r, err := report.Load(dir)
		if err != nil {
			b.Fatal(err)
		}
		if err := report.Render(io.Discard, r); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkConfusionPNG measures one 12-class confusion figure of three
// panels rendered as PNG.
func BenchmarkConfusionPNG(b *testing.B) {
	m := make([][]int, len(fixture.Classes))
	for i := range m {
		m[i] = make([]int, len(m))
		m[i][i] = 90
		m[i][(i+1)%len(m)] = 3
	}
	f := report.ConfusionFigure("c", "c", [][][]int{m, m, m}, []string{"a", "b", "c"}, fixture.Classes)
	b.ResetTimer()
	for range b.N {
		if _, err := f.PNG(); err != nil {
			b.Fatal(err)
		}
	}
}
