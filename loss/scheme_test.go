package loss

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/ghl-dev/ghl"
)

// testCounts is a Set-1-like imbalance, scaled down.
var testCounts = []int{200, 8, 8, 8, 8}

func testBatch(seed uint64, sep float64) (Batch, *Context) {
	r := rand.New(rand.NewPCG(seed, 99))
	C := len(testCounts)
	labels := imbalancedLabels(r, testCounts)
	return Batch{Logits: randLogits(r, labels, C, sep, 1.5), Labels: labels, N: len(labels), C: C},
		&Context{ClassCounts: testCounts, PrevF1: 0.8, Full: true}
}

// identicalMajority gives every class-0 sample of batch the same logits.
func identicalMajority(batch Batch) {
	C := batch.C
	for i, y := range batch.Labels {
		if y == 0 {
			copy(batch.Logits[i*C:(i+1)*C], []float32{3, 0, 0, 0, 0})
		}
	}
}

// weightedLoss is Σ w_i L_i / Σ w_i with the weights held fixed.
func weightedLoss(b Base, batch Batch, w []float32) float64 {
	C := batch.C
	buf := make([]float64, 3*C)
	sw, sl := 0.0, 0.0
	for i := 0; i < batch.N; i++ {
		l := b.sampleGrad(batch.Logits[i*C:(i+1)*C], batch.Labels[i], buf[:C], buf[C:2*C], buf[2*C:])
		sw += float64(w[i])
		sl += float64(w[i]) * l
	}
	return sl / sw
}

func TestDLogitsFiniteDifferences(t *testing.T) {
	for _, name := range Names() {
		for _, b := range []Base{MSE, RMSE, CrossEntropy} {
			opt := DefaultOptions()
			opt.Base, opt.Alpha = b, 3
			s, err := New(name, opt)
			if err != nil {
				t.Fatal(err)
			}
			batch, ctx := testBatch(1, 1)
			out, err := s.Apply(batch, ctx)
			if err != nil {
				t.Fatal(err)
			}
			w := slices.Clone(out.Weights)
			g := slices.Clone(out.DLogits)
			if got := weightedLoss(b, batch, w); math.Abs(got-out.Loss) > 1e-9*math.Max(1, math.Abs(got)) {
				t.Errorf("%s/%v: Loss %g, recomputed %g", name, b, out.Loss, got)
			}
			r := rand.New(rand.NewPCG(2, 3))
			worst := 0.0
			for trial := 0; trial < 60; trial++ {
				k := r.IntN(len(batch.Logits))
				z := batch.Logits[k]
				h := float32(1e-2)
				batch.Logits[k] = z + h
				fp := weightedLoss(b, batch, w)
				batch.Logits[k] = z - h
				fm := weightedLoss(b, batch, w)
				batch.Logits[k] = z
				num := (fp - fm) / (float64(z+h) - float64(z-h))
				err := math.Abs(num - float64(g[k]))
				worst = max(worst, err/(1e-4*math.Abs(num)+1e-7))
			}
			if worst > 1 {
				t.Errorf("%s/%v: DLogits off finite differences by %.3g× the tolerance", name, b, worst)
			}
		}
	}
}

func TestWeightProperties(t *testing.T) {
	batch, ctx := testBatch(4, 2)
	C := batch.C
	identicalMajority(batch) // literal GHL collapses the majority to one sample
	opt := DefaultOptions()
	opt.Floor = 0 // means DefaultFloor
	counts := map[string]func(t *testing.T, out *Output){
		GHLPaper: func(t *testing.T, out *Output) {
			for i, w := range out.Weights {
				if batch.Labels[i] != 0 && w != 1 {
					t.Errorf("minority sample %d weight %g, want 1", i, w)
				}
				if !(w >= 0 && w <= 1) {
					t.Errorf("weight %g outside [0, 1]", w)
				}
			}
			if out.Eliminated != testCounts[0]-1 {
				t.Errorf("eliminated %d, want %d", out.Eliminated, testCounts[0]-1)
			}
		},
		GHLBalanced: func(t *testing.T, out *Output) {
			tot := make([]float64, C)
			for i, w := range out.Weights {
				tot[batch.Labels[i]] += float64(w)
			}
			for c := range tot {
				if math.Abs(tot[c]-float64(batch.N)/float64(C)) > 1e-3 {
					t.Errorf("class %d total weight %g, want N/C = %g", c, tot[c], float64(batch.N)/float64(C))
				}
			}
		},
		GHLFloor: func(t *testing.T, out *Output) {
			tot := 0.0
			for i, w := range out.Weights {
				if batch.Labels[i] == 0 {
					tot += float64(w)
				}
			}
			want := DefaultFloor * float64(batch.N) / float64(C)
			if math.Abs(tot-want) > 1e-3 {
				t.Errorf("majority total %g, want the floor %g", tot, want)
			}
		},
	}
	for name, check := range counts {
		t.Run(name, func(t *testing.T) {
			s, err := New(name, opt)
			if err != nil {
				t.Fatal(err)
			}
			out, err := s.Apply(batch, ctx)
			if err != nil {
				t.Fatal(err)
			}
			check(t, out)
			kept := make([]bool, C)
			for _, i := range out.Keep {
				kept[batch.Labels[i]] = true
			}
			for i, w := range out.Weights {
				if w == 0 {
					if slices.Contains(out.Keep, i) {
						t.Errorf("eliminated sample %d in Keep", i)
					}
					if slices.ContainsFunc(out.DLogits[i*C:(i+1)*C], func(v float32) bool { return v != 0 }) {
						t.Errorf("eliminated sample %d has a gradient", i)
					}
				}
			}
			if out.Eliminated > 0 && slices.Contains(kept, false) {
				t.Errorf("a class lost every sample: kept %v", kept)
			}
		})
	}
}

// TestBalancedIsClassCostWhenUniform: with every class's gradients identical
// (GD uniform within a class), ghl-balanced equals class-cost.
func TestBalancedIsClassCostWhenUniform(t *testing.T) {
	batch, ctx := testBatch(5, 1)
	C := batch.C
	for i, y := range batch.Labels {
		row := batch.Logits[i*C : (i+1)*C]
		clear(row)
		row[(y+1)%C] = 1
	}
	ctx.Full = false
	opt := DefaultOptions()
	opt.Anneal = AnnealNone
	opt.Alpha = 6 // every class's threshold ≥ 0 is not needed: identical gradients tie at T ≥ 0
	cc, _ := New(ClassCost, opt)
	gb, _ := New(GHL, opt)
	a, err := cc.Apply(batch, ctx)
	if err != nil {
		t.Fatal(err)
	}
	wa := slices.Clone(a.Weights)
	la := a.Loss
	b, err := gb.Apply(batch, ctx)
	if err != nil {
		t.Fatal(err)
	}
	for i := range wa {
		if math.Abs(float64(wa[i]-b.Weights[i])) > 1e-5*float64(wa[i]) {
			t.Fatalf("sample %d: class-cost %g, ghl-balanced %g", i, wa[i], b.Weights[i])
		}
	}
	if math.Abs(la-b.Loss) > 1e-9 {
		t.Errorf("loss class-cost %g, ghl-balanced %g", la, b.Loss)
	}
	if b.Density[0] != float32(testCounts[batch.Labels[0]]) && Thresholds(testCounts, 6, 1)[batch.Labels[0]] >= 0 {
		t.Errorf("sample 0 density %g, want its class size", b.Density[0])
	}
}

// extremeBatch returns a batch of 1–30 samples of C classes whose logits
// are drawn from extreme finite values (±MaxFloat32, ±1e30, subnormals) and
// whose labels are drawn from the first labels classes.
func extremeBatch(r *rand.Rand, C, labels int) Batch {
	vals := []float32{0, 1e30, -1e30, math.MaxFloat32, -math.MaxFloat32, 1e-30, 1e-45, 7}
	N := 1 + r.IntN(30)
	b := Batch{Logits: make([]float32, N*C), Labels: make([]int, N), N: N, C: C}
	for i := range b.Logits {
		b.Logits[i] = vals[r.IntN(len(vals))]
	}
	for i := range b.Labels {
		b.Labels[i] = r.IntN(labels)
	}
	return b
}

// TestNoNaN feeds extreme finite logits to every scheme and base.
func TestNoNaN(t *testing.T) {
	r := rand.New(rand.NewPCG(17, 18))
	C := 4
	for trial := 0; trial < 40; trial++ {
		b := extremeBatch(r, C, C)
		ctx := &Context{ClassCounts: []int{50, 1, 3, 0}, PrevF1: r.Float64(), Full: trial%2 == 0}
		for i, y := range b.Labels {
			if y == 3 {
				b.Labels[i] = 0
			}
		}
		for _, name := range Names() {
			for _, base := range []Base{MSE, RMSE, CrossEntropy} {
				for _, mode := range DensityModes() {
					opt := DefaultOptions()
					opt.Base, opt.Density, opt.Alpha, opt.SampleM = base, mode, 4, 2
					s, err := New(name, opt)
					if err != nil {
						t.Fatal(err)
					}
					out, err := s.Apply(b, ctx)
					if err != nil {
						t.Fatal(err)
					}
					if math.IsNaN(out.Loss) || math.IsInf(out.Loss, 0) || !allFinite32(out.PerSample) ||
						!allFinite32(out.Weights) || !allFinite32(out.DLogits) || !allFinite32(out.Delta) || !allFinite32(out.Density) {
						t.Fatalf("%s/%v/%s: non-finite output for logits %v", name, base, mode, b.Logits)
					}
				}
			}
		}
		ang := MeanAngles(deltas(MSE, b), b.Labels, C)
		for _, a := range ang {
			if math.IsNaN(a) || a < 0 || a > math.Pi {
				t.Fatalf("MeanAngles %v", ang)
			}
		}
	}
}

func FuzzApply(f *testing.F) {
	f.Add(float32(1e30), float32(-1e30), float32(0), uint8(3))
	f.Add(float32(0), float32(0), float32(0), uint8(0))
	f.Fuzz(func(t *testing.T, a, b, c float32, lab uint8) {
		for _, v := range []float32{a, b, c} {
			if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
				return
			}
		}
		C := 3
		batch := Batch{Logits: []float32{a, b, c, b, c, a, c, a, b, a, b, c}, Labels: []int{int(lab) % 3, 0, 1, 0}, N: 4, C: C}
		for _, name := range Names() {
			s, err := New(name, DefaultOptions())
			if err != nil {
				t.Fatal(err)
			}
			out, err := s.Apply(batch, &Context{ClassCounts: []int{10, 1, 1}, PrevF1: 1, Full: true})
			if err != nil {
				t.Fatal(err)
			}
			if math.IsNaN(out.Loss) || math.IsInf(out.Loss, 0) || !allFinite32(out.DLogits) || !allFinite32(out.Weights) {
				t.Fatalf("%s: non-finite output", name)
			}
		}
	})
}

func TestNewErrors(t *testing.T) {
	bad := []struct {
		name string
		opt  func(*Options)
	}{
		{"nope", func(*Options) {}},
		{GHL, func(o *Options) { o.Anneal = "f2" }},
		{GHL, func(o *Options) { o.Density = "fast" }},
		{GHL, func(o *Options) { o.Alpha = -1 }},
		{GHL, func(o *Options) { o.Epsilon = math.NaN() }},
		{GHL, func(o *Options) { o.EpsilonOn = "cooked" }},
		{GHL, func(o *Options) { o.Base = 7 }},
	}
	for _, b := range bad {
		opt := DefaultOptions()
		b.opt(&opt)
		if _, err := New(b.name, opt); !errors.Is(err, ghl.ErrUsage) {
			t.Errorf("New(%q, %+v): error %v, want ErrUsage", b.name, opt, err)
		}
	}
	s, _ := New(ClassCost, DefaultOptions())
	batch, _ := testBatch(1, 1)
	if _, err := s.Apply(batch, &Context{ClassCounts: []int{1, 2}}); !errors.Is(err, ghl.ErrBadInput) {
		t.Errorf("wrong class counts: error %v, want ErrBadInput", err)
	}
	if _, err := s.Apply(batch, &Context{ClassCounts: []int{0, 1, 1, 1, 1}}); !errors.Is(err, ghl.ErrBadInput) {
		t.Errorf("label of an empty class: error %v, want ErrBadInput", err)
	}
}

func TestApplyDoesNotAllocate(t *testing.T) {
	batch, ctx := testBatch(6, 1)
	opt := DefaultOptions()
	opt.Threads = 1
	s, _ := New(GHL, opt)
	if _, err := s.Apply(batch, ctx); err != nil {
		t.Fatal(err)
	}
	allocs := testing.AllocsPerRun(5, func() { _, _ = s.Apply(batch, ctx) })
	if allocs != 0 {
		t.Errorf("Apply allocates %v times per call", allocs)
	}
}

func TestEliminationRules(t *testing.T) {
	batch, ctx := testBatch(8, 2)
	identicalMajority(batch) // raw 1/GD = 1/200 < ε for all of them
	tests := []struct {
		name   string
		on     string
		full   bool
		elimin int
	}{
		{"raw full batch", EpsilonRaw, true, testCounts[0] - 1},
		{"raw mini-batch", EpsilonRaw, false, 0},
		{"relative", EpsilonRelative, true, 0}, // all equal to the class maximum
	}
	for _, tt := range tests {
		opt := DefaultOptions()
		opt.EpsilonOn = tt.on
		s, err := New(GHL, opt)
		if err != nil {
			t.Fatal(err)
		}
		if s.Name() != GHL {
			t.Errorf("Name() = %q, want %q", s.Name(), GHL)
		}
		c := *ctx
		c.Full = tt.full
		out, err := s.Apply(batch, &c)
		if err != nil {
			t.Fatal(err)
		}
		if out.Eliminated != tt.elimin || (tt.elimin == 0) != (out.Keep == nil) {
			t.Errorf("%s: eliminated %d (Keep %d), want %d", tt.name, out.Eliminated, len(out.Keep), tt.elimin)
		}
		if tt.elimin > 0 && len(out.Keep) != batch.N-tt.elimin {
			t.Errorf("%s: Keep has %d samples, want %d", tt.name, len(out.Keep), batch.N-tt.elimin)
		}
	}
}
