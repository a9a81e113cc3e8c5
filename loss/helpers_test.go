package loss

import (
	"math"
	"math/rand/v2"
)

// randLogits returns N×C logits with a label-dependent mean plus noise, as a
// partly trained model produces: the true class is favoured by sep.
func randLogits(r *rand.Rand, labels []int, C int, sep, noise float64) []float32 {
	z := make([]float32, len(labels)*C)
	for i, y := range labels {
		for k := 0; k < C; k++ {
			v := noise * r.NormFloat64()
			if k == y {
				v += sep
			}
			z[i*C+k] = float32(v)
		}
	}
	return z
}

// imbalancedLabels returns labels with counts[c] samples of class c, shuffled.
func imbalancedLabels(r *rand.Rand, counts []int) []int {
	var l []int
	for c, n := range counts {
		for k := 0; k < n; k++ {
			l = append(l, c)
		}
	}
	r.Shuffle(len(l), func(i, j int) { l[i], l[j] = l[j], l[i] })
	return l
}

// deltas returns δ of base b for the batch.
func deltas(b Base, batch Batch) []float32 {
	d := make([]float32, batch.N*batch.C)
	if err := b.PerSample(batch, nil, d, nil); err != nil {
		panic(err)
	}
	return d
}

// bruteGD is the reference density: float64 arccos of every in-class pair,
// j counted when GS_ij ≤ T_c + TieTol (T_c ≥ 0), zero gradients excluded.
func bruteGD(delta []float32, labels []int, C int, T []float64) []float64 {
	N := len(labels)
	norm := func(i int) float64 {
		s := 0.0
		for _, v := range delta[i*C : (i+1)*C] {
			s += float64(v) * float64(v)
		}
		return math.Sqrt(s)
	}
	gd := make([]float64, N)
	for i := range gd {
		gd[i] = 1
		ni := norm(i)
		t := T[labels[i]]
		if ni == 0 || t < 0 {
			continue
		}
		for j := 0; j < N; j++ {
			nj := norm(j)
			if j == i || labels[j] != labels[i] || nj == 0 {
				continue
			}
			dot := 0.0
			for k := 0; k < C; k++ {
				dot += float64(delta[i*C+k]) * float64(delta[j*C+k])
			}
			if math.Acos(max(-1, min(1, dot/(ni*nj)))) <= t+TieTol {
				gd[i]++
			}
		}
	}
	return gd
}

func allFinite32(xs []float32) bool {
	for _, x := range xs {
		if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
			return false
		}
	}
	return true
}
