package report

import (
	"bytes"
	"fmt"
	"image/color"
	"io"

	"github.com/ghl-dev/ghl"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Figure is one figure of the report: one or more plot panels laid out in a
// grid, with a title and a caption for the HTML page. Render it with PNG,
// SVG or Render.
type Figure struct {
	// Name is a short file-safe identifier ("fig2-thresholds").
	Name string
	// Title is the figure's heading in the report.
	Title string
	// Caption explains what is shown, and says what is missing.
	Caption string
	// Panels holds the plots in row-major order; a nil panel is left blank.
	Panels []*plot.Plot
	// Cols is the number of panels per row (0: all panels in one row).
	Cols int
	// Width and Height are the size of the whole figure.
	Width, Height vg.Length
}

// dpi is the resolution of PNG output: twice the 72 points per inch of the
// figure size, so the images stay sharp on high-density screens.
const dpi = 144

// PNG renders the figure as a PNG image.
func (f *Figure) PNG() ([]byte, error) {
	var b bytes.Buffer
	if err := f.Render(&b, "png"); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// SVG renders the figure as an SVG document with its fonts embedded.
func (f *Figure) SVG() ([]byte, error) {
	var b bytes.Buffer
	if err := f.Render(&b, "svg"); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// Render writes the figure to w in format "png" or "svg".
func (f *Figure) Render(w io.Writer, format string) error {
	if len(f.Panels) == 0 {
		return fmt.Errorf("figure %s: %w: no panels", f.Name, ghl.ErrUsage)
	}
	width, height := f.Width, f.Height
	if width <= 0 {
		width = 8 * vg.Inch
	}
	if height <= 0 {
		height = 4 * vg.Inch
	}
	var (
		canvas vg.CanvasWriterTo
		dc     draw.Canvas
	)
	switch format {
	case "png":
		c := vgimg.NewWith(vgimg.UseWH(width, height), vgimg.UseDPI(dpi),
			vgimg.UseBackgroundColor(color.White))
		canvas, dc = vgimg.PngCanvas{Canvas: c}, draw.New(c)
	case "svg":
		c := vgsvg.NewWith(vgsvg.UseWH(width, height), vgsvg.EmbedFonts(true))
		canvas, dc = c, draw.New(c)
	default:
		return fmt.Errorf("figure %s: %w: unknown format %q (want png or svg)", f.Name, ghl.ErrUsage, format)
	}
	cols := f.Cols
	if cols <= 0 || cols > len(f.Panels) {
		cols = len(f.Panels)
	}
	rows := (len(f.Panels) + cols - 1) / cols
	grid := make([][]*plot.Plot, rows)
	for r := range grid {
		grid[r] = make([]*plot.Plot, cols)
		for c := range grid[r] {
			if i := r*cols + c; i < len(f.Panels) {
				grid[r][c] = f.Panels[i]
			}
		}
	}
	tiles := draw.Tiles{Rows: rows, Cols: cols, PadX: vg.Millimeter * 4, PadY: vg.Millimeter * 4,
		PadTop: vg.Millimeter * 2, PadBottom: vg.Millimeter * 2, PadLeft: vg.Millimeter * 2, PadRight: vg.Millimeter * 2}
	canvases := plot.Align(grid, tiles, dc)
	for r := range grid {
		for c, p := range grid[r] {
			if p != nil {
				p.Draw(canvases[r][c])
			}
		}
	}
	if _, err := canvas.WriteTo(w); err != nil {
		return fmt.Errorf("render %s as %s: %w", f.Name, format, err)
	}
	return nil
}
