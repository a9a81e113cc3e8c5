// Package compare holds what the density measurement commands (densitycmp,
// densityreal) share: a timed density call, and the statistics of how far
// an approximate gradient density is from the exact one, over one class.
package compare

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ghl-dev/ghl/loss"
	"github.com/ghl-dev/ghl/loss/internal/cputime"
)

// Density returns GD of every sample by opt, with the wall and CPU time of
// one call made after a first call has grown the estimator's scratch.
func Density(delta []float32, labels []int, C int, T []float64, opt loss.DensityOptions) (gd []float64, wall, cpu time.Duration, err error) {
	e, err := loss.NewEstimator(opt)
	if err != nil {
		return nil, 0, 0, err
	}
	gd = make([]float64, len(labels))
	if err := e.GD(gd, delta, labels, C, T); err != nil {
		return nil, 0, 0, err
	}
	t0, c0 := time.Now(), cputime.Now()
	err = e.GD(gd, delta, labels, C, T)
	return gd, time.Since(t0), cputime.Now() - c0, err
}

// Ints parses a comma-separated list of integers (a flag value).
func Ints(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		v, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil {
			return nil, fmt.Errorf("parse %q: %w", s, err)
		}
		out = append(out, v)
	}
	return out, nil
}

// Weights returns 1/GD of the samples whose label is class.
func Weights(gd []float64, labels []int, class int) []float64 {
	var w []float64
	for i, y := range labels {
		if y == class {
			w = append(w, 1/gd[i])
		}
	}
	return w
}

// Mean returns the mean of x (NaN for none).
func Mean(x []float64) float64 {
	s := 0.0
	for _, v := range x {
		s += v
	}
	return s / float64(len(x))
}

// MeanAbs returns the mean of |a_i − b_i|.
func MeanAbs(a, b []float64) float64 {
	s := 0.0
	for i := range a {
		s += math.Abs(a[i] - b[i])
	}
	return s / float64(len(a))
}

// RelErr returns the mean relative error of the densities behind weights w
// against those behind exact, mean |GD/GD_exact − 1| = mean |w_exact/w − 1|.
func RelErr(w, exact []float64) float64 {
	s := 0.0
	for i := range w {
		s += math.Abs(exact[i]/w[i] - 1)
	}
	return s / float64(len(w))
}

// Spearman returns the Spearman rank correlation of a and b (Pearson
// correlation of the average ranks), formatted, or "const" when one side
// is constant.
func Spearman(a, b []float64) string {
	ra, rb := ranks(a), ranks(b)
	ma, mb := Mean(ra), Mean(rb)
	var sab, saa, sbb float64
	for i := range ra {
		sab += (ra[i] - ma) * (rb[i] - mb)
		saa += (ra[i] - ma) * (ra[i] - ma)
		sbb += (rb[i] - mb) * (rb[i] - mb)
	}
	if saa == 0 || sbb == 0 {
		return "const"
	}
	return fmt.Sprintf("%.4f", sab/math.Sqrt(saa*sbb))
}

// ranks returns the 1-based ranks of x, ties sharing their average rank.
func ranks(x []float64) []float64 {
	idx := make([]int, len(x))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(p, q int) int {
		switch {
		case x[p] < x[q]:
			return -1
		case x[p] > x[q]:
			return 1
		}
		return 0
	})
	r := make([]float64, len(x))
	for i := 0; i < len(idx); {
		j := i
		for j < len(idx) && x[idx[j]] == x[idx[i]] {
			j++
		}
		avg := float64(i+j-1)/2 + 1
		for k := i; k < j; k++ {
			r[idx[k]] = avg
		}
		i = j
	}
	return r
}
