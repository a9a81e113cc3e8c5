// Package dataset turns labelled recordings into the windows a model trains
// on: a time-ordered split of each recording (training windows from the
// start, a validation block, test windows from the end, never overlapping),
// the paper's imbalanced sample sets (set1, set2, balanced, custom counts),
// per-window normalisation, and users' own folders of recordings.
package dataset

import "github.com/ghl-dev/ghl/recording"

// Labelled is a recording with the name of its class.
type Labelled struct {
	Class     string
	Recording *recording.Recording
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
