package dataset_test

import (
	"fmt"
	"math"

	"github.com/ghl-dev/ghl/dataset"
	"github.com/ghl-dev/ghl/recording"
)

func ExampleParseSet() {
	for _, name := range []string{"set1", "set2", "balanced", "500/20", "NC=100,*=10"} {
		spec, err := dataset.ParseSet(name)
		if err != nil {
			fmt.Println(err)
			continue
		}
		counts, _ := spec.TrainCounts([]string{"NC", "OF1", "IF1"})
		fmt.Println(name, counts, "val", spec.Val, "test", spec.Test)
	}
	_, err := dataset.ParseSet("set3")
	fmt.Println(err)
	// Output:
	// set1 [3200 64 64] val 16 test 9
	// set2 [3200 16 16] val 16 test 9
	// balanced [16 16 16] val 16 test 9
	// 500/20 [500 20 20] val 16 test 9
	// NC=100,*=10 [100 10 10] val 16 test 9
	// usage: sample set "set3": unknown set (want one of set1, set2, balanced, "M/m" or "CLASS=n,...")
}

func ExampleBuild() {
	// Two classes of 3 s sine recordings at 12 kHz, held in memory. Each
	// recording: 3 test windows at the end, a gap of one window (1024
	// points), 4 validation windows, another gap, training windows from 0.
	sine := func(hz float64) *recording.Recording {
		x := make([]float64, 36000)
		for i := range x {
			x[i] = math.Sin(2 * math.Pi * hz * float64(i) / 12000)
		}
		return &recording.Recording{Path: fmt.Sprintf("sine%g.csv", hz), Variable: "x", Rate: 12000, Samples: x}
	}
	c := &dataset.Corpus{Name: "example", Classes: []string{"NC", "F"}, Recordings: []dataset.Labelled{
		{Class: "NC", Recording: sine(50)},
		{Class: "F", Recording: sine(157)},
	}}
	s, err := dataset.Build(c, dataset.SetSpec{Name: "200/8", Majority: 200, Minority: 8, Val: 4, Test: 3}, dataset.BuildOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("train", s.TrainCounts(), "val", s.Val.Len(), "test", s.Test.Len())
	for _, r := range s.Recordings {
		fmt.Printf("%s: train %v stride %d overlap %d, val %v, test %v\n", r.File, r.TrainRange, r.Stride, r.Overlap, r.ValRange, r.TestRange)
	}
	// Output:
	// train [200 8] val 8 test 6
	// sine50.csv: train {0 26784} stride 129 overlap 895, val {27808 31904}, test {32928 36000}
	// sine157.csv: train {0 26784} stride 3680 overlap 0, val {27808 31904}, test {32928 36000}
}

func ExampleResolveRate() {
	// A struct field sr states the rate; the shaft rate "rate" is not one.
	rec := &recording.Recording{Path: "IR/a.mat", Variable: "bearing.gs",
		Stated: []recording.StatedRate{{Hz: 48828, Where: "field bearing.sr"}}, Scalars: []string{"bearing.rate = 25"}}
	r, err := dataset.ResolveRate(rec, 244140, dataset.RateInputs{})
	fmt.Println(r, err)
	// --input-rate wins, with a note that the file says otherwise.
	r, _ = dataset.ResolveRate(rec, 244140, dataset.RateInputs{Flag: 51200})
	fmt.Println(r, r.Notes)
	// Without sr, the shaft rate is not taken.
	rec.Stated = nil
	_, err = dataset.ResolveRate(rec, 244140, dataset.RateInputs{})
	fmt.Println(err)
	// Output:
	// 48828 Hz (field bearing.sr of the file) <nil>
	// 51200 Hz (--input-rate) [IR/a.mat states 48828 Hz (field bearing.sr) but --input-rate gives 51200 Hz: using 51200 Hz]
	// IR/a.mat: bad input data: sampling rate unknown: no --input-rate, no rate.txt, and the file states none (it holds bearing.rate = 25, none named as a sampling rate: fs, sr, samplerate, samplingrate, srate, fsample, fsamp, samplingfrequency, samplefrequency, samplingfreq, samplefreq, in any case, with or without underscores): give it with --input-rate or a rate.txt file in the class folder (or beside the file)
}
