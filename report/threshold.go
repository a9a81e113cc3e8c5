package report

import (
	"fmt"
	"math"

	"github.com/ghl-dev/ghl"
	"github.com/ghl-dev/ghl/loss"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// ThresholdFigure draws the paper's Fig. 2: GHL's threshold T_c (Eq. 13,
// in radians) against the class share N_c/N for C = len(counts) classes
// and the given α and γ, with the classes of the training set (counts, in
// label order, named by classes) marked on the curve. The x axis is
// logarithmic so that minority shares of a few thousandths stay visible.
func ThresholdFigure(counts []int, classes []string, alpha, gamma float64) (*Figure, error) {
	if len(counts) < 2 || len(counts) != len(classes) {
		return nil, fmt.Errorf("threshold figure: %w: %d counts for %d classes (need ≥ 2, equal)",
			ghl.ErrUsage, len(counts), len(classes))
	}
	total := 0
	for _, n := range counts {
		if n < 0 {
			return nil, fmt.Errorf("threshold figure: %w: negative count %d", ghl.ErrUsage, n)
		}
		total += n
	}
	if total == 0 {
		return nil, fmt.Errorf("threshold figure: %w: no samples", ghl.ErrUsage)
	}
	C := len(counts)
	minShare := 1.0
	for _, n := range counts {
		if s := float64(n) / float64(total); s > 0 && s < minShare {
			minShare = s
		}
	}
	lo := math.Min(minShare/2, 1/float64(C)/10)
	const steps = 400
	shares := make([]float64, steps+1)
	for i := range shares {
		shares[i] = lo * math.Pow(1/lo, float64(i)/steps)
	}
	curve := loss.ThresholdCurve(C, alpha, gamma, shares)
	xys := make(plotter.XYs, len(shares))
	for i := range shares {
		xys[i].X, xys[i].Y = shares[i], curve[i]
	}
	p := newPlot(fmt.Sprintf("Eq. 13 threshold, C = %d, α = %g, γ = %g", C, alpha, gamma),
		"class share N_c / N (log scale)", "T_c (radians)")
	p.X.Scale = plot.LogScale{}
	p.X.Tick.Marker = plot.LogTicks{Prec: -1}
	line, err := plotter.NewLine(xys)
	if err != nil {
		return nil, fmt.Errorf("threshold figure: %w", err)
	}
	line.Width = vg.Points(1.5)
	p.Add(plotter.NewGrid(), line)
	p.Legend.Add("T_c(share)", line)

	// Mark each distinct share once, labelled with the classes that have it.
	type mark struct {
		share float64
		names []string
	}
	var marks []mark
	for c, n := range counts {
		if n == 0 {
			continue
		}
		s := float64(n) / float64(total)
		found := false
		for i := range marks {
			if marks[i].share == s {
				marks[i].names = append(marks[i].names, classes[c])
				found = true
			}
		}
		if !found {
			marks = append(marks, mark{s, []string{classes[c]}})
		}
	}
	pts := make(plotter.XYs, len(marks))
	labels := make([]string, len(marks))
	for i, m := range marks {
		pts[i].X = m.share
		pts[i].Y = loss.ThresholdCurve(C, alpha, gamma, []float64{m.share})[0]
		labels[i] = fmt.Sprintf("%s (%d/%d): %.3f", shortList(m.names), counts[indexOf(classes, m.names[0])], total, pts[i].Y)
	}
	sc, err := plotter.NewScatter(pts)
	if err != nil {
		return nil, fmt.Errorf("threshold figure: %w", err)
	}
	sc.GlyphStyle.Color = colorOf(3)
	sc.GlyphStyle.Radius = vg.Points(3.5)
	sc.GlyphStyle.Shape = draw.CircleGlyph{}
	lb, err := plotter.NewLabels(plotter.XYLabels{XYs: pts, Labels: labels})
	if err != nil {
		return nil, fmt.Errorf("threshold figure: %w", err)
	}
	for i := range lb.TextStyle {
		lb.TextStyle[i].Font = fontSize(8)
		lb.TextStyle[i].XAlign = draw.XRight
		lb.TextStyle[i].YAlign = draw.YBottom
		if pts[i].X < 1/float64(C) {
			lb.TextStyle[i].XAlign = draw.XLeft
		}
	}
	lb.Offset = vg.Point{X: vg.Points(4), Y: vg.Points(4)}
	p.Add(sc, lb)
	p.Legend.Add("classes of the run", sc)
	p.Legend.Left = true
	// Leave room for the labels above the highest mark.
	p.Y.Max = math.Max(p.Y.Max, 0) + 0.15*alpha*math.Abs(gamma)
	return &Figure{
		Name:  "fig2-thresholds",
		Title: "Fig. 2: GHL threshold against class share",
		Caption: fmt.Sprintf("T_c = α·γ·(sigmoid((N_c/N − 1/C)·5C) − 0.5) for C = %d, α = %g, γ = %g. "+
			"Dots: the classes of the training set. A negative T_c means no neighbour "+
			"but the sample itself (GD = 1, no down-weighting).", C, alpha, gamma),
		Panels: []*plot.Plot{p},
		Width:  7 * vg.Inch, Height: 4 * vg.Inch,
	}, nil
}

// shortList joins names, eliding the middle of long lists.
func shortList(names []string) string {
	if len(names) > 3 {
		return fmt.Sprintf("%s, …, %s (%d classes)", names[0], names[len(names)-1], len(names))
	}
	s := ""
	for i, n := range names {
		if i > 0 {
			s += ", "
		}
		s += n
	}
	return s
}

// indexOf returns the index of name in list, or -1.
func indexOf(list []string, name string) int {
	for i, s := range list {
		if s == name {
			return i
		}
	}
	return -1
}
