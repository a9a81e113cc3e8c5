package report

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"

	"github.com/ghl-dev/ghl/experiment"
	"github.com/ghl-dev/ghl/train"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// AnglePanel names one panel of Fig. 3: the trials of one method on one set.
type AnglePanel struct {
	Method, Set string
}

// Fig3Panels are the paper's three Fig. 3 panels: DCNN and DCNNG on Set 1,
// and DCNN on the balanced set.
var Fig3Panels = []AnglePanel{{"dcnn", "set1"}, {"dcnng", "set1"}, {"dcnn", "balanced"}}

// AngleFigure draws Fig. 3: the mean within-class gradient angle (Eq. 18,
// in degrees) of each class per iteration, averaged over the seeds of each
// panel's trials that logged angles. Panels without such trials are left
// out and named in the caption; with none at all AngleFigure returns nil
// and the list of missing panels.
func AngleFigure(trials []experiment.TrialResult, panels []AnglePanel) (*Figure, []string) {
	var (
		plots   []*plot.Plot
		missing []string
		ymax    float64
	)
	for _, pn := range panels {
		sel := selectTrials(trials, pn.Set, pn.Method)
		var classes []string
		series := map[int][]meanAcc{} // class → per-iteration accumulators
		seeds := 0
		for _, t := range sel {
			if len(t.Log) == 0 || len(t.Log[0].Angles) == 0 {
				continue
			}
			seeds++
			classes = t.Classes
			for i, l := range t.Log {
				for c, a := range l.Angles {
					if math.IsNaN(a) || math.IsInf(a, 0) {
						continue
					}
					s := series[c]
					for len(s) <= i {
						s = append(s, meanAcc{})
					}
					s[i].add(a * 180 / math.Pi)
					series[c] = s
				}
			}
		}
		name := fmt.Sprintf("%s on %s", strings.ToUpper(pn.Method), pn.Set)
		if seeds == 0 {
			missing = append(missing, name)
			continue
		}
		p := newPlot(fmt.Sprintf("%s (%d seed%s)", name, seeds, plural(seeds)), "iteration", "mean angle (degrees)")
		p.Add(plotter.NewGrid())
		for c := 0; c < len(series); c++ {
			xys := series[c]
			pts := make(plotter.XYs, 0, len(xys))
			for i, m := range xys {
				if m.n > 0 {
					pts = append(pts, plotter.XY{X: float64(i), Y: m.mean()})
					ymax = math.Max(ymax, m.mean())
				}
			}
			if len(pts) == 0 {
				continue
			}
			l, err := plotter.NewLine(pts)
			if err != nil {
				continue
			}
			l.Color, l.Dashes, l.Width = colorOf(c), dashesOf(c), vg.Points(1.2)
			p.Add(l)
			label := fmt.Sprintf("class %d", c)
			if c < len(classes) {
				label = classes[c]
			}
			if len(plots) == 0 { // one legend, in the corner angles rarely reach
				p.Legend.Add(label, l)
			}
		}
		p.Legend.Top, p.Legend.Left = false, true
		plots = append(plots, p)
	}
	if len(plots) == 0 {
		return nil, missing
	}
	for _, p := range plots {
		p.Y.Min, p.Y.Max = 0, math.Max(ymax*1.05, 1) // one y scale for comparison
	}
	caption := "Mean within-class angle between per-sample output gradients (Eq. 18, over pairs i ≠ j " +
		"of the full training set), per class and iteration (per epoch for mini-batch training), " +
		"averaged over seeds. Small angles mean a class's gradients point one way: " +
		"many similar samples that GHL down-weights."
	if len(missing) > 0 {
		caption += " Missing panels (no trials with logged angles): " + strings.Join(missing, "; ") + "."
	}
	caption += ghlActivity(trials, panels)
	return &Figure{Name: "fig3-angles", Title: "Fig. 3: mean within-class gradient angle per iteration",
		Caption: caption, Panels: plots, Width: vg.Length(len(plots)) * 4.2 * vg.Inch, Height: 4 * vg.Inch}, missing
}

// LearningFigure draws the learning curves of every method on one set:
// training loss, training macro-F1, validation macro-F1 and eliminated
// samples per iteration, each averaged over the seeds that reached that
// iteration (trials stop early at different points). It returns nil when
// no trial of the set has a log.
func LearningFigure(trials []experiment.TrialResult, set string) *Figure {
	type metric struct {
		title, y string
		get      func(l logEntry) (float64, bool)
		rising   bool // the legend goes bottom right, out of the way
	}
	metrics := []metric{
		{"training loss", "loss", func(l logEntry) (float64, bool) { return l.Loss, true }, false},
		{"training macro-F1", "macro-F1", func(l logEntry) (float64, bool) { return l.TrainMacroF1, true }, true},
		{"validation macro-F1", "macro-F1", func(l logEntry) (float64, bool) { return l.ValMacroF1, l.ValMacroF1 >= 0 }, true},
		{"eliminated samples (w < ε)", "samples", func(l logEntry) (float64, bool) { return float64(l.Eliminated), true }, false},
	}
	methods := methodsOf(trials, set)
	panels := make([]*plot.Plot, len(metrics))
	for k, m := range metrics {
		panels[k] = newPlot(fmt.Sprintf("%s: %s", set, m.title), "iteration", m.y)
		panels[k].Add(plotter.NewGrid())
		panels[k].Legend.Top = !m.rising
	}
	drawn := false
	for mi, method := range methods {
		sel := selectTrials(trials, set, method)
		for k, m := range metrics {
			var acc []meanAcc
			for _, t := range sel {
				for i, l := range t.Log {
					v, ok := m.get(l)
					if !ok || math.IsNaN(v) || math.IsInf(v, 0) {
						continue
					}
					for len(acc) <= i {
						acc = append(acc, meanAcc{})
					}
					acc[i].add(v)
				}
			}
			pts := make(plotter.XYs, 0, len(acc))
			for i, a := range acc {
				if a.n > 0 {
					pts = append(pts, plotter.XY{X: float64(i), Y: a.mean()})
				}
			}
			if len(pts) == 0 {
				continue
			}
			l, err := plotter.NewLine(pts)
			if err != nil {
				continue
			}
			l.Color, l.Width = colorOf(mi), vg.Points(1.2)
			panels[k].Add(l)
			panels[k].Legend.Add(fmt.Sprintf("%s (%d)", method, len(sel)), l)
			drawn = true
		}
	}
	if !drawn {
		return nil
	}
	return &Figure{Name: "learning-" + fileSafe(set), Title: "Learning curves on " + set,
		Caption: "Mean over seeds (number of seeds in the legend) of each iteration's training loss, " +
			"training macro-F1 (predictions before the update), validation macro-F1 (where evaluated) " +
			"and samples not back-propagated. Curves end where the longest trial stopped.",
		Panels: panels, Cols: 2, Width: 9 * vg.Inch, Height: 6.5 * vg.Inch}
}

// AccuracyFigure draws test accuracy (percent) per method, one panel per
// set: each seed as a small dot and the mean ± one standard deviation as an
// error bar, from the rows of summary.json. It returns nil without rows.
func AccuracyFigure(rows []experiment.Row) *Figure {
	var sets []string
	for _, r := range rows {
		if indexOf(sets, r.Set) < 0 && r.Trials > 0 {
			sets = append(sets, r.Set)
		}
	}
	if len(sets) == 0 {
		return nil
	}
	rng := rand.New(rand.NewPCG(1, 2)) // fixed jitter: the same figure every time
	var panels []*plot.Plot
	for _, set := range sets {
		p := newPlot(set, "", "test accuracy (%)")
		p.Add(plotter.NewGrid())
		var names []string
		var means plotter.XYs
		var errs plotter.YErrors
		var seeds plotter.XYs
		for _, r := range rows {
			if r.Set != set || r.Trials == 0 {
				continue
			}
			x := float64(len(names))
			names = append(names, r.Method)
			means = append(means, plotter.XY{X: x, Y: r.AccuracyMean})
			errs = append(errs, struct{ Low, High float64 }{r.AccuracyStd, r.AccuracyStd})
			for _, a := range r.Accuracies {
				seeds = append(seeds, plotter.XY{X: x + (rng.Float64()-0.5)*0.3, Y: a})
			}
		}
		if len(seeds) > 0 {
			sc, err := plotter.NewScatter(seeds)
			if err == nil {
				sc.GlyphStyle.Color = colorOf(7)
				sc.GlyphStyle.Radius = vg.Points(1.8)
				sc.GlyphStyle.Shape = draw.CircleGlyph{}
				p.Add(sc)
			}
		}
		eb, err := plotter.NewYErrorBars(errPoints{means, errs})
		if err == nil {
			eb.LineStyle.Width = vg.Points(1.5)
			eb.CapWidth = vg.Points(8)
			mp, _ := plotter.NewScatter(means)
			mp.GlyphStyle.Shape = draw.BoxGlyph{}
			mp.GlyphStyle.Radius = vg.Points(3)
			mp.GlyphStyle.Color = colorOf(3)
			p.Add(eb, mp)
		}
		p.NominalX(names...)
		p.X.Min, p.X.Max = -0.6, float64(len(names))-0.4
		p.Y.Min, p.Y.Max = 0, 100 // a collapsed method (8 %) stays on the same scale
		panels = append(panels, p)
	}
	return &Figure{Name: "accuracy", Title: "Test accuracy per method and set",
		Caption: "Grey dots: one seed each (jittered sideways). Red squares and bars: mean ± standard deviation over seeds.",
		Panels:  panels, Width: vg.Length(len(panels)) * 4 * vg.Inch, Height: 4 * vg.Inch}
}

// errPoints pairs points with their y errors for plotter.NewYErrorBars.
type errPoints struct {
	plotter.XYs
	plotter.YErrors
}

// ConfusionFigure draws confusion matrices as heatmaps, one panel per
// matrix (titles in titles), rows the true class and columns the
// prediction. Cell colour is the share of the row (the class's recall on
// the diagonal); the text is the count.
func ConfusionFigure(name, title string, matrices [][][]int, titles []string, classes []string) *Figure {
	var panels []*plot.Plot
	for k, m := range matrices {
		if len(m) != len(classes) {
			continue
		}
		panels = append(panels, confusionPanel(m, titles[k], classes))
	}
	if len(panels) == 0 {
		return nil
	}
	cols := len(panels)
	if cols > 2 {
		cols = 2
	}
	rows := (len(panels) + cols - 1) / cols
	side := 4.6 * vg.Inch
	if len(classes) <= 4 {
		side = 3.2 * vg.Inch
	}
	return &Figure{Name: name, Title: title,
		Caption: "Rows: true class; columns: predicted class. Numbers are window counts summed over seeds; " +
			"colour is the share of the row (white 0, dark blue 1).",
		Panels: panels, Cols: cols, Width: vg.Length(cols) * side, Height: vg.Length(rows) * side}
}

// confusionPanel draws one confusion matrix.
func confusionPanel(m [][]int, title string, classes []string) *plot.Plot {
	c := len(classes)
	g := confGrid{share: make([][]float64, c)}
	var pts plotter.XYs
	var labels []string
	for i, row := range m {
		sum := 0
		for _, v := range row {
			sum += v
		}
		g.share[i] = make([]float64, c)
		for j, v := range row {
			if sum > 0 {
				g.share[i][j] = float64(v) / float64(sum)
			}
			if v > 0 {
				pts = append(pts, plotter.XY{X: float64(j), Y: float64(c - 1 - i)})
				labels = append(labels, fmt.Sprint(v))
			}
		}
	}
	p := newPlot(title, "predicted class", "true class")
	hm := plotter.NewHeatMap(g, bluePalette{})
	hm.Min, hm.Max = 0, 1
	p.Add(hm)
	if len(pts) > 0 {
		lb, err := plotter.NewLabels(plotter.XYLabels{XYs: pts, Labels: labels})
		if err == nil {
			for i := range lb.TextStyle {
				lb.TextStyle[i].Font = fontSize(7)
				lb.TextStyle[i].XAlign = draw.XCenter
				lb.TextStyle[i].YAlign = draw.YCenter
				x, y := int(pts[i].X), c-1-int(pts[i].Y)
				if g.share[y][x] > 0.5 {
					lb.TextStyle[i].Color = whiteColor
				}
			}
			p.Add(lb)
		}
	}
	p.NominalX(classes...)
	rev := make([]string, c)
	for i := range classes {
		rev[c-1-i] = classes[i]
	}
	p.NominalY(rev...)
	p.X.Tick.Label.Rotation = math.Pi / 2
	p.X.Tick.Label.XAlign = draw.XRight
	p.X.Tick.Label.YAlign = draw.YCenter
	p.X.Min, p.X.Max = -0.5, float64(c)-0.5
	p.Y.Min, p.Y.Max = -0.5, float64(c)-0.5
	return p
}

// confGrid is a confusion matrix as a plotter.GridXYZ; row r of the grid
// (bottom up) is true class c−1−r so the first class is at the top.
type confGrid struct{ share [][]float64 }

func (g confGrid) Dims() (c, r int)   { return len(g.share), len(g.share) }
func (g confGrid) Z(c, r int) float64 { return g.share[len(g.share)-1-r][c] }
func (g confGrid) X(c int) float64    { return float64(c) }
func (g confGrid) Y(r int) float64    { return float64(r) }

// logEntry is one iteration of a trial's log.
type logEntry = train.IterLog

// meanAcc accumulates a mean.
type meanAcc struct {
	sum float64
	n   int
}

func (m *meanAcc) add(v float64) { m.sum += v; m.n++ }
func (m meanAcc) mean() float64  { return m.sum / float64(m.n) }
func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// selectTrials returns the trials of one set and method, by seed.
func selectTrials(trials []experiment.TrialResult, set, method string) []experiment.TrialResult {
	var out []experiment.TrialResult
	for _, t := range trials {
		if t.Set == set && t.Method == method {
			out = append(out, t)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Seed < out[j].Seed })
	return out
}

// methodsOf lists the methods with trials on set, in first-seen order
// after sorting by the usual method order.
func methodsOf(trials []experiment.TrialResult, set string) []string {
	var out []string
	for _, t := range trials {
		if t.Set == set && indexOf(out, t.Method) < 0 {
			out = append(out, t.Method)
		}
	}
	sortMethods(out)
	return out
}

// fileSafe replaces characters other than letters, digits, '-' and '_'.
func fileSafe(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			return r
		}
		return '_'
	}, s)
}

// ghlActivity describes, for each GHL panel of Fig. 3, how much of training
// GHL acted on the majority class (TrialResult.GHLActiveFraction) and its
// mean majority-class GD per epoch, averaged over seeds ("" when no panel
// has GHL logs).
func ghlActivity(trials []experiment.TrialResult, panels []AnglePanel) string {
	var b strings.Builder
	for _, pn := range panels {
		var active []float64
		var gd []meanAcc
		for _, t := range selectTrials(trials, pn.Set, pn.Method) {
			if t.GHLActiveFraction != nil {
				active = append(active, *t.GHLActiveFraction)
			}
			for i, l := range t.Log {
				if l.GHL == nil {
					continue
				}
				for len(gd) <= i {
					gd = append(gd, meanAcc{})
				}
				gd[i].add(l.GHL.MajorityGD)
			}
		}
		if len(active) == 0 {
			continue
		}
		m, _ := experiment.MeanStd(active)
		parts := make([]string, len(gd))
		for i, a := range gd {
			parts[i] = strconv.FormatFloat(a.mean(), 'f', 1, 64)
		}
		fmt.Fprintf(&b, " GHL activity of %s on %s (%d seeds): the majority class had T_c > 0 and at least one GD_i > 1 "+
			"in %.0f %% of training steps; its mean GD per epoch: %s.", pn.Method, pn.Set, len(active), 100*m, strings.Join(parts, ", "))
	}
	return b.String()
}
