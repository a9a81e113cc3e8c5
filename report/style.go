package report

import (
	"image/color"
	"sort"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
)

// classColors are 12 distinguishable colours (Tableau's 10 plus two) so
// that the 12 CWRU classes each get their own; more classes cycle.
var classColors = []color.Color{
	color.RGBA{31, 119, 180, 255}, color.RGBA{255, 127, 14, 255}, color.RGBA{44, 160, 44, 255},
	color.RGBA{214, 39, 40, 255}, color.RGBA{148, 103, 189, 255}, color.RGBA{140, 86, 75, 255},
	color.RGBA{227, 119, 194, 255}, color.RGBA{127, 127, 127, 255}, color.RGBA{188, 189, 34, 255},
	color.RGBA{23, 190, 207, 255}, color.RGBA{0, 0, 128, 255}, color.RGBA{128, 128, 0, 255},
}

// colorOf returns the i-th series colour.
func colorOf(i int) color.Color { return classColors[i%len(classColors)] }

// dashesOf gives every second cycle of colours a dash pattern, so series
// stay distinguishable past 12.
func dashesOf(i int) []vg.Length {
	if (i/len(classColors))%2 == 1 {
		return []vg.Length{vg.Points(4), vg.Points(2)}
	}
	return nil
}

// newPlot returns a plot with the report's title, axis labels and font
// sizes.
func newPlot(title, x, y string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font = fontSize(11)
	p.X.Label.Text = x
	p.Y.Label.Text = y
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font = fontSize(9)
		a.Tick.Label.Font = fontSize(8)
	}
	p.Legend.TextStyle.Font = fontSize(8)
	p.Legend.Top = true
	p.X.Tick.Marker = shortTicks{}
	p.Y.Tick.Marker = shortTicks{}
	return p
}

// shortTicks are gonum's default ticks with labels in the shortest form
// ("25", not "25.00").
type shortTicks struct{}

// Ticks implements plot.Ticker.
func (shortTicks) Ticks(min, max float64) []plot.Tick {
	ticks := plot.DefaultTicks{}.Ticks(min, max)
	for i := range ticks {
		if ticks[i].Label != "" {
			ticks[i].Label = strconv.FormatFloat(ticks[i].Value, 'g', 6, 64)
		}
	}
	return ticks
}

// fontSize returns the report's font, Liberation Sans (embedded in
// gonum/plot, so nothing depends on system fonts), at size pt.
func fontSize(pt float64) font.Font {
	return font.Font{Typeface: "Liberation", Variant: "Sans", Size: vg.Points(pt)}
}

// whiteColor is the text colour on dark heatmap cells.
var whiteColor = color.White

// bluePalette runs from white (0) to dark blue (1) in 64 steps: the
// heatmap colours of the confusion matrices.
type bluePalette struct{}

// Colors implements palette.Palette.
func (bluePalette) Colors() []color.Color {
	const n = 64
	out := make([]color.Color, n)
	for i := range out {
		t := float64(i) / (n - 1)
		out[i] = color.RGBA{uint8(255 - t*(255-8)), uint8(255 - t*(255-48)), uint8(255 - t*(255-107)), 255}
	}
	return out
}

// methodOrder is the order methods appear in tables and figures; others
// follow alphabetically.
var methodOrder = []string{"dcnn", "dcnnc", "dcnng", "dcnng-paper"}

// setOrder is the order sample sets appear in; others follow alphabetically.
var setOrder = []string{"set1", "set2", "balanced"}

// sortMethods sorts method names in methodOrder, then alphabetically.
func sortMethods(m []string) { sortBy(m, methodOrder) }

// sortSets sorts set names in setOrder, then alphabetically.
func sortSets(s []string) { sortBy(s, setOrder) }

// sortBy sorts names by their index in order, unknown names last and
// alphabetically.
func sortBy(names, order []string) {
	sort.SliceStable(names, func(i, j int) bool { return lessBy(names[i], names[j], order) })
}
