package recording_test

import (
	"fmt"
	"log"

	"github.com/ghl-dev/ghl/recording"
)

// Read a CWRU-style MAT file (the variable is chosen by the file number),
// give it the rate the data set documents, and decimate it to 12 kHz.
func ExampleRead() {
	rec, err := recording.Read("testdata/cwru99.mat", recording.Options{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(rec.Variable, len(rec.Samples), rec.Rate)

	rec.Rate = 48000 // CWRU's normal baseline: the file does not say
	y, err := recording.Resample(rec.Samples, rec.Rate, 12000)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(y), "samples at 12 kHz, flat to", recording.PassbandEdge(rec.Rate, 12000), "Hz")
	// Output:
	// X099_DE_time 180 0
	// 45 samples at 12 kHz, flat to 4800 Hz
}

// Give a recording already at 12 kHz the response of one decimated from
// 48 kHz, so that no class is recognisable by its band edge.
func ExampleLowPass() {
	x := make([]float64, 12000)
	x[6000] = 1 // an impulse: the output is the filter's impulse response
	y, err := recording.LowPass(x, 12000, recording.PassbandEdge(48000, 12000))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%d samples, peak %.3f at sample 6000 (no delay)\n", len(y), y[6000])
	// Output:
	// 12000 samples, peak 0.900 at sample 6000 (no delay)
}

// Which MAT scalars state a sampling rate: a field called "rate" is as
// often a shaft rate, so it never counts.
func ExampleIsRateName() {
	for _, name := range []string{"fs", "SamplingRate", "sample_rate", "SR", "rate", "freq"} {
		fmt.Println(name, recording.IsRateName(name))
	}
	// Output:
	// fs true
	// SamplingRate true
	// sample_rate true
	// SR true
	// rate false
	// freq false
}
