// Package dataset turns labelled recordings into the windows a model trains
// on: a time-ordered split of each recording (training windows from the
// start, a validation block, test windows from the end, never overlapping),
// the paper's imbalanced sample sets (set1, set2, balanced, custom counts),
// per-window normalisation, and users' own folders of recordings.
//
// The flow is Load (a CWRU folder or ROOT/<class>/ folder → Corpus), then
// Build (Corpus + SetSpec → SampleSet). The simulator (package synth) makes a
// Corpus too.
//
// Decisions the paper leaves open (SPEC section 6 fixes the rest):
//
//   - Common rate and band. Every recording is resampled to 12 kHz and, by
//     default, passes exactly once through the same low-pass, flat to the
//     resampler's passband edge (0.8 × the new Nyquist frequency, 4.8 kHz):
//     the normal baseline through the decimator's anti-alias filter, the
//     native 12 kHz fault files through recording.LowPass of the same design.
//     No class is then recognisable by its acquisition chain (SPEC section
//     6), and no recording is filtered twice.
//   - Split. Per recording: the test windows are the last ones, back to
//     back; the validation block (16 windows per class by default,
//     non-overlapping, so it samples as much signal as possible) lies just
//     before them; then a gap of at least one window; the training windows
//     come from the rest, starting at the first point and spread evenly
//     (the largest stride that fits the count), so they overlap only when
//     the recording is too short for disjoint windows. Set 1's 3200 NC
//     windows from 97.mat alone overlap by about 99 % (stride 10 points).
//   - Several recordings of a class (NC from 97, 98 and 99) share each count
//     in proportion to their lengths at the common rate.
//   - Class order. CWRU: the paper's [NC OF1 OF2 OF3 RF1 RF2 RF3 RF4 IF1 IF2
//     IF3 IF4]. User folders: healthy-named folders first, then by name
//     (SortClasses). The first class is the majority of the named sets.
//   - Normalisation per window: z-score by default; "minmax", "rms" and
//     "none" as options. A window with zero spread (a flat line) cannot be
//     scaled: it is left all zero and counted in a note, rather than
//     failing a whole dataset on one dead stretch of signal.
//   - Memory. Load reads each file once to check it and keeps only its
//     description; Build reads, resamples and cuts one recording at a time
//     into float32 windows, so a folder ten times CWRU's size never needs
//     all recordings in memory at once.
//   - Determinism. The split never depends on a seed; BuildOptions.Seed only
//     drives the random option Jitter.
package dataset

import "github.com/ghl-dev/ghl/recording"

// Labelled is a recording with the name of its class.
//
// A loader may leave Recording.Samples nil to keep memory bounded (Load does:
// a folder ten times the size of CWRU never holds every recording's samples
// at once). Recording then still carries Path, Variable and Rate, Points
// gives the length and Open reads the samples. Use Len and Signal to handle
// both forms.
type Labelled struct {
	Class string
	// Condition is the operating condition the recording was made at, such
	// as the motor load "2hp" of a CWRU file (LoadCondition); "" when
	// unknown. Protocols select recordings by it (load-matched and
	// cross-load sets).
	Condition string
	Recording *recording.Recording
	// RPM is the shaft speed in revolutions per minute (0: unknown), which
	// the order domain (BuildOptions.OrderRPM) needs: the CWRU catalog's
	// nominal speed, a --rpm flag or an rpm.txt file.
	RPM float64
	// Points is the length in samples at Recording.Rate when
	// Recording.Samples is nil; ignored otherwise.
	Points int
	// Open reads the samples when Recording.Samples is nil. It returns a
	// Recording with the same Path, Variable and Rate.
	Open func() (*recording.Recording, error)
	// Rate says where Recording.Rate came from (ResolveRate); zero for
	// recordings made in memory (the simulator).
	Rate Rate
	// Segment, when > 0, says the recording is a concatenation of
	// independent segments of Segment points each (the windows of a
	// windowed dataset declared independent): Build cuts one window from
	// each and never across two (see LoadWindows).
	Segment int
}

// Len returns the recording's length in samples at its own rate.
func (l Labelled) Len() int {
	if l.Recording != nil && l.Recording.Samples != nil {
		return len(l.Recording.Samples)
	}
	return l.Points
}

// Signal returns the recording with its samples, reading them with Open
// when they are not in memory. The caller may drop the result when done.
func (l Labelled) Signal() (*recording.Recording, error) {
	if l.Recording != nil && l.Recording.Samples != nil {
		return l.Recording, nil
	}
	if l.Open == nil {
		return nil, errNoSamples(l)
	}
	return l.Open()
}

// Corpus is a labelled collection of recordings: a CWRU folder, a user's
// ROOT/<class>/ folder or the simulator's output.
type Corpus struct {
	// Name says where the corpus came from ("cwru", "folder", "synth").
	Name string
	// Classes lists the class names in label order (label i is Classes[i]).
	Classes []string
	// Recordings holds every recording with its class.
	Recordings []Labelled
	// Notes are facts a user should see (e.g. "NC from 97.mat only").
	Notes []string
}

// Samples is a batch of equal-length windows with their labels, stored
// row-major: window i is X[i*L:(i+1)*L].
type Samples struct {
	X []float32
	Y []int
	L int
}

// Len returns the number of windows.
func (s *Samples) Len() int { return len(s.Y) }
