package openset_test

import (
	"fmt"

	"github.com/ghl-dev/ghl/openset"
)

// A threshold set on validation windows of the known classes at a 1 %
// false-alarm rate, then applied to new windows.
func Example() {
	// Logits of 100 validation windows: one class clearly wins.
	var val []float32
	for i := range 100 {
		val = append(val, 6+float32(i%10)/10, 0, 0)
	}
	thr, err := openset.Calibrate(openset.Energy(val, 3), 0.01)
	if err != nil {
		fmt.Println(err)
		return
	}
	// A familiar window and one where no class stands out.
	scores := openset.Energy([]float32{6.5, 0, 0, 0.2, 0.1, 0}, 3)
	unknown, n := openset.Above(scores, thr)
	fmt.Printf("threshold %.3f, unknown %v, recording unknown: %v\n", thr, unknown, openset.MostlyUnknown(n, len(scores)))
	// Output: threshold -6.005, unknown [false true], recording unknown: false
}
