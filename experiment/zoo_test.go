package experiment

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/ghl-dev/ghl"
	"github.com/ghl-dev/ghl/loss"
	"github.com/ghl-dev/ghl/train"
)

func TestZooMethods(t *testing.T) {
	got := ExpandMethods([]string{"dcnng", "zoo", "dcnng-paper", "ros"})
	if got[0] != "dcnng" || got[len(got)-1] != "dcnng-paper" || len(got) != len(ZooMethods())+1 {
		t.Errorf("ExpandMethods: %v", got)
	}
	for _, spec := range ZooMethods() {
		m, err := ParseMethod(spec, Full)
		if err != nil {
			t.Fatalf("%s: %v", spec, err)
		}
		if _, err := SchemeFor(m, 0, 1); err != nil {
			t.Errorf("%s: %v", spec, err)
		}
	}
	for _, tc := range []struct {
		spec  string
		check func(Method) bool
	}{
		{"cb:base=focal", func(m Method) bool { return m.Loss.Zoo.CBFocal && m.Options()["cb_base"] == "focal" }},
		{"focal:focus=1:cw=cost", func(m Method) bool { return m.Loss.Zoo.Gamma == 1 && m.Loss.Zoo.ClassWeights == loss.WeightsCost }},
		{"ldam-drw:margin=1:s=30:drw=0.5", func(m Method) bool { z := m.Loss.Zoo; return z.MaxMargin == 1 && z.Scale == 30 && z.DRW == 0.5 }},
		{"la:tau=2", func(m Method) bool { return m.Loss.Zoo.Tau == 2 && m.Options()["tau"] == "2" }},
		{"ghm:bins=30:mmt=0", func(m Method) bool { return m.Loss.Zoo.Bins == 30 && m.Loss.Zoo.Momentum == 0 }},
		{"smote:k=3", func(m Method) bool { return m.Train.Sampler == train.SamplerSMOTE && m.Options()["k"] == "3" }},
		{"dcnn:sampler=ros", func(m Method) bool { return m.Train.Sampler == train.SamplerROS }},
		{"ros:sampler=none", func(m Method) bool { return m.Train.Sampler == train.SamplerNone }},
	} {
		m, err := ParseMethod(tc.spec, Full)
		if err != nil || !tc.check(m) {
			t.Errorf("%s: %+v, %v", tc.spec, m, err)
		}
	}
	// The existing methods' options, which resumed runs compare, are unchanged.
	for _, n := range []string{"dcnn", "dcnnc", "dcnng"} {
		m, _ := ParseMethod(n, Full)
		for _, k := range []string{"focus", "beta", "tau", "sampler", "k", "bins"} {
			if _, ok := m.Options()[k]; ok {
				t.Errorf("%s gained option %s", n, k)
			}
		}
	}
	for _, bad := range []string{"focal:focus=-1", "cb:beta=1", "dcnn:base=focal", "focal:base=mse", "smote:k=0",
		"ros:sampler=adasyn", "ghm:bins=x", "la:nope=1", "focal:cw=inverse"} {
		if _, err := ParseMethod(bad, Full); !errors.Is(err, ghl.ErrUsage) {
			t.Errorf("%s: error %v, want ErrUsage", bad, err)
		}
	}
}

func TestListMethods(t *testing.T) {
	var b bytes.Buffer
	if err := ListMethods(&b, ExpandMethods([]string{"zoo"})); err != nil {
		t.Fatal(err)
	}
	for _, want := range append(ZooMethods(), "Lin et al.", "Cui et al.", "Cao et al.", "Menon et al.", "Ren et al.", "Li et al.", "Chawla et al.") {
		if !strings.Contains(b.String(), want) {
			t.Errorf("listing lacks %q:\n%s", want, b.String())
		}
	}
	if err := ListMethods(&b, []string{"nope"}); !errors.Is(err, ghl.ErrUsage) {
		t.Errorf("unknown method: %v", err)
	}
}
