package nn

import (
	"math"
	"os"
	"testing"
)

// splitMix64 is the generator of bench/peer/dcnn.py: the PyTorch vectors
// are made from it, so weights and inputs need not be stored.
type splitMix64 uint64

func (s *splitMix64) next() uint64 {
	*s += 0x9E3779B97F4A7C15
	z := uint64(*s)
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
	z = (z ^ (z >> 27)) * 0x94D049BB133111EB
	return z ^ (z >> 31)
}

func (s *splitMix64) uniform(n int, scale float64) []float32 {
	v := make([]float32, n)
	for i := range v {
		v[i] = float32(float64(int64(2*(s.next()>>40))-1<<24) / (1 << 24) * scale)
	}
	return v
}

// relErr is max|a−b| / max|b|: the error relative to the tensor's scale
// (+Inf when b is all zero, so a degenerate reference cannot pass).
func relErr(a, b []float32) float64 {
	if len(a) != len(b) {
		return math.Inf(1)
	}
	var d, s float64
	for i := range b {
		d = math.Max(d, math.Abs(float64(a[i])-float64(b[i])))
		s = math.Max(s, math.Abs(float64(b[i])))
	}
	if s == 0 {
		return math.Inf(1)
	}
	return d / s
}

// TestDCNNMatchesPyTorch checks the DCNN's logits, loss gradient and every
// parameter gradient against PyTorch's (bench/peer/make_vectors.py), with
// the weights loaded through the model file's PyTorch-layout conversion.
func TestDCNNMatchesPyTorch(t *testing.T) {
	data, err := os.ReadFile("testdata/dcnn_torch.safetensors")
	if err != nil {
		t.Fatal(err)
	}
	ts, meta, _, err := decodeSafetensors(data)
	if err != nil {
		t.Fatal(err)
	}
	ref := map[string]tensor{}
	for _, x := range ts {
		ref[x.Name] = x
	}
	t.Logf("vectors from torch %s", meta["torch_version"])
	const n, l, c = 4, 1024, 12
	m, err := NewDCNN(DCNNConfig{InputLen: l, Classes: c, Seed: 99})
	if err != nil {
		t.Fatal(err)
	}
	scales := map[string]float64{
		"conv1.weight": 1.0 / 8, "conv1.bias": 1.0 / 32, "conv2.weight": 1.0 / 16, "conv2.bias": 1.0 / 32,
		"fc1.weight": 1.0 / 32, "fc1.bias": 1.0 / 32, "fc2.weight": 1.0 / 8, "fc2.bias": 1.0 / 32,
	}
	g := splitMix64(20261125)
	var weights []tensor
	for _, x := range m.torchTensors() {
		x.Data = g.uniform(len(x.Data), scales[x.Name])
		weights = append(weights, x)
	}
	if err := m.setTorchTensors(weights); err != nil {
		t.Fatal(err)
	}
	x := g.uniform(n*l, 1)
	labels := make([]int, n)
	for i := range labels {
		labels[i] = int(g.next() % c)
	}
	if relErr(x, ref["x"].Data) != 0 {
		t.Fatal("generator differs from the Python one: inputs differ")
	}
	for i, v := range ref["labels"].Data {
		if int(v) != labels[i] {
			t.Fatalf("labels %v, torch %v", labels, ref["labels"].Data)
		}
	}
	for _, threads := range []int{1, 2} {
		m.SetThreads(threads)
		z, err := m.Forward(x, n)
		if err != nil {
			t.Fatal(err)
		}
		if e := relErr(z, ref["logits"].Data); e > 1e-4 {
			t.Errorf("logits: relative error %.3g > 1e-4", e)
		}
		d := make([]float32, n*c)
		loss := MSESoftmaxGrad(d, z, labels, c)
		if e := math.Abs(loss-float64(ref["loss"].Data[0])) / float64(ref["loss"].Data[0]); e > 1e-4 {
			t.Errorf("loss %v, torch %v", loss, ref["loss"].Data[0])
		}
		if e := relErr(d, ref["dlogits"].Data); e > 1e-3 {
			t.Errorf("dlogits: relative error %.3g > 1e-3", e)
		}
		// Back-propagate torch's own dlogits so only the network is compared.
		m.ZeroGrad()
		if err := m.Backward(ref["dlogits"].Data, nil); err != nil {
			t.Fatal(err)
		}
		// Read the gradients in PyTorch layout: swap W and G, convert, swap back.
		for _, p := range m.Params() {
			p.W, p.G = p.G, p.W
		}
		grads := m.torchTensors()
		for _, p := range m.Params() {
			p.W, p.G = p.G, p.W
		}
		for _, gr := range grads {
			e := relErr(gr.Data, ref["grad."+gr.Name].Data)
			if e > 1e-3 {
				t.Errorf("threads %d: gradient of %s: relative error %.3g > 1e-3", threads, gr.Name, e)
			} else {
				t.Logf("threads %d: gradient of %s: relative error %.3g", threads, gr.Name, e)
			}
		}
	}
}
