package kernel

import (
	"fmt"
	"os"
	"strings"
)

// kernels is one implementation of the package's operations. The forward
// functions accept a nil bias (zeros) and convForward a negative pad: the
// input gradients are computed with them (see flipTranspose).
type kernels struct {
	name                string
	convForward         func(out, in, w, bias []float32, win, cin, cout, k, pad, wout int)
	convBackwardWeight  func(dw, dbias, in, dout []float32, win, cin, cout, k, pad, wout int)
	denseForward        func(out, in, w, bias []float32, n, nin, nout int)
	denseBackwardWeight func(dw, db, in, dout []float32, n, nin, nout int)
	maxPoolForward      func(y []float32, arg []uint8, x []float32, wout, c, s int, relu bool)
	maxPoolBackward     func(dx, dy []float32, arg []uint8, win, wout, c, s int)
}

// goKernels is the portable implementation.
var goKernels = kernels{
	name:                "purego",
	convForward:         convForwardGo,
	convBackwardWeight:  convBackwardWeightGo,
	denseForward:        denseForwardGo,
	denseBackwardWeight: denseBackwardWeightGo,
	maxPoolForward:      maxPoolForwardGo,
	maxPoolBackward:     maxPoolBackwardGo,
}

// convBackwardInputFlipped is ConvBackwardInputFlipped on path kp.
func (kp kernels) convBackwardInputFlipped(din, dout, wf []float32, win, cin, cout, k, pad, wout int) {
	kp.convForward(din, dout, wf, nil, wout, cout, cin, k, k-1-pad, win)
}

// convBackwardInput is ConvBackwardInput on path kp.
func (kp kernels) convBackwardInput(din, dout, w []float32, win, cin, cout, k, pad, wout int) {
	wf := getScratch(k * cout * cin)
	defer scratchPool.Put(wf)
	flipTranspose(*wf, w, cin, cout, k)
	kp.convBackwardInputFlipped(din, dout, *wf, win, cin, cout, k, pad, wout)
}

// denseBackwardInput is DenseBackwardInput on path kp.
func (kp kernels) denseBackwardInput(din, dout, w []float32, n, nin, nout int) {
	wt := getScratch(nout * nin)
	defer scratchPool.Put(wt)
	transpose(*wt, w, nin, nout)
	kp.denseForward(din, dout, *wt, nil, n, nout, nin)
}

// active is the implementation the exported functions use, chosen once,
// from the CPU's features and $GHL_KERNEL, when the package is initialised
// and never changed (the tests run the other paths through their own
// kernels values). activeErr says why $GHL_KERNEL was not followed.
var active, activeErr = selectKernels(os.Getenv(EnvKernel), availableKernels())

// EnvKernel names the environment variable that overrides the kernel path:
// "avx512", "avx2" or "purego" (to measure a slower machine's path on a
// faster one). It is read once, at start-up; a path the CPU lacks is not
// taken (see Err).
const EnvKernel = "GHL_KERNEL"

// selectKernels returns the path named want among avail (best first), or
// avail[0] when want is empty; a want not in avail gives avail[0] and an
// error saying why.
func selectKernels(want string, avail []kernels) (kernels, error) {
	names := make([]string, len(avail))
	for i, k := range avail {
		if k.name == want || want == "" {
			return k, nil
		}
		names[i] = k.name
	}
	switch want {
	case "avx512", "avx2", "purego":
		return avail[0], fmt.Errorf("%s=%s: this CPU (or build) cannot run that path; it can run %s", EnvKernel, want, strings.Join(names, ", "))
	}
	return avail[0], fmt.Errorf("%s=%q: want avx512, avx2 or purego (this CPU runs %s)", EnvKernel, want, strings.Join(names, ", "))
}

// Err reports a $GHL_KERNEL the package could not follow (nil if unset or
// followed); the best path is active then. Programs should refuse to run
// with it, so a measurement never silently uses another path.
func Err() error { return activeErr }

// Name reports the kernel path in use: "avx512", "avx2" or "purego".
func Name() string { return active.name }

// ConvForward computes one sample of a stride-1 1-D convolution in the
// channels-last layout:
//
//	out[t*cout+co] = bias[co] + Σ_{j<k} Σ_{ci<cin} in[(t+j-pad)*cin+ci] * w[(j*cin+ci)*cout+co]
//
// for t < wout, with the input taken as zero outside [0, win). It overwrites
// out[:wout*cout] and reads in[:win*cin], w[:k*cin*cout] and bias[:cout].
// Preconditions (not checked beyond slice lengths): all sizes >= 1, pad >= 0.
func ConvForward(out, in, w, bias []float32, win, cin, cout, k, pad, wout int) {
	checkConv(win, cin, cout, k, pad, wout)
	need("ConvForward out", out, wout*cout)
	need("ConvForward in", in, win*cin)
	need("ConvForward w", w, k*cin*cout)
	need("ConvForward bias", bias, cout)
	active.convForward(out, in, w, bias, win, cin, cout, k, pad, wout)
}

// ConvBackwardInput overwrites din[:win*cin] with the gradient of
// Σ out·dout with respect to the input of ConvForward:
//
//	din[s*cin+ci] = Σ_{t,j: t+j-pad=s} Σ_co dout[t*cout+co] * w[(j*cin+ci)*cout+co]
//
// It reads dout[:wout*cout] and w[:k*cin*cout]. Same preconditions as ConvForward.
func ConvBackwardInput(din, dout, w []float32, win, cin, cout, k, pad, wout int) {
	checkConv(win, cin, cout, k, pad, wout)
	need("ConvBackwardInput din", din, win*cin)
	need("ConvBackwardInput dout", dout, wout*cout)
	need("ConvBackwardInput w", w, k*cin*cout)
	active.convBackwardInput(din, dout, w, win, cin, cout, k, pad, wout)
}

// ConvFlipWeights writes into wf[:k*cout*cin] the weights of ConvForward
// flipped in j and transposed in (ci, co), wf[(j*cout+co)*cin+ci] =
// w[((k-1-j)*cin+ci)*cout+co], for ConvBackwardInputFlipped.
func ConvFlipWeights(wf, w []float32, cin, cout, k int) {
	checkConv(1, cin, cout, k, 0, 1)
	need("ConvFlipWeights wf", wf, k*cin*cout)
	need("ConvFlipWeights w", w, k*cin*cout)
	flipTranspose(wf, w, cin, cout, k)
}

// ConvBackwardInputFlipped is ConvBackwardInput with the weights already
// prepared by ConvFlipWeights. ConvBackwardInput prepares them on every call
// (about a fifth of its time at the DCNN's second layer); a layer that
// back-propagates many samples with the same weights prepares them once.
func ConvBackwardInputFlipped(din, dout, wf []float32, win, cin, cout, k, pad, wout int) {
	checkConv(win, cin, cout, k, pad, wout)
	need("ConvBackwardInputFlipped din", din, win*cin)
	need("ConvBackwardInputFlipped dout", dout, wout*cout)
	need("ConvBackwardInputFlipped wf", wf, k*cin*cout)
	active.convBackwardInputFlipped(din, dout, wf, win, cin, cout, k, pad, wout)
}

// ConvBackwardWeight accumulates into dw[:k*cin*cout] and dbias[:cout] the
// gradient of Σ out·dout with respect to the weights and bias of ConvForward,
// for one sample:
//
//	dw[(j*cin+ci)*cout+co] += Σ_t in[(t+j-pad)*cin+ci] * dout[t*cout+co]
//	dbias[co] += Σ_t dout[t*cout+co]
//
// It reads in[:win*cin] and dout[:wout*cout]. Same preconditions as ConvForward.
func ConvBackwardWeight(dw, dbias, in, dout []float32, win, cin, cout, k, pad, wout int) {
	checkConv(win, cin, cout, k, pad, wout)
	need("ConvBackwardWeight dw", dw, k*cin*cout)
	need("ConvBackwardWeight dbias", dbias, cout)
	need("ConvBackwardWeight in", in, win*cin)
	need("ConvBackwardWeight dout", dout, wout*cout)
	active.convBackwardWeight(dw, dbias, in, dout, win, cin, cout, k, pad, wout)
}

// DenseForward computes n rows of a fully connected layer:
//
//	out[i*nout+o] = bias[o] + Σ_d in[i*nin+d] * w[d*nout+o]
//
// It overwrites out[:n*nout] and reads in[:n*nin], w[:nin*nout], bias[:nout].
// Preconditions: n, nin, nout >= 1.
func DenseForward(out, in, w, bias []float32, n, nin, nout int) {
	checkDense(n, nin, nout)
	need("DenseForward out", out, n*nout)
	need("DenseForward in", in, n*nin)
	need("DenseForward w", w, nin*nout)
	need("DenseForward bias", bias, nout)
	active.denseForward(out, in, w, bias, n, nin, nout)
}

// DenseBackwardInput overwrites din[:n*nin] with
//
//	din[i*nin+d] = Σ_o dout[i*nout+o] * w[d*nout+o]
//
// reading dout[:n*nout] and w[:nin*nout]. It transposes w into a scratch
// buffer on every call, so call it with as many rows as possible, or
// transpose once with DenseTransposeWeights and call
// DenseBackwardInputTransposed. Preconditions: n, nin, nout >= 1.
func DenseBackwardInput(din, dout, w []float32, n, nin, nout int) {
	checkDense(n, nin, nout)
	need("DenseBackwardInput din", din, n*nin)
	need("DenseBackwardInput dout", dout, n*nout)
	need("DenseBackwardInput w", w, nin*nout)
	active.denseBackwardInput(din, dout, w, n, nin, nout)
}

// DenseTransposeWeights writes wt[o*nin+d] = w[d*nout+o] into wt[:nin*nout],
// for DenseBackwardInputTransposed.
func DenseTransposeWeights(wt, w []float32, nin, nout int) {
	checkDense(1, nin, nout)
	need("DenseTransposeWeights wt", wt, nin*nout)
	need("DenseTransposeWeights w", w, nin*nout)
	transpose(wt, w, nin, nout)
}

// DenseBackwardInputTransposed is DenseBackwardInput with the weights
// already transposed by DenseTransposeWeights.
func DenseBackwardInputTransposed(din, dout, wt []float32, n, nin, nout int) {
	checkDense(n, nin, nout)
	need("DenseBackwardInputTransposed din", din, n*nin)
	need("DenseBackwardInputTransposed dout", dout, n*nout)
	need("DenseBackwardInputTransposed wt", wt, nin*nout)
	active.denseForward(din, dout, wt, nil, n, nout, nin)
}

// DenseBackwardWeight accumulates
//
//	dw[d*nout+o] += Σ_i in[i*nin+d] * dout[i*nout+o]
//	db[o] += Σ_i dout[i*nout+o]
//
// into dw[:nin*nout] and db[:nout], reading in[:n*nin] and dout[:n*nout].
// Preconditions: n, nin, nout >= 1.
func DenseBackwardWeight(dw, db, in, dout []float32, n, nin, nout int) {
	checkDense(n, nin, nout)
	need("DenseBackwardWeight dw", dw, nin*nout)
	need("DenseBackwardWeight db", db, nout)
	need("DenseBackwardWeight in", in, n*nin)
	need("DenseBackwardWeight dout", dout, n*nout)
	active.denseBackwardWeight(dw, db, in, dout, n, nin, nout)
}

// need panics if s is shorter than n. The kernels are internal: a short
// slice is a bug in the calling layer, and the assembly paths must never be
// handed one.
func need(what string, s []float32, n int) {
	if len(s) < n {
		panic(fmt.Sprintf("kernel: %s has length %d, need %d", what, len(s), n))
	}
}

func checkConv(win, cin, cout, k, pad, wout int) {
	if win < 1 || cin < 1 || cout < 1 || k < 1 || pad < 0 || wout < 1 {
		panic(fmt.Sprintf("kernel: invalid conv shape win=%d cin=%d cout=%d k=%d pad=%d wout=%d",
			win, cin, cout, k, pad, wout))
	}
}

func checkDense(n, nin, nout int) {
	if n < 1 || nin < 1 || nout < 1 {
		panic(fmt.Sprintf("kernel: invalid dense shape n=%d nin=%d nout=%d", n, nin, nout))
	}
}
