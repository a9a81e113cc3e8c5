package loss

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/ghl-dev/ghl"
)

// Density modes, for DensityOptions.Mode and Options.Density.
const (
	// DensityExact counts every in-class pair: O(N_c²·C) time, O(N·C) memory.
	DensityExact = "exact"
	// DensityPlane2D projects δ onto a 2-D plane of the hyperplane 1ᵀx = 0
	// and counts neighbours by polar angle: O(N_c log N_c), approximate for C > 3.
	DensityPlane2D = "plane2d"
	// DensityPlanePCA (ours) is plane2d on another plane: the class's mean
	// gradient direction and the leading principal direction of the
	// gradients' residuals orthogonal to it, meant to keep more of the
	// angular spread. Same cost as plane2d; measured not reliably better
	// (README.md), kept so that the comparison can be rerun.
	DensityPlanePCA = "plane2d-pca"
	// DensitySampled compares each sample with M random reference samples of
	// its class and scales the count: O(N_c·M·C), unbiased for GD.
	DensitySampled = "sampled"
)

// DensityModes lists the density modes.
func DensityModes() []string {
	return []string{DensityExact, DensityPlane2D, DensityPlanePCA, DensitySampled}
}

// TieTol is the angle tolerance, in radians, of the neighbour test: j is a
// neighbour of i when GS_ij ≤ T_c + TieTol (and T_c ≥ 0). It exists only so
// that gradients identical at float32 precision meet at T_c = 0 (γ = 0 or a
// balanced class makes thresholds 0): their float64 cosine may come out as
// 1 − C·2⁻⁵³ instead of 1. It is one float32 unit of relative precision,
// 2⁻²³ ≈ 1.19e-7 rad (cos TieTol = 1 − 7.1e-15, enough for C ≤ 64), so two
// gradients that differ beyond their own rounding never count as
// neighbours at T_c = 0. (It was 1e-6 rad until issue 10: on real Set 1
// training gradients that merged 2,487–4,752 healthy-class pairs at T_c = 0
// of which none was identical; now 0, `go run ./loss/internal/cmd/tiecount`.)
// The brute-force tests use the same constant.
const TieTol = 0x1p-23

// DefaultSampleM is the default number of reference samples per class of
// the sampled density mode.
const DefaultSampleM = 128

// DensityOptions configure a density estimate.
type DensityOptions struct {
	// Mode is DensityExact (the default when empty), DensityPlane2D,
	// DensityPlanePCA or DensitySampled.
	Mode string
	// SampleM is the number of reference samples per class of the sampled
	// mode (DefaultSampleM when 0). A class with at most SampleM+1 samples
	// is counted exactly.
	SampleM int
	// Seed seeds the sampled mode's choice of references (class c uses the
	// stream PCG(Seed, c)): the same seed gives the same result for any
	// number of threads.
	Seed uint64
	// Threads is the number of goroutines (runtime.GOMAXPROCS(0) when 0).
	Threads int
}

// Estimator computes gradient densities GD_i (Eq. 8), reusing its scratch
// buffers between calls so that repeated calls at one batch size do not
// allocate (apart from goroutine start-up). An Estimator is not safe for
// concurrent use.
type Estimator struct {
	opt DensityOptions
	// scratch, grown on demand
	order []int     // sample index of each row of x, grouped by class
	start []int     // class c's rows are [start[c], start[c+1])
	nz    []int     // class c's non-zero gradients are rows [start[c], nz[c])
	x     []float64 // normalised δ, one row per sample
	cnt   [][]int64 // per-worker neighbour counts
	xt    []float64 // the exact mode's rows, transposed per column tile (SIMD)
	// scalar forces the pure-Go exact kernel (tests compare both).
	scalar bool
	// fallbacks counts classes the sampled mode counted exactly.
	fallbacks int
	keys      []angleKey
	refs      []int32
	isRef     []bool
	ref       []float64
	next      atomic.Int64 // the exact mode's next row tile
}

type angleKey struct {
	phi float64
	row int32
}

// NewEstimator checks opt and returns an Estimator. A bad option wraps
// ghl.ErrUsage.
func NewEstimator(opt DensityOptions) (*Estimator, error) {
	if opt.Mode == "" {
		opt.Mode = DensityExact
	}
	switch opt.Mode {
	case DensityExact, DensityPlane2D, DensityPlanePCA, DensitySampled:
	default:
		return nil, fmt.Errorf("loss: unknown density mode %q (want %v): %w", opt.Mode, DensityModes(), ghl.ErrUsage)
	}
	if opt.SampleM < 0 || opt.SampleM == 1 {
		return nil, fmt.Errorf("loss: reference count %d, want 0 (default) or ≥ 2: %w", opt.SampleM, ghl.ErrUsage)
	}
	if opt.SampleM == 0 {
		opt.SampleM = DefaultSampleM
	}
	if opt.Threads < 0 {
		return nil, fmt.Errorf("loss: thread count %d < 0: %w", opt.Threads, ghl.ErrUsage)
	}
	if opt.Threads == 0 {
		opt.Threads = runtime.GOMAXPROCS(0)
	}
	return &Estimator{opt: opt}, nil
}

// SetSeed changes the seed of the sampled mode (schemes reseed it every
// iteration so that the references change from one iteration to the next).
func (e *Estimator) SetSeed(seed uint64) { e.opt.Seed = seed }

// Density returns GD_i for every sample: 1 (itself) plus the number of
// other samples of its class whose gradient lies within thresholds[label]
// radians of its own (Eqs. 6–9 with SPEC 2's readings). delta is N×C
// row-major, labels has N entries in [0, C), thresholds has C entries.
// A zero δ gets GD = 1 and counts for no one. Bad sizes or labels wrap
// ghl.ErrBadInput; a bad option wraps ghl.ErrUsage.
func Density(delta []float32, labels []int, C int, thresholds []float64, opt DensityOptions) ([]float64, error) {
	e, err := NewEstimator(opt)
	if err != nil {
		return nil, err
	}
	gd := make([]float64, len(labels))
	if err := e.GD(gd, delta, labels, C, thresholds); err != nil {
		return nil, err
	}
	return gd, nil
}

// ExactFallbacks returns how many classes the sampled mode has counted
// exactly since the Estimator was made, because they had at most SampleM+1
// samples (in mini-batch training with M ≥ the batch size: every class of
// every batch, so sampled is exact there).
func (e *Estimator) ExactFallbacks() int { return e.fallbacks }

// GD writes the gradient density of every sample into dst (len(labels)
// entries); see Density.
func (e *Estimator) GD(dst []float64, delta []float32, labels []int, C int, thresholds []float64) error {
	N := len(labels)
	if C < 1 || len(delta) != N*C || len(dst) != N || len(thresholds) != C {
		return fmt.Errorf("loss: density of %d samples, %d classes: got %d gradient values, %d outputs, %d thresholds: %w",
			N, C, len(delta), len(dst), len(thresholds), ghl.ErrBadInput)
	}
	for c, t := range thresholds {
		if math.IsNaN(t) {
			return fmt.Errorf("loss: threshold of class %d is NaN: %w", c, ghl.ErrBadInput)
		}
	}
	if err := e.group(delta, labels, C); err != nil {
		return err
	}
	for i := range dst {
		dst[i] = 1
	}
	for c := 0; c < C; c++ {
		lo, n := e.start[c], e.nz[c]-e.start[c]
		t := thresholds[c]
		if n < 2 || t < 0 {
			continue // only the sample itself
		}
		cl := class{x: e.x[lo*C : (lo+n)*C], ord: e.order[lo : lo+n], C: C, c: c}
		if t+TieTol >= math.Pi {
			for _, i := range cl.ord {
				dst[i] = float64(n)
			}
			continue
		}
		switch e.opt.Mode {
		case DensityExact:
			e.exact(dst, cl, t)
		case DensityPlane2D, DensityPlanePCA:
			e.plane2d(dst, cl, t, e.opt.Mode == DensityPlanePCA)
		case DensitySampled:
			e.sampled(dst, cl, t)
		}
	}
	return nil
}

// class is one class's non-zero normalised gradients: row k of x (C values)
// belongs to sample ord[k]; c is the class label.
type class struct {
	x    []float64
	ord  []int
	C, c int
}

// group sorts the samples by class and stores their normalised δ in e.x:
// class c's non-zero gradients fill rows [start[c], nz[c]) in sample order,
// its zero gradients the rest of [start[c], start[c+1]).
func (e *Estimator) group(delta []float32, labels []int, C int) error {
	N := len(labels)
	e.start = grow(e.start, C+1)
	clear(e.start)
	for i, y := range labels {
		if y < 0 || y >= C {
			return fmt.Errorf("loss: sample %d has label %d outside [0, %d): %w", i, y, C, ghl.ErrBadInput)
		}
		e.start[y+1]++
	}
	for c := 0; c < C; c++ {
		e.start[c+1] += e.start[c]
	}
	e.order = grow(e.order, N)
	e.x = grow(e.x, N*C)
	e.nz = grow(e.nz, 2*C)
	top := e.nz[C : 2*C] // next free zero-gradient row, from the top down
	copy(e.nz[:C], e.start[:C])
	copy(top, e.start[1:])
	var row [64]float64
	buf := row[:]
	if C > len(buf) {
		buf = make([]float64, C)
	}
	buf = buf[:C]
	for i, y := range labels {
		ss := 0.0
		for k, v := range delta[i*C : (i+1)*C] {
			d := float64(v)
			if math.IsNaN(d) || math.IsInf(d, 0) {
				return fmt.Errorf("loss: gradient of sample %d is not finite: %w", i, ghl.ErrBadInput)
			}
			buf[k] = d
			ss += d * d
		}
		var r int
		if ss == 0 {
			top[y]--
			r = top[y]
		} else {
			r = e.nz[y]
			e.nz[y]++
			normalise(buf, ss)
		}
		e.order[r] = i
		copy(e.x[r*C:(r+1)*C], buf)
	}
	e.nz = e.nz[:C]
	return nil
}

// normalise scales v (whose squared norm is ss > 0) to unit length. Float32
// inputs cannot overflow ss in float64, but the rescaling guards any caller.
func normalise(v []float64, ss float64) {
	if math.IsInf(ss, 0) {
		mx := 0.0
		for _, d := range v {
			mx = max(mx, math.Abs(d))
		}
		ss = 0
		for k := range v {
			v[k] /= mx
			ss += v[k] * v[k]
		}
	}
	inv := 1 / math.Sqrt(ss)
	for k := range v {
		v[k] *= inv
	}
}

// cosLimit is the smallest cosine that counts as a neighbour at threshold t.
func cosLimit(t float64) float64 {
	return math.Cos(min(t+TieTol, math.Pi))
}

// workers prepares nw per-worker count arrays of length n, zeroed.
func (e *Estimator) workers(nw, n int) [][]int64 {
	for len(e.cnt) < nw {
		e.cnt = append(e.cnt, nil)
	}
	for w := 0; w < nw; w++ {
		e.cnt[w] = grow(e.cnt[w], n)
		clear(e.cnt[w])
	}
	return e.cnt[:nw]
}

// exactBlock is the tile edge of the exact mode's blocked Gram product.
const exactBlock = 96

// exact counts all pairs of the class with cosine ≥ cos(t+TieTol): a
// blocked Gram product of the normalised rows, upper triangle only, never
// stored (memory O(N·C)). Row tiles are handed out by an atomic counter to
// Threads goroutines, each with its own counts; counts are integers, so the
// result does not depend on the scheduling.
func (e *Estimator) exact(dst []float64, cl class, t float64) {
	n := len(cl.ord)
	limit := cosLimit(t)
	nb := (n + exactBlock - 1) / exactBlock
	nw := max(1, min(e.opt.Threads, nb))
	cnt := e.workers(nw, n)
	simd := haveSIMD && !e.scalar
	if simd {
		e.xt = transposeTiles(e.xt, cl.x, n, cl.C)
	}
	e.next.Store(0)
	if nw == 1 {
		e.exactWorker(cl, limit, nb, cnt[0], simd) // no goroutine: no allocation
	} else {
		var wg sync.WaitGroup
		for w := 0; w < nw; w++ {
			wg.Add(1)
			go func(c []int64) {
				defer wg.Done()
				e.exactWorker(cl, limit, nb, c, simd)
			}(cnt[w])
		}
		wg.Wait()
	}
	for k, i := range cl.ord {
		s := int64(1)
		for w := range cnt {
			s += cnt[w][k]
		}
		dst[i] = float64(s)
	}
}

// exactWorker takes row tiles from e.next until none is left, counting
// each tile's pairs against all tiles at or after it into c.
func (e *Estimator) exactWorker(cl class, limit float64, nb int, c []int64, simd bool) {
	n := len(cl.ord)
	for {
		bi := int(e.next.Add(1) - 1)
		if bi >= nb {
			return
		}
		i0, i1 := bi*exactBlock, min((bi+1)*exactBlock, n)
		for j0 := i0; j0 < n; j0 += exactBlock {
			if simd {
				countTileSIMD(cl.x, e.xt, cl.C, i0, i1, j0, min(j0+exactBlock, n), limit, c)
			} else {
				countTile(cl.x, cl.C, i0, i1, j0, min(j0+exactBlock, n), limit, c)
			}
		}
	}
}

// countTile counts the pairs (i, j), i in [i0, i1), j in [j0, j1), j > i,
// whose dot product is ≥ limit, adding 1 to c[i] and c[j] for each: the
// pure-Go kernel. Four columns are done at once: four independent
// accumulator chains instead of one dependent one (about 3× faster at
// C = 12; Go does not vectorise).
func countTile(x []float64, C, i0, i1, j0, j1 int, limit float64, c []int64) {
	for i := i0; i < i1; i++ {
		xi := x[i*C : i*C+C]
		j := max(j0, i+1)
		hits := int64(0)
		for ; j+4 <= j1; j += 4 {
			s0, s1, s2, s3 := dot4(xi, x[j*C:(j+4)*C])
			// Branch-free: a hit rate near 50 % would mispredict often.
			h0, h1, h2, h3 := b2i64(s0 >= limit), b2i64(s1 >= limit), b2i64(s2 >= limit), b2i64(s3 >= limit)
			cj := c[j : j+4]
			cj[0] += h0
			cj[1] += h1
			cj[2] += h2
			cj[3] += h3
			hits += h0 + h1 + h2 + h3
		}
		for ; j < j1; j++ {
			if dot(xi, x[j*C:j*C+C]) >= limit {
				hits++
				c[j]++
			}
		}
		c[i] += hits
	}
}

// transposeTiles lays the n rows of x (C values each) out for the SIMD
// kernel: column tile b (rows b·exactBlock ...) becomes a C × exactBlock
// block, value k of row b·exactBlock+jj at xt[b·C·exactBlock + k·exactBlock
// + jj], the last tile zero-padded.
func transposeTiles(xt, x []float64, n, C int) []float64 {
	nb := (n + exactBlock - 1) / exactBlock
	xt = grow(xt, nb*C*exactBlock)
	clear(xt[(nb-1)*C*exactBlock:])
	for r := 0; r < n; r++ {
		blk := xt[(r/exactBlock)*C*exactBlock:]
		jj := r % exactBlock
		for k, v := range x[r*C : (r+1)*C] {
			blk[k*exactBlock+jj] = v
		}
	}
	return xt
}

// countTileSIMD is countTile with the aligned groups of four columns of each
// row done by the assembly kernel countRow on the transposed tile (j0 is a
// tile start); the columns before the first aligned group and after the
// last are done in Go.
func countTileSIMD(x, xt []float64, C, i0, i1, j0, j1 int, limit float64, c []int64) {
	tile := xt[(j0/exactBlock)*C*exactBlock : (j0/exactBlock+1)*C*exactBlock]
	jEnd := j0 + (j1-j0)/4*4
	for i := i0; i < i1; i++ {
		xi := x[i*C : i*C+C]
		js := max(j0, i+1)
		ja := max(js, min(j0+(js-j0+3)/4*4, jEnd))
		hits := int64(0)
		for j := js; j < ja; j++ {
			h := b2i64(dot(xi, x[j*C:j*C+C]) >= limit)
			hits += h
			c[j] += h
		}
		if ng := (jEnd - ja) / 4; ng > 0 {
			hits += countRow(&xi[0], &tile[ja-j0], exactBlock, ng, C, limit, &c[ja])
		}
		for j := max(jEnd, ja); j < j1; j++ {
			h := b2i64(dot(xi, x[j*C:j*C+C]) >= limit)
			hits += h
			c[j] += h
		}
		c[i] += hits
	}
}

// dot returns a·b for len(b) ≥ len(a).
func dot(a, b []float64) float64 {
	b = b[:len(a)]
	s := 0.0
	for k, v := range a {
		s += v * b[k]
	}
	return s
}

// dot4 returns the dot products of a with the four consecutive rows of b
// (len(b) = 4·len(a)).
func dot4(a, b []float64) (s0, s1, s2, s3 float64) {
	C := len(a)
	b0, b1, b2, b3 := b[:C], b[C:2*C], b[2*C:3*C], b[3*C:4*C]
	b1, b2, b3 = b1[:len(b0)], b2[:len(b0)], b3[:len(b0)] // no bounds checks in the loop
	for k, v := range a {
		s0 += v * b0[k]
		s1 += v * b1[k]
		s2 += v * b2[k]
		s3 += v * b3[k]
	}
	return
}

// planeBasis returns the 2-D basis (u1, u2) of the plane2d mode for class
// cl.c: u1 ∝ e_c − 1/C·1 (the direction of a "push towards class c"
// gradient), u2 ∝ the class's mean normalised gradient, projected on the
// hyperplane 1ᵀx = 0 and made orthogonal to u1 (Gram–Schmidt). If that
// residual vanishes (all gradients along u1) u2 comes from e_{c+1} − 1/C·1.
func planeBasis(cl class, u1, u2 []float64) {
	C := cl.C
	inv := 1 / math.Sqrt(float64(C-1)/float64(C))
	for k := range u1 {
		u1[k] = -inv / float64(C)
		u2[k] = 0
	}
	u1[cl.c] += inv
	for r := range cl.ord {
		for k, v := range cl.x[r*C : (r+1)*C] {
			u2[k] += v
		}
	}
	if !orthoUnit(u2, u1) {
		for k := range u2 {
			u2[k] = -1 / float64(C)
		}
		u2[(cl.c+1)%C] += 1
		orthoUnit(u2, u1)
	}
}

// orthoUnit removes from v its mean (projection on the hyperplane) and its
// component along the unit vector u, then normalises it. It returns false
// when nothing is left.
func orthoUnit(v, u []float64) bool {
	m := 0.0
	for _, a := range v {
		m += a
	}
	m /= float64(len(v))
	d := 0.0
	for k := range v {
		v[k] -= m
		d += v[k] * u[k]
	}
	ss := 0.0
	for k := range v {
		v[k] -= d * u[k]
		ss += v[k] * v[k]
	}
	if !(ss > 1e-24) {
		return false
	}
	inv := 1 / math.Sqrt(ss)
	for k := range v {
		v[k] *= inv
	}
	return true
}

// pcaBasis returns the plane2d-pca basis for class cl: u1 = the class's
// mean normalised gradient (normalised; e_c − 1/C·1 if the mean vanishes),
// u2 = the leading eigenvector of Σ_i r_i r_iᵀ, r_i the gradients' residuals
// orthogonal to u1, by power iteration on the C×C matrix (O(N·C² + C³)).
// If every residual vanishes, any unit vector orthogonal to u1 will do.
func pcaBasis(cl class, u1, u2 []float64) {
	C := cl.C
	clear(u1)
	for r := range cl.ord {
		for k, v := range cl.x[r*C : (r+1)*C] {
			u1[k] += v
		}
	}
	ss := dot(u1, u1)
	if !(ss > 1e-24) {
		inv := 1 / math.Sqrt(float64(C-1)/float64(C))
		for k := range u1 {
			u1[k] = -inv / float64(C)
		}
		u1[cl.c] += inv
	} else {
		normalise(u1, ss)
	}
	S := make([]float64, C*C)
	res := make([]float64, C)
	for r := range cl.ord {
		x := cl.x[r*C : (r+1)*C]
		d := dot(u1, x)
		for k := range res {
			res[k] = x[k] - d*u1[k]
		}
		for a := 0; a < C; a++ {
			for b := 0; b < C; b++ {
				S[a*C+b] += res[a] * res[b]
			}
		}
	}
	// Deterministic start: the unit vector e_k least aligned with u1.
	kmin := 0
	for k := range u1 {
		if math.Abs(u1[k]) < math.Abs(u1[kmin]) {
			kmin = k
		}
	}
	clear(u2)
	u2[kmin] = 1
	if !orthoTo(u2, u1) {
		return // C = 1: unreachable for C ≥ 2
	}
	for it := 0; it < 300; it++ {
		for a := 0; a < C; a++ {
			res[a] = dot(S[a*C:(a+1)*C], u2)
		}
		if !orthoTo(res, u1) {
			return // no spread: keep the current u2
		}
		diff := 0.0
		for k := range u2 {
			diff = max(diff, math.Abs(res[k]-u2[k]))
		}
		copy(u2, res)
		if diff < 1e-13 {
			break
		}
	}
}

// orthoTo removes from v its component along the unit vector u and
// normalises it, returning false (v unchanged in direction) when nothing
// is left.
func orthoTo(v, u []float64) bool {
	d := dot(u, v)
	for k := range v {
		v[k] -= d * u[k]
	}
	ss := dot(v, v)
	if !(ss > 1e-24) {
		return false
	}
	normalise(v, ss)
	return true
}

// project2d returns the polar angles of the class's gradients projected on
// planeBasis (or pcaBasis), as keys (angle, row), skipping projections that
// are exactly zero.
func project2d(keys []angleKey, cl class, pca bool) []angleKey {
	C := cl.C
	var ub [64]float64
	u := ub[:]
	if 2*C > len(ub) {
		u = make([]float64, 2*C)
	}
	u1, u2 := u[:C], u[C:2*C]
	if pca {
		pcaBasis(cl, u1, u2)
	} else {
		planeBasis(cl, u1, u2)
	}
	keys = keys[:0]
	for r := range cl.ord {
		a, b := 0.0, 0.0
		for k, v := range cl.x[r*C : (r+1)*C] {
			a += v * u1[k]
			b += v * u2[k]
		}
		if a == 0 && b == 0 {
			continue
		}
		keys = append(keys, angleKey{math.Atan2(b, a), int32(r)})
	}
	return keys
}

// plane2d projects the class's normalised gradients on planeBasis, sorts
// them by polar angle and counts, with two pointers over the circle, the
// samples within t (+TieTol) of each. A gradient orthogonal to the plane
// (projection exactly zero) gets GD = 1 and counts for no one.
func (e *Estimator) plane2d(dst []float64, cl class, t float64, pca bool) {
	e.keys = project2d(e.keys, cl, pca)
	keys := e.keys
	slices.SortFunc(keys, func(p, q angleKey) int { return cmp.Compare(p.phi, q.phi) })
	n := len(keys)
	w := t + TieTol
	// Position k in [0, 3n) stands for keys[k%n] turned by 2π·(k/n − 1).
	at := func(k int) float64 {
		return keys[k%n].phi + 2*math.Pi*float64(k/n-1)
	}
	lo, hi := 0, n // window [lo, hi) of positions within w of centre n+i
	for i := 0; i < n; i++ {
		ci := keys[i].phi
		for at(lo) < ci-w {
			lo++
		}
		hi = max(hi, n+i+1)
		for hi < 3*n && at(hi) <= ci+w {
			hi++
		}
		dst[cl.ord[keys[i].row]] = float64(min(hi-lo, n))
	}
}

// sampled draws M references without replacement from the class (stream
// PCG(Seed, c)) and sets ĜD_i = 1 + (n−1)/M_i·#{neighbours of i among the
// references other than i}, M_i = M − [i is a reference]. Given that i is
// (or is not) a reference, the others are a uniform draw from i's n−1 class
// mates, so E[ĜD_i] = GD_i; 1/ĜD_i is biased upwards (Jensen). Classes with
// n ≤ M+1 samples are counted exactly.
func (e *Estimator) sampled(dst []float64, cl class, t float64) {
	n, C := len(cl.ord), cl.C
	M := e.opt.SampleM
	if M >= n-1 {
		e.fallbacks++
		e.exact(dst, cl, t)
		return
	}
	limit := cosLimit(t)
	var pcg rand.PCG
	pcg.Seed(e.opt.Seed, uint64(cl.c))
	e.refs = grow(e.refs, n)
	for k := range e.refs {
		e.refs[k] = int32(k)
	}
	for k := 0; k < M; k++ { // partial Fisher–Yates
		j := k + int(bounded(&pcg, uint64(n-k)))
		e.refs[k], e.refs[j] = e.refs[j], e.refs[k]
	}
	refs := e.refs[:M]
	e.isRef = grow(e.isRef, n)
	clear(e.isRef)
	e.ref = grow(e.ref, M*C)
	R := e.ref
	for m, k := range refs {
		e.isRef[k] = true
		copy(R[m*C:(m+1)*C], cl.x[int(k)*C:(int(k)+1)*C])
	}
	scale := float64(n - 1)
	nw := max(1, min(e.opt.Threads, n/1024))
	var wg sync.WaitGroup
	chunk := (n + nw - 1) / nw
	for w := 0; w < nw; w++ {
		k0, k1 := w*chunk, min((w+1)*chunk, n)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := k0; k < k1; k++ {
				xi := cl.x[k*C : k*C+C]
				hits := 0
				m := 0
				for ; m+4 <= M; m += 4 {
					s0, s1, s2, s3 := dot4(xi, R[m*C:(m+4)*C])
					hits += b2i(s0 >= limit) + b2i(s1 >= limit) + b2i(s2 >= limit) + b2i(s3 >= limit)
				}
				for ; m < M; m++ {
					hits += b2i(dot(xi, R[m*C:m*C+C]) >= limit)
				}
				mi := M
				if e.isRef[k] {
					hits-- // itself: cosine ≈ 1 ≥ limit always
					mi--
				}
				dst[cl.ord[k]] = 1 + scale*float64(hits)/float64(mi)
			}
		}()
	}
	wg.Wait()
}

// b2i is 1 for true, 0 for false.
func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// b2i64 is 1 for true, 0 for false.
func b2i64(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// bounded returns a uniform integer in [0, n) (Lemire's method with
// rejection, so exactly uniform).
func bounded(p *rand.PCG, n uint64) uint64 {
	for {
		v := p.Uint64()
		hi, lo := mulHiLo(v, n)
		if lo >= n || lo >= (-n)%n {
			return hi
		}
	}
}

// mulHiLo returns the high and low 64 bits of a·b.
func mulHiLo(a, b uint64) (hi, lo uint64) {
	const mask32 = 1<<32 - 1
	a0, a1 := a&mask32, a>>32
	b0, b1 := b&mask32, b>>32
	w0 := a0 * b0
	t := a1*b0 + w0>>32
	w1, w2 := t&mask32, t>>32
	w1 += a0 * b1
	hi = a1*b1 + w2 + w1>>32
	lo = a * b
	return
}

// grow returns s resized to n, reallocating only when its capacity is short.
func grow[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}
