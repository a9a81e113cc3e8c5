package synth_test

import (
	"fmt"
	"log"

	"github.com/ghl-dev/ghl/dataset/synth"
)

// The default corpus: one 10 s recording at 12 kHz per class of the paper,
// the same for the same seed.
func ExampleCorpus() {
	c, err := synth.Corpus(synth.Options{Seed: 1})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(c.Name, c.Classes)
	for _, r := range c.Recordings[:3] {
		rec := r.Recording
		fmt.Printf("%s %s: %d points at %g Hz\n", r.Class, rec.Path, len(rec.Samples), rec.Rate)
	}
	// Output:
	// synth [NC OF1 OF2 OF3 RF1 RF2 RF3 RF4 IF1 IF2 IF3 IF4]
	// NC synth/NC-0: 120000 points at 12000 Hz
	// OF1 synth/OF1-0: 120000 points at 12000 Hz
	// OF2 synth/OF2-0: 120000 points at 12000 Hz
}

// The fault frequencies of CWRU's drive-end bearing at 1750 rpm, the speed
// of the paper's 2 hp recordings.
func ExampleBearing_Frequencies() {
	f := synth.DriveEnd6205().Frequencies(1750.0 / 60)
	fmt.Printf("shaft %.2f Hz, FTF %.2f Hz, BPFO %.2f Hz, BPFI %.2f Hz, BSF %.2f Hz\n",
		f.Shaft, f.FTF, f.BPFO, f.BPFI, f.BSF)
	// Output:
	// shaft 29.17 Hz, FTF 11.62 Hz, BPFO 104.56 Hz, BPFI 157.94 Hz, BSF 68.74 Hz
}

// The simulated classes: defect location and size in inches.
func ExampleClasses() {
	for _, c := range synth.Classes() {
		fmt.Printf("%-3s %.3f in\n", c.Name, c.Size)
	}
	// Output:
	// NC  0.000 in
	// OF1 0.007 in
	// OF2 0.014 in
	// OF3 0.021 in
	// RF1 0.007 in
	// RF2 0.014 in
	// RF3 0.021 in
	// RF4 0.028 in
	// IF1 0.007 in
	// IF2 0.014 in
	// IF3 0.021 in
	// IF4 0.028 in
}
