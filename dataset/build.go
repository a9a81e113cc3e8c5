package dataset

import (
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"slices"

	"github.com/ghl-dev/ghl"
	"github.com/ghl-dev/ghl/recording"
)

// Defaults of BuildOptions.
const (
	// DefaultWindow is the window length in points (the paper's 1024).
	DefaultWindow = 1024
	// DefaultRate is the common sampling rate in Hz (CWRU's 12 kHz).
	DefaultRate = 12000.0
)

// Per-window normalisations (BuildOptions.Norm).
const (
	// NormZScore subtracts the window's mean and divides by its standard
	// deviation (the default).
	NormZScore = "zscore"
	// NormNone keeps the samples as they are.
	NormNone = "none"
	// NormMinMax maps the window's minimum and maximum to -1 and 1.
	NormMinMax = "minmax"
	// NormRMS divides by the window's root mean square (no centring).
	NormRMS = "rms"
	// NormRecording z-scores every window with the mean and standard
	// deviation of its whole recording (at the common rate, filtered), so
	// windows keep their level relative to the rest of the recording: an
	// impact-laden window stays louder than a quiet one.
	NormRecording = "recording"
)

// ConstantTolerance decides when a window is constant: when its
// normalisation divisor (standard deviation, RMS or half range) is not
// above ConstantTolerance times the window's peak |x|, the spread is
// rounding noise and the normalised window is all zero.
const ConstantTolerance = 1e-9

// Norms lists the normalisations BuildOptions.Norm accepts.
var Norms = []string{NormZScore, NormNone, NormMinMax, NormRMS, NormRecording}

// BuildOptions controls Build. The zero value gives the defaults of SPEC
// section 6.
type BuildOptions struct {
	// Window is the window length in points (0: DefaultWindow).
	Window int
	// Rate is the common sampling rate in Hz every recording is resampled
	// to (0: DefaultRate).
	Rate float64
	// NoLowPass turns off the low-pass that gives every recording the
	// resampler's passband (SPEC section 6: no class may be recognisable by
	// its acquisition chain, e.g. NC decimated from 48 kHz).
	NoLowPass bool
	// Gap is the number of points left out between the training windows and
	// the validation (or, without validation, test) windows of a recording,
	// and again between its validation and test windows (0: Window). It may
	// not be shorter than Window.
	Gap int
	// Norm is the per-window normalisation, one of Norms ("": NormZScore).
	Norm string
	// OrderRPM, when > 0, cuts windows in the order domain: every
	// recording is resampled by its shaft speed (Labelled.RPM) as if the
	// machine turned at OrderRPM, so a window holds a fixed number of
	// points per revolution (60·Rate/OrderRPM) and a fault's lines sit at
	// the same place whatever the speed. A recording without a speed is an
	// error. DefaultOrderRPM is the usual reference.
	OrderRPM float64
	// Jitter moves each training window forward by a random offset in
	// [0, stride), drawn from Seed, instead of the regular grid.
	Jitter bool
	// Seed drives the random options (Jitter); the split itself never
	// depends on it.
	Seed uint64
	// Band is the low-pass cutoff in Hz (0: CommonBand of the corpus being
	// built). Protocols that build several sets from parts of one corpus
	// pass the whole corpus's CommonBand so every part is filtered alike.
	Band float64
	// KeepRawTest keeps the test windows before normalisation and their
	// recordings' power (SampleSet.TestRaw, TestPower), for NoisyTest.
	KeepRawTest bool
}

// Range is a span [Start, End) of points of a recording at the common rate.
type Range struct {
	Start int `json:"start"`
	End   int `json:"end"`
}

// RecordingLayout says how one recording was cut.
type RecordingLayout struct {
	Class string `json:"class"`
	// File is the recording's file name (without folder).
	File string `json:"file"`
	// Path is the recording's path.
	Path     string `json:"path"`
	Variable string `json:"variable"`
	// Points and RateHz are the length and rate of the recording as read.
	Points int     `json:"points"`
	RateHz float64 `json:"rate_hz"`
	// RateFrom says where RateHz came from (Rate.From: "--input-rate",
	// "file: field bearing.sr", "CWRU catalog" …); "" for recordings made
	// in memory.
	RateFrom string `json:"rate_from,omitempty"`
	// RPM is the recording's shaft speed (0: unknown).
	RPM float64 `json:"rpm,omitempty"`
	// ResampledToHz is the common rate; ResampledPoints the length there.
	ResampledToHz   float64 `json:"resampled_to_hz"`
	ResampledPoints int     `json:"resampled_points"`
	// LowPassHz is the cutoff of the low-pass applied (0: none).
	LowPassHz float64 `json:"lowpass_hz"`
	// Available is the number of non-overlapping windows the recording
	// holds at the common rate.
	Available int `json:"available"`
	// Train, Val and Test are the windows taken from this recording.
	Train int `json:"train"`
	Val   int `json:"val"`
	Test  int `json:"test"`
	// Stride is the distance in points between consecutive training windows
	// (0 with fewer than two); Overlap is Window-Stride when positive.
	Stride  int `json:"stride"`
	Overlap int `json:"overlap"`
	// TrainRange, ValRange and TestRange are the spans the windows come
	// from; the gap lies between TrainRange.End and ValRange.Start.
	TrainRange Range `json:"train_range"`
	ValRange   Range `json:"val_range"`
	TestRange  Range `json:"test_range"`
	// Constant counts windows whose normalisation divisor was 0; they are
	// left all zero.
	Constant int `json:"constant_windows,omitempty"`
}

// ClassLayout sums up one class of a sample set.
type ClassLayout struct {
	Class string `json:"class"`
	Train int    `json:"train"`
	Val   int    `json:"val"`
	Test  int    `json:"test"`
	// Stride is the smallest training stride among the class's recordings
	// (the largest Overlap); 0 when no recording has two training windows.
	Stride  int `json:"stride"`
	Overlap int `json:"overlap"`
	// Recordings lists the file names the class's windows come from.
	Recordings []string `json:"recordings"`
}

// SampleSet is a corpus cut into training, validation and test windows.
// Within each part, windows are ordered by class, then recording, then time.
type SampleSet struct {
	// Name is the SetSpec's name.
	Name string
	// Classes are the class names in label order.
	Classes []string
	// Rate is the common sampling rate in Hz; Window the window length.
	Rate   float64
	Window int
	// Norm is the per-window normalisation applied.
	Norm string
	// Train, Val and Test hold the windows.
	Train, Val, Test Samples
	// PerClass has one entry per class, in label order.
	PerClass []ClassLayout
	// Recordings has one entry per recording, in corpus order.
	Recordings []RecordingLayout
	// Notes are the corpus notes followed by Build's own.
	Notes []string
	// TestRaw holds the test windows before normalisation (float32, at the
	// common rate, low-passed) and TestPower, per test window, the mean
	// square of its whole recording there; both only with
	// BuildOptions.KeepRawTest.
	TestRaw   Samples
	TestPower []float64
}

// TrainCounts returns the number of training windows of each class.
func (s *SampleSet) TrainCounts() []int {
	out := make([]int, len(s.PerClass))
	for i, c := range s.PerClass {
		out[i] = c.Train
	}
	return out
}

// Counts returns the number of windows of each of nclass labels.
func (s *Samples) Counts(nclass int) []int {
	out := make([]int, nclass)
	for _, y := range s.Y {
		if y >= 0 && y < nclass {
			out[y]++
		}
	}
	return out
}

// Window returns window i (a slice of X, not a copy).
func (s *Samples) Window(i int) []float32 { return s.X[i*s.L : (i+1)*s.L] }

// Build cuts a corpus into the sample set spec describes.
//
// Every recording is resampled to the common rate and, unless NoLowPass,
// passes once through the same low-pass, so no class is recognisable by its
// band edge (SPEC section 6): the cutoff is the resampler's passband edge
// (4800 Hz at 12 kHz; the lowest edge among the recordings when some were
// upsampled from below the common rate); a recording that Resample
// decimated with that edge has the response already, every other one goes
// through LowPass with the same filter design. Then it is split in time order:
// its test windows are the last ones (non-overlapping, ending at the last
// point), its validation windows the block just before them
// (non-overlapping) with Gap points left out between the two, then Gap
// points are left out again, and its training windows
// come from the start of what remains, spread evenly over it: the stride is
// the largest that fits the requested count, so windows overlap only when
// the recording is too short for them to be disjoint. The three parts never
// share a point. A class with several recordings (NC from 97, 98 and 99)
// takes each of its counts from them in proportion to their lengths
// (largest remainders, ties to the earlier recording).
//
// Recordings are processed one at a time (read, resample, cut into float32
// windows, drop), so memory holds the windows and one recording. The split
// is deterministic; Seed only drives Jitter. A recording too short for its
// share is an error naming the file and the points needed and had
// (ghl.ErrBadInput); a bad option or set wraps ghl.ErrUsage.
func Build(c *Corpus, spec SetSpec, opt BuildOptions) (*SampleSet, error) {
	opt, err := opt.withDefaults()
	if err != nil {
		return nil, err
	}
	if spec.Val < 0 || spec.Test < 0 {
		return nil, fmt.Errorf("%w: sample set %q: negative validation or test count", ghl.ErrUsage, spec.Name)
	}
	train, err := spec.TrainCounts(c.Classes)
	if err != nil {
		return nil, err
	}
	for i, n := range train {
		if n < 0 {
			return nil, fmt.Errorf("%w: sample set %q: negative count for class %s", ghl.ErrUsage, spec.Name, c.Classes[i])
		}
	}
	byClass, err := groupByClass(c)
	if err != nil {
		return nil, err
	}
	L := opt.Window
	s := &SampleSet{Name: spec.Name, Classes: slices.Clone(c.Classes), Rate: opt.Rate, Window: L, Norm: opt.Norm,
		Notes: slices.Clone(c.Notes)}
	totalTrain := 0
	for _, n := range train {
		totalTrain += n
	}
	nc := len(c.Classes)
	s.Train = makeSamples(totalTrain, L)
	s.Val = makeSamples(nc*spec.Val, L)
	s.Test = makeSamples(nc*spec.Test, L)
	cutoff := opt.Band
	if cutoff == 0 && !opt.NoLowPass {
		if cutoff, err = CommonBand(c, opt); err != nil {
			return nil, err
		}
	}
	s.Recordings = make([]RecordingLayout, len(c.Recordings))
	constant := 0
	for ci, idx := range byClass {
		weights := make([]float64, len(idx))
		for k, ri := range idx {
			l := c.Recordings[ri]
			src, err := sourceRate(l, opt)
			if err != nil {
				return nil, err
			}
			weights[k] = float64(l.Len()) * opt.Rate / src
		}
		tr := apportion(train[ci], weights)
		va := apportion(spec.Val, weights)
		te := apportion(spec.Test, weights)
		cl := ClassLayout{Class: c.Classes[ci], Train: train[ci], Val: spec.Val, Test: spec.Test}
		for k, ri := range idx {
			lay, err := cutRecording(c.Recordings[ri], ci, tr[k], va[k], te[k], cutoff, opt, spec.Name, s, uint64(ri))
			if err != nil {
				return nil, err
			}
			s.Recordings[ri] = lay
			constant += lay.Constant
			cl.Recordings = append(cl.Recordings, lay.File)
			if lay.Train > 1 && (cl.Stride == 0 || lay.Stride < cl.Stride) {
				cl.Stride, cl.Overlap = lay.Stride, lay.Overlap
			}
		}
		s.PerClass = append(s.PerClass, cl)
	}
	for _, r := range s.Recordings {
		if r.RateHz != r.ResampledToHz {
			s.Notes = append(s.Notes, fmt.Sprintf("%s resampled %g → %g Hz", r.File, r.RateHz, r.ResampledToHz))
		}
	}
	if opt.OrderRPM > 0 {
		s.Notes = append(s.Notes, fmt.Sprintf("order domain: every recording resampled by its shaft speed to %g points per revolution (as at %g rpm)", 60*opt.Rate/opt.OrderRPM, opt.OrderRPM))
	}
	if cutoff > 0 {
		s.Notes = append(s.Notes, fmt.Sprintf("every recording low-passed once at %g Hz (the resampler's passband edge), so all classes share one acquisition band", cutoff))
	}
	if constant > 0 {
		s.Notes = append(s.Notes, fmt.Sprintf("%d constant windows could not be normalised (%s) and were left all zero", constant, opt.Norm))
	}
	return s, nil
}

// withDefaults fills zero options and checks the others.
func (o BuildOptions) withDefaults() (BuildOptions, error) {
	if o.Window == 0 {
		o.Window = DefaultWindow
	}
	if o.Rate == 0 {
		o.Rate = DefaultRate
	}
	if o.Gap == 0 {
		o.Gap = o.Window
	}
	if o.Norm == "" {
		o.Norm = NormZScore
	}
	switch {
	case o.Window < 2:
		return o, fmt.Errorf("%w: window length %d: want at least 2 points", ghl.ErrUsage, o.Window)
	case !(o.OrderRPM >= 0) || math.IsInf(o.OrderRPM, 0):
		return o, fmt.Errorf("%w: order-domain reference speed %g rpm: want a positive speed (or 0: time domain)", ghl.ErrUsage, o.OrderRPM)
	case !(o.Rate > 0) || math.IsInf(o.Rate, 0):
		return o, fmt.Errorf("%w: sampling rate %g Hz: want a positive rate", ghl.ErrUsage, o.Rate)
	case o.Gap < o.Window:
		return o, fmt.Errorf("%w: gap %d points is shorter than a window (%d): training and validation windows would be too close", ghl.ErrUsage, o.Gap, o.Window)
	case !slices.Contains(Norms, o.Norm):
		return o, fmt.Errorf("%w: normalisation %q: want one of %v", ghl.ErrUsage, o.Norm, Norms)
	}
	return o, nil
}

// groupByClass returns, per class, the indices of its recordings.
func groupByClass(c *Corpus) ([][]int, error) {
	if len(c.Classes) == 0 {
		return nil, fmt.Errorf("corpus %s: %w: no classes", c.Name, ghl.ErrBadInput)
	}
	out := make([][]int, len(c.Classes))
	for i, l := range c.Recordings {
		ci := slices.Index(c.Classes, l.Class)
		if ci < 0 {
			return nil, fmt.Errorf("corpus %s: %w: recording %d has class %q, which is not among %v", c.Name, ghl.ErrBadInput, i, l.Class, c.Classes)
		}
		if l.Recording == nil || !(l.Recording.Rate > 0) {
			return nil, fmt.Errorf("corpus %s: %w: recording %d of class %s has no sampling rate", c.Name, ghl.ErrBadInput, i, l.Class)
		}
		out[ci] = append(out[ci], i)
	}
	for ci, idx := range out {
		if len(idx) == 0 {
			return nil, fmt.Errorf("corpus %s: %w: class %s has no recordings", c.Name, ghl.ErrBadInput, c.Classes[ci])
		}
	}
	return out, nil
}

// CommonBand returns the passband edge every recording of c can have at the
// common rate of opt: the lowest resampler passband edge among them (4800 Hz
// when every recording is at 12 kHz or above and the common rate is 12 kHz).
func CommonBand(c *Corpus, opt BuildOptions) (float64, error) {
	opt, err := opt.withDefaults()
	if err != nil {
		return 0, err
	}
	band := recording.PassbandEdge(opt.Rate, opt.Rate)
	for _, l := range c.Recordings {
		src, err := sourceRate(l, opt)
		if err != nil {
			return 0, err
		}
		band = min(band, recording.PassbandEdge(src, opt.Rate))
	}
	return band, nil
}

// makeSamples allocates n windows of length L.
func makeSamples(n, L int) Samples {
	return Samples{X: make([]float32, 0, n*L), Y: make([]int, 0, n), L: L}
}

// apportion splits total in proportion to weights by largest remainders;
// ties go to the earlier entry.
func apportion(total int, weights []float64) []int {
	out := make([]int, len(weights))
	sum := 0.0
	for _, w := range weights {
		sum += w
	}
	if sum <= 0 {
		out[0] = total
		return out
	}
	rem := make([]float64, len(weights))
	left := total
	for i, w := range weights {
		q := float64(total) * w / sum
		out[i] = int(math.Floor(q))
		rem[i] = q - float64(out[i])
		left -= out[i]
	}
	order := make([]int, len(weights))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		switch {
		case rem[a] > rem[b]:
			return -1
		case rem[a] < rem[b]:
			return 1
		}
		return 0
	})
	for i := 0; i < left; i++ {
		out[order[i%len(order)]]++
	}
	return out
}

// plan places t training, v validation and s test windows of length L in n
// points with gap points after the training part. It returns the layout's
// ranges and stride, or needed > n when they do not fit.
func plan(n, L, t, v, s, gap int) (lay RecordingLayout, needed int) {
	// The same gap separates validation from test: the recordings'
	// filters reach across a boundary, so touching blocks would share
	// information.
	vtGap := 0
	if v > 0 && s > 0 {
		vtGap = gap
	}
	tail := (v+s)*L + vtGap
	needed = tail
	if t > 0 {
		needed += L + (t - 1) // stride 1 at the least
		if tail > 0 {
			needed += gap
		}
	}
	if needed > n {
		return lay, needed
	}
	lay.TestRange = Range{n - s*L, n}
	lay.ValRange = Range{n - tail, n - s*L - vtGap}
	end := n - tail
	if tail > 0 && t > 0 {
		end -= gap
	}
	if t > 0 {
		lay.TrainRange = Range{0, end}
		if t > 1 {
			lay.Stride = (end - L) / (t - 1)
			lay.Overlap = max(0, L-lay.Stride)
		} else {
			lay.TrainRange.End = min(end, L)
		}
	}
	return lay, needed
}

// allWindows as cutRecording's test count asks for every window the
// recording holds.
const allWindows = -1

// cutRecording reads, resamples and filters one recording and appends its
// windows to s.
func cutRecording(l Labelled, label, t, v, te int, cutoff float64, opt BuildOptions, set string, s *SampleSet, stream uint64) (RecordingLayout, error) {
	r, err := l.Signal()
	if err != nil {
		return RecordingLayout{}, err
	}
	if err := checkFinite(r); err != nil {
		return RecordingLayout{}, err
	}
	src, err := sourceRate(l, opt)
	if err != nil {
		return RecordingLayout{}, err
	}
	if l.Segment > 0 {
		return cutSegments(l, r, src, label, t, v, te, cutoff, opt, set, s, stream)
	}
	x, err := condition(r.Path, r.Samples, src, cutoff, opt)
	if err != nil {
		return RecordingLayout{}, err
	}
	L := opt.Window
	if te == allWindows {
		te = len(x) / L
	}
	lay, needed := plan(len(x), L, t, v, te, opt.Gap)
	if needed > len(x) {
		return RecordingLayout{}, fmt.Errorf("%s: %w: recording too short for set %s: %d train + %d val + %d test windows of %d points (gap %d) need %d points at %g Hz, it has %d (%d at %g Hz)",
			r.Path, ghl.ErrBadInput, set, t, v, te, L, opt.Gap, needed, opt.Rate, len(x), len(r.Samples), r.Rate)
	}
	lay.Class, lay.Path, lay.File, lay.Variable = l.Class, r.Path, filepath.Base(r.Path), r.Variable
	if r.Path == "" {
		lay.File = r.Variable
	}
	lay.Points, lay.RateHz, lay.RPM = len(r.Samples), r.Rate, l.RPM
	if l.Rate.Source != "" {
		lay.RateFrom = l.Rate.From()
	}
	lay.ResampledToHz, lay.ResampledPoints, lay.LowPassHz = opt.Rate, len(x), cutoff
	lay.Available = len(x) / L
	lay.Train, lay.Val, lay.Test = t, v, te

	var rng *rand.Rand
	if opt.Jitter {
		rng = rand.New(rand.NewPCG(opt.Seed, stream))
	}
	norm := opt.Norm
	if norm == NormRecording {
		// One z-score for the whole recording: scale x once, then keep
		// the windows as they are.
		if x, err = zscoreRecording(x); err != nil {
			return RecordingLayout{}, fmt.Errorf("%s: %w", r.Path, err)
		}
		norm = NormNone
	}
	add := func(dst *Samples, start int) {
		n := len(dst.X)
		dst.X = slices.Grow(dst.X, L)[:n+L]
		if !normalise(dst.X[n:], x[start:start+L], norm) {
			lay.Constant++
		}
		dst.Y = append(dst.Y, label)
	}
	for k := range t {
		start := k * lay.Stride
		if rng != nil && lay.Stride > 1 {
			start = min(start+rng.IntN(lay.Stride), lay.TrainRange.End-L)
		}
		add(&s.Train, start)
	}
	for k := range v {
		add(&s.Val, lay.ValRange.Start+k*L)
	}
	for k := range te {
		add(&s.Test, lay.TestRange.Start+k*L)
	}
	if opt.KeepRawTest && te > 0 {
		power := 0.0
		for _, v := range x {
			power += v * v
		}
		power /= float64(len(x))
		s.TestRaw.L = L
		for k := range te {
			start := lay.TestRange.Start + k*L
			for _, v := range x[start : start+L] {
				s.TestRaw.X = append(s.TestRaw.X, float32(v))
			}
			s.TestRaw.Y = append(s.TestRaw.Y, label)
			s.TestPower = append(s.TestPower, power)
		}
	}
	return lay, nil
}

// zscoreRecording returns x scaled to mean 0 and standard deviation 1; a
// constant recording wraps ghl.ErrBadInput.
func zscoreRecording(x []float64) ([]float64, error) {
	out := make([]float64, len(x))
	if !normalise64(out, x) {
		return nil, fmt.Errorf("%w: the recording is constant: it cannot be normalised", ghl.ErrBadInput)
	}
	return out, nil
}

// normalise64 z-scores src into dst; false when src is constant.
func normalise64(dst, src []float64) bool {
	mean, ss, peak := 0.0, 0.0, 0.0
	for _, v := range src {
		mean += v
		peak = max(peak, math.Abs(v))
	}
	mean /= float64(len(src))
	for _, v := range src {
		ss += (v - mean) * (v - mean)
	}
	sd := math.Sqrt(ss / float64(len(src)))
	if !(sd > ConstantTolerance*peak) {
		return false
	}
	for i, v := range src {
		dst[i] = (v - mean) / sd
	}
	return true
}

// condition resamples x (a part of the recording at path) from the rate
// src to the common rate and low-passes it at cutoff (0: no low-pass)
// unless the resampler's anti-alias filter already has that edge.
func condition(path string, x []float64, src, cutoff float64, opt BuildOptions) ([]float64, error) {
	filtered := false
	var err error
	if src != opt.Rate {
		if x, err = recording.Resample(x, src, opt.Rate); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		filtered = recording.PassbandEdge(src, opt.Rate) == cutoff
	}
	if cutoff > 0 && !filtered {
		if x, err = recording.LowPass(x, opt.Rate, cutoff); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
	}
	return x, nil
}

// cutSegments cuts a recording of independent segments (Labelled.Segment
// points each, at the rate src): every segment is resampled and filtered on
// its own and gives one window, its first Window points (a random offset
// with Jitter). The split counts whole segments in file order: the last te
// give the test windows, the v before them the validation windows, then
// enough segments to span Gap points are left out, and the t training
// windows are spread evenly over the segments from the first.
func cutSegments(l Labelled, r *recording.Recording, src float64, label, t, v, te int, cutoff float64, opt BuildOptions, set string, s *SampleSet, stream uint64) (RecordingLayout, error) {
	L, seg := opt.Window, l.Segment
	nseg := len(r.Samples) / seg
	parts := make([][]float64, nseg)
	for k := range parts {
		x, err := condition(r.Path, r.Samples[k*seg:(k+1)*seg], src, cutoff, opt)
		if err != nil {
			return RecordingLayout{}, err
		}
		if len(x) < L {
			return RecordingLayout{}, fmt.Errorf("%s: %w: its independent windows of %d points at %g Hz are %d points at %g Hz, shorter than a window of %d: use --window %d or less",
				r.Path, ghl.ErrBadInput, seg, src, len(x), opt.Rate, L, len(x))
		}
		parts[k] = x
	}
	sl := 0
	if nseg > 0 {
		sl = len(parts[0])
	}
	gapSeg := 0
	if t > 0 && v+te > 0 {
		gapSeg = max(1, (opt.Gap+sl-1)/max(sl, 1))
	}
	avail := nseg - te - v - gapSeg
	if t > avail || te+v > nseg {
		return RecordingLayout{}, fmt.Errorf("%s: %w: too few independent windows for set %s: %d train + %d val + %d test windows and a gap of %d need %d, class %s has %d",
			r.Path, ghl.ErrBadInput, set, t, v, te, gapSeg, t+v+te+gapSeg, l.Class, nseg)
	}
	lay := RecordingLayout{Class: l.Class, Path: r.Path, File: filepath.Base(r.Path), Variable: r.Variable,
		Points: len(r.Samples), RateHz: r.Rate, RPM: l.RPM, ResampledToHz: opt.Rate, ResampledPoints: nseg * sl, LowPassHz: cutoff,
		Available: nseg, Train: t, Val: v, Test: te}
	if l.Rate.Source != "" {
		lay.RateFrom = l.Rate.From()
	}
	stride := 0
	if t > 1 {
		stride = (avail - 1) / (t - 1)
	}
	lay.Stride = stride * sl
	lay.TestRange = Range{(nseg - te) * sl, nseg * sl}
	lay.ValRange = Range{(nseg - te - v) * sl, (nseg - te) * sl}
	if t > 0 {
		lay.TrainRange = Range{0, ((t-1)*stride + 1) * sl}
	}
	var rng *rand.Rand
	if opt.Jitter {
		rng = rand.New(rand.NewPCG(opt.Seed, stream))
	}
	add := func(dst *Samples, k int, jitter bool) {
		off := 0
		if jitter && rng != nil && sl > L {
			off = rng.IntN(sl - L + 1)
		}
		n := len(dst.X)
		dst.X = dst.X[:n+L]
		if !normalise(dst.X[n:], parts[k][off:off+L], opt.Norm) {
			lay.Constant++
		}
		dst.Y = append(dst.Y, label)
	}
	for k := range t {
		add(&s.Train, k*stride, true)
	}
	for k := range v {
		add(&s.Val, nseg-te-v+k, false)
	}
	for k := range te {
		add(&s.Test, nseg-te+k, false)
	}
	return lay, nil
}

// normalise writes src normalised by norm into dst. It returns false (and
// leaves dst all zero) when the divisor is 0.
func normalise(dst []float32, src []float64, norm string) bool {
	var shift, scale float64 = 0, 1
	switch norm {
	case NormZScore:
		mean, ss := 0.0, 0.0
		for _, v := range src {
			mean += v
		}
		mean /= float64(len(src))
		for _, v := range src {
			ss += (v - mean) * (v - mean)
		}
		shift, scale = mean, math.Sqrt(ss/float64(len(src)))
	case NormMinMax:
		lo, hi := slices.Min(src), slices.Max(src)
		shift, scale = (lo+hi)/2, (hi-lo)/2
	case NormRMS:
		ss := 0.0
		for _, v := range src {
			ss += v * v
		}
		scale = math.Sqrt(ss / float64(len(src)))
	}
	if norm != NormNone {
		peak := 0.0
		for _, v := range src {
			peak = max(peak, math.Abs(v))
		}
		// A constant window's computed spread is rounding noise: treat a
		// divisor below ConstantTolerance of the window's peak as zero.
		if scale == 0 || !(scale > ConstantTolerance*peak) {
			clear(dst)
			return false
		}
	}
	for i, v := range src {
		dst[i] = float32((v - shift) / scale)
	}
	return true
}
