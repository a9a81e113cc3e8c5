package train

import (
	"fmt"
	"math/rand/v2"
	"sort"

	"github.com/ghl-dev/ghl/dataset"
)

// Samplers for Config.Sampler: how mini-batches are drawn. Data-level
// imbalance methods live here, where batches are drawn, not in the loss.
const (
	// SamplerNone draws each epoch as a permutation of the training windows.
	SamplerNone = ""
	// SamplerROS is random oversampling to balanced mini-batches: each of
	// an epoch's N draws picks a class uniformly among the classes with
	// training windows, then one of its windows uniformly (with
	// replacement). An epoch keeps N draws, so every method trains the same
	// number of steps.
	SamplerROS = "ros"
	// SamplerSMOTE is SMOTE (Chawla et al. 2002) drawn on the fly: classes
	// are drawn uniformly as in SamplerROS; a draw from class c is one of
	// its real windows with probability N_c/N_max (what the balanced SMOTE
	// set would hold), else a synthetic window x + λ(x' − x), x a random
	// window of the class, x' one of its SmoteK nearest same-class
	// neighbours (Euclidean, on the normalised windows), λ ~ U[0, 1). The
	// largest class is never synthesised; a class of one window is only
	// repeated.
	//
	// It interpolates in the input space — the normalised time-domain
	// windows the network reads — because that is SMOTE's own definition,
	// needs no model, and keeps what identifies a fault: two windows of one
	// stationary recording carry the same spectral lines (shaft and defect
	// frequencies and their resonances), and a convex combination of them
	// has exactly those lines, with amplitudes between theirs where the
	// phases agree and reduced where they do not (at λ = 1/2 the
	// incoherent part drops to 1/√2 of its level, inside the ±20 %
	// amplitude and noise augmentation's reach only partly; it is not
	// renormalised). Interpolating learned features instead would tie the
	// sampler to one network's internals.
	SamplerSMOTE = "smote"
)

// DefaultSmoteK is SMOTE's neighbour count when Config.SmoteK is 0
// (Chawla et al.'s k = 5).
const DefaultSmoteK = 5

// Samplers lists the values Config.Sampler accepts.
func Samplers() []string { return []string{"none", SamplerROS, SamplerSMOTE} }

// sampler draws class-balanced epochs (ros, smote).
type sampler struct {
	kind    string
	byClass [][]int // training window indices per class
	present []int   // classes with windows
	real    []float64
	nn      [][]int // smote: per window, its nearest same-class neighbours
	// per draw of the current epoch (smote): the partner window (−1: the
	// real window) and λ
	partner []int
	lam     []float32
}

// newSampler returns the sampler of cfg for tr, or nil for SamplerNone.
func newSampler(cfg Config, tr *dataset.Samples, classes int) (*sampler, error) {
	switch cfg.Sampler {
	case SamplerNone, "none":
		return nil, nil
	case SamplerROS, SamplerSMOTE:
	default:
		return nil, fmt.Errorf("train: unknown sampler %q (none, ros, smote)", cfg.Sampler)
	}
	if cfg.BatchSize == 0 {
		return nil, fmt.Errorf("train: the %s sampler draws mini-batches; it needs a batch size > 0", cfg.Sampler)
	}
	s := &sampler{kind: cfg.Sampler, byClass: make([][]int, classes), real: make([]float64, classes)}
	for i, y := range tr.Y {
		s.byClass[y] = append(s.byClass[y], i)
	}
	most := 0
	for c, idx := range s.byClass {
		if len(idx) > 0 {
			s.present = append(s.present, c)
		}
		most = max(most, len(idx))
	}
	for c, idx := range s.byClass {
		s.real[c] = float64(len(idx)) / float64(most)
	}
	if s.kind == SamplerSMOTE {
		k := cfg.SmoteK
		if k == 0 {
			k = DefaultSmoteK
		}
		if k < 1 {
			return nil, fmt.Errorf("train: SMOTE's k = %d, want ≥ 1", k)
		}
		s.nn = make([][]int, tr.Len())
		for _, idx := range s.byClass {
			if len(idx) < most {
				neighbours(s.nn, tr, idx, k)
			}
		}
	}
	return s, nil
}

// neighbours sets nn[i] to the k nearest windows of idx to window i (fewer
// when the class is smaller), for every i in idx; ties go to the lower
// index.
func neighbours(nn [][]int, tr *dataset.Samples, idx []int, k int) {
	L := tr.L
	type cand struct {
		d float64
		j int
	}
	cs := make([]cand, 0, len(idx))
	for _, i := range idx {
		cs = cs[:0]
		xi := tr.X[i*L : (i+1)*L]
		for _, j := range idx {
			if j == i {
				continue
			}
			xj := tr.X[j*L : (j+1)*L]
			d := 0.0
			for t, v := range xi {
				e := float64(v - xj[t])
				d += e * e
			}
			cs = append(cs, cand{d, j})
		}
		sort.Slice(cs, func(a, b int) bool {
			if cs[a].d != cs[b].d {
				return cs[a].d < cs[b].d
			}
			return cs[a].j < cs[b].j
		})
		n := min(k, len(cs))
		nn[i] = make([]int, n)
		for t := range n {
			nn[i][t] = cs[t].j
		}
	}
}

// epoch returns n draws (window indices); for SMOTE it also records each
// draw's partner and λ for fill.
func (s *sampler) epoch(rng *rand.Rand, n int) []int {
	order := make([]int, n)
	if s.kind == SamplerSMOTE {
		s.partner = s.partner[:0]
		s.lam = s.lam[:0]
	}
	for d := range order {
		c := s.present[rng.IntN(len(s.present))]
		idx := s.byClass[c]
		i := idx[rng.IntN(len(idx))]
		order[d] = i
		if s.kind != SamplerSMOTE {
			continue
		}
		p, lam := -1, float32(0)
		if nb := s.nn[i]; len(nb) > 0 && rng.Float64() >= s.real[c] {
			p, lam = nb[rng.IntN(len(nb))], float32(rng.Float64())
		}
		s.partner = append(s.partner, p)
		s.lam = append(s.lam, lam)
	}
	return order
}

// fill writes draw d (window i of tr) into dst: the window itself, or for a
// synthetic SMOTE draw its interpolation towards the partner.
func (s *sampler) fill(dst []float32, tr *dataset.Samples, d, i int) {
	L := tr.L
	copy(dst, tr.X[i*L:(i+1)*L])
	if s == nil || s.kind != SamplerSMOTE || s.partner[d] < 0 {
		return
	}
	p := tr.X[s.partner[d]*L : (s.partner[d]+1)*L]
	lam := s.lam[d]
	for t := range dst {
		dst[t] += lam * (p[t] - dst[t])
	}
}

// order returns the epoch's draws: a permutation of the n training windows,
// or the sampler's class-balanced draws.
func (t *trainer) order(n int) []int {
	if t.smp == nil {
		return t.rng.Perm(n)
	}
	return t.smp.epoch(t.rng, n)
}
