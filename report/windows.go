package report

import (
	"fmt"
	"math"
	"math/cmplx"

	"github.com/ghl-dev/ghl"
	"github.com/ghl-dev/ghl/dataset"
	"gonum.org/v1/gonum/dsp/fourier"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// WindowsFigure shows what the data looks like: for each class, up to
// perClass windows of s (spread evenly over the class's windows) as raw
// signals, and their magnitude spectra (Hann-windowed, in dB relative to
// each window's largest bin, floored at −80 dB) up to the Nyquist frequency of rate (Hz).
// Two classes share a row: signal, spectrum, signal, spectrum.
func WindowsFigure(s *dataset.Samples, classes []string, rate float64, perClass int) (*Figure, error) {
	switch {
	case s == nil || s.Len() == 0 || s.L < 2:
		return nil, fmt.Errorf("windows figure: %w: no windows", ghl.ErrBadInput)
	case len(s.X) != s.Len()*s.L:
		return nil, fmt.Errorf("windows figure: %w: %d values for %d windows of %d", ghl.ErrBadInput, len(s.X), s.Len(), s.L)
	case rate <= 0 || perClass < 1 || len(classes) == 0:
		return nil, fmt.Errorf("windows figure: %w: rate %g, %d per class, %d classes", ghl.ErrUsage, rate, perClass, len(classes))
	}
	byClass := make([][]int, len(classes))
	for i, y := range s.Y {
		if y >= 0 && y < len(classes) {
			byClass[y] = append(byClass[y], i)
		}
	}
	fft := fourier.NewFFT(s.L)
	hann := make([]float64, s.L)
	for i := range hann {
		hann[i] = 0.5 - 0.5*math.Cos(2*math.Pi*float64(i)/float64(s.L-1))
	}
	buf := make([]float64, s.L)
	var coeff []complex128
	var panels []*plot.Plot
	for c, idx := range byClass {
		tp := newPlot(classes[c]+": windows", "time (ms)", "amplitude")
		fp := newPlot(classes[c]+": spectrum", "frequency (kHz)", "dB")
		panels = append(panels, tp, fp)
		if len(idx) == 0 {
			tp.Title.Text = classes[c] + ": no windows"
			continue
		}
		n := min(perClass, len(idx))
		amp := 0.0 // the windows are stacked 2.5 amplitudes apart
		for k := 0; k < n; k++ {
			for _, v := range s.X[idx[k*len(idx)/n]*s.L:][:s.L] {
				amp = math.Max(amp, math.Abs(float64(v)))
			}
		}
		if amp == 0 {
			amp = 1
		}
		tp.Y.Label.Text = fmt.Sprintf("±%.3g each", amp)
		var ticks []plot.Tick
		for k := 0; k < n; k++ {
			ticks = append(ticks, plot.Tick{Value: -2.5 * amp * float64(k), Label: fmt.Sprintf("#%d", idx[k*len(idx)/n])})
		}
		tp.Y.Tick.Marker = plot.ConstantTicks(ticks)
		for k := 0; k < n; k++ {
			w := s.X[idx[k*len(idx)/n]*s.L:][:s.L]
			ts := make(plotter.XYs, s.L)
			for i, v := range w {
				ts[i] = plotter.XY{X: float64(i) / rate * 1000, Y: float64(v) - 2.5*amp*float64(k)}
				buf[i] = float64(v) * hann[i]
			}
			coeff = fft.Coefficients(coeff, buf)
			fs := make(plotter.XYs, len(coeff))
			peak := 0.0
			for _, z := range coeff {
				peak = math.Max(peak, cmplx.Abs(z))
			}
			for i, z := range coeff {
				fs[i] = plotter.XY{X: fft.Freq(i) * rate / 1000, Y: 20 * math.Log10(math.Max(cmplx.Abs(z)/math.Max(peak, 1e-300), 1e-4))}
			}
			for _, pl := range []struct {
				p   *plot.Plot
				xys plotter.XYs
			}{{tp, ts}, {fp, fs}} {
				l, err := plotter.NewLine(pl.xys)
				if err != nil {
					return nil, fmt.Errorf("windows figure: class %s: %w", classes[c], err)
				}
				l.Color, l.Width = colorOf(k), vg.Points(0.7)
				pl.p.Add(l)
			}
		}
	}
	rows := (len(panels) + 3) / 4
	return &Figure{Name: "windows", Title: "The data: raw windows and their spectra per class",
		Caption: fmt.Sprintf("Up to %d windows of %d points per class (one colour each, stacked), as the model sees them, "+
			"and their magnitude spectra (Hann window, dB relative to the window's largest bin, floor −80 dB) "+
			"at %g Hz.", perClass, s.L, rate),
		Panels: panels, Cols: 4, Width: 12 * vg.Inch, Height: vg.Length(rows) * 1.9 * vg.Inch}, nil
}
