package dataset

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/ghl-dev/ghl"
	"github.com/ghl-dev/ghl/recording"
)

// rampCorpus returns a corpus whose recording r holds the samples
// r*1e6 + i, so that with NormNone every window tells where it came from.
// lengths[c] lists the lengths of class c's recordings.
func rampCorpus(rate float64, lengths ...[]int) *Corpus {
	c := &Corpus{Name: "ramp"}
	r := 0
	for ci, ls := range lengths {
		class := fmt.Sprintf("C%d", ci)
		c.Classes = append(c.Classes, class)
		for _, n := range ls {
			x := make([]float64, n)
			for i := range x {
				x[i] = float64(r)*1e6 + float64(i)
			}
			c.Recordings = append(c.Recordings, Labelled{Class: class, Recording: &recording.Recording{
				Path: fmt.Sprintf("/data/%s/r%d.csv", class, r), Variable: "x", Rate: rate, Samples: x}})
			r++
		}
	}
	return c
}

// origin returns the recording and start point of a NormNone ramp window,
// checking that it is contiguous.
func origin(t *testing.T, w []float32) (rec, start int) {
	t.Helper()
	v := int(w[0])
	for j := range w {
		if int(w[j]) != v+j {
			t.Fatalf("window starting at %d is not contiguous at %d", v, j)
		}
	}
	return v / 1e6, v % 1e6
}

func TestBuildSplit(t *testing.T) {
	const L = 256
	c := rampCorpus(DefaultRate, []int{40000, 20000}, []int{30000}, []int{9000})
	spec := SetSpec{Name: "t", Majority: 100, Minority: 10, Val: 4, Test: 3}
	s, err := Build(c, spec, BuildOptions{Window: L, Norm: NormNone, NoLowPass: true})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := s.TrainCounts(), []int{100, 10, 10}; !slices.Equal(got, want) {
		t.Errorf("TrainCounts = %v, want %v", got, want)
	}
	if got := s.Train.Counts(3); !slices.Equal(got, []int{100, 10, 10}) {
		t.Errorf("train label counts %v", got)
	}
	if got := s.Test.Counts(3); !slices.Equal(got, []int{3, 3, 3}) {
		t.Errorf("test label counts %v", got)
	}
	if got := s.Val.Counts(3); !slices.Equal(got, []int{4, 4, 4}) {
		t.Errorf("val label counts %v", got)
	}
	// Class C0 splits its counts 2:1 by length.
	r0, r1 := s.Recordings[0], s.Recordings[1]
	if r0.Train != 67 || r1.Train != 33 || r0.Test != 2 || r1.Test != 1 || r0.Val != 3 || r1.Val != 1 {
		t.Errorf("C0 split %d/%d train, %d/%d val, %d/%d test; want 67/33, 3/1, 2/1",
			r0.Train, r1.Train, r0.Val, r1.Val, r0.Test, r1.Test)
	}
	if got := s.PerClass[0].Recordings; !slices.Equal(got, []string{"r0.csv", "r1.csv"}) {
		t.Errorf("C0 recordings %v", got)
	}
	// Every window lies in its part's range; parts never overlap; the gap
	// is at least one window; test windows end at the last point.
	type span struct{ lo, hi int }
	seen := map[int][]span{}
	parts := []struct {
		name string
		s    *Samples
		rng  func(RecordingLayout) Range
	}{
		{"train", &s.Train, func(r RecordingLayout) Range { return r.TrainRange }},
		{"val", &s.Val, func(r RecordingLayout) Range { return r.ValRange }},
		{"test", &s.Test, func(r RecordingLayout) Range { return r.TestRange }},
	}
	for _, p := range parts {
		maxEnd := map[int]int{}
		for i := range p.s.Len() {
			rec, start := origin(t, p.s.Window(i))
			lay := s.Recordings[rec]
			if r := p.rng(lay); start < r.Start || start+L > r.End {
				t.Errorf("%s window [%d,%d) of %s outside %v", p.name, start, start+L, lay.File, r)
			}
			if slices.Index(s.Classes, lay.Class) != p.s.Y[i] {
				t.Errorf("%s window %d labelled %d, recording of class %s", p.name, i, p.s.Y[i], lay.Class)
			}
			seen[rec] = append(seen[rec], span{start, start + L})
			maxEnd[rec] = max(maxEnd[rec], start+L)
		}
		if p.name == "test" {
			for rec, end := range maxEnd {
				if end != s.Recordings[rec].ResampledPoints {
					t.Errorf("last test window of %s ends at %d, recording has %d", s.Recordings[rec].File, end, s.Recordings[rec].ResampledPoints)
				}
			}
		}
	}
	for _, lay := range s.Recordings {
		if lay.TrainRange.End > lay.ValRange.Start-L || (lay.Val > 0 && lay.ValRange.End > lay.TestRange.Start-L) {
			t.Errorf("%s: train %v, val %v, test %v: want gaps ≥ %d between the parts", lay.File, lay.TrainRange, lay.ValRange, lay.TestRange, L)
		}
		if lay.Train > 1 && lay.Stride > 0 && (lay.Train-1)*lay.Stride+L > lay.TrainRange.End {
			t.Errorf("%s: %d windows with stride %d do not fit %v", lay.File, lay.Train, lay.Stride, lay.TrainRange)
		}
	}
	// C2 (9000 points): 9000 - 7*256 - 2*256 (two gaps) = 6696
	// training points for 10 windows of 256 → stride (6696-256)/9 = 715.
	if got := s.Recordings[3]; got.Stride != 715 || got.Overlap != 0 {
		t.Errorf("C2 stride %d overlap %d, want 715, 0", got.Stride, got.Overlap)
	}
}

func TestBuildOverlapAndShort(t *testing.T) {
	c := rampCorpus(DefaultRate, []int{20000}, []int{6000})
	s, err := Build(c, SetSpec{Name: "many", Majority: 1000, Minority: 2, Val: 1, Test: 1}, BuildOptions{Window: 1024})
	if err != nil {
		t.Fatal(err)
	}
	// 20000 - 2*1024 - 2*1024 (two gaps) = 15904 training points for 1000 windows.
	if got := s.PerClass[0]; got.Stride != (15904-1024)/999 || got.Overlap != 1024-got.Stride {
		t.Errorf("NC stride %d overlap %d", got.Stride, got.Overlap)
	}
	_, err = Build(c, SetSpec{Name: "toomany", Majority: 1, Minority: 1000, Val: 1, Test: 1}, BuildOptions{Window: 1024})
	if !errors.Is(err, ghl.ErrBadInput) {
		t.Fatalf("err = %v, want ErrBadInput", err)
	}
	for _, want := range []string{"/data/C1/r1.csv", "too short", "need 6119 points", "it has 6000"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not contain %q", err, want)
		}
	}
}

func TestBuildErrors(t *testing.T) {
	nan := rampCorpus(DefaultRate, []int{6000}, []int{6000})
	nan.Recordings[1].Recording.Samples[77] = math.NaN()
	noRec := rampCorpus(DefaultRate, []int{5000})
	noRec.Classes = append(noRec.Classes, "empty")
	ok := rampCorpus(DefaultRate, []int{5000}, []int{5000})
	small := SetSpec{Name: "s", Majority: 2, Minority: 2, Val: 1, Test: 1}
	for _, tc := range []struct {
		name    string
		c       *Corpus
		spec    SetSpec
		opt     BuildOptions
		wantErr error
		say     string
	}{
		{"NaN sample", nan, small, BuildOptions{}, ghl.ErrBadInput, "sample 77"},
		{"class without recordings", noRec, small, BuildOptions{}, ghl.ErrBadInput, "class empty"},
		{"unknown norm", ok, small, BuildOptions{Norm: "l2"}, ghl.ErrUsage, "l2"},
		{"gap below a window", ok, small, BuildOptions{Gap: 10}, ghl.ErrUsage, "gap"},
		{"negative count", ok, SetSpec{Name: "n", Majority: -1}, BuildOptions{}, ghl.ErrUsage, "negative"},
		{"unknown class in set", ok, SetSpec{Name: "u", Train: map[string]int{"C0": 1, "C1": 1, "X": 1}}, BuildOptions{}, ghl.ErrUsage, "class X"},
		{"class without count", ok, SetSpec{Name: "u", Train: map[string]int{"C0": 1}}, BuildOptions{}, ghl.ErrUsage, "class C1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Build(tc.c, tc.spec, tc.opt)
			if !errors.Is(err, tc.wantErr) || s != nil {
				t.Fatalf("Build = %v, %v; want nil, %v", s, err, tc.wantErr)
			}
			if !strings.Contains(err.Error(), tc.say) {
				t.Errorf("error %q does not say %q", err, tc.say)
			}
		})
	}
}

func TestNormalise(t *testing.T) {
	src := []float64{1, 2, 3, 4, 10}
	for _, tc := range []struct {
		norm       string
		mean, std  float64
		lo, hi     float64
		meanSquare float64
	}{
		{norm: NormZScore, mean: 0, std: 1},
		{norm: NormMinMax, lo: -1, hi: 1},
		{norm: NormRMS, meanSquare: 1},
		{norm: NormNone, lo: 1, hi: 10},
	} {
		dst := make([]float32, len(src))
		if !normalise(dst, src, tc.norm) {
			t.Fatalf("%s: reported constant", tc.norm)
		}
		var m, ss, sq float64
		for _, v := range dst {
			m += float64(v)
			sq += float64(v) * float64(v)
		}
		m /= float64(len(dst))
		for _, v := range dst {
			ss += (float64(v) - m) * (float64(v) - m)
		}
		lo, hi := float64(slices.Min(dst)), float64(slices.Max(dst))
		switch tc.norm {
		case NormZScore:
			if math.Abs(m) > 1e-6 || math.Abs(math.Sqrt(ss/float64(len(dst)))-1) > 1e-6 {
				t.Errorf("zscore: mean %g std %g", m, math.Sqrt(ss/float64(len(dst))))
			}
		case NormRMS:
			if math.Abs(sq/float64(len(dst))-1) > 1e-6 {
				t.Errorf("rms: mean square %g", sq/float64(len(dst)))
			}
		default:
			if lo != tc.lo || hi != tc.hi {
				t.Errorf("%s: range [%g, %g], want [%g, %g]", tc.norm, lo, hi, tc.lo, tc.hi)
			}
		}
	}
	for _, norm := range []string{NormZScore, NormMinMax, NormRMS} {
		dst := []float32{5, 5, 5}
		src := []float64{0.1, 0.1, 0.1}
		if norm == NormRMS {
			src = []float64{0, 0, 0}
		}
		if normalise(dst, src, norm) || slices.Max(dst) != 0 || slices.Min(dst) != 0 {
			t.Errorf("%s of a constant window: %v, want reported and zero", norm, dst)
		}
	}
}

func TestBuildDeterministicAndJitter(t *testing.T) {
	c := rampCorpus(DefaultRate, []int{30000}, []int{30000})
	spec := SetSpec{Name: "j", Majority: 50, Minority: 20, Val: 2, Test: 2}
	build := func(opt BuildOptions) *SampleSet {
		opt.Norm, opt.Window, opt.NoLowPass = NormNone, 128, true
		s, err := Build(c, spec, opt)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	a, b := build(BuildOptions{Seed: 1}), build(BuildOptions{Seed: 2})
	if !slices.Equal(a.Train.X, b.Train.X) || !slices.Equal(a.Test.X, b.Test.X) {
		t.Error("the split depends on the seed without Jitter")
	}
	j1, j1b, j2 := build(BuildOptions{Jitter: true, Seed: 1}), build(BuildOptions{Jitter: true, Seed: 1}), build(BuildOptions{Jitter: true, Seed: 2})
	if !slices.Equal(j1.Train.X, j1b.Train.X) {
		t.Error("same seed, different jittered windows")
	}
	if slices.Equal(j1.Train.X, j2.Train.X) || slices.Equal(j1.Train.X, a.Train.X) {
		t.Error("jitter changes nothing")
	}
	if !slices.Equal(j1.Test.X, a.Test.X) || !slices.Equal(j1.Val.X, a.Val.X) {
		t.Error("jitter moved validation or test windows")
	}
	for i := range j1.Train.Len() {
		rec, start := origin(t, j1.Train.Window(i))
		if r := j1.Recordings[rec].TrainRange; start < r.Start || start+128 > r.End {
			t.Errorf("jittered window [%d,%d) outside %v", start, start+128, r)
		}
	}
}

func TestParseSet(t *testing.T) {
	classes := []string{"NC", "OF1", "OF2"}
	for _, tc := range []struct {
		in      string
		want    []int
		wantErr error
	}{
		{"set1", []int{3200, 64, 64}, nil},
		{"set2", []int{3200, 16, 16}, nil},
		{"balanced", []int{16, 16, 16}, nil},
		{"3200/64", []int{3200, 64, 64}, nil},
		{"NC=100, OF1=5,OF2=7", []int{100, 5, 7}, nil},
		{"NC=100,*=3", []int{100, 3, 3}, nil},
		{"set3", nil, ghl.ErrUsage},
		{"", nil, ghl.ErrUsage},
		{"3200/x", nil, ghl.ErrUsage},
		{"NC=-1,*=3", nil, ghl.ErrUsage},
		{"NC=1,NC=2", nil, ghl.ErrUsage},
	} {
		spec, err := ParseSet(tc.in)
		if err == nil {
			var got []int
			got, err = spec.TrainCounts(classes)
			if err == nil && !slices.Equal(got, tc.want) {
				t.Errorf("ParseSet(%q) counts %v, want %v", tc.in, got, tc.want)
			}
			if spec.Test != DefaultTest || spec.Val != DefaultVal {
				t.Errorf("ParseSet(%q): val %d test %d", tc.in, spec.Val, spec.Test)
			}
		}
		if !errors.Is(err, tc.wantErr) {
			t.Errorf("ParseSet(%q): %v, want %v", tc.in, err, tc.wantErr)
		}
	}
}

func TestApportion(t *testing.T) {
	for _, tc := range []struct {
		total int
		w     []float64
		want  []int
	}{
		{9, []float64{1, 1, 1}, []int{3, 3, 3}},
		{10, []float64{1, 1, 1}, []int{4, 3, 3}},
		{3200, []float64{60984, 120976, 121266}, []int{643, 1277, 1280}},
		{5, []float64{1}, []int{5}},
		{0, []float64{2, 1}, []int{0, 0}},
	} {
		got := apportion(tc.total, tc.w)
		sum := 0
		for _, v := range got {
			sum += v
		}
		if sum != tc.total || (tc.want != nil && !slices.Equal(got, tc.want)) {
			t.Errorf("apportion(%d, %v) = %v, want %v", tc.total, tc.w, got, tc.want)
		}
	}
}

// BenchmarkBuildSet1 cuts set 1 from twelve 10 s recordings at 12 kHz (the
// CWRU fault files' size), low-pass included.
func BenchmarkBuildSet1(b *testing.B) {
	lengths := make([][]int, 12)
	for i := range lengths {
		lengths[i] = []int{121000}
	}
	c := rampCorpus(DefaultRate, lengths...)
	spec, err := ParseSet("set1")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Build(c, spec, BuildOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

func TestCommonBand(t *testing.T) {
	for _, tc := range []struct {
		rates []float64
		want  float64
	}{
		{[]float64{48000, 12000, 12000}, 4800},
		{[]float64{12000}, 4800},
		{[]float64{48828, 96000}, 4800},
		{[]float64{8000, 12000}, 3200},
	} {
		c := &Corpus{}
		for _, r := range tc.rates {
			c.Recordings = append(c.Recordings, Labelled{Recording: &recording.Recording{Rate: r}})
		}
		if got, err := CommonBand(c, BuildOptions{Rate: DefaultRate}); err != nil || math.Abs(got-tc.want) > 1e-9 {
			t.Errorf("CommonBand(%v) = %g, want %g", tc.rates, got, tc.want)
		}
	}
}

// toneAmp returns the amplitude of the f Hz component of w (sampled at rate)
// under a Hann window.
func toneAmp(w []float32, f, rate float64) float64 {
	var re, im, norm float64
	for i, v := range w {
		h := 0.5 - 0.5*math.Cos(2*math.Pi*float64(i)/float64(len(w)))
		ph := 2 * math.Pi * f * float64(i) / rate
		re += h * float64(v) * math.Cos(ph)
		im += h * float64(v) * math.Sin(ph)
		norm += h
	}
	return 2 * math.Hypot(re, im) / norm
}

// TestBuildSameBand checks SPEC section 6: a 48 kHz recording (decimated)
// and a native 12 kHz one come out with the same band. A 1 kHz tone is
// equal in both; a 5.5 kHz tone, in the filter's transition band (passband
// edge 4.8 kHz, stopband edge 6 kHz = the new Nyquist), is attenuated
// equally in both. Without the low-pass the native recording keeps its
// 5.5 kHz tone at full strength and is recognisable by it.
func TestBuildSameBand(t *testing.T) {
	tones := func(rate float64, n int) *recording.Recording {
		x := make([]float64, n)
		for i := range x {
			s := float64(i) / rate
			x[i] = math.Sin(2*math.Pi*1000*s) + math.Sin(2*math.Pi*5500*s)
		}
		return &recording.Recording{Path: fmt.Sprintf("tones%g.csv", rate), Variable: "x", Rate: rate, Samples: x}
	}
	c := &Corpus{Name: "tones", Classes: []string{"NC", "F"}, Recordings: []Labelled{
		{Class: "NC", Recording: tones(48000, 48000*2)},
		{Class: "F", Recording: tones(12000, 12000*2)},
	}}
	spec := SetSpec{Name: "t", Majority: 2, Minority: 2, Val: 1, Test: 2}
	for _, noLowPass := range []bool{false, true} {
		s, err := Build(c, spec, BuildOptions{Norm: NormNone, NoLowPass: noLowPass})
		if err != nil {
			t.Fatal(err)
		}
		// The first test window of each class: away from the recording's end.
		nc, f := s.Test.Window(0), s.Test.Window(2)
		db := func(a float64) float64 { return 20 * math.Log10(a) }
		if d := db(toneAmp(nc, 1000, DefaultRate)) - db(toneAmp(f, 1000, DefaultRate)); math.Abs(d) > 0.1 {
			t.Errorf("noLowPass=%v: 1 kHz differs by %.3f dB between the classes", noLowPass, d)
		}
		a, b := db(toneAmp(nc, 5500, DefaultRate)), db(toneAmp(f, 5500, DefaultRate))
		if !noLowPass && (math.Abs(a-b) > 0.5 || a > -6) {
			t.Errorf("5.5 kHz at %.2f dB (decimated) and %.2f dB (native): want the same attenuation", a, b)
		}
		if noLowPass && (b < -0.5 || a > -6) {
			t.Errorf("NoLowPass: 5.5 kHz at %.2f dB (decimated) and %.2f dB (native): want only the decimated one attenuated", a, b)
		}
	}
}

// TestBuildOpensEachRecordingOnce checks that Build reads a lazily loaded
// recording once, through Open, and never keeps its samples in the corpus.
func TestBuildOpensEachRecordingOnce(t *testing.T) {
	mem := rampCorpus(DefaultRate, []int{8000, 6000}, []int{9000})
	lazy := &Corpus{Name: "lazy", Classes: mem.Classes}
	opens := make([]int, len(mem.Recordings))
	for i, l := range mem.Recordings {
		r := l.Recording
		lazy.Recordings = append(lazy.Recordings, Labelled{Class: l.Class, Points: len(r.Samples),
			Recording: &recording.Recording{Path: r.Path, Variable: r.Variable, Rate: r.Rate},
			Open: func() (*recording.Recording, error) {
				opens[i]++
				return &recording.Recording{Path: r.Path, Variable: r.Variable, Rate: r.Rate, Samples: slices.Clone(r.Samples)}, nil
			}})
	}
	spec := SetSpec{Name: "x", Majority: 20, Minority: 5, Val: 2, Test: 2}
	a, err := Build(lazy, spec, BuildOptions{Window: 256})
	if err != nil {
		t.Fatal(err)
	}
	b, err := Build(mem, spec, BuildOptions{Window: 256})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(opens, []int{1, 1, 1}) {
		t.Errorf("Open calls %v, want one per recording", opens)
	}
	for _, l := range lazy.Recordings {
		if l.Recording.Samples != nil {
			t.Errorf("%s: samples kept in the corpus", l.Recording.Path)
		}
	}
	if !slices.Equal(a.Train.X, b.Train.X) || !slices.Equal(a.Test.X, b.Test.X) {
		t.Error("lazy and in-memory corpora give different windows")
	}
}
