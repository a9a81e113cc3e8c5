// Package dataset turns labelled recordings into the windows a model trains
// on: a time-ordered split of each recording (training windows from the
// start, a validation block, test windows from the end, never overlapping),
// the paper's imbalanced sample sets (set1, set2, balanced, custom counts),
// per-window normalisation, and users' own folders of recordings.
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
	Class     string
	Recording *recording.Recording
	// Points is the length in samples at Recording.Rate when
	// Recording.Samples is nil; ignored otherwise.
	Points int
	// Open reads the samples when Recording.Samples is nil. It returns a
	// Recording with the same Path, Variable and Rate.
	Open func() (*recording.Recording, error)
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
