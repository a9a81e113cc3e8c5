package dataset_test

import (
	"math"
	"testing"

	"github.com/ghl-dev/ghl/dataset"
	"github.com/ghl-dev/ghl/recording"
)

// TestNormRecording: per-recording normalisation keeps a loud stretch
// louder than a quiet one (per-window z-scoring makes both 1), and the
// recording as a whole has unit spread.
func TestNormRecording(t *testing.T) {
	const L = 256
	x := make([]float64, 40*L)
	for i := range x {
		a := 1.0
		if i >= len(x)/2 {
			a = 4 // the second half (where the test windows are) is louder
		}
		x[i] = a * math.Sin(float64(i)*0.7)
	}
	c := &dataset.Corpus{Name: "t", Classes: []string{"NC"}, Recordings: []dataset.Labelled{
		{Class: "NC", Recording: &recording.Recording{Path: "x", Rate: 1000, Samples: x}}}}
	spec := dataset.SetSpec{Name: "t", Train: map[string]int{"*": 4}, Test: 4}
	sd := func(w []float32) float64 {
		s := 0.0
		for _, v := range w {
			s += float64(v) * float64(v)
		}
		return math.Sqrt(s / float64(len(w)))
	}
	for _, tc := range []struct {
		norm        string
		train, test float64 // expected rms of the first training and last test window
	}{
		{dataset.NormZScore, 1, 1},
		{dataset.NormRecording, 1 / math.Sqrt(8.5), 4 / math.Sqrt(8.5)}, // sine rms ½√2 and 2√2 over a whole-recording rms of √4.25
	} {
		ss, err := dataset.Build(c, spec, dataset.BuildOptions{Rate: 1000, Window: L, Norm: tc.norm, NoLowPass: true})
		if err != nil {
			t.Fatal(err)
		}
		a, b := sd(ss.Train.Window(0)), sd(ss.Test.Window(3))
		if math.Abs(a-tc.train) > 0.02 || math.Abs(b-tc.test) > 0.05 {
			t.Errorf("%s: window rms %.3f (quiet part) and %.3f (loud part), want %.3f and %.3f", tc.norm, a, b, tc.train, tc.test)
		}
	}
}
