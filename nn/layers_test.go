package nn

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// distinctValues returns n values in random order, all distinct and at
// least gap apart and away from zero by gap/2, so that small perturbations
// never change a max-pool winner or a ReLU's side.
func distinctValues(r *rand.Rand, n int, gap float64) []float32 {
	v := make([]float32, n)
	for i, p := range r.Perm(n) {
		v[i] = float32((float64(p-n/2) + 0.5) * gap)
	}
	return v
}

// fdCase is one layer configuration for the finite-difference check.
type fdCase struct {
	name  string
	layer Layer
	in    Shape
}

func fdCases() []fdCase {
	return []fdCase{
		{"conv same k3 1→4", &Conv1D{Filters: 4, Kernel: 3, Padding: "same"}, Shape{11, 1}},
		{"conv same k4 (even) 3→5", &Conv1D{Filters: 5, Kernel: 4, Padding: "same"}, Shape{9, 3}},
		{"conv valid k5 2→17", &Conv1D{Filters: 17, Kernel: 5, Padding: "valid"}, Shape{13, 2}},
		{"conv same k7 wider than input", &Conv1D{Filters: 3, Kernel: 7, Padding: "same"}, Shape{4, 2}},
		{"conv same k49 16→16 like the DCNN", &Conv1D{Filters: 16, Kernel: 49, Padding: "same"}, Shape{40, 16}},
		{"maxpool 4", &MaxPool1D{Size: 4}, Shape{18, 3}},
		{"maxpool 2", &MaxPool1D{Size: 2}, Shape{8, 5}},
		{"maxpool 4 with fused relu", &MaxPool1D{Size: 4, reluIn: true}, Shape{10, 3}},
		{"dense 13→7", &Dense{Units: 7}, Shape{13, 1}},
		{"dense from 2-D 5×3→19", &Dense{Units: 19}, Shape{5, 3}},
		{"relu", &ReLU{}, Shape{7, 3}},
		{"flatten", &Flatten{}, Shape{6, 4}},
	}
}

// TestLayerGradients checks every layer's Backward against central finite
// differences of L = Σ out·R for its inputs and parameters.
func TestLayerGradients(t *testing.T) {
	const n = 3
	for _, tc := range fdCases() {
		t.Run(tc.name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(1, 2))
			l := tc.layer
			out, err := l.build(tc.in, 1)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range l.Params() {
				for i := range p.W {
					p.W[i] = float32(r.NormFloat64() * 0.3)
				}
			}
			is, os := tc.in.Size(), out.Size()
			x := distinctValues(r, n*is, 0.01)
			R := make([]float32, n*os)
			for i := range R {
				R[i] = float32(r.NormFloat64())
			}
			loss := func() float64 {
				y := make([]float32, n*os)
				l.Forward(y, append([]float32(nil), x...), nil, n)
				var s float64
				for i, v := range y {
					s += float64(v) * float64(R[i])
				}
				return s
			}
			y := make([]float32, n*os)
			xin := append([]float32(nil), x...)
			yy := y
			if l.inPlace() {
				yy = xin // exercise the in-place path like the model does
			}
			cache := make([]uint8, n*l.cacheSize())
			l.Forward(yy, xin, cache, n)
			// Rows in reverse order: Backward must follow Rows, not assume 0..n-1.
			rows := []int{2, 0, 1}
			dout := make([]float32, n*os)
			for i, row := range rows {
				copy(dout[i*os:(i+1)*os], R[row*os:(row+1)*os])
			}
			din := make([]float32, n*is)
			for i := range din {
				din[i] = float32(math.NaN()) // must be overwritten
			}
			var grads [][]float32
			for _, p := range l.Params() {
				grads = append(grads, make([]float32, len(p.W)))
			}
			inBuf := x
			if l.inPlace() {
				inBuf = yy
			}
			l.Backward(&BackwardArgs{Rows: rows, In: inBuf, Out: yy, Cache: cache, DOut: dout, DIn: din,
				Grads: grads, Scratch: make([]float32, n*is)})

			// The model's path: weights rearranged once per Backward.
			if p, ok := l.(preparer); ok {
				din2 := make([]float32, n*is)
				g2 := make([][]float32, len(grads))
				for i := range g2 {
					g2[i] = make([]float32, len(grads[i]))
				}
				p.prepare()
				l.Backward(&BackwardArgs{Rows: rows, In: inBuf, Out: yy, Cache: cache, DOut: dout, DIn: din2,
					Grads: g2, Scratch: make([]float32, n*is)})
				p.done()
				if e := relErr(din2, din); e > 1e-6 {
					t.Errorf("input gradient with prepared weights differs by %.3g", e)
				}
			}
			// Conv and Dense are linear in every single input and weight,
			// so a large step is exact and keeps float32 rounding small;
			// ReLU and pooling get a step below the value gap.
			h := 0.25
			if len(l.Params()) == 0 {
				h = 1e-3
			}
			check := func(what string, v []float32, i int, got float32) {
				t.Helper()
				old := v[i]
				vp, vm := old+float32(h), old-float32(h)
				v[i] = vp
				lp := loss()
				v[i] = vm
				lm := loss()
				v[i] = old
				want := (lp - lm) / (float64(vp) - float64(vm))
				if d := math.Abs(float64(got) - want); d > 2e-3*math.Max(1, math.Abs(want)) {
					t.Errorf("%s[%d]: backward %.6g, finite difference %.6g", what, i, got, want)
				}
			}
			for i, row := range rows {
				for k := range is {
					check("din", x, row*is+k, din[i*is+k])
				}
			}
			for pi, p := range l.Params() {
				idx := r.Perm(len(p.W))
				for _, k := range idx[:min(len(idx), 300)] {
					check(p.Name, p.W, k, grads[pi][k])
				}
			}
		})
	}
}

// TestConvAccumulates checks that Backward adds to the gradient buffers
// rather than overwriting them.
func TestConvAccumulates(t *testing.T) {
	l := &Conv1D{Filters: 2, Kernel: 3, Padding: "same"}
	if _, err := l.build(Shape{5, 1}, 1); err != nil {
		t.Fatal(err)
	}
	copy(l.weight.W, []float32{1, 2, 3, 4, 5, 6})
	x := []float32{1, -1, 2, 0, 3}
	y := make([]float32, 10)
	l.Forward(y, x, nil, 1)
	dout := make([]float32, 10)
	for i := range dout {
		dout[i] = 1
	}
	g := [][]float32{make([]float32, 6), make([]float32, 2)}
	run := func() {
		l.Backward(&BackwardArgs{Rows: []int{0}, In: x, Out: y, DOut: dout, Grads: g})
	}
	run()
	once := append([]float32(nil), g[0]...)
	run()
	for i := range once {
		if g[0][i] != 2*once[i] {
			t.Fatalf("gradient %d after two calls = %v, want 2×%v", i, g[0][i], once[i])
		}
	}
	if g[1][0] != 10 {
		t.Errorf("bias gradient %v, want 2×5", g[1][0])
	}
}

func TestSoftmax(t *testing.T) {
	for _, tc := range []struct {
		z    []float32
		want []float64
	}{
		{[]float32{0, 0}, []float64{0.5, 0.5}},
		{[]float32{1000, 0}, []float64{1, 0}},
		{[]float32{1, 2, 3}, []float64{0.09003057, 0.24472847, 0.66524096}},
	} {
		p := Softmax(make([]float32, len(tc.z)), tc.z, 1, len(tc.z))
		for i := range p {
			if math.Abs(float64(p[i])-tc.want[i]) > 1e-6 {
				t.Errorf("softmax(%v) = %v, want %v", tc.z, p, tc.want)
				break
			}
		}
	}
}

func TestBuildErrors(t *testing.T) {
	for _, tc := range []struct {
		in     Shape
		layers []Layer
	}{
		{Shape{10, 1}, []Layer{&Conv1D{Filters: 2, Kernel: 11, Padding: "valid"}}},
		{Shape{10, 1}, []Layer{&Conv1D{Filters: 2, Kernel: 3, Padding: "full"}}},
		{Shape{10, 1}, []Layer{&Conv1D{Filters: 0, Kernel: 3, Padding: "same"}}},
		{Shape{3, 1}, []Layer{&MaxPool1D{Size: 4}}},
		{Shape{0, 1}, []Layer{&Dense{Units: 2}}},
		{Shape{1 << 20, 1}, []Layer{&Dense{Units: 1 << 20}}},
		{Shape{10, 1}, nil},
	} {
		if _, err := NewSequential(tc.in, 1, tc.layers...); err == nil {
			t.Errorf("NewSequential(%v, %v) succeeded, want an error", tc.in, fmt.Sprint(tc.layers))
		}
	}
	if _, err := NewDCNN(DCNNConfig{InputLen: 1024, Classes: 1}); err == nil {
		t.Error("NewDCNN with 1 class succeeded")
	}
	if _, err := NewDCNN(DCNNConfig{InputLen: 8, Classes: 3}); err == nil {
		t.Error("NewDCNN with 8 inputs succeeded (pooling leaves nothing)")
	}
}
