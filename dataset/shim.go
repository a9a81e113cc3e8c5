package dataset

// TEMPORARY: stand-ins for package recording's Read, Resample, LowPass and
// passband edge until that package lands. Only CSV (one column, optional
// header) is read; resampling refuses any rate change. Replace each call
// with the recording function of the same name and delete this file.

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/ghl-dev/ghl"
	"github.com/ghl-dev/ghl/recording"
)

// passbandFraction is the resampler's passband edge as a fraction of the
// new Nyquist frequency (issue 2: flat to 0.8 × the new Nyquist).
const passbandFraction = 0.8

func readRecording(path string, opt recording.Options) (*recording.Recording, error) {
	if strings.ToLower(filepath.Ext(path)) != ".csv" {
		return nil, fmt.Errorf("read %s: %w: only CSV is readable until package recording lands", path, ghl.ErrBadInput)
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

func resample(x []float64, from, to float64) ([]float64, error) {
	if from != to {
		return nil, fmt.Errorf("resample %g Hz to %g Hz: not available until package recording lands", from, to)
	}
	return x, nil
}

func lowPass(x []float64, rate, cutoff float64) ([]float64, error) {
	return x, nil
}
