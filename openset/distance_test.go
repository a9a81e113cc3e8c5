package openset

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/ghl-dev/ghl/nn"
)

// TestFeatures checks the pooled features against the layers run by hand
// up to the Flatten layer, and that running the remaining layers gives
// the model's own logits (so the layers were run as the model runs them).
func TestFeatures(t *testing.T) {
	m, err := nn.NewDCNN(nn.DCNNConfig{InputLen: 256, Classes: 3, Seed: 4})
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(3, 4))
	n := 5
	x := make([]float32, n*256)
	for i := range x {
		x[i] = float32(r.NormFloat64())
	}
	feat, dim, err := Features(m, x, n)
	if err != nil {
		t.Fatal(err)
	}
	if dim != 32 || len(feat) != n*32 {
		t.Fatalf("dim %d, %d values; want 32 per window (16 channels × mean, rms)", dim, len(feat))
	}
	// Run every layer; keep the Flatten input.
	var conv []float32
	var sh nn.Shape
	in := x
	for _, l := range m.Layers() {
		if _, ok := l.(*nn.Flatten); ok {
			conv, sh = in, l.InShape()
		}
		out := make([]float32, n*l.OutShape().Size())
		l.Forward(out, in, nil, n)
		in = out
	}
	logits, _ := m.Infer(x, n, nil)
	for i := range logits {
		if math.Abs(float64(in[i]-logits[i])) > 1e-4*math.Max(1, math.Abs(float64(logits[i]))) {
			t.Fatalf("layer by layer logit %d = %v, Infer %v", i, in[i], logits[i])
		}
	}
	// Window 2, channel 5: mean and rms over time.
	var sum, sq float64
	for tt := range sh.Width {
		v := float64(conv[2*sh.Size()+tt*sh.Channels+5])
		sum, sq = sum+v, sq+v*v
	}
	mean, rms := sum/float64(sh.Width), math.Sqrt(sq/float64(sh.Width))
	if math.Abs(float64(feat[2*32+5])-mean) > 1e-5 || math.Abs(float64(feat[2*32+16+5])-rms) > 1e-5 || rms == 0 {
		t.Errorf("window 2 channel 5: features %v, %v; want mean %v, rms %v", feat[2*32+5], feat[2*32+16+5], mean, rms)
	}
	if _, _, err := Features(m, x[:10], n); err == nil {
		t.Error("short input: no error")
	}
	dense, _ := nn.NewSequential(nn.Shape{Width: 4, Channels: 1}, 1, &nn.Dense{Units: 2})
	if _, _, err := Features(dense, make([]float32, 4), 1); err == nil {
		t.Error("a model without convolutions: no error")
	}
}

// TestFeaturesChunked checks that more windows than one chunk give each
// window the features it gets alone (a chunk boundary must not shift rows).
func TestFeaturesChunked(t *testing.T) {
	m, err := nn.NewDCNN(nn.DCNNConfig{InputLen: 256, Classes: 3, Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(5, 6))
	n := 2*featureChunk + 3
	x := make([]float32, n*256)
	for i := range x {
		x[i] = float32(r.NormFloat64())
	}
	all, dim, err := Features(m, x, n)
	if err != nil {
		t.Fatal(err)
	}
	for _, i := range []int{0, featureChunk - 1, featureChunk, 2 * featureChunk, n - 1} {
		one, _, err := Features(m, x[i*256:(i+1)*256], 1)
		if err != nil {
			t.Fatal(err)
		}
		for j := range dim {
			if math.Abs(float64(all[i*dim+j]-one[j])) > 1e-5*math.Max(1, math.Abs(float64(one[j]))) {
				t.Fatalf("window %d feature %d: %v in a batch of %d, %v alone", i, j, all[i*dim+j], n, one[j])
			}
		}
	}
}

func TestCentroids(t *testing.T) {
	// Two classes in 3 dimensions; the third never varies (a dead unit).
	feat := []float32{
		0, 0, 1,
		2, 0, 1,
		10, 10, 1,
		10, 12, 1,
	}
	c, err := FitCentroids(feat, 3, []int{0, 0, 1, 1}, 2)
	if err != nil {
		t.Fatal(err)
	}
	if c.Means[0][0] != 1 || c.Means[1][1] != 11 || c.Means[1][2] != 1 {
		t.Errorf("means %v", c.Means)
	}
	for _, s := range c.Scale {
		if !(s > 0) || math.IsInf(s, 0) {
			t.Fatalf("scales %v: want positive and finite", c.Scale)
		}
	}
	d := c.Distance([]float32{1, 0, 1, 10, 11, 1, 50, -40, 1, 1, 0, 3})
	if d[0] != 0 || d[1] != 0 || !(d[2] > 100*d[0]+10) || !(d[3] > 0) {
		t.Errorf("distances %v: want 0 at the class means, large far away, > 0 off the dead unit", d)
	}
	for _, bad := range []struct {
		feat   []float32
		labels []int
		k      int
	}{{feat, []int{0, 0, 0, 0}, 2}, {feat, []int{0, 1, 2, 1}, 2}, {feat[:5], []int{0, 1}, 2}} {
		if _, err := FitCentroids(bad.feat, 3, bad.labels, bad.k); err == nil {
			t.Errorf("FitCentroids(labels %v): no error", bad.labels)
		}
	}
}

func BenchmarkFeatures(b *testing.B) {
	m, _ := nn.NewDCNN(nn.DCNNConfig{InputLen: 1024, Classes: 12, Seed: 1})
	x := make([]float32, 64*1024)
	for i := range x {
		x[i] = float32(i%17) / 17
	}
	for b.Loop() {
		Features(m, x, 64)
	}
}
