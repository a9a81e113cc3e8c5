package report

import (
	"fmt"
	"image/color"
	"math"
	"strings"

	"github.com/ghl-dev/ghl/experiment"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// CDFigure draws a leaderboard's critical-difference diagram (Demšar,
// JMLR 2006): the methods' mean ranks on an axis (rank 1, the best, on the
// left), the Nemenyi critical difference as a bar above it, and thick lines
// joining methods whose mean ranks lie within the critical difference. It
// returns nil for a nil leaderboard.
func CDFigure(lb *experiment.Leaderboard) *Figure {
	if lb == nil || len(lb.Methods) == 0 {
		return nil
	}
	k := len(lb.Methods)
	p := newPlot("", "", "")
	p.HideY()
	p.Y.Min, p.Y.Max = -float64((k+1)/2)-1, 1.6
	pad, width := cdLayout(lb)
	p.X.Min, p.X.Max = 1-pad, float64(k)+pad
	p.HideX() // the diagram draws its own rank axis
	p.Add(cdPlotter{lb: lb})
	friedman := "no Friedman test (one cell)"
	if f := lb.Friedman; f != nil {
		friedman = fmt.Sprintf("Friedman p = %.3g over %d cells", f.P, f.Cells)
	}
	return &Figure{Name: "cd-diagram", Title: "Critical-difference diagram of the leaderboard",
		Caption: fmt.Sprintf("Mean rank of each method over %d cell%s (%s; rank 1 = %s). "+
			"The bar above the axis is the Nemenyi critical difference at α = %g (CD = %.2f); "+
			"methods joined by a thick line are not significantly different by that test. %s.",
			len(lb.Cells), plural(len(lb.Cells)), strings.Join(lb.Cells, ", "), lb.Metric.RankOne(), lb.Alpha, lb.CD, friedman),
		Panels: []*plot.Plot{p}, Width: width, Height: vg.Length(1.6+0.32*float64((k+1)/2)) * vg.Inch}
}

// cdLayout returns the room beside the rank axis, in ranks, and the
// figure's width, so the longest method label fits on either side. The
// default is 8 inches with 0.45·k ranks each side; when a label of n
// characters (about 0.075·n inches at 9 points: a zoo method with settings,
// e.g. "cb:base=focal:beta=0.999 (8.50)", is 31) needs more, the figure
// widens and the axis keeps its length.
func cdLayout(lb *experiment.Leaderboard) (pad float64, width vg.Length) {
	k := float64(len(lb.Methods))
	pad = 0.45 * k
	chars := 0
	for _, m := range lb.Methods {
		chars = max(chars, len([]rune(fmt.Sprintf("%s (%.2f)", m.Method, m.MeanRank))))
	}
	perRank := 8 / (k - 1 + 2*pad) // inches per rank in the default layout
	need := 0.07*k + (0.075*float64(chars)+0.1)/perRank
	if need <= pad {
		return pad, 8 * vg.Inch
	}
	return need, vg.Length((k-1+2*need)*perRank) * vg.Inch
}

// cdPlotter draws the diagram in data coordinates: x is the mean rank,
// y = 0 the rank axis, y < 0 the method labels, y > 0 the CD bar.
type cdPlotter struct{ lb *experiment.Leaderboard }

// Plot implements plot.Plotter.
func (d cdPlotter) Plot(c draw.Canvas, plt *plot.Plot) {
	trX, trY := plt.Transforms(&c)
	lb := d.lb
	k := len(lb.Methods)
	thin := draw.LineStyle{Color: color.Black, Width: vg.Points(0.8)}
	thick := draw.LineStyle{Color: color.Black, Width: vg.Points(3)}
	line := func(s draw.LineStyle, x1, y1, x2, y2 float64) {
		c.StrokeLine2(s, trX(x1), trY(y1), trX(x2), trY(y2))
	}
	txt := func(x, y float64, s string, xa text.XAlignment) {
		c.FillText(text.Style{Color: color.Black, Font: fontSize(9), XAlign: xa, YAlign: draw.YCenter,
			Handler: plot.DefaultTextHandler}, vg.Point{X: trX(x), Y: trY(y)}, s)
	}
	// The rank axis with a tick at every whole rank.
	line(thin, 1, 0, float64(k), 0)
	for r := 1; r <= k; r++ {
		line(thin, float64(r), 0, float64(r), 0.15)
		txt(float64(r), 0.4, fmt.Sprint(r), draw.XCenter)
	}
	txt(float64(k)*1.05, 0.4, "mean rank", draw.XLeft)
	// The critical difference, from rank 1 (cut at the axis's end when
	// wider than it, as with a single cell).
	if lb.CD > 0 && !math.IsInf(lb.CD, 0) {
		end, label := 1+lb.CD, fmt.Sprintf("CD = %.2f", lb.CD)
		if end > float64(k) {
			end, label = float64(k), label+" (wider than the axis)"
		}
		line(thin, 1, 1.1, end, 1.1)
		line(thin, 1, 1.0, 1, 1.2)
		line(thin, end, 1.0, end, 1.2)
		txt((1+end)/2, 1.45, label, draw.XCenter)
	}
	// Methods: the better half labelled on the left, the rest on the right.
	half := (k + 1) / 2
	for i, m := range lb.Methods {
		label := fmt.Sprintf("%s (%.2f)", m.Method, m.MeanRank)
		if i < half {
			y := -float64(i+1) * 0.9
			line(thin, m.MeanRank, 0, m.MeanRank, y)
			xl := 1 - 0.05*float64(k)
			line(thin, m.MeanRank, y, xl, y)
			txt(xl-0.02*float64(k), y, label, draw.XRight)
		} else {
			y := -float64(k-i) * 0.9
			line(thin, m.MeanRank, 0, m.MeanRank, y)
			xr := float64(k) * 1.05
			line(thin, m.MeanRank, y, xr, y)
			txt(xr+0.02*float64(k), y, label, draw.XLeft)
		}
	}
	// Groups not significantly different, stacked just under the axis.
	for g, gr := range lb.Groups {
		y := -0.25 - 0.2*float64(g%4)
		line(thick, lb.Methods[gr[0]].MeanRank-0.03, y, lb.Methods[gr[1]].MeanRank+0.03, y)
	}
}
