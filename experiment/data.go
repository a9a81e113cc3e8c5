package experiment

import (
	"fmt"

	"github.com/ghl-dev/ghl/dataset"
	"github.com/ghl-dev/ghl/dataset/synth"
	"github.com/ghl-dev/ghl/train"
)

// LoadOptions controls LoadSets.
type LoadOptions struct {
	// Load reads the data folder (rate, variable, skip-bad, …).
	Load dataset.LoadOptions
	// Build cuts the sample sets (window, rate, normalisation, …).
	Build dataset.BuildOptions
	// SynthSeed seeds the simulator when no folder is given.
	SynthSeed uint64
}

// Loaded is the data of an experiment: its sample sets by name.
type Loaded struct {
	// Desc says what the data is ("cwru:DIR", "folder:DIR", "synth …").
	Desc string
	// Notes are what the user should know (which normal recordings, …).
	Notes []string
	// Sets holds the built sample sets by name.
	Sets map[string]*SetData
	// SampleSets holds the dataset layer's view (layouts, strides).
	SampleSets map[string]*dataset.SampleSet
}

// LoadSets reads dir (a CWRU folder or a user folder; "" for the built-in
// simulated dataset) and builds the named sample sets from it.
func LoadSets(dir string, sets []string, opt LoadOptions) (*Loaded, error) {
	corpus, desc, err := LoadCorpus(dir, opt)
	if err != nil {
		return nil, err
	}
	out := &Loaded{Desc: desc, Notes: corpus.Notes, Sets: map[string]*SetData{}, SampleSets: map[string]*dataset.SampleSet{}}
	for _, name := range sets {
		spec, err := dataset.ParseSet(name)
		if err != nil {
			return nil, err
		}
		ss, err := dataset.Build(corpus, spec, opt.Build)
		if err != nil {
			return nil, fmt.Errorf("build set %s: %w", name, err)
		}
		out.SampleSets[name] = ss
		out.Sets[name] = FromSampleSet(ss)
		for _, n := range ss.Notes {
			if !contains(out.Notes, n) {
				out.Notes = append(out.Notes, n)
			}
		}
	}
	return out, nil
}

// LoadCorpus reads dir (a CWRU folder or a user folder; "" for the
// built-in simulated dataset) and says what it is ("cwru:DIR",
// "folder:DIR", "synth …").
func LoadCorpus(dir string, opt LoadOptions) (*dataset.Corpus, string, error) {
	if dir == "" {
		c, err := synth.Corpus(synth.Options{Seed: opt.SynthSeed})
		return c, "synth (built-in simulated bearing data)", err
	}
	c, err := dataset.Load(dir, opt.Load)
	return c, corpusDesc(dir), err
}

// FromSampleSet adapts a built sample set for trials; the healthy class is
// dataset.HealthyLabel's.
func FromSampleSet(ss *dataset.SampleSet) *SetData {
	return &SetData{Name: ss.Name, Set: trainSet(ss), Test: ss.Test, Healthy: dataset.HealthyLabel(ss.Classes)}
}

func corpusDesc(dir string) string {
	if dataset.IsCWRU(dir) {
		return "cwru:" + dir
	}
	return "folder:" + dir
}

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

func trainSet(ss *dataset.SampleSet) train.Set {
	return train.Set{Classes: ss.Classes, Train: ss.Train, Val: ss.Val}
}
