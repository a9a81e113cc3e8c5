package loss

import "math"

// focalRow computes, for adjusted logits a (−Inf masks a class) and label
// y, the focal loss L = −(1 − p_y)^γ log p_y (cross-entropy at γ = 0) and
// its gradient w.r.t. a into g, in float64; p is scratch. It returns L and
// r = 1 − p_y, computed as Σ_{k≠y} p_k so that it stays accurate when p_y
// is close to 1.
func focalRow(a []float64, y int, gamma float64, p, g []float64) (loss, r float64) {
	m := math.Inf(-1)
	for _, v := range a {
		m = max(m, v)
	}
	sum, rest := 0.0, 0.0
	for k, v := range a {
		e := math.Exp(v - m)
		p[k] = e
		sum += e
		if k != y {
			rest += e
		}
	}
	// log p_y = (a_y − m) − log(Σ); when y is the maximum, Σ = 1 + rest.
	var logq float64
	if a[y] == m {
		logq = -math.Log1p(rest)
	} else {
		logq = (a[y] - m) - math.Log(sum)
	}
	for k := range p {
		p[k] /= sum
	}
	r = rest / sum
	q := p[y]
	// dL/da_k = A (δ_ky − p_k), A = r^γ (γ q log q / r − 1); at γ = 0, A = −1.
	var A float64
	switch {
	case gamma == 0:
		loss, A = -logq, -1
	case r == 0:
		loss, A = 0, 0
	default:
		rg := math.Pow(r, gamma)
		loss = -rg * logq
		A = rg * (gamma*q*logq/r - 1)
	}
	for k := range g {
		d := -p[k]
		if k == y {
			d = r // 1 − p_y, accurately
		}
		g[k] = A * d
	}
	return loss, r
}
