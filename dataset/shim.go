package dataset

// TEMPORARY: stand-ins for package recording's Read, Resample, LowPass and
// passband edge until that package lands. Only CSV (one column, optional
// header) is read; resampling refuses any rate change. Replace each call
// with the recording function of the same name and delete this file.

import (
	"bufio"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/ghl-dev/ghl"
	"github.com/ghl-dev/ghl/recording"
	"github.com/ghl-dev/ghl/recording/matv5"
)

func passbandEdge(from, to float64) float64 { return 0.8 * math.Min(from, to) / 2 }

func readRecording(path string, opt recording.Options) (*recording.Recording, error) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".mat":
		return readMAT(path, opt)
	case ".csv":
	default:
		return nil, fmt.Errorf("read %s: %w: only CSV and MAT are readable until package recording lands", path, ghl.ErrBadInput)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var x []float64
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		s := strings.TrimSpace(sc.Text())
		if s == "" {
			continue
		}
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			if line == 1 {
				continue
			}
			return nil, fmt.Errorf("read %s: %w: line %d: %v", path, ghl.ErrBadInput, line, err)
		}
		x = append(x, v)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(x) == 0 {
		return nil, fmt.Errorf("read %s: %w: no numeric samples", path, ghl.ErrBadInput)
	}
	return &recording.Recording{Path: path, Variable: opt.Variable, Samples: x}, nil
}

func readMAT(path string, opt recording.Options) (*recording.Recording, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	f, err := matv5.Decode(b)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	v := opt.Variable
	if v == "" {
		if v, err = matv5.ChooseSignal(f, filepath.Base(path)); err != nil {
			return nil, fmt.Errorf("read %s: %w", path, err)
		}
	}
	x, err := f.Numeric(v)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return &recording.Recording{Path: path, Variable: v, Samples: x}, nil
}

// resample decimates by an integer factor with a windowed-sinc FIR (a
// stand-in, not the real polyphase resampler).
func resample(x []float64, from, to float64) ([]float64, error) {
	if from == to {
		return x, nil
	}
	q := int(math.Round(from / to))
	if float64(q)*to != from {
		return nil, fmt.Errorf("resample %g Hz to %g Hz: only integer decimation until package recording lands", from, to)
	}
	h := sincFIR(0.5/float64(q)*0.9, 8*q+1)
	out := make([]float64, 0, len(x)/q)
	for i := 0; i+q <= len(x); i += q {
		out = append(out, firAt(x, h, i))
	}
	return out, nil
}

func lowPassShim(x []float64, rate, cutoff float64) []float64 {
	h := sincFIR(cutoff/rate, 101)
	out := make([]float64, len(x))
	for i := range x {
		out[i] = firAt(x, h, i)
	}
	return out
}

func sincFIR(fc float64, n int) []float64 {
	h := make([]float64, n)
	m := float64(n-1) / 2
	sum := 0.0
	for i := range h {
		t := float64(i) - m
		s := 2 * fc
		if t != 0 {
			s = math.Sin(2*math.Pi*fc*t) / (math.Pi * t)
		}
		w := 0.54 - 0.46*math.Cos(2*math.Pi*float64(i)/float64(n-1))
		h[i] = s * w
		sum += h[i]
	}
	for i := range h {
		h[i] /= sum
	}
	return h
}

func firAt(x, h []float64, i int) float64 {
	m := len(h) / 2
	s := 0.0
	for k, c := range h {
		j := i + k - m
		if j >= 0 && j < len(x) {
			s += c * x[j]
		}
	}
	return s
}

func lowPass(x []float64, rate, cutoff float64) ([]float64, error) {
	return lowPassShim(x, rate, cutoff), nil
}
