package nn_test

import (
	"fmt"
	"math"

	"github.com/ghl-dev/ghl/nn"
)

// One full-batch training step of the DCNN: forward every window, let the
// loss weight each sample's gradient, back-propagate only the samples kept,
// then update the weights.
func ExampleNewDCNN() {
	const n, window, classes = 8, 1024, 3
	m, err := nn.NewDCNN(nn.DCNNConfig{InputLen: window, Classes: classes, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	x := make([]float32, n*window) // n windows, z-scored
	labels := make([]int, n)
	for i := range labels {
		labels[i] = i % classes
		for t := range window {
			x[i*window+t] = float32(math.Sin(float64(t) * 0.01 * float64(1+labels[i])))
		}
	}
	opt := nn.NewAdam(nn.AdamConfig{LR: 1e-3})
	logits, err := m.Forward(x, n)
	if err != nil {
		fmt.Println(err)
		return
	}
	grad := make([]float32, n*classes)
	loss := nn.MSESoftmaxGrad(grad, logits, labels, classes)
	keep := []int{0, 1, 2, 5} // e.g. the samples a GHL weight kept
	m.ZeroGrad()
	if err := m.Backward(grad, keep); err != nil {
		fmt.Println(err)
		return
	}
	nn.ClipGradNorm(m.Params(), 5)
	if err := opt.Step(m.Params()); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d logits, loss %.2f, %d parameters\n", len(logits), loss, m.NumParams())
	// Output: 24 logits, loss 0.27, 108995 parameters
}
