package dataset_test

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/ghl-dev/ghl"
	"github.com/ghl-dev/ghl/dataset"
	"github.com/ghl-dev/ghl/dataset/represent"
	"github.com/ghl-dev/ghl/dataset/synth"
)

// envelopeLine returns the interpolated position in bins of the largest
// line of the mean envelope spectrum of a class's test windows, searched
// within ±25 % of bin.
func envelopeLine(t *testing.T, ss *dataset.SampleSet, class string, bin float64) float64 {
	t.Helper()
	tr, err := represent.New(represent.Spec{Name: represent.Envelope}, ss.Window)
	if err != nil {
		t.Fatal(err)
	}
	label := -1
	for i, c := range ss.Classes {
		if c == class {
			label = i
		}
	}
	mean := make([]float64, tr.OutLen())
	out := make([]float32, tr.OutLen())
	for i, y := range ss.Test.Y {
		if y != label {
			continue
		}
		tr.Apply(out, ss.Test.Window(i))
		for k, v := range out {
			mean[k] += float64(v)
		}
	}
	k := int(0.75 * bin)
	for i := k; i <= int(1.25*bin); i++ {
		if mean[i] > mean[k] {
			k = i
		}
	}
	a, b, c := mean[k-1], mean[k], mean[k+1]
	return float64(k) + 0.5*(a-c)/(a-2*b+c)
}

// TestOrderDomainMatchesAcrossSpeeds: the same simulated faults at 1730
// and 1797 rpm (CWRU's 3 hp and 0 hp speeds) put their envelope-spectrum
// fault line at different frequencies in the time domain (3.9 % apart), and
// at the same place in the order domain.
func TestOrderDomainMatchesAcrossSpeeds(t *testing.T) {
	const L = 4096
	spec := dataset.SetSpec{Name: "test", Train: map[string]int{"*": 0}, Test: 12}
	fq := synth.DriveEnd6205().Frequencies(1) // fault frequencies in orders (per shaft revolution)
	build := func(rpm, order float64) *dataset.SampleSet {
		c, err := synth.Corpus(synth.Options{Seed: 5, Seconds: 5, ShaftHz: rpm / 60})
		if err != nil {
			t.Fatal(err)
		}
		ss, err := dataset.Build(c, spec, dataset.BuildOptions{Window: L, OrderRPM: order})
		if err != nil {
			t.Fatal(err)
		}
		return ss
	}
	for _, tc := range []struct {
		class  string
		orders float64
	}{{"IF3", fq.BPFI}, {"OF3", fq.BPFO}, {"IF1", fq.BPFI}} {
		// Time domain: line at orders·rpm/60 Hz, bins of 12000/L Hz.
		slow, fast := build(1730, 0), build(1797, 0)
		binHz := slow.Rate / L
		a := envelopeLine(t, slow, tc.class, tc.orders*1730/60/binHz)
		b := envelopeLine(t, fast, tc.class, tc.orders*1797/60/binHz)
		if math.Abs(a*1797/1730-b) > 0.6 || b-a < 0.7*a*(1797.0/1730-1) {
			t.Errorf("%s, time domain: lines at bins %.2f (1730 rpm) and %.2f (1797 rpm), want them %.2f bins apart", tc.class, a, b, a*(1797.0/1730-1))
		}
		// Order domain at 1800 rpm: both at orders·30 Hz-equivalent.
		oslow, ofast := build(1730, dataset.DefaultOrderRPM), build(1797, dataset.DefaultOrderRPM)
		want := tc.orders * dataset.DefaultOrderRPM / 60 / binHz
		a = envelopeLine(t, oslow, tc.class, want)
		b = envelopeLine(t, ofast, tc.class, want)
		if math.Abs(a-b) > 0.5 || math.Abs(a-want) > 1 {
			t.Errorf("%s, order domain: lines at bins %.2f (1730 rpm) and %.2f (1797 rpm), want both at %.2f", tc.class, a, b, want)
		}
	}
}

// TestOrderDomainNeedsSpeed: a recording without a shaft speed is an error
// that says how to give one.
func TestOrderDomainNeedsSpeed(t *testing.T) {
	c, err := synth.Corpus(synth.Options{Seed: 1, Seconds: 3})
	if err != nil {
		t.Fatal(err)
	}
	c.Recordings[3].RPM = 0
	_, err = dataset.Build(c, dataset.SetSpec{Name: "t", Train: map[string]int{"*": 0}, Test: 2}, dataset.BuildOptions{OrderRPM: dataset.DefaultOrderRPM})
	if !errors.Is(err, ghl.ErrBadInput) || !strings.Contains(err.Error(), "--rpm") || !strings.Contains(err.Error(), c.Recordings[3].Recording.Path) {
		t.Errorf("error %v: want bad input naming the recording and --rpm", err)
	}
}
