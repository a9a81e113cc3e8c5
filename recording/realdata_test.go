package recording

import (
	"math"
	"path/filepath"
	"testing"

	"github.com/ghl-dev/ghl/internal/realdata"
)

// TestCWRUNormalBaseline reads 97.mat, the 48 kHz normal baseline, through
// Read and decimates it to 12 kHz as the data set does: 243,938 points
// become 60,985, and the signal's power below the passband edge survives.
func TestCWRUNormalBaseline(t *testing.T) {
	dir := realdata.CWRU(t)
	rec, err := Read(filepath.Join(dir, "97.mat"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rec.Variable != "X097_DE_time" || len(rec.Samples) != 243938 || rec.Rate != 0 {
		t.Fatalf("got %s, %d points, rate %v; want X097_DE_time, 243938, 0 (CWRU files store no rate)", rec.Variable, len(rec.Samples), rec.Rate)
	}
	y, err := Resample(rec.Samples, 48000, 12000)
	if err != nil {
		t.Fatal(err)
	}
	if len(y) != 60985 {
		t.Errorf("%d points at 12 kHz, want 60985", len(y))
	}
	// Most of 97's vibration energy lies below 4.8 kHz, so decimation
	// keeps most of the variance: a broken filter (wrong gain, no
	// delay compensation garbling the mean) would not.
	if r := variance(y) / variance(rec.Samples); r < 0.5 || r > 1.0001 {
		t.Errorf("variance ratio after decimation %.3f, want in [0.5, 1]", r)
	}
	// Low-passing the decimated signal at the same edge changes little.
	z, err := LowPass(y, 12000, PassbandEdge(48000, 12000))
	if err != nil {
		t.Fatal(err)
	}
	if r := variance(z) / variance(y); math.Abs(r-1) > 0.05 {
		t.Errorf("variance ratio of a second low-pass %.3f, want ≈ 1", r)
	}
}

func variance(x []float64) float64 {
	var s, ss float64
	for _, v := range x {
		s += v
		ss += v * v
	}
	m := s / float64(len(x))
	return ss/float64(len(x)) - m*m
}
