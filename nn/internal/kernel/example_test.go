package kernel_test

import (
	"fmt"

	"github.com/ghl-dev/ghl/nn/internal/kernel"
)

// A 'same' convolution of a 5-sample, 1-channel signal with a 3-tap moving
// sum into 2 channels (the second with weight 2 and bias 1), and its input
// gradient for an output gradient of ones in the first channel.
func ExampleConvForward() {
	const win, cin, cout, k, pad = 5, 1, 2, 3, 1
	in := []float32{1, 2, 3, 4, 5}
	w := []float32{1, 2, 1, 2, 1, 2} // w[(j*cin+ci)*cout+co]
	bias := []float32{0, 1}
	out := make([]float32, win*cout)
	kernel.ConvForward(out, in, w, bias, win, cin, cout, k, pad, win)
	fmt.Println(out)

	dout := []float32{1, 0, 1, 0, 1, 0, 1, 0, 1, 0}
	din := make([]float32, win*cin)
	kernel.ConvBackwardInput(din, dout, w, win, cin, cout, k, pad, win)
	fmt.Println(din)
	// Output:
	// [3 7 6 13 9 19 12 25 9 19]
	// [2 3 3 3 2]
}

// A dense layer with 3 inputs and 2 outputs applied to 2 rows.
func ExampleDenseForward() {
	in := []float32{1, 2, 3, 4, 5, 6}
	w := []float32{1, 0, 0, 1, 1, 1} // w[d*nout+o]
	bias := []float32{0.5, -0.5}
	out := make([]float32, 4)
	kernel.DenseForward(out, in, w, bias, 2, 3, 2)
	fmt.Println(out)
	// Output:
	// [4.5 4.5 10.5 10.5]
}

// Max pooling with window 2 over 4 positions of 1 channel, with a fused
// ReLU, and the gradient routed back through the recorded argmax.
func ExampleMaxPoolForward() {
	x := []float32{1, 3, -2, -1}
	y, arg := make([]float32, 2), make([]uint8, 2)
	kernel.MaxPoolForward(y, arg, x, 2, 1, 2, true)
	fmt.Println(y, arg, arg[1] == kernel.PoolNoArg)

	dx := make([]float32, 4)
	kernel.MaxPoolBackward(dx, []float32{10, 20}, arg, 4, 2, 1, 2)
	fmt.Println(dx)
	// Output:
	// [3 0] [1 255] true
	// [0 10 0 0]
}
