package experiment

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/ghl-dev/ghl/loss"
	"github.com/ghl-dev/ghl/train"
)

// Zoo is the method list "--methods zoo" stands for (ZooMethods).
const Zoo = "zoo"

// ZooMethods returns the methods "zoo" expands to: the baselines and ours,
// then the field's published imbalance remedies, all with the same recipe
// (cross-entropy, mini-batch 64, Adam, cosine schedule, augmentation,
// early stopping on validation macro-F1). dcnng-paper and the full-batch
// MSE recipes are left out (they are measured on their own in the README;
// add them by name).
func ZooMethods() []string {
	return []string{"dcnn", "dcnnc", "dcnng", "focal", "cb", "cb:base=focal", "ldam-drw", "la", "bsm", "ghm", "ros", "smote"}
}

// ExpandMethods replaces "zoo" in a method list by ZooMethods, keeping the
// first occurrence of any method named twice.
func ExpandMethods(names []string) []string {
	var out []string
	for _, n := range names {
		add := []string{n}
		if n == Zoo {
			add = ZooMethods()
		}
		for _, a := range add {
			if !slices.Contains(out, a) {
				out = append(out, a)
			}
		}
	}
	return out
}

// zooMethods returns the published methods' recipes on the mini-batch
// recipe mini, each at its paper's defaults (loss.DefaultZooOptions).
func zooMethods(mini train.Config) []Method {
	ce := loss.Options{Base: loss.CrossEntropy, Zoo: loss.DefaultZooOptions()}
	withSampler := func(s string) train.Config { c := mini; c.Sampler = s; return c }
	return []Method{
		{Name: "focal", Scheme: loss.Focal, Loss: ce, Train: mini, Optimizer: "adam",
			About: "focal loss (Lin et al., ICCV 2017): −α_y (1 − p_y)^γ log p_y, γ = 2, α = 1 (cw=cost: α ∝ 1/N_c)"},
		{Name: "cb", Scheme: loss.CB, Loss: ce, Train: mini, Optimizer: "adam",
			About: "class-balanced loss (Cui et al., CVPR 2019): weights (1 − β)/(1 − β^N_c), β = 0.9999, on cross-entropy (base=focal: on focal loss)"},
		{Name: "ldam-drw", Scheme: loss.LDAMDRW, Loss: ce, Train: mini, Optimizer: "adam",
			About: "LDAM-DRW (Cao et al., NeurIPS 2019): margins Δ_c ∝ N_c^(−1/4), largest 0.5, s = 1; class-balanced weights (β = 0.9999) over the last 20 % of epochs"},
		{Name: "la", Scheme: loss.LA, Loss: ce, Train: mini, Optimizer: "adam",
			About: "logit-adjusted loss (Menon et al., ICLR 2021): cross-entropy on z + τ log π_c, τ = 1"},
		{Name: "bsm", Scheme: loss.BSM, Loss: ce, Train: mini, Optimizer: "adam",
			About: "balanced softmax (Ren et al., NeurIPS 2020): cross-entropy on z + log N_c (the same loss as la with τ = 1)"},
		{Name: "ghm", Scheme: loss.GHM, Loss: ce, Train: mini, Optimizer: "adam",
			About: "GHM-C (Li et al., AAAI 2019): weights ∝ 1/density of g = 1 − p_y over 10 bins, momentum 0.75"},
		{Name: "ros", Scheme: loss.Plain, Loss: loss.Options{Base: loss.CrossEntropy}, Train: withSampler(train.SamplerROS), Optimizer: "adam",
			About: "random oversampling: class-balanced mini-batches (each draw a uniform class, then a uniform window of it), cross-entropy"},
		{Name: "smote", Scheme: loss.Plain, Loss: loss.Options{Base: loss.CrossEntropy}, Train: withSampler(train.SamplerSMOTE), Optimizer: "adam",
			About: "SMOTE (Chawla et al. 2002) drawn on the fly: class-balanced mini-batches of real and interpolated windows (k = 5 same-class neighbours, time domain), cross-entropy"},
	}
}

// zooKeys are the method keys of the published methods (Method.set).
var zooKeys = []string{"focus", "cw", "beta", "margin", "s", "drw", "tau", "bins", "mmt", "sampler", "k"}

// setZoo sets a published method's key; ok is false for a key it does not
// know.
func (m *Method) setZoo(k, v string) (ok bool, err error) {
	f := func(dst *float64) error {
		x, err := strconv.ParseFloat(v, 64)
		*dst = x
		return err
	}
	z := &m.Loss.Zoo
	switch k {
	case "focus":
		err = f(&z.Gamma)
	case "cw":
		z.ClassWeights = v
	case "beta":
		err = f(&z.Beta)
	case "margin":
		err = f(&z.MaxMargin)
	case "s":
		err = f(&z.Scale)
	case "drw":
		err = f(&z.DRW)
	case "tau":
		err = f(&z.Tau)
	case "mmt":
		err = f(&z.Momentum)
	case "bins":
		z.Bins, err = strconv.Atoi(v)
	case "sampler":
		if !slices.Contains(train.Samplers(), v) {
			return true, fmt.Errorf("want one of %v", train.Samplers())
		}
		m.Train.Sampler = v
		if v == "none" {
			m.Train.Sampler = train.SamplerNone
		}
	case "k":
		m.Train.SmoteK, err = strconv.Atoi(v)
		if err == nil && m.Train.SmoteK < 1 {
			err = fmt.Errorf("want k ≥ 1")
		}
	default:
		return false, nil
	}
	return true, err
}

// checkZoo checks a published method's loss options when the spec is
// read, so that a bad value (focus=-1, beta=1) is a usage error before any
// data is loaded or trial run.
func (m Method) checkZoo() error {
	if !slices.Contains(loss.ZooNames(), m.Scheme) {
		return nil
	}
	_, err := loss.New(m.Scheme, m.Loss)
	return err
}

// setCBBase handles base=focal: class-balanced weights on focal loss.
func (m *Method) setCBBase(v string) error {
	if m.Scheme != loss.CB {
		return fmt.Errorf("base=%s is for cb only (focal loss itself is the method 'focal')", v)
	}
	m.Loss.Zoo.CBFocal = true
	return nil
}

// zooOptions adds the published methods' settings to o (Method.Options),
// only for the methods that use them, so other methods' results files are
// unchanged.
func zooOptions(m Method, o map[string]string) {
	z := m.Loss.Zoo
	g := func(x float64) string { return fmt.Sprint(x) }
	switch m.Scheme {
	case loss.Focal:
		o["focus"], o["cw"] = g(z.Gamma), z.ClassWeights
	case loss.CB:
		o["beta"], o["cb_base"] = g(z.Beta), "ce"
		if z.CBFocal {
			o["cb_base"], o["focus"] = "focal", g(z.Gamma)
		}
	case loss.LDAMDRW:
		o["margin"], o["s"], o["drw"], o["beta"] = g(z.MaxMargin), g(z.Scale), g(z.DRW), g(z.Beta)
	case loss.LA:
		o["tau"] = g(z.Tau)
	case loss.GHM:
		o["bins"], o["mmt"] = fmt.Sprint(z.Bins), g(z.Momentum)
	}
	if m.Train.Sampler != train.SamplerNone {
		o["sampler"] = m.Train.Sampler
		if m.Train.Sampler == train.SamplerSMOTE {
			k := m.Train.SmoteK
			if k == 0 {
				k = train.DefaultSmoteK
			}
			o["k"] = fmt.Sprint(k)
		}
	}
}

// ListMethods writes one line per method spec: its name and what it is
// (the built-in method's About, with the spec's overrides). A spec that
// does not parse is an error wrapping ghl.ErrUsage.
func ListMethods(w io.Writer, specs []string) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, spec := range specs {
		m, err := ParseMethod(spec, Full)
		if err != nil {
			return err
		}
		about := m.About
		if base, rest, ok := strings.Cut(spec, ":"); ok {
			about = fmt.Sprintf("%s with %s: %s", base, strings.ReplaceAll(rest, ":", ", "), about)
		}
		fmt.Fprintf(tw, "%s\t%s\n", spec, about)
	}
	return tw.Flush()
}
