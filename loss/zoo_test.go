package loss

import (
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"

	"github.com/ghl-dev/ghl"
)

// zooVariants are the option settings every zoo test runs: each loss at its
// defaults and at the settings that exercise its other code paths.
func zooVariants() []struct {
	name string
	opt  func(*ZooOptions)
} {
	id := func(*ZooOptions) {}
	return []struct {
		name string
		opt  func(*ZooOptions)
	}{
		{Focal, id}, {Focal, func(o *ZooOptions) { o.Gamma = 0.5; o.ClassWeights = WeightsCost }},
		{Focal, func(o *ZooOptions) { o.Gamma = 0 }},
		{CB, id}, {CB, func(o *ZooOptions) { o.CBFocal = true }}, {CB, func(o *ZooOptions) { o.Beta = 0 }},
		{LDAMDRW, id}, {LDAMDRW, func(o *ZooOptions) { o.Scale = 30; o.DRW = 0 }},
		{LA, id}, {LA, func(o *ZooOptions) { o.Tau = 2 }}, {BSM, id},
		{GHM, id}, {GHM, func(o *ZooOptions) { o.Momentum = 0; o.Bins = 30 }},
	}
}

func newZooT(t testing.TB, name string, f func(*ZooOptions)) Scheme {
	t.Helper()
	opt := DefaultOptions()
	opt.Base = CrossEntropy
	opt.Zoo = DefaultZooOptions()
	f(&opt.Zoo)
	s, err := New(name, opt)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// perSampleLoss returns L_i(z) of a scheme (weights play no part in it).
func perSampleLoss(t *testing.T, s Scheme, b Batch, ctx *Context) []float64 {
	t.Helper()
	if _, err := s.Apply(b, ctx); err != nil {
		t.Fatal(err)
	}
	return slices.Clone(s.(*zooScheme).loss64)
}

// TestZooFiniteDifferences checks every loss's DLogits against central
// differences of Σ w_i L_i / Σ w_i with the weights held fixed, and Loss
// against that sum, on the imbalanced test batch at epoch 18 of 20 (after
// LDAM's deferred re-weighting starts).
func TestZooFiniteDifferences(t *testing.T) {
	for _, v := range zooVariants() {
		s := newZooT(t, v.name, v.opt)
		ref := newZooT(t, v.name, v.opt)
		batch, ctx := testBatch(1, 1)
		ctx.Epoch, ctx.Epochs = 18, 20
		out, err := s.Apply(batch, ctx)
		if err != nil {
			t.Fatal(err)
		}
		w := slices.Clone(s.(*zooScheme).w64)
		for i := range w {
			if float32(w[i]) != out.Weights[i] {
				t.Fatalf("%s: Weights[%d] %g, used %g", v.name, i, out.Weights[i], w[i])
			}
		}
		g := slices.Clone(out.DLogits)
		f := func() float64 {
			l := perSampleLoss(t, ref, batch, ctx)
			sw, sl := 0.0, 0.0
			for i := range l {
				sw += w[i]
				sl += w[i] * l[i]
			}
			return sl / sw
		}
		if got := f(); math.Abs(got-out.Loss) > 1e-9*math.Max(1, math.Abs(got)) {
			t.Errorf("%s %+v: Loss %g, recomputed %g", v.name, s.(*zooScheme).opt, out.Loss, got)
		}
		r := rand.New(rand.NewPCG(2, 3))
		worst := 0.0
		for trial := 0; trial < 60; trial++ {
			k := r.IntN(len(batch.Logits))
			z := batch.Logits[k]
			h := float32(1e-2)
			if zs := s.(*zooScheme); zs.name == LDAMDRW {
				h /= float32(zs.opt.Scale) // s multiplies the curvature
			}
			batch.Logits[k] = z + h
			fp := f()
			batch.Logits[k] = z - h
			fm := f()
			batch.Logits[k] = z
			num := (fp - fm) / (float64(z+h) - float64(z-h))
			worst = max(worst, math.Abs(num-float64(g[k]))/(1e-4*math.Abs(num)+1e-7))
		}
		if worst > 1 {
			t.Errorf("%s %+v: DLogits off finite differences by %.3g× the tolerance", v.name, s.(*zooScheme).opt, worst)
		}
	}
}

// TestZooIdentities checks the reductions each paper states: focal at γ = 0,
// CB at β = 0, LDAM at margin 0 before re-weighting and GHM with one bin are
// cross-entropy; BSM is LA at τ = 1; CB's weights approach class-cost's as
// β → 1 and sum to C; GHM without momentum has Σw = N.
func TestZooIdentities(t *testing.T) {
	batch, ctx := testBatch(7, 1)
	ctx.Epoch, ctx.Epochs = 1, 20
	ce, err := New(Plain, Options{Base: CrossEntropy})
	if err != nil {
		t.Fatal(err)
	}
	want, err := ce.Apply(batch, ctx)
	if err != nil {
		t.Fatal(err)
	}
	wantLoss, wantG := want.Loss, slices.Clone(want.DLogits)
	same := func(label string, s Scheme, loss float64, g []float32) {
		t.Helper()
		out, err := s.Apply(batch, ctx)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(out.Loss-loss) > 1e-12*math.Max(1, loss) {
			t.Errorf("%s: loss %.15g, want %.15g", label, out.Loss, loss)
		}
		for k := range g {
			if math.Abs(float64(out.DLogits[k]-g[k])) > 1e-6*math.Abs(float64(g[k]))+1e-9 {
				t.Fatalf("%s: dlogits[%d] %g, want %g", label, k, out.DLogits[k], g[k])
			}
		}
	}
	same("focal γ=0", newZooT(t, Focal, func(o *ZooOptions) { o.Gamma = 0 }), wantLoss, wantG)
	same("cb β=0", newZooT(t, CB, func(o *ZooOptions) { o.Beta = 0 }), wantLoss, wantG)
	same("ldam margin 0", newZooT(t, LDAMDRW, func(o *ZooOptions) { o.MaxMargin = 0 }), wantLoss, wantG)
	same("ghm 1 bin", newZooT(t, GHM, func(o *ZooOptions) { o.Bins = 1 }), wantLoss, wantG)
	la, err := newZooT(t, LA, func(*ZooOptions) {}).Apply(batch, ctx)
	if err != nil {
		t.Fatal(err)
	}
	same("bsm = la τ=1", newZooT(t, BSM, func(*ZooOptions) {}), la.Loss, slices.Clone(la.DLogits))

	w := make([]float64, len(testCounts))
	cbWeights(w, testCounts, 0.999999)
	cost := make([]float64, len(testCounts))
	costWeights(cost, testCounts)
	sum := 0.0
	for c := range w {
		sum += w[c]
		if r := w[c] / w[1] * cost[1] / cost[c]; math.Abs(r-1) > 1e-3 {
			t.Errorf("cb β→1 class %d: ratio to class-cost %g", c, r)
		}
	}
	if math.Abs(sum-float64(len(w))) > 1e-12 {
		t.Errorf("cb weights sum %g, want %d", sum, len(w))
	}
	g := newZooT(t, GHM, func(o *ZooOptions) { o.Momentum = 0 })
	out, err := g.Apply(batch, ctx)
	if err != nil {
		t.Fatal(err)
	}
	sw := 0.0
	for _, x := range out.Weights {
		sw += float64(x)
	}
	if math.Abs(sw-float64(batch.N)) > 1e-3 {
		t.Errorf("ghm without momentum: Σw = %g, want N = %d", sw, batch.N)
	}
}

// TestLDAMDeferredReweighting: weights are 1 up to epoch DRW·Epochs and the
// class-balanced weights after; the rarest class has the largest margin.
func TestLDAMDeferredReweighting(t *testing.T) {
	batch, ctx := testBatch(8, 1)
	s := newZooT(t, LDAMDRW, func(*ZooOptions) {})
	for _, tc := range []struct {
		epoch, epochs int
		drw           bool
	}{{1, 20, false}, {16, 20, false}, {17, 20, true}, {20, 20, true}, {50, 0, false}} {
		ctx.Epoch, ctx.Epochs = tc.epoch, tc.epochs
		out, err := s.Apply(batch, ctx)
		if err != nil {
			t.Fatal(err)
		}
		w := s.(*zooScheme).classW
		if got := w[0] < w[1]; got != tc.drw {
			t.Errorf("epoch %d of %d: re-weighting %v, want %v (weights %v)", tc.epoch, tc.epochs, got, tc.drw, w)
		}
		for i, y := range batch.Labels {
			if out.Weights[i] != float32(w[y]) {
				t.Fatalf("sample %d weight %g, want class weight %g", i, out.Weights[i], w[y])
			}
		}
	}
	m := s.(*zooScheme).margin
	if m[0] >= m[1] || math.Abs(m[1]-0.5) > 1e-12 {
		t.Errorf("margins %v: want the rare classes at 0.5 and the majority below", m)
	}
}

// TestGHMMomentum: with momentum the bin counts carry over between calls,
// so a second identical batch gets different weights than a fresh scheme's.
func TestGHMMomentum(t *testing.T) {
	batch, ctx := testBatch(9, 1)
	s := newZooT(t, GHM, func(*ZooOptions) {})
	a, _ := s.Apply(batch, ctx)
	w1 := slices.Clone(a.Weights)
	b, _ := s.Apply(batch, ctx)
	// After one call acc = (1−μ)·n, after two (1−μ²)·n: every weight
	// shrinks by (1−μ)/(1−μ²) = 1/(1+μ).
	for i := range w1 {
		if r := float64(b.Weights[i] / w1[i]); math.Abs(r-1/1.75) > 1e-5 {
			t.Fatalf("sample %d: second-call weight ratio %g, want %g", i, r, 1/1.75)
		}
	}
}

// TestZooNoNaN feeds extreme finite logits and a class with no training
// samples to every loss.
func TestZooNoNaN(t *testing.T) {
	r := rand.New(rand.NewPCG(17, 18))
	C := 4
	for trial := 0; trial < 40; trial++ {
		b := extremeBatch(r, C, C-1)
		ctx := &Context{ClassCounts: []int{50, 1, 3, 0}, Epoch: trial, Epochs: 40}
		for _, v := range zooVariants() {
			out, err := newZooT(t, v.name, v.opt).Apply(b, ctx)
			if err != nil {
				t.Fatal(err)
			}
			if math.IsNaN(out.Loss) || math.IsInf(out.Loss, 0) || !allFinite32(out.PerSample) ||
				!allFinite32(out.Weights) || !allFinite32(out.DLogits) || !allFinite32(out.Delta) {
				t.Fatalf("%s: non-finite output for logits %v", v.name, b.Logits)
			}
		}
	}
}

func FuzzZoo(f *testing.F) {
	f.Add(float32(1e30), float32(-1e30), float32(0), uint8(3), uint8(1))
	f.Add(float32(0), float32(0), float32(0), uint8(0), uint8(0))
	f.Fuzz(func(t *testing.T, a, b, c float32, lab, n1 uint8) {
		for _, v := range []float32{a, b, c} {
			if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
				return
			}
		}
		batch := Batch{Logits: []float32{a, b, c, b, c, a, c, a, b, a, b, c}, Labels: []int{int(lab) % 3, 0, 1, 0}, N: 4, C: 3}
		for _, v := range zooVariants() {
			out, err := newZooT(t, v.name, v.opt).Apply(batch, &Context{ClassCounts: []int{10, 1 + int(n1), 1}, Epoch: 9, Epochs: 10})
			if err != nil {
				t.Fatal(err)
			}
			if math.IsNaN(out.Loss) || math.IsInf(out.Loss, 0) || !allFinite32(out.DLogits) || !allFinite32(out.Weights) {
				t.Fatalf("%s: non-finite output", v.name)
			}
		}
	})
}

func TestZooErrors(t *testing.T) {
	bad := []struct {
		name string
		opt  func(*Options)
	}{
		{Focal, func(o *Options) { o.Base = MSE }},
		{Focal, func(o *Options) { o.Zoo.Gamma = -1 }},
		{Focal, func(o *Options) { o.Zoo.ClassWeights = "inverse" }},
		{CB, func(o *Options) { o.Zoo.Beta = 1 }},
		{CB, func(o *Options) { o.Zoo.Beta = math.NaN() }},
		{LDAMDRW, func(o *Options) { o.Zoo.DRW = 1.5 }},
		{LDAMDRW, func(o *Options) { o.Zoo.Scale = -1 }},
		{LA, func(o *Options) { o.Zoo.Tau = math.Inf(1) }},
		{GHM, func(o *Options) { o.Zoo.Bins = -3 }},
		{GHM, func(o *Options) { o.Zoo.Momentum = 1 }},
	}
	for _, b := range bad {
		opt := Options{Base: CrossEntropy, Zoo: DefaultZooOptions()}
		b.opt(&opt)
		if _, err := New(b.name, opt); !errors.Is(err, ghl.ErrUsage) {
			t.Errorf("New(%q, %+v): error %v, want ErrUsage", b.name, opt.Zoo, err)
		}
	}
	batch, _ := testBatch(1, 1)
	for _, name := range []string{CB, LDAMDRW, LA, BSM} {
		s := newZooT(t, name, func(*ZooOptions) {})
		if _, err := s.Apply(batch, &Context{ClassCounts: []int{1, 2}}); !errors.Is(err, ghl.ErrBadInput) {
			t.Errorf("%s, wrong class counts: error %v, want ErrBadInput", name, err)
		}
		if _, err := s.Apply(batch, &Context{ClassCounts: []int{0, 1, 1, 1, 1}}); !errors.Is(err, ghl.ErrBadInput) {
			t.Errorf("%s, label of an empty class: error %v, want ErrBadInput", name, err)
		}
	}
}

func TestZooApplyDoesNotAllocate(t *testing.T) {
	batch, ctx := testBatch(6, 1)
	for _, v := range zooVariants() {
		s := newZooT(t, v.name, v.opt)
		if _, err := s.Apply(batch, ctx); err != nil {
			t.Fatal(err)
		}
		if allocs := testing.AllocsPerRun(5, func() { _, _ = s.Apply(batch, ctx) }); allocs != 0 {
			t.Errorf("%s: Apply allocates %v times per call", v.name, allocs)
		}
	}
}

// torchCase is one case of bench/peer/zoo_ref.py's output.
type torchCase struct {
	Scheme        string     `json:"scheme"`
	Zoo           ZooOptions `json:"zoo"`
	Counts        []int      `json:"counts"`
	Epoch, Epochs int
	Kind          string `json:"kind"`
	Steps         []struct {
		Logits  [][]float64 `json:"logits"`
		Labels  []int       `json:"labels"`
		Loss    float64     `json:"loss"`
		DLogits [][]float64 `json:"dlogits"`
	} `json:"steps"`
}

// checkAgainstTorch runs every case of a zoo_ref.py output through ghl and
// compares loss and d loss / d logits.
func checkAgainstTorch(t *testing.T, path string) {
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Torch string      `json:"torch_version"`
		Cases []torchCase `json:"cases"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	seen := map[string]bool{}
	for ci, c := range doc.Cases {
		seen[c.Scheme] = true
		s, err := New(c.Scheme, Options{Base: CrossEntropy, Zoo: c.Zoo})
		if err != nil {
			t.Fatalf("case %d: %v", ci, err)
		}
		for si, st := range c.Steps {
			C := len(c.Counts)
			b := Batch{Labels: st.Labels, N: len(st.Labels), C: C}
			for _, row := range st.Logits {
				for _, v := range row {
					b.Logits = append(b.Logits, float32(v))
				}
			}
			out, err := s.Apply(b, &Context{ClassCounts: c.Counts, Epoch: c.Epoch, Epochs: c.Epochs})
			if err != nil {
				t.Fatalf("case %d (%s %s): %v", ci, c.Scheme, c.Kind, err)
			}
			if math.Abs(out.Loss-st.Loss) > 1e-9*math.Max(1, math.Abs(st.Loss)) {
				t.Errorf("case %d (%s %+v %s) step %d: loss %.12g, PyTorch %.12g", ci, c.Scheme, c.Zoo, c.Kind, si, out.Loss, st.Loss)
			}
			for i, row := range st.DLogits {
				for k, want := range row {
					got := float64(out.DLogits[i*C+k])
					if math.Abs(got-want) > 1e-6*math.Abs(want)+1e-9 {
						t.Errorf("case %d (%s %+v %s) step %d: dlogits[%d][%d] %.9g, PyTorch %.9g", ci, c.Scheme, c.Zoo, c.Kind, si, i, k, got, want)
					}
				}
			}
		}
	}
	for _, n := range ZooNames() {
		if !seen[n] {
			t.Errorf("%s: no case for %s", path, n)
		}
	}
	t.Logf("%d cases from PyTorch %s agree", len(doc.Cases), doc.Torch)
}

// TestZooMatchesPyTorch compares every loss with the committed vectors of
// bench/peer/zoo_ref.py.
func TestZooMatchesPyTorch(t *testing.T) {
	checkAgainstTorch(t, filepath.Join("testdata", "zoo_torch.json"))
}

// TestZooMatchesPyTorchLive reruns bench/peer/zoo_ref.py with Debian's
// PyTorch and compares with its fresh output. It runs when GHL_TORCH=1 (CI
// sets it, installs python3-torch and requires the pass; importing torch
// alone takes about 15 s).
func TestZooMatchesPyTorchLive(t *testing.T) {
	const py = "/usr/bin/python3"
	if os.Getenv("GHL_TORCH") != "1" {
		t.Skip("set GHL_TORCH=1 to rerun bench/peer/zoo_ref.py with PyTorch")
	}
	if err := exec.Command(py, "-c", "import torch").Run(); err != nil {
		t.Skipf("%s with torch not available: %v", py, err)
	}
	out := filepath.Join(t.TempDir(), "zoo.json")
	if b, err := exec.Command(py, filepath.Join("..", "bench", "peer", "zoo_ref.py"), out).CombinedOutput(); err != nil {
		t.Fatalf("zoo_ref.py: %v\n%s", err, b)
	}
	checkAgainstTorch(t, out)
}
