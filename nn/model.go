package nn

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/ghl-dev/ghl"
)

// BlockSize is the number of samples in one work block. The forwarded (or
// kept) samples are cut into consecutive blocks of BlockSize whatever the
// thread count; each block's parameter gradients go to its own buffer, and
// the buffers are summed in block order, so the result does not depend on
// how many goroutines ran the blocks.
const BlockSize = 32

// Model is a Sequential network: layers applied one after another to
// samples of a fixed input shape, ending in C logits per sample. It keeps
// the activations of the last Forward for Backward. A Model is not safe for
// concurrent use; it runs its own goroutines internally (SetThreads).
type Model struct {
	layers  []Layer
	in      Shape
	classes int
	params  []*Param
	flatW   []float32 // all weights, parameters back to back
	flatG   []float32 // all gradients, same layout
	offs    [][2]int  // per layer: range of its parameters in flatW
	needDIn []bool    // per layer: does an earlier layer need ∂L/∂in
	fused   []bool    // per layer: a ReLU folded into the max-pool after it
	maxAct  int       // largest per-sample activation size
	threads int

	// Activation buffers: layer l reads buffer bufOf[l] and writes
	// bufOf[l+1] (the same one for in-place layers). Layers before split
	// (the first Dense) run sample by sample, so their buffers fit in the
	// caches; the rest run on whole blocks. Training keeps only the
	// buffers some Backward reads (keep); the others are scratch.
	bufOf   []int
	bufSize []int
	keep    []bool
	split   int
	maxBlk  int // largest buffer of the block part
	maxDIn  int // largest Dense input (gather scratch)

	// Buffers of the last Forward, reused across calls.
	acts   [][]float32 // per buffer id, capN rows (kept ones); acts[0] is x
	caches [][]uint8   // per layer, capN rows of what Forward cached
	capN   int         // samples the acts buffers hold
	n      int         // samples forwarded by the last Forward (0: none)
	rows   []int       // identity rows 0..n-1 for keep == nil
	mark   []uint32    // duplicate check for keep
	stamp  uint32
	blocks []*blockGrad
	work   []*worker
}

// blockGrad is one block's gradient buffer with per-layer views.
type blockGrad struct {
	flat  []float32
	views [][][]float32 // views[l][p]: gradient of layer l's parameter p
}

// worker holds one goroutine's scratch buffers.
type worker struct {
	s      [2][]float32 // one sample's activations, ping-pong
	blk    [2][]float32 // a block's activations or gradients, ping-pong
	gather []float32    // Dense's gathered input rows
	row0   []int        // {0}: Rows of a one-sample call
	args   BackwardArgs // reused, so calls do not allocate
}

// DCNNConfig configures the paper's DCNN.
type DCNNConfig struct {
	// InputLen is the window length in samples (1024 in the paper).
	InputLen int
	// Classes is the number of output classes C (12 in the paper).
	Classes int
	// Seed seeds the weight initialisation (PCG).
	Seed uint64
	// Padding of both convolutions: "same" (default) or "valid".
	Padding string
}

// NewDCNN returns the DCNN of the paper (SPEC section 6) with freshly
// initialised weights: conv 16×49 → ReLU → max-pool 4 → conv 16×21 → ReLU →
// max-pool 4 → flatten → dense 100 → ReLU → dense C (logits). See the
// package documentation for the choices the paper leaves open.
func NewDCNN(cfg DCNNConfig) (*Model, error) {
	pad := cfg.Padding
	if pad == "" {
		pad = "same"
	}
	if cfg.Classes < 2 {
		return nil, fmt.Errorf("nn: DCNN: %w: %d classes, want at least 2", ghl.ErrUsage, cfg.Classes)
	}
	m, err := NewSequential(Shape{cfg.InputLen, 1}, cfg.Seed,
		&Conv1D{Filters: 16, Kernel: 49, Padding: pad}, &ReLU{}, &MaxPool1D{Size: 4},
		&Conv1D{Filters: 16, Kernel: 21, Padding: pad}, &ReLU{}, &MaxPool1D{Size: 4},
		&Flatten{}, &Dense{Units: 100}, &ReLU{}, &Dense{Units: cfg.Classes})
	if err != nil {
		return nil, fmt.Errorf("nn: DCNN for input length %d: %w", cfg.InputLen, err)
	}
	return m, nil
}

// NewSequential sizes the layers for samples of shape in, initialises their
// weights from seed (He normal for a layer followed by a ReLU, Glorot
// uniform otherwise, zero biases; layers in order) and returns the model.
// The last layer's output size is the number of classes. Parameters are
// named "convK.*" and "fcK.*", K counting layers of that kind from 1.
func NewSequential(in Shape, seed uint64, layers ...Layer) (*Model, error) {
	if err := checkDim("input width", in.Width); err != nil {
		return nil, err
	}
	if err := checkDim("input channels", in.Channels); err != nil {
		return nil, err
	}
	if len(layers) == 0 {
		return nil, fmt.Errorf("%w: a model needs at least one layer", ghl.ErrUsage)
	}
	m := &Model{layers: layers, in: in, threads: runtime.GOMAXPROCS(0)}
	shape, nconv, ndense := in, 0, 0
	m.maxAct = in.Size()
	for i, l := range layers {
		idx := 0
		switch l.(type) {
		case *Conv1D:
			nconv++
			idx = nconv
		case *Dense:
			ndense++
			idx = ndense
		}
		var err error
		if shape, err = l.build(shape, idx); err != nil {
			return nil, fmt.Errorf("layer %d (%s): %w", i, l.spec().Type, err)
		}
		if float64(shape.Width)*float64(shape.Channels) > maxDim {
			return nil, fmt.Errorf("%w: layer %d output %d×%d too large", ghl.ErrUsage, i, shape.Width, shape.Channels)
		}
		m.maxAct = max(m.maxAct, shape.Size())
	}
	m.classes = shape.Size()
	// ReLU then max-pool: max(0, max(x)) = max(max(0, x)) and the
	// gradient reaches only each window's maximum, so the pool does the
	// ReLU's work on a quarter of the values and the ReLU's passes over the
	// full-width activation (forward and backward) disappear. It needs the
	// ReLU to run in place (l > 0) so the pool reads the ReLU's input.
	m.fused = make([]bool, len(layers))
	for l := 1; l+1 < len(layers); l++ {
		_, relu := layers[l].(*ReLU)
		if p, ok := layers[l+1].(*MaxPool1D); ok && relu {
			m.fused[l], p.reluIn = true, true
		}
	}
	m.planBuffers()
	// Lay all parameters out back to back so snapshots, optimiser steps
	// and the block reduction work on two flat arrays.
	total := 0
	for _, l := range layers {
		for _, p := range l.Params() {
			total += len(p.W)
		}
	}
	m.flatW, m.flatG = make([]float32, total), make([]float32, total)
	m.offs = make([][2]int, len(layers))
	m.needDIn = make([]bool, len(layers))
	off, seen := 0, false
	r := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
	for i, l := range layers {
		m.needDIn[i] = seen
		start := off
		for _, p := range l.Params() {
			k := len(p.W)
			p.W, p.G = m.flatW[off:off+k:off+k], m.flatG[off:off+k:off+k]
			off += k
			m.params = append(m.params, p)
		}
		m.offs[i] = [2]int{start, off}
		if off > start {
			seen = true
			_, relu := nextLayer(layers, i).(*ReLU)
			l.initParams(r, relu)
		}
	}
	return m, nil
}

func nextLayer(layers []Layer, i int) Layer {
	if i+1 < len(layers) {
		return layers[i+1]
	}
	return nil
}

// Classes returns the number of outputs (logits) per sample.
func (m *Model) Classes() int { return m.classes }

// InputLen returns the input width (window length) the model expects.
func (m *Model) InputLen() int { return m.in.Width }

// InputShape returns the per-sample input shape.
func (m *Model) InputShape() Shape { return m.in }

// Layers returns the model's layers (not copies).
func (m *Model) Layers() []Layer { return m.layers }

// Params returns the learnable tensors in layer order.
func (m *Model) Params() []*Param { return m.params }

// NumParams returns the number of learnable values.
func (m *Model) NumParams() int { return len(m.flatW) }

// SetThreads sets how many goroutines Forward, Backward and Infer use; n < 1
// means runtime.GOMAXPROCS(0), the default. The results do not depend on it.
func (m *Model) SetThreads(n int) {
	if n < 1 {
		n = runtime.GOMAXPROCS(0)
	}
	m.threads = n
}

// Threads returns the number of goroutines in use.
func (m *Model) Threads() int { return m.threads }

// ZeroGrad sets every parameter gradient to zero.
func (m *Model) ZeroGrad() { clear(m.flatG) }

// Snapshot returns a copy of all weights (for early stopping).
func (m *Model) Snapshot() []float32 { return append([]float32(nil), m.flatW...) }

// Restore sets all weights from a Snapshot of a model of the same
// architecture.
func (m *Model) Restore(w []float32) error {
	if len(w) != len(m.flatW) {
		return fmt.Errorf("nn: restore: %w: %d values for a model of %d", ghl.ErrUsage, len(w), len(m.flatW))
	}
	copy(m.flatW, w)
	return nil
}

// FLOPs returns the floating-point operations per sample of a forward pass
// and of a training step (forward, then backward for the weight gradients of
// every layer with parameters and the input gradients every layer but the
// first needs). Multiply-adds count as two; ReLU, pooling and bias additions
// are not counted. For the DCNN with 1024 inputs and 12 classes: 4.56 and
// 12.09 MFLOP.
func (m *Model) FLOPs() (forward, train float64) {
	for i, l := range m.layers {
		f, bw, bi := l.flops()
		forward += f
		if len(l.Params()) > 0 {
			train += bw
		}
		if m.needDIn[i] {
			train += bi
		}
	}
	return forward, forward + train
}

// planBuffers assigns activation buffers to layer boundaries and decides
// which ones training keeps.
func (m *Model) planBuffers() {
	L := len(m.layers)
	m.bufOf = make([]int, L+1)
	m.bufSize = []int{m.in.Size()}
	m.split = L
	for l, layer := range m.layers {
		if _, ok := layer.(*Dense); ok && m.split == L {
			m.split = l
		}
		if layer.inPlace() && l > 0 {
			m.bufOf[l+1] = m.bufOf[l]
			continue
		}
		m.bufOf[l+1] = len(m.bufSize)
		m.bufSize = append(m.bufSize, layer.OutShape().Size())
	}
	m.keep = make([]bool, len(m.bufSize))
	m.keep[0], m.keep[m.bufOf[L]] = true, true
	for l, layer := range m.layers {
		if m.fused[l] {
			continue
		}
		m.keep[m.bufOf[l]] = m.keep[m.bufOf[l]] || layer.needsIn()
		m.keep[m.bufOf[l+1]] = m.keep[m.bufOf[l+1]] || layer.needsOut()
		if d, ok := layer.(*Dense); ok {
			m.maxDIn = max(m.maxDIn, d.in.Size())
		}
	}
	for id := m.bufOf[m.split]; id < len(m.bufSize); id++ {
		m.maxBlk = max(m.maxBlk, m.bufSize[id])
	}
}

// ensureWorkers sizes one scratch set per thread.
func (m *Model) ensureWorkers() {
	for len(m.work) < m.threads {
		bs := BlockSize * m.maxBlk
		m.work = append(m.work, &worker{
			s:      [2][]float32{make([]float32, m.maxAct), make([]float32, m.maxAct)},
			blk:    [2][]float32{make([]float32, bs), make([]float32, bs)},
			gather: make([]float32, BlockSize*m.maxDIn),
			row0:   []int{0},
		})
	}
}

// parallel runs fn(w, t) for every task t in [0, tasks) on up to m.threads
// goroutines; w is the worker's index. Tasks are handed out in order.
func (m *Model) parallel(tasks int, fn func(w *worker, t int)) {
	m.ensureWorkers()
	g := min(m.threads, tasks)
	if g <= 1 {
		for t := range tasks {
			fn(m.work[0], t)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := range g {
		wg.Add(1)
		go func(wk *worker) {
			defer wg.Done()
			for {
				t := int(next.Add(1)) - 1
				if t >= tasks {
					return
				}
				fn(wk, t)
			}
		}(m.work[w])
	}
	wg.Wait()
}

func (m *Model) checkInput(x []float32, n int) error {
	if n < 1 {
		return fmt.Errorf("nn: %w: %d samples", ghl.ErrUsage, n)
	}
	if len(x) < n*m.in.Size() {
		return fmt.Errorf("nn: %w: %d input values for %d samples of %d", ghl.ErrUsage, len(x), n, m.in.Size())
	}
	return nil
}

// Forward computes the logits of n samples (x holds n rows of InputLen
// values, channels-last) and keeps what Backward needs. It returns
// n×Classes logits, valid until the next Forward. x must not change until
// Backward has run.
func (m *Model) Forward(x []float32, n int) ([]float32, error) {
	if err := m.checkInput(x, n); err != nil {
		return nil, fmt.Errorf("forward: %w", err)
	}
	m.allocActs(n)
	m.acts[0] = x[:n*m.in.Size()]
	m.n = n
	blocks := (n + BlockSize - 1) / BlockSize
	m.parallel(blocks, func(w *worker, b int) {
		m.forwardBlock(w, true, x, nil, b*BlockSize, min((b+1)*BlockSize, n))
	})
	return m.acts[m.bufOf[len(m.layers)]][:n*m.classes], nil
}

// forwardBlock runs samples [lo, hi): the layers before split one sample
// at a time, the rest on the whole block. Training writes the kept
// buffers and caches; inference (train false) writes the logits to out.
func (m *Model) forwardBlock(w *worker, train bool, x, out []float32, lo, hi int) {
	for r := lo; r < hi; r++ {
		for l, layer := range m.layers[:m.split] {
			if m.fused[l] {
				continue
			}
			layer.Forward(m.view(m.bufOf[l+1], w, train, x, out, r, r+1, lo),
				m.view(m.bufOf[l], w, train, x, out, r, r+1, lo), m.cacheRows(l, train, r, r+1), 1)
		}
	}
	for l := m.split; l < len(m.layers); l++ {
		if m.fused[l] {
			continue
		}
		m.layers[l].Forward(m.view(m.bufOf[l+1], w, train, x, out, lo, hi, lo),
			m.view(m.bufOf[l], w, train, x, out, lo, hi, lo), m.cacheRows(l, train, lo, hi), hi-lo)
	}
}

// view returns rows [lo, hi) of buffer id: the input x, the output out
// (inference), a kept training buffer, a block scratch buffer (rows from
// base) or, for one sample of the layers before split, a sample scratch.
// Buffer ids alternate between the two scratch buffers of each kind, so a
// layer's input and output never share one.
func (m *Model) view(id int, w *worker, train bool, x, out []float32, lo, hi, base int) []float32 {
	sz := m.bufSize[id]
	switch {
	case id == 0:
		return x[lo*sz : hi*sz]
	case !train && id == m.bufOf[len(m.layers)]:
		return out[lo*sz : hi*sz]
	case train && m.keep[id]:
		return m.acts[id][lo*sz : hi*sz]
	case id >= m.bufOf[m.split]:
		return w.blk[id&1][(lo-base)*sz : (hi-base)*sz]
	default:
		return w.s[id&1][:sz]
	}
}

func (m *Model) cacheRows(l int, train bool, lo, hi int) []uint8 {
	cs := m.layers[l].cacheSize()
	if !train || cs == 0 || m.fused[l] {
		return nil
	}
	return m.caches[l][lo*cs : hi*cs]
}

// allocActs makes the kept buffers and caches hold n samples.
func (m *Model) allocActs(n int) {
	if n <= m.capN {
		return
	}
	m.acts = make([][]float32, len(m.bufSize))
	for id := 1; id < len(m.bufSize); id++ {
		if m.keep[id] {
			m.acts[id] = make([]float32, n*m.bufSize[id])
		}
	}
	m.caches = make([][]uint8, len(m.layers))
	for l, layer := range m.layers {
		if cs := layer.cacheSize(); cs > 0 && !m.fused[l] {
			m.caches[l] = make([]uint8, n*cs)
		}
	}
	m.capN = n
}

// Backward back-propagates dlogits (n×Classes, one row for every sample of
// the last Forward; rows of skipped samples are ignored) through the
// samples listed in keep (distinct indices in [0, n); nil means all) and
// ADDS the parameter gradients to Param.G. Skipped samples cost nothing.
func (m *Model) Backward(dlogits []float32, keep []int) error {
	n := m.n
	if n == 0 {
		return fmt.Errorf("nn: backward: %w: no Forward before Backward", ghl.ErrUsage)
	}
	if len(dlogits) < n*m.classes {
		return fmt.Errorf("nn: backward: %w: %d gradient values for %d samples of %d classes", ghl.ErrUsage, len(dlogits), n, m.classes)
	}
	rows, err := m.keepRows(keep)
	if err != nil {
		return fmt.Errorf("nn: backward: %w", err)
	}
	if len(rows) == 0 {
		return nil
	}
	nb := (len(rows) + BlockSize - 1) / BlockSize
	m.ensureBlocks(nb)
	for l, layer := range m.layers {
		if p, ok := layer.(preparer); ok && m.needDIn[l] {
			p.prepare()
			defer p.done()
		}
	}
	m.parallel(nb, func(w *worker, b int) {
		rs := rows[b*BlockSize : min((b+1)*BlockSize, len(rows))]
		m.backwardBlock(w, m.blocks[b], dlogits, rs)
	})
	// Sum the block buffers into G in block order; parallel over disjoint
	// ranges of parameters, so every value is summed in the same order
	// whatever the thread count.
	const chunk = 4096
	total := len(m.flatG)
	m.parallel((total+chunk-1)/chunk, func(_ *worker, t int) {
		lo, hi := t*chunk, min((t+1)*chunk, total)
		g := m.flatG[lo:hi]
		for _, blk := range m.blocks[:nb] {
			for i, v := range blk.flat[lo:hi] {
				g[i] += v
			}
		}
	})
	return nil
}

// backwardBlock back-propagates the samples rs into blk: the layers from
// split on over the whole block, then the earlier ones sample by sample.
func (m *Model) backwardBlock(w *worker, blk *blockGrad, dlogits []float32, rs []int) {
	clear(blk.flat)
	c, nr := m.classes, len(rs)
	dout, din := w.blk[0], w.blk[1]
	for i, r := range rs {
		copy(dout[i*c:(i+1)*c], dlogits[r*c:(r+1)*c])
	}
	for l := len(m.layers) - 1; l >= m.split; l-- {
		if m.fused[l] {
			continue
		}
		layer := m.layers[l]
		a := &w.args
		*a = BackwardArgs{
			Rows: rs, In: m.acts[m.bufOf[l]], Out: m.acts[m.bufOf[l+1]], Cache: m.caches[l],
			DOut:    dout[:nr*layer.OutShape().Size()],
			Grads:   blk.views[l],
			Scratch: w.gather,
		}
		if m.needDIn[l] {
			a.DIn = din[:nr*layer.InShape().Size()]
		}
		layer.Backward(a)
		if a.DIn == nil {
			return // no earlier layer has parameters
		}
		dout, din = din, dout
	}
	if m.split == 0 {
		return
	}
	sz := m.bufSize[m.bufOf[m.split]]
	for i, r := range rs {
		d, k := dout[i*sz:(i+1)*sz], 0
		for l := m.split - 1; l >= 0; l-- {
			if m.fused[l] {
				continue
			}
			layer := m.layers[l]
			a := &w.args
			*a = BackwardArgs{
				Rows: w.row0, In: m.keptRow(m.bufOf[l], r), Out: m.keptRow(m.bufOf[l+1], r),
				DOut: d, Grads: blk.views[l],
			}
			if cs := layer.cacheSize(); cs > 0 {
				a.Cache = m.caches[l][r*cs : (r+1)*cs]
			}
			if m.needDIn[l] {
				a.DIn = w.s[k][:layer.InShape().Size()]
			}
			layer.Backward(a)
			if a.DIn == nil {
				break
			}
			d, k = a.DIn, k^1
		}
	}
}

// keptRow returns sample r of buffer id when training kept it, else nil.
func (m *Model) keptRow(id, r int) []float32 {
	if !m.keep[id] {
		return nil
	}
	sz := m.bufSize[id]
	return m.acts[id][r*sz : (r+1)*sz]
}

// keepRows validates keep and returns the rows to back-propagate.
func (m *Model) keepRows(keep []int) ([]int, error) {
	n := m.n
	if keep == nil {
		if len(m.rows) < n {
			m.rows = make([]int, m.capN)
			for i := range m.rows {
				m.rows[i] = i
			}
		}
		return m.rows[:n], nil
	}
	if len(m.mark) < n {
		m.mark = make([]uint32, m.capN)
		m.stamp = 0
	}
	m.stamp++
	if m.stamp == 0 {
		clear(m.mark)
		m.stamp = 1
	}
	for _, r := range keep {
		if r < 0 || r >= n {
			return nil, fmt.Errorf("%w: keep index %d outside [0, %d)", ghl.ErrUsage, r, n)
		}
		if m.mark[r] == m.stamp {
			return nil, fmt.Errorf("%w: keep index %d repeated", ghl.ErrUsage, r)
		}
		m.mark[r] = m.stamp
	}
	return keep, nil
}

// ensureBlocks allocates gradient buffers for nb blocks.
func (m *Model) ensureBlocks(nb int) {
	for len(m.blocks) < nb {
		blk := &blockGrad{flat: make([]float32, len(m.flatG)), views: make([][][]float32, len(m.layers))}
		for l, layer := range m.layers {
			off := m.offs[l][0]
			for _, p := range layer.Params() {
				blk.views[l] = append(blk.views[l], blk.flat[off:off+len(p.G)])
				off += len(p.G)
			}
		}
		m.blocks = append(m.blocks, blk)
	}
}

// Infer computes the logits of n samples without keeping activations, in
// blocks of BlockSize per goroutine, so memory stays bounded whatever n.
// It writes into out when it has room for n×Classes values (else allocates)
// and returns the logits. It does not disturb a pending Backward.
func (m *Model) Infer(x []float32, n int, out []float32) ([]float32, error) {
	if err := m.checkInput(x, n); err != nil {
		return nil, fmt.Errorf("infer: %w", err)
	}
	if len(out) < n*m.classes {
		out = make([]float32, n*m.classes)
	}
	out = out[:n*m.classes]
	blocks := (n + BlockSize - 1) / BlockSize
	m.parallel(blocks, func(w *worker, b int) {
		m.forwardBlock(w, false, x, out, b*BlockSize, min((b+1)*BlockSize, n))
	})
	return out, nil
}
