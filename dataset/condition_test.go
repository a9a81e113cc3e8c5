package dataset

import (
	"errors"
	"math"
	"slices"
	"testing"

	"github.com/ghl-dev/ghl"
	"github.com/ghl-dev/ghl/dataset/cwru"
	"github.com/ghl-dev/ghl/internal/realdata"
	"github.com/ghl-dev/ghl/recording"
)

func TestCompareConditions(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int // sign
	}{
		{"0hp", "2hp", -1}, {"2hp", "10hp", -1}, {"3hp", "1hp", 1}, {"", "0hp", -1},
		{"0hp", "0hp", 0}, {"cold", "warm", -1}, {"-5C", "20C", -1},
	} {
		got := CompareConditions(tc.a, tc.b)
		if (got < 0) != (tc.want < 0) || (got > 0) != (tc.want > 0) {
			t.Errorf("CompareConditions(%q, %q) = %d, want sign %d", tc.a, tc.b, got, tc.want)
		}
	}
}

// TestLoadCWRUAllReal reads the shared folder with every load: each
// recording carries its catalogued load, and the conditions are what the
// folder holds (0 and 2 hp today; nothing is hard-coded).
func TestLoadCWRUAllReal(t *testing.T) {
	dir := realdata.CWRU(t)
	c, err := LoadCWRUAll(dir, LoadOptions{Strict: true})
	if err != nil {
		t.Fatal(err)
	}
	files := CWRUFiles(dir)
	if len(c.Recordings) != len(files) {
		t.Fatalf("%d recordings, %d catalogued files present", len(c.Recordings), len(files))
	}
	want := map[string]bool{}
	for _, f := range files {
		want[LoadCondition(f.LoadHP)] = true
	}
	conds := c.Conditions()
	if len(conds) != len(want) {
		t.Errorf("conditions %v, want the loads %v", conds, want)
	}
	for _, l := range c.Recordings {
		f, ok := cwru.LookupName(l.Recording.Path[len(dir)+1:])
		if !ok || l.Condition != LoadCondition(f.LoadHP) || l.Class != f.Class {
			t.Errorf("%s: class %s condition %s", l.Recording.Path, l.Class, l.Condition)
		}
	}
	if c.Classes[0] != "NC" {
		t.Errorf("classes %v: NC must be label 0", c.Classes)
	}
}

// TestEveryAndSubset: Every cuts each recording into all its windows and
// accepts a class without recordings (the cross-load target without NC).
func TestEveryAndSubset(t *testing.T) {
	c := rampCorpus(12000, []int{5000}, []int{3000, 2100}, []int{4096})
	c.Recordings[0].Condition = "a"
	for i := 1; i < len(c.Recordings); i++ {
		c.Recordings[i].Condition = "b"
	}
	sub := c.Subset(func(l Labelled) bool { return l.Condition == "b" })
	if !slices.Equal(sub.Classes, c.Classes) || len(sub.Recordings) != 3 {
		t.Fatalf("subset: classes %v, %d recordings", sub.Classes, len(sub.Recordings))
	}
	if _, err := Build(sub, SetSpec{Name: "x", Majority: 1, Minority: 1}, BuildOptions{Window: 1000, Norm: NormNone, NoLowPass: true}); !errors.Is(err, ghl.ErrBadInput) {
		t.Errorf("Build on a corpus with an empty class: %v, want ErrBadInput", err)
	}
	s, err := Every(sub, "b", BuildOptions{Window: 1000, Norm: NormNone, NoLowPass: true})
	if err != nil {
		t.Fatal(err)
	}
	// 3000 → 3 windows, 2100 → 2, 4096 → 4; class C0 has none.
	if got := s.Test.Counts(3); !slices.Equal(got, []int{0, 5, 4}) {
		t.Errorf("windows per class %v, want [0 5 4]", got)
	}
	if s.PerClass[0].Test != 0 || s.PerClass[1].Test != 5 {
		t.Errorf("per class %+v", s.PerClass)
	}
	// Windows are back to back and end at the recording's last point.
	rec, start := origin(t, s.Test.Window(3))
	if rec != 2 || start != 100 {
		t.Errorf("first window of the 2100-point recording starts at %d of recording %d, want 100 of 2", start, rec)
	}
}

// TestNoisyTest checks the SNR convention (recording power before
// windowing), determinism per seed and that +Inf is the clean set.
func TestNoisyTest(t *testing.T) {
	c := &Corpus{Name: "sine", Classes: []string{"A", "B"}}
	for ci, amp := range []float64{1, 10} {
		x := make([]float64, 40000)
		for i := range x {
			x[i] = amp * math.Sin(2*math.Pi*float64(i)/37)
		}
		c.Recordings = append(c.Recordings, Labelled{Class: c.Classes[ci], Recording: &recording.Recording{Path: c.Classes[ci], Variable: "x", Rate: 12000, Samples: x}})
	}
	opt := BuildOptions{Window: 1024, Norm: NormNone, NoLowPass: true, KeepRawTest: true}
	s, err := Build(c, SetSpec{Name: "s", Majority: 4, Minority: 4, Val: 2, Test: 9}, opt)
	if err != nil {
		t.Fatal(err)
	}
	for _, snr := range []float64{10, 0, -4} {
		n, err := s.NoisyTest(snr, 7)
		if err != nil {
			t.Fatal(err)
		}
		for ci, amp := range []float64{1, 10} {
			var noiseP float64
			cnt := 0
			for i, y := range n.Y {
				if y != ci {
					continue
				}
				for k, v := range n.Window(i) {
					d := float64(v) - float64(s.Test.Window(i)[k])
					noiseP += d * d
					cnt++
				}
			}
			noiseP /= float64(cnt)
			want := amp * amp / 2 / math.Pow(10, snr/10)
			if math.Abs(noiseP/want-1) > 0.05 {
				t.Errorf("class %s SNR %g: noise power %.4g, want %.4g", c.Classes[ci], snr, noiseP, want)
			}
		}
		again, _ := s.NoisyTest(snr, 7)
		other, _ := s.NoisyTest(snr, 8)
		if !slices.Equal(again.X, n.X) || slices.Equal(other.X, n.X) {
			t.Errorf("SNR %g: same seed must give the same noise, another seed other noise", snr)
		}
	}
	clean, err := s.NoisyTest(math.Inf(1), 1)
	if err != nil || !slices.Equal(clean.X, s.Test.X) {
		t.Errorf("SNR +Inf differs from the clean windows (%v)", err)
	}
	if _, err := (&SampleSet{Name: "x", Test: s.Test}).NoisyTest(0, 1); !errors.Is(err, ghl.ErrUsage) {
		t.Errorf("NoisyTest without raw windows: %v", err)
	}
}
