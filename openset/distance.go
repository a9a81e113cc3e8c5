package openset

import (
	"errors"
	"fmt"
	"math"

	"github.com/ghl-dev/ghl/nn"
)

// DistanceName is the name of the score Centroids.Distance computes, as
// model files record it.
const DistanceName = "distance"

// Features returns, for each of n windows (x holds n·m.InputLen()
// values), the mean and the root mean square over time of every channel of
// the model's last convolution block (the input of its Flatten layer:
// for the DCNN 16 channels, so 32 features), row-major, and the number of
// features per window. Pooled over time they say how strongly each learnt
// filter responds, wherever in the window: a signal unlike the training
// classes makes the filters respond differently even when the dense layers
// map it confidently to one class (the logits, and the dense layers'
// activations, keep only what separates the known classes). It runs the
// layers one after another on one goroutine: a check, not a hot path.
func Features(m *nn.Model, x []float32, n int) ([]float32, int, error) {
	if n < 0 || len(x) != n*m.InputLen() {
		return nil, 0, fmt.Errorf("openset: %d values for %d windows of %d", len(x), n, m.InputLen())
	}
	layers := m.Layers()
	stop := -1
	for i, l := range layers {
		if _, ok := l.(*nn.Flatten); ok {
			stop = i
			break
		}
	}
	if stop < 1 {
		return nil, 0, errors.New("openset: the model has no convolution block before a Flatten layer")
	}
	sh := layers[stop-1].OutShape()
	w, c := sh.Width, sh.Channels
	feat := make([]float32, n*2*c)
	// Windows go through the block featureChunk at a time, so memory stays
	// a few MiB however many windows there are (a whole training set at once
	// held every layer's activations: 30 MiB for 800 windows).
	bufs := make([][]float32, stop)
	in0 := m.InputLen()
	for lo := 0; lo < n; lo += featureChunk {
		k := min(featureChunk, n-lo)
		in := x[lo*in0 : (lo+k)*in0]
		for j, l := range layers[:stop] {
			size := k * l.OutShape().Size()
			if cap(bufs[j]) < size {
				bufs[j] = make([]float32, size)
			}
			out := bufs[j][:size]
			l.Forward(out, in, nil, k)
			in = out
		}
		for i := range k {
			a := in[i*w*c : (i+1)*w*c] // channels-last: a[t*c+ch]
			f := feat[(lo+i)*2*c : (lo+i+1)*2*c]
			for ch := range c {
				var sum, sq float64
				for t := range w {
					v := float64(a[t*c+ch])
					sum += v
					sq += v * v
				}
				f[ch] = float32(sum / float64(w))
				f[c+ch] = float32(math.Sqrt(sq / float64(w)))
			}
		}
	}
	return feat, 2 * c, nil
}

// featureChunk is how many windows Features runs through the layers at once.
const featureChunk = 64

// Centroids describe the known classes in a feature space: each class's
// mean and one scale per dimension (the within-class standard deviation
// pooled over classes, regularised so a dimension that never varied in
// training does not divide by zero).
type Centroids struct {
	Means [][]float64
	Scale []float64
}

// FitCentroids fits Centroids to n feature rows of dimension dim (feat,
// row-major) with labels in [0, classes). Every class needs a row.
func FitCentroids(feat []float32, dim int, labels []int, classes int) (*Centroids, error) {
	n := len(labels)
	if dim <= 0 || len(feat) != n*dim {
		return nil, fmt.Errorf("openset: %d feature values for %d rows of %d", len(feat), n, dim)
	}
	c := &Centroids{Means: make([][]float64, classes), Scale: make([]float64, dim)}
	counts := make([]int, classes)
	for k := range c.Means {
		c.Means[k] = make([]float64, dim)
	}
	for i, y := range labels {
		if y < 0 || y >= classes {
			return nil, fmt.Errorf("openset: label %d outside [0, %d)", y, classes)
		}
		counts[y]++
		for d, v := range feat[i*dim : (i+1)*dim] {
			c.Means[y][d] += float64(v)
		}
	}
	for k, m := range c.Means {
		if counts[k] == 0 {
			return nil, fmt.Errorf("openset: class %d has no training window", k)
		}
		for d := range m {
			m[d] /= float64(counts[k])
		}
	}
	total := 0.0
	for i, y := range labels {
		for d, v := range feat[i*dim : (i+1)*dim] {
			e := float64(v) - c.Means[y][d]
			c.Scale[d] += e * e
		}
	}
	for d := range c.Scale {
		c.Scale[d] /= float64(max(1, n-classes))
		total += c.Scale[d]
	}
	// A floor of 1 % of the mean variance: dimensions that hardly vary
	// within the classes weigh, at most, 100 times the average one.
	floor := 0.01*total/float64(dim) + 1e-12
	for d, v := range c.Scale {
		c.Scale[d] = math.Sqrt(v + floor)
	}
	return c, nil
}

// Distance returns each feature row's distance to the nearest class
// centroid: min over classes of the mean over dimensions of
// ((f_d − μ_kd)/s_d)². A larger score means a window less like every
// training class.
func (c *Centroids) Distance(feat []float32) []float64 {
	dim := len(c.Scale)
	if dim == 0 {
		return nil
	}
	n := len(feat) / dim
	out := make([]float64, n)
	for i := range n {
		row := feat[i*dim : (i+1)*dim]
		best := math.Inf(1)
		for _, mu := range c.Means {
			s := 0.0
			for d, v := range row {
				e := (float64(v) - mu[d]) / c.Scale[d]
				s += e * e
			}
			best = math.Min(best, s/float64(dim))
		}
		out[i] = best
	}
	return out
}
