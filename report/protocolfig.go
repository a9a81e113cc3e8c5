package report

import (
	"image/color"
	"strings"

	"github.com/ghl-dev/ghl/experiment"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// ProtocolFigure draws a protocol's rows against its axis: test accuracy,
// macro-F1 (over the classes present) and minority recall, one line per
// method with its mean over seeds and a band of ± one standard deviation
// (minority recall: the mean only). The x axis lists the rows' tests in
// order: imbalance ratios, SNRs, or cross-load source → target pairs (points
// only: pairs are not a scale). It returns nil for paper-protocol rows.
func ProtocolFigure(s *experiment.Summary) *Figure {
	if s == nil || s.Protocol == nil || s.Protocol.Name == "paper" || len(s.Rows) == 0 {
		return nil
	}
	var xs, methods []string
	for _, r := range s.Rows {
		if indexOf(xs, r.Set) < 0 {
			xs = append(xs, r.Set)
		}
		if indexOf(methods, r.Method) < 0 {
			methods = append(methods, r.Method)
		}
	}
	lines := s.Protocol.Kind != experiment.KindCrossLoad
	labels := make([]string, len(xs))
	for i, x := range xs {
		labels[i] = axisLabel(s.Rows, x)
	}
	metrics := []struct {
		title string
		get   func(experiment.Row) (mean, std float64)
	}{
		{"test accuracy (%)", func(r experiment.Row) (float64, float64) { return r.AccuracyMean, r.AccuracyStd }},
		{"macro-F1 (%), classes present", func(r experiment.Row) (float64, float64) { return r.MacroF1Mean, r.MacroF1Std }},
		{"minority recall (%)", func(r experiment.Row) (float64, float64) { return 100 * r.MinorityRecallMean, 0 }},
	}
	var panels []*plot.Plot
	for _, m := range metrics {
		p := newPlot(m.title, "", "")
		p.Add(plotter.NewGrid())
		for mi, name := range methods {
			var pts, lo, hi plotter.XYs
			for xi, x := range xs {
				for _, r := range s.Rows {
					if r.Set == x && r.Method == name && r.Trials > 0 {
						mean, std := m.get(r)
						off := (float64(mi) - float64(len(methods)-1)/2) * 0.08
						pts = append(pts, plotter.XY{X: float64(xi) + off, Y: mean})
						lo = append(lo, plotter.XY{X: float64(xi) + off, Y: mean - std})
						hi = append(hi, plotter.XY{X: float64(xi) + off, Y: mean + std})
					}
				}
			}
			if len(pts) == 0 {
				continue
			}
			c := colorOf(mi)
			if lines && len(pts) > 1 {
				band := append(plotter.XYs(nil), lo...)
				for i := len(hi) - 1; i >= 0; i-- {
					band = append(band, hi[i])
				}
				if poly, err := plotter.NewPolygon(band); err == nil {
					r, g, b, _ := c.RGBA()
					poly.Color = color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(b >> 8), A: 40}
					poly.LineStyle.Width = 0
					p.Add(poly)
				}
				if l, err := plotter.NewLine(pts); err == nil {
					l.Color, l.Width, l.Dashes = c, vg.Points(1.5), dashesOf(mi)
					p.Add(l)
				}
			} else {
				var errs plotter.YErrors
				for i := range pts {
					errs = append(errs, struct{ Low, High float64 }{pts[i].Y - lo[i].Y, hi[i].Y - pts[i].Y})
				}
				if eb, err := plotter.NewYErrorBars(errPoints{pts, errs}); err == nil {
					eb.Color = c
					p.Add(eb)
				}
			}
			sc, err := plotter.NewScatter(pts)
			if err == nil {
				sc.GlyphStyle.Color, sc.GlyphStyle.Radius, sc.GlyphStyle.Shape = c, vg.Points(2.5), draw.CircleGlyph{}
				p.Add(sc)
				p.Legend.Add(name, sc)
			}
		}
		p.NominalX(labels...)
		p.X.Min, p.X.Max = -0.5, float64(len(xs))-0.5
		p.Y.Min, p.Y.Max = 0, 100
		p.Legend.Top, p.Legend.Left = false, true
		panels = append(panels, p)
	}
	width := vg.Length(max(4, 1.0*float64(len(xs)))) * vg.Inch
	return &Figure{Name: "protocol-" + fileSafe(s.Protocol.Name), Title: "Protocol " + s.Protocol.Name + ": " + s.Protocol.About,
		Caption: "Mean over seeds per method; shaded band or bar: ± one standard deviation over seeds (minority recall: mean only). " +
			"Minority recall is the mean recall of the classes after the first that have test windows. x: " + axisName(s.Rows) + ".",
		Panels: panels, Cols: 1, Width: width, Height: vg.Length(len(panels)) * 3 * vg.Inch}
}

// axisLabel is the x label of a row name: its Level on the ratio and noise
// axes ("1:50", "10 dB"), the row name itself otherwise.
func axisLabel(rows []experiment.Row, set string) string {
	for _, r := range rows {
		if r.Set != set {
			continue
		}
		switch r.Axis {
		case "minority":
			maj, _, _ := strings.Cut(r.Set, "/")
			return maj + "/" + r.Level
		case "snr_db":
			if r.Level == "∞" {
				return "clean"
			}
			return r.Level + " dB"
		case "target":
			return strings.Replace(r.Set, "@", " ", 1)
		}
		return r.Set
	}
	return set
}

func axisName(rows []experiment.Row) string {
	switch rows[0].Axis {
	case "minority":
		return "majority/minority training windows per class"
	case "snr_db":
		return "SNR of the test windows"
	case "target":
		return "training set and load → test load (no arrow: the training load's own held-out test windows)"
	}
	return "row"
}
