package loss

import (
	"fmt"
	"math"

	"github.com/ghl-dev/ghl"
)

// Base is a per-sample base loss on a network's logits.
type Base int

const (
	// MSE is the mean squared error on the softmax output,
	// L = (1/C)·Σ_k (p_k − y_k)², δ = (2/C)(p − y) (the paper's Eq. 15).
	MSE Base = iota
	// RMSE is the root mean squared error on the softmax output,
	// L = sqrt((1/C)·Σ_k (p_k − y_k)²), δ = (p − y)/(C·L) (Eq. 16);
	// δ = 0 when L = 0.
	RMSE
	// CrossEntropy is −log p_y; its δ is taken w.r.t. the logits, δ = p − y.
	CrossEntropy
)

// String returns the name ParseBase accepts.
func (b Base) String() string {
	switch b {
	case MSE:
		return "mse"
	case RMSE:
		return "rmse"
	case CrossEntropy:
		return "ce"
	}
	return fmt.Sprintf("Base(%d)", int(b))
}

// ParseBase returns the base loss named s: "mse", "rmse" or "ce"
// ("cross-entropy" is accepted too). An unknown name wraps ghl.ErrUsage.
func ParseBase(s string) (Base, error) {
	switch s {
	case "mse":
		return MSE, nil
	case "rmse":
		return RMSE, nil
	case "ce", "cross-entropy", "crossentropy":
		return CrossEntropy, nil
	}
	return 0, fmt.Errorf("loss: unknown base loss %q (want mse, rmse or ce): %w", s, ghl.ErrUsage)
}

// toF32 clamps a finite float64 into the float32 range, so that a huge but
// finite loss (logits near ±3e38) never becomes +Inf when stored.
func toF32(x float64) float32 {
	if x > math.MaxFloat32 {
		return math.MaxFloat32
	}
	if x < -math.MaxFloat32 {
		return -math.MaxFloat32
	}
	return float32(x)
}

// softmaxRow writes the softmax of z into p, accumulating in float64 after
// subtracting the row maximum (so ±1e30 logits neither overflow nor give
// NaN). It returns log Σ exp(z − max) and the maximum.
func softmaxRow(p []float64, z []float32) (logSum, zmax float64) {
	zmax = math.Inf(-1)
	for _, v := range z {
		if float64(v) > zmax {
			zmax = float64(v)
		}
	}
	s := 0.0
	for k, v := range z {
		e := math.Exp(float64(v) - zmax)
		p[k] = e
		s += e
	}
	for k := range p {
		p[k] /= s
	}
	return math.Log(s), zmax
}

// sampleGrad computes, for one sample with logits z and label y, the base
// loss L, δ (written to delta; w.r.t. the softmax output for MSE/RMSE, w.r.t.
// the logits for cross-entropy) and dL/dz (written to dz). p is scratch of
// length C. All arithmetic is float64.
func (b Base) sampleGrad(z []float32, y int, p, delta, dz []float64) float64 {
	C := len(z)
	logSum, zmax := softmaxRow(p, z)
	switch b {
	case CrossEntropy:
		copy(delta, p)
		delta[y] -= 1
		copy(dz, delta)
		// −log p_y = log Σ exp(z − max) − (z_y − max), exact even when p_y
		// underflows to zero.
		return logSum - (float64(z[y]) - zmax)
	case MSE, RMSE:
		ss := 0.0
		for k := range p {
			r := p[k]
			if k == y {
				r -= 1
			}
			ss += r * r
			delta[k] = r
		}
		var l, scale float64
		if b == MSE {
			l = ss / float64(C)
			scale = 2 / float64(C)
		} else {
			l = math.Sqrt(ss / float64(C))
			if l > 0 {
				scale = 1 / (float64(C) * l)
			}
		}
		pg := 0.0
		for k := range delta {
			delta[k] *= scale
			pg += p[k] * delta[k]
		}
		// Softmax Jacobian: dL/dz_j = p_j (δ_j − Σ_k p_k δ_k).
		for k := range dz {
			dz[k] = p[k] * (delta[k] - pg)
		}
		return l
	}
	return 0
}

// PerSample computes the unweighted base loss of every sample, δ (N×C) and
// the unweighted gradient of each sample's loss w.r.t. its logits (N×C).
// Any of loss, delta and dlogits may be nil when not wanted. It checks the
// batch (sizes, labels in [0, C), finite logits) and returns an error
// wrapping ghl.ErrBadInput otherwise.
func (b Base) PerSample(batch Batch, loss, delta, dlogits []float32) error {
	if err := batch.check(); err != nil {
		return err
	}
	C := batch.C
	buf := make([]float64, 3*C)
	b.perSample(batch, loss, nil, delta, dlogits, buf)
	return nil
}

// perSample is PerSample without checks, with caller-owned scratch (3·C
// float64) and, if loss64 is not nil, the losses in float64 too.
func (b Base) perSample(batch Batch, loss []float32, loss64 []float64, delta, dlogits []float32, buf []float64) {
	C := batch.C
	p, d, dz := buf[:C], buf[C:2*C], buf[2*C:3*C]
	for i := 0; i < batch.N; i++ {
		l := b.sampleGrad(batch.Logits[i*C:(i+1)*C], batch.Labels[i], p, d, dz)
		if loss != nil {
			loss[i] = toF32(l)
		}
		if loss64 != nil {
			loss64[i] = l
		}
		if delta != nil {
			row := delta[i*C : (i+1)*C]
			for k := range row {
				row[k] = float32(d[k])
			}
		}
		if dlogits != nil {
			row := dlogits[i*C : (i+1)*C]
			for k := range row {
				row[k] = float32(dz[k])
			}
		}
	}
}

// check validates a batch; errors wrap ghl.ErrBadInput.
func (b Batch) check() error {
	if b.C < 2 {
		return fmt.Errorf("loss: batch has %d classes, need at least 2: %w", b.C, ghl.ErrBadInput)
	}
	if b.N < 0 || len(b.Logits) != b.N*b.C || len(b.Labels) != b.N {
		return fmt.Errorf("loss: batch N=%d C=%d has %d logits and %d labels: %w",
			b.N, b.C, len(b.Logits), len(b.Labels), ghl.ErrBadInput)
	}
	for i, y := range b.Labels {
		if y < 0 || y >= b.C {
			return fmt.Errorf("loss: sample %d has label %d outside [0, %d): %w", i, y, b.C, ghl.ErrBadInput)
		}
	}
	for i, v := range b.Logits {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			return fmt.Errorf("loss: sample %d has a non-finite logit %v: %w", i/b.C, v, ghl.ErrBadInput)
		}
	}
	return nil
}
