package nn

import "testing"

// BenchmarkLayerMaxPool times the DCNN's first pooling layer (1024×16,
// fused ReLU, argmax cached) on fresh inputs, as in training.
func BenchmarkLayerMaxPool(b *testing.B) {
	l := &MaxPool1D{Size: 4, reluIn: true}
	l.build(Shape{1024, 16}, 0)
	const k = 8
	x := randInput(1, k, 1024*16)
	y := make([]float32, 256*16)
	c := make([]uint8, 256*16)
	i := 0
	for b.Loop() {
		l.Forward(y, x[(i%k)*1024*16:], c, 1)
		i++
	}
}

func BenchmarkLayerConv1(b *testing.B) {
	l := &Conv1D{Filters: 16, Kernel: 49, Padding: "same"}
	l.build(Shape{1024, 1}, 1)
	x := randInput(1, 1, 1024)
	y := make([]float32, 1024*16)
	for b.Loop() {
		l.Forward(y, x, nil, 1)
	}
}
