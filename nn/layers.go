package nn

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/ghl-dev/ghl"
	"github.com/ghl-dev/ghl/nn/internal/kernel"
)

// Shape is the shape of one sample's activation: Width positions by
// Channels channels, stored channels-last (position-major): element (t, c)
// is at index t*Channels + c.
type Shape struct {
	Width, Channels int
}

// Size is the number of float32 values of one sample: Width·Channels.
func (s Shape) Size() int { return s.Width * s.Channels }

// Param is one learnable tensor of a layer: its weights W and the gradient G
// that Backward accumulates into, both in ghl's layout (see the package
// documentation), of the same length.
type Param struct {
	// Name is the PyTorch state_dict key of the tensor, such as
	// "conv1.weight"; the model file stores the tensor under it.
	Name string
	// Shape is the tensor's shape in ghl's layout: [k, cin, cout] for a
	// convolution kernel, [nin, nout] for a dense matrix, [n] for a bias.
	Shape []int
	// W holds the weights, G their gradient.
	W, G []float32
}

func newParam(name string, shape ...int) *Param {
	n := 1
	for _, d := range shape {
		n *= d
	}
	return &Param{Name: name, Shape: shape, W: make([]float32, n), G: make([]float32, n)}
}

// BackwardArgs carries the buffers of one layer's backward pass over a
// block of samples. In and Out are the layer's forward input and output for
// the whole forwarded batch (one row per sample); Rows says which of those
// samples the block holds, in order. DOut and DIn are contiguous, one row per
// entry of Rows.
type BackwardArgs struct {
	// Rows are the indices of the block's samples in In, Out and Cache.
	Rows []int
	// In and Out are the layer's forward input and output and Cache what
	// its Forward cached, one row per sample. The model keeps In and Out
	// only for the layers whose Backward reads them (convolution and dense
	// layers read In, ReLU reads Out, max-pool only its Cache); the others
	// get nil.
	In, Out []float32
	Cache   []uint8
	// DOut is ∂L/∂out for the block: len(Rows) rows of the output size.
	DOut []float32
	// DIn receives ∂L/∂in for the block (overwritten): len(Rows) rows of
	// the input size. Nil when no earlier layer needs it.
	DIn []float32
	// Grads are the gradient accumulators of the layer's parameters, in
	// the order of Params; Backward adds the block's contribution.
	Grads [][]float32
	// Scratch is working space of at least len(Rows)·input size values.
	Scratch []float32
}

// Layer is one stage of a Sequential model. Every layer has a Forward and a
// Backward written out side by side; both work on blocks of samples so the
// model can run blocks on several goroutines. A Layer value is configured
// (its fields set) by the caller, then sized by the model it is given to;
// it must not be shared between models.
type Layer interface {
	// Forward computes n samples' outputs from n inputs (both contiguous,
	// one row per sample). out may be the same slice as in for layers
	// that work in place (ReLU, Flatten). cache, when not nil, holds n
	// rows of what Backward will need beyond In and Out (max-pool: the
	// argmax); nil means inference.
	Forward(out, in []float32, cache []uint8, n int)
	// Backward computes DIn (when not nil) from DOut and accumulates the
	// parameter gradients into Grads, for the samples in Rows.
	Backward(a *BackwardArgs)
	// Params returns the learnable tensors (nil for none).
	Params() []*Param
	// InShape and OutShape report the per-sample shapes once sized.
	InShape() Shape
	OutShape() Shape

	build(in Shape, idx int) (Shape, error)
	inPlace() bool
	needsIn() bool  // Backward reads In
	needsOut() bool // Backward reads Out
	cacheSize() int // bytes of Cache per sample
	spec() layerSpec
	initParams(r *rand.Rand, relu bool)
	flops() (fwd, bwdWeight, bwdInput float64)
}

// preparer is a layer that rearranges its weights once per Backward.
type preparer interface {
	prepare()
	done()
}

// layerSpec is the JSON description of one layer in a model file.
type layerSpec struct {
	Type    string `json:"type"`
	Filters int    `json:"filters,omitempty"`
	Kernel  int    `json:"kernel,omitempty"`
	Padding string `json:"padding,omitempty"`
	Size    int    `json:"size,omitempty"`
	Units   int    `json:"units,omitempty"`
}

// shapes holds a layer's per-sample input and output shapes, set by build.
type shapes struct{ in, out Shape }

// InShape reports the per-sample input shape.
func (s *shapes) InShape() Shape { return s.in }

// OutShape reports the per-sample output shape.
func (s *shapes) OutShape() Shape { return s.out }

// weights is embedded by the layers with a weight tensor and a bias
// (Conv1D, Dense). prep holds the weights rearranged once per Backward for
// the input gradients (prepared says it matches weight.W); the model sets
// it before a Backward's blocks run and clears it after, so a weight update
// can never go unnoticed.
type weights struct {
	weight, bia *Param
	prep        []float32
	prepared    bool
}

// Params returns the weights (convolution: [Kernel, in channels, Filters];
// dense: [inputs, Units]) and the bias.
func (w *weights) Params() []*Param { return []*Param{w.weight, w.bia} }

func (w *weights) prepBuf() []float32 {
	if w.prep == nil {
		w.prep = make([]float32, len(w.weight.W))
	}
	w.prepared = true
	return w.prep
}

func (w *weights) done()          { w.prepared = false }
func (w *weights) inPlace() bool  { return false }
func (w *weights) needsIn() bool  { return true }
func (w *weights) needsOut() bool { return false }
func (w *weights) cacheSize() int { return 0 }

// noParams is embedded by the layers that learn nothing.
type noParams struct{}

// Params returns nil: the layer learns nothing.
func (noParams) Params() []*Param                   { return nil }
func (noParams) initParams(*rand.Rand, bool)        {}
func (noParams) flops() (float64, float64, float64) { return 0, 0, 0 }

// maxDim bounds every width, channel count and unit count a model may have,
// so that a hostile model file cannot ask for absurd allocations.
const maxDim = 1 << 24

func checkDim(what string, v int) error {
	if v <= 0 || v > maxDim {
		return fmt.Errorf("%w: %s %d out of range [1, %d]", ghl.ErrUsage, what, v, maxDim)
	}
	return nil
}

// Conv1D is a one-dimensional convolution with stride 1 (cross-correlation,
// as in PyTorch's Conv1d). Padding "same" keeps the width (zero padding of
// (Kernel−1)/2 on the left and the rest on the right, as PyTorch's
// padding='same'); "valid" uses no padding, so the width shrinks by Kernel−1.
type Conv1D struct {
	Filters, Kernel int
	Padding         string // "same" or "valid"

	shapes
	weights
	pad int
}

func (l *Conv1D) build(in Shape, idx int) (Shape, error) {
	if err := checkDim("conv filters", l.Filters); err != nil {
		return Shape{}, err
	}
	if err := checkDim("conv kernel", l.Kernel); err != nil {
		return Shape{}, err
	}
	l.in = in
	switch l.Padding {
	case "same":
		l.pad = (l.Kernel - 1) / 2
		l.out = Shape{in.Width, l.Filters}
	case "valid":
		l.pad = 0
		l.out = Shape{in.Width - l.Kernel + 1, l.Filters}
	default:
		return Shape{}, fmt.Errorf("%w: conv padding %q: want \"same\" or \"valid\"", ghl.ErrUsage, l.Padding)
	}
	if l.out.Width < 1 {
		return Shape{}, fmt.Errorf("%w: conv kernel %d longer than its input width %d", ghl.ErrUsage, l.Kernel, in.Width)
	}
	if float64(l.Kernel)*float64(in.Channels)*float64(l.Filters) > maxDim {
		return Shape{}, fmt.Errorf("%w: conv kernel %d×%d×%d too large", ghl.ErrUsage, l.Kernel, in.Channels, l.Filters)
	}
	l.weight = newParam(fmt.Sprintf("conv%d.weight", idx), l.Kernel, in.Channels, l.Filters)
	l.bia = newParam(fmt.Sprintf("conv%d.bias", idx), l.Filters)
	return l.out, nil
}

// Forward: out[t,co] = bias[co] + Σ_j Σ_ci in[t+j−pad, ci]·w[j,ci,co].
func (l *Conv1D) Forward(out, in []float32, _ []uint8, n int) {
	is, os := l.in.Size(), l.out.Size()
	for i := range n {
		kernel.ConvForward(out[i*os:(i+1)*os], in[i*is:(i+1)*is], l.weight.W, l.bia.W,
			l.in.Width, l.in.Channels, l.Filters, l.Kernel, l.pad, l.out.Width)
	}
}

// Backward: ∂w[j,ci,co] += Σ_t in[t+j−pad, ci]·dout[t,co]; ∂bias[co] +=
// Σ_t dout[t,co]; din[s,ci] = Σ_j Σ_co dout[s−j+pad, co]·w[j,ci,co].
func (l *Conv1D) Backward(a *BackwardArgs) {
	is, os := l.in.Size(), l.out.Size()
	for i, r := range a.Rows {
		dout := a.DOut[i*os : (i+1)*os]
		kernel.ConvBackwardWeight(a.Grads[0], a.Grads[1], a.In[r*is:(r+1)*is], dout,
			l.in.Width, l.in.Channels, l.Filters, l.Kernel, l.pad, l.out.Width)
		switch {
		case a.DIn == nil:
		case l.prepared:
			kernel.ConvBackwardInputFlipped(a.DIn[i*is:(i+1)*is], dout, l.prep,
				l.in.Width, l.in.Channels, l.Filters, l.Kernel, l.pad, l.out.Width)
		default:
			kernel.ConvBackwardInput(a.DIn[i*is:(i+1)*is], dout, l.weight.W,
				l.in.Width, l.in.Channels, l.Filters, l.Kernel, l.pad, l.out.Width)
		}
	}
}

// prepare flips the kernel once for the input gradients of a whole
// Backward (the kernel package would otherwise do it for every sample).
func (l *Conv1D) prepare() {
	kernel.ConvFlipWeights(l.prepBuf(), l.weight.W, l.in.Channels, l.Filters, l.Kernel)
}

func (l *Conv1D) spec() layerSpec {
	return layerSpec{Type: "conv1d", Filters: l.Filters, Kernel: l.Kernel, Padding: l.Padding}
}
func (l *Conv1D) initParams(r *rand.Rand, relu bool) {
	initWeights(r, l.weight.W, l.Kernel*l.in.Channels, l.Kernel*l.Filters, relu)
	clear(l.bia.W)
}
func (l *Conv1D) flops() (float64, float64, float64) {
	f := 2 * float64(l.out.Width) * float64(l.Kernel) * float64(l.in.Channels) * float64(l.Filters)
	return f, f, f
}

// initWeights fills w with He normal values (std √(2/fanIn)) for a layer
// followed by a ReLU, else with Glorot uniform values (limit √(6/(fanIn+fanOut))).
func initWeights(r *rand.Rand, w []float32, fanIn, fanOut int, relu bool) {
	if relu {
		std := math.Sqrt(2 / float64(fanIn))
		for i := range w {
			w[i] = float32(r.NormFloat64() * std)
		}
		return
	}
	lim := math.Sqrt(6 / float64(fanIn+fanOut))
	for i := range w {
		w[i] = float32((2*r.Float64() - 1) * lim)
	}
}

// MaxPool1D takes the maximum of each channel over non-overlapping windows
// of Size positions (stride = Size, at most 255). The output width is
// floor(in/Size), as in PyTorch; trailing positions are dropped. Ties go to
// the first maximum, which receives the whole gradient (PyTorch's rule).
type MaxPool1D struct {
	Size int

	shapes
	noParams
	// reluIn: the model fused the ReLU before this layer into it, so
	// In is the ReLU's input and the layer computes max(0, max window).
	reluIn bool
}

// noArg marks a window that passes no gradient (fused ReLU, maximum ≤ 0).
const noArg = kernel.PoolNoArg

func (l *MaxPool1D) build(in Shape, _ int) (Shape, error) {
	if l.Size < 1 || l.Size >= noArg {
		return Shape{}, fmt.Errorf("%w: pool size %d out of range [1, %d]", ghl.ErrUsage, l.Size, noArg-1)
	}
	l.in = in
	l.out = Shape{in.Width / l.Size, in.Channels}
	if l.out.Width < 1 {
		return Shape{}, fmt.Errorf("%w: pool size %d larger than its input width %d", ghl.ErrUsage, l.Size, in.Width)
	}
	return l.out, nil
}

// Forward: out[t,c] = max_{j<Size} in[t·Size+j, c] (and max(0, that)
// when a preceding ReLU was fused in); cache[t,c] = the first j reaching
// the maximum (noArg when a fused ReLU zeroed it).
func (l *MaxPool1D) Forward(out, in []float32, cache []uint8, n int) {
	is, os := l.in.Size(), l.out.Size()
	for i := range n {
		var arg []uint8
		if cache != nil {
			arg = cache[i*os : (i+1)*os]
		}
		kernel.MaxPoolForward(out[i*os:(i+1)*os], arg, in[i*is:(i+1)*is], l.out.Width, l.in.Channels, l.Size, l.reluIn)
	}
}

// Backward routes dout[t,c] to the input its Forward picked (the cached
// argmax); every other input gets zero. With a fused ReLU, a window whose
// output is 0 passes no gradient (the ReLU's backward).
func (l *MaxPool1D) Backward(a *BackwardArgs) {
	if a.DIn == nil {
		return
	}
	is, os := l.in.Size(), l.out.Size()
	for i, r := range a.Rows {
		kernel.MaxPoolBackward(a.DIn[i*is:(i+1)*is], a.DOut[i*os:(i+1)*os], a.Cache[r*os:(r+1)*os],
			l.in.Width, l.out.Width, l.in.Channels, l.Size)
	}
}

func (l *MaxPool1D) inPlace() bool   { return false }
func (l *MaxPool1D) needsIn() bool   { return false }
func (l *MaxPool1D) needsOut() bool  { return false }
func (l *MaxPool1D) cacheSize() int  { return l.out.Size() }
func (l *MaxPool1D) spec() layerSpec { return layerSpec{Type: "maxpool1d", Size: l.Size} }

// Dense is a fully connected layer: out = in·W + b over the flattened
// input (Width·Channels values in channels-last order).
type Dense struct {
	Units int

	shapes
	weights
}

func (l *Dense) build(in Shape, idx int) (Shape, error) {
	if err := checkDim("dense units", l.Units); err != nil {
		return Shape{}, err
	}
	if float64(in.Size())*float64(l.Units) > maxDim {
		return Shape{}, fmt.Errorf("%w: dense %d×%d too large", ghl.ErrUsage, in.Size(), l.Units)
	}
	l.in = in
	l.out = Shape{1, l.Units}
	l.weight = newParam(fmt.Sprintf("fc%d.weight", idx), in.Size(), l.Units)
	l.bia = newParam(fmt.Sprintf("fc%d.bias", idx), l.Units)
	return l.out, nil
}

// Forward: out[i,o] = b[o] + Σ_d in[i,d]·W[d,o].
func (l *Dense) Forward(out, in []float32, _ []uint8, n int) {
	kernel.DenseForward(out, in, l.weight.W, l.bia.W, n, l.in.Size(), l.Units)
}

// consecutive reports whether rows are r0, r0+1, r0+2, ...
func consecutive(rows []int) bool {
	for i, r := range rows {
		if r != rows[0]+i {
			return false
		}
	}
	return true
}

// Backward gathers the block's input rows into Scratch (unless they are
// consecutive already), then: ∂W[d,o] +=
// Σ_i in[i,d]·dout[i,o]; ∂b[o] += Σ_i dout[i,o]; din[i,d] = Σ_o dout[i,o]·W[d,o].
func (l *Dense) Backward(a *BackwardArgs) {
	nin, n := l.in.Size(), len(a.Rows)
	var x []float32
	if r0 := a.Rows[0]; consecutive(a.Rows) {
		x = a.In[r0*nin : (r0+n)*nin]
	} else {
		x = a.Scratch[:n*nin]
		for i, r := range a.Rows {
			copy(x[i*nin:(i+1)*nin], a.In[r*nin:(r+1)*nin])
		}
	}
	kernel.DenseBackwardWeight(a.Grads[0], a.Grads[1], x, a.DOut, n, nin, l.Units)
	switch {
	case a.DIn == nil:
	case l.prepared:
		kernel.DenseBackwardInputTransposed(a.DIn, a.DOut, l.prep, n, nin, l.Units)
	default:
		kernel.DenseBackwardInput(a.DIn, a.DOut, l.weight.W, n, nin, l.Units)
	}
}

// prepare transposes the weights once for a whole Backward.
func (l *Dense) prepare() {
	kernel.DenseTransposeWeights(l.prepBuf(), l.weight.W, l.in.Size(), l.Units)
}

func (l *Dense) spec() layerSpec { return layerSpec{Type: "dense", Units: l.Units} }
func (l *Dense) initParams(r *rand.Rand, relu bool) {
	initWeights(r, l.weight.W, l.in.Size(), l.Units, relu)
	clear(l.bia.W)
}
func (l *Dense) flops() (float64, float64, float64) {
	f := 2 * float64(l.in.Size()) * float64(l.Units)
	return f, f, f
}

// ReLU is max(0, x), applied in place.
type ReLU struct {
	shapes
	noParams
}

func (l *ReLU) build(in Shape, _ int) (Shape, error) {
	l.in, l.out = in, in
	return in, nil
}

// Forward: out = max(0, in); out may be in.
func (l *ReLU) Forward(out, in []float32, _ []uint8, n int) {
	m := n * l.in.Size()
	for i, v := range in[:m] {
		out[i] = max(v, 0)
	}
}

// Backward: din = dout where the output is positive, else 0 (so the
// gradient at 0 is 0, as in PyTorch). It reads Out, which is valid even when
// the forward pass ran in place.
func (l *ReLU) Backward(a *BackwardArgs) {
	if a.DIn == nil {
		return
	}
	s := l.in.Size()
	for i, r := range a.Rows {
		y := a.Out[r*s : (r+1)*s]
		dy, dx := a.DOut[i*s:(i+1)*s], a.DIn[i*s:(i+1)*s]
		for k, v := range y {
			if v > 0 {
				dx[k] = dy[k]
			} else {
				dx[k] = 0
			}
		}
	}
}

func (l *ReLU) inPlace() bool   { return true }
func (l *ReLU) needsIn() bool   { return false }
func (l *ReLU) needsOut() bool  { return true }
func (l *ReLU) cacheSize() int  { return 0 }
func (l *ReLU) spec() layerSpec { return layerSpec{Type: "relu"} }

// Flatten turns a (Width, Channels) sample into a (1, Width·Channels)
// vector. With channels-last storage it moves no data; the element order is
// position-major (t·Channels + c), unlike PyTorch's channel-major
// nn.Flatten (c·Width + t): the model file permutes the following dense
// layer's weights accordingly.
type Flatten struct {
	shapes
	noParams
}

func (l *Flatten) build(in Shape, _ int) (Shape, error) {
	l.in, l.out = in, Shape{1, in.Size()}
	return l.out, nil
}

// Forward copies in to out (nothing to do when they are the same slice).
func (l *Flatten) Forward(out, in []float32, _ []uint8, n int) {
	m := n * l.in.Size()
	if m > 0 && &out[0] != &in[0] {
		copy(out[:m], in[:m])
	}
}

// Backward copies DOut to DIn.
func (l *Flatten) Backward(a *BackwardArgs) {
	if a.DIn != nil {
		copy(a.DIn, a.DOut[:len(a.Rows)*l.in.Size()])
	}
}

func (l *Flatten) inPlace() bool   { return true }
func (l *Flatten) needsIn() bool   { return false }
func (l *Flatten) needsOut() bool  { return false }
func (l *Flatten) cacheSize() int  { return 0 }
func (l *Flatten) spec() layerSpec { return layerSpec{Type: "flatten"} }

// Softmax writes the row-wise softmax of n rows of c logits into out (which
// may be logits) and returns out. It subtracts each row's maximum first, so
// large logits do not overflow. Training does not use it: the loss package
// computes softmax and loss together from the logits.
func Softmax(out, logits []float32, n, c int) []float32 {
	for i := range n {
		z, p := logits[i*c:(i+1)*c], out[i*c:(i+1)*c]
		m := z[0]
		for _, v := range z[1:] {
			m = max(m, v)
		}
		var s float64
		for k, v := range z {
			e := math.Exp(float64(v - m))
			p[k] = float32(e)
			s += e
		}
		for k := range p {
			p[k] = float32(float64(p[k]) / s)
		}
	}
	return out
}
