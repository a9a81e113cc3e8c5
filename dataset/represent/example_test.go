package represent_test

import (
	"fmt"
	"math"

	"github.com/ghl-dev/ghl/dataset/represent"
)

// The envelope spectrum of impacts repeating at 100 Hz, each ringing a
// 3 kHz resonance, peaks at 100 Hz although the signal has no energy there.
func Example() {
	const rate, L = 12000.0, 1200 // 10 Hz bins
	x := make([]float32, L)
	for i := range x {
		t := math.Mod(float64(i)/rate, 0.01) // time since the last impact
		x[i] = float32(math.Exp(-800*t) * math.Sin(2*math.Pi*3000*t))
	}
	spec, _ := represent.Parse("envelope")
	tr, _ := represent.New(spec, L)
	out := make([]float32, tr.OutLen())
	tr.Apply(out, x)
	best := 1
	for k := 1; k < 50; k++ { // up to 500 Hz
		if out[k] > out[best] {
			best = k
		}
	}
	fmt.Printf("%d bins, envelope peak at %.0f Hz\n", len(out), float64(best)*rate/L)
	// Output: 600 bins, envelope peak at 100 Hz
}
