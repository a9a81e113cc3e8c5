package experiment

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/ghl-dev/ghl"
	"github.com/ghl-dev/ghl/dataset"
	"github.com/ghl-dev/ghl/dataset/synth"
)

// name returns the protocol's name ("paper" for nil).
func (p *Protocol) name() string {
	if p == nil {
		return "paper"
	}
	return p.Name
}

// Info describes the protocol for summary.json.
func (p *Protocol) Info() *ProtocolInfo {
	if p == nil {
		return &ProtocolInfo{Name: "paper", Kind: KindSets, Source: "built-in"}
	}
	return &ProtocolInfo{Name: p.Name, Kind: p.Kind, About: p.About, Source: p.Source}
}

// protoCell is one trained cell of a protocol, before methods and seeds.
type protoCell struct {
	set    string // the cell's name
	spec   string // the sample set (dataset.ParseSet)
	source string // cross-load: the training condition
}

// specs lists the protocol's trained cells. conds are the data's
// conditions (needed by the cross-load kind only).
func (p Plan) specs(conds []string) ([]protoCell, error) {
	pr := p.Protocol
	sets := pr.Sets
	if len(p.Sets) > 0 {
		sets = p.Sets
	}
	var out []protoCell
	switch pr.Kind {
	case KindRatio:
		for _, k := range pr.Minority {
			s := fmt.Sprintf("%d/%d", pr.Majority, k)
			out = append(out, protoCell{set: s, spec: s})
		}
	case KindCrossLoad:
		if len(conds) < 2 {
			return nil, fmt.Errorf("%w: protocol %s needs recordings at two or more loads; %s", ghl.ErrUsage, pr.Name, condsSaid(conds))
		}
		for _, s := range sets {
			for _, c := range conds {
				out = append(out, protoCell{set: s + "@" + c, spec: s, source: c})
			}
		}
	default:
		for _, s := range sets {
			out = append(out, protoCell{set: s, spec: s})
		}
	}
	return out, nil
}

func condsSaid(conds []string) string {
	if len(conds) == 0 {
		return "the data has no load information (a CWRU folder gives it; a user folder needs [conditions] in a protocol file)"
	}
	return "the data has only " + strings.Join(conds, ", ")
}

// protocolCells expands a non-paper protocol's plan.
func (p Plan) protocolCells() ([]Cell, error) {
	var conds []string
	if p.Protocol.Kind == KindCrossLoad {
		var err error
		if conds, err = ListConditions(p.Data, p.Protocol); err != nil {
			return nil, err
		}
	}
	specs, err := p.specs(conds)
	if err != nil {
		return nil, err
	}
	var cells []Cell
	for _, sp := range specs {
		for _, name := range p.Methods {
			m, err := ParseMethod(name, p.Profile)
			if err != nil {
				return nil, err
			}
			for _, seed := range p.Seeds {
				cells = append(cells, Cell{Protocol: p.Protocol.Name, Set: sp.set, Method: m, Seed: seed})
			}
		}
	}
	return cells, nil
}

// ListConditions returns the conditions (loads) of the recordings in dir
// without reading them: a CWRU folder's from the catalog's loads of the
// files present, a user folder's from the protocol's [conditions] patterns
// that match a file. The simulated data (dir "") has none.
func ListConditions(dir string, p *Protocol) ([]string, error) {
	if dir == "" {
		return nil, nil
	}
	var out []string
	add := func(c string) {
		if !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	if dataset.IsCWRU(dir) || len(dataset.CWRUFiles(dir)) > 0 {
		for _, f := range dataset.CWRUFiles(dir) {
			add(dataset.LoadCondition(f.LoadHP))
		}
	} else if p != nil && len(p.Conditions) > 0 {
		files, err := relFiles(dir)
		if err != nil {
			return nil, err
		}
		for cond, pats := range p.Conditions {
			for _, f := range files {
				if matchAny(pats, f) {
					add(cond)
					break
				}
			}
		}
	}
	slices.SortFunc(out, dataset.CompareConditions)
	return out, nil
}

// relFiles lists the files one level below dir's class folders, as paths
// relative to dir with forward slashes.
func relFiles(dir string) ([]string, error) {
	classes, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ghl.ErrBadInput, err)
	}
	var out []string
	for _, c := range classes {
		if !c.IsDir() || strings.HasPrefix(c.Name(), ".") {
			continue
		}
		files, err := os.ReadDir(filepath.Join(dir, c.Name()))
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ghl.ErrBadInput, err)
		}
		for _, f := range files {
			if !f.IsDir() {
				out = append(out, c.Name()+"/"+f.Name())
			}
		}
	}
	return out, nil
}

// matchAny reports whether rel (a path relative to the data folder) matches
// one of pats: a CWRU file number, a file name or a glob on rel or on the
// file name.
func matchAny(pats []string, rel string) bool {
	base := filepath.Base(rel)
	for _, p := range pats {
		if _, err := strconv.Atoi(p); err == nil && base == p+".mat" {
			return true
		}
		if ok, _ := filepath.Match(p, rel); ok {
			return true
		}
		if ok, _ := filepath.Match(p, base); ok {
			return true
		}
	}
	return false
}

// relPath returns a recording's path relative to dir, with forward slashes.
func relPath(dir string, l dataset.Labelled) string {
	if l.Recording == nil {
		return ""
	}
	r, err := filepath.Rel(dir, l.Recording.Path)
	if err != nil {
		return filepath.ToSlash(l.Recording.Path)
	}
	return filepath.ToSlash(r)
}

// simple reports whether the protocol reads the data as the paper's
// protocol does (LoadSets): every recording, time-ordered splits only.
func (p *Protocol) simple() bool {
	return p.Paper() || (p.Kind == KindSets && p.Load == nil && len(p.Train) == 0 && len(p.Test) == 0 && len(p.Conditions) == 0)
}

// LoadProtocol reads dir and builds the windows of every cell the plan's
// protocol trains on, with their further tests (cross-load targets, noisy
// windows, held-out recordings). The paper's protocol (and any protocol of
// named sets over every recording) reads the data as LoadSets does.
func LoadProtocol(dir string, plan Plan, opt LoadOptions) (*Loaded, error) {
	p := plan.Protocol
	if p.simple() {
		if !p.Paper() && len(plan.Sets) == 0 {
			plan.Sets = p.Sets
		}
		return LoadSets(dir, plan.SetNames(), opt)
	}
	corpus, desc, err := protocolCorpus(dir, p, opt)
	if err != nil {
		return nil, err
	}
	out := &Loaded{Desc: desc, Notes: slices.Clone(corpus.Notes), Sets: map[string]*SetData{}, SampleSets: map[string]*dataset.SampleSet{}}
	note := func(n string) {
		if !slices.Contains(out.Notes, n) {
			out.Notes = append(out.Notes, n)
		}
	}
	bopt := opt.Build
	if !bopt.NoLowPass && bopt.Band == 0 {
		if bopt.Band, err = dataset.CommonBand(corpus, bopt); err != nil {
			return nil, err
		}
	}
	bopt.KeepRawTest = p.Kind == KindNoise
	conds := corpus.Conditions()
	specs, err := plan.specs(conds)
	if err != nil {
		return nil, err
	}
	// Recordings held out whole (Test) never train; Train limits training.
	var heldOut *dataset.Corpus
	pool := corpus
	if len(p.Test) > 0 || len(p.Train) > 0 {
		heldOut = corpus.Subset(func(l dataset.Labelled) bool { return matchAny(p.Test, relPath(dir, l)) })
		pool = corpus.Subset(func(l dataset.Labelled) bool {
			r := relPath(dir, l)
			return !matchAny(p.Test, r) && (len(p.Train) == 0 || matchAny(p.Train, r))
		})
		if len(p.Test) > 0 && len(heldOut.Recordings) == 0 {
			return nil, fmt.Errorf("%w: protocol %s (%s): test patterns %v match no recording in %s", ghl.ErrUsage, p.Name, p.Source, p.Test, dir)
		}
	}
	var heldOutSet *dataset.SampleSet
	if heldOut != nil && len(heldOut.Recordings) > 0 {
		if heldOutSet, err = dataset.Every(heldOut, "test", bopt); err != nil {
			return nil, err
		}
		note("held out whole for testing: " + strings.Join(files(heldOut), ", "))
	}
	loadCond, _ := p.loadCondition()
	if loadCond == LoadComplete {
		if loadCond, err = completeCondition(pool); err != nil {
			return nil, fmt.Errorf("protocol %s: %w", p.Name, err)
		}
		if loadCond != "" {
			note("every set from the " + loadCond + " recordings (the first load at which every class was recorded)")
		}
	} else if loadCond != "" {
		note("every set from the " + loadCond + " recordings")
	}
	targets := map[string]*dataset.SampleSet{}
	for _, sp := range specs {
		cond := loadCond
		if sp.source != "" {
			cond = sp.source
		}
		base := pool
		if cond != "" {
			var notes []string
			if base, notes, err = atCondition(pool, cond); err != nil {
				return nil, fmt.Errorf("protocol %s: %w", p.Name, err)
			}
			for _, n := range notes {
				note(n)
			}
		}
		spec, err := dataset.ParseSet(sp.spec)
		if err != nil {
			return nil, err
		}
		ss, err := dataset.Build(base, spec, bopt)
		if err != nil {
			return nil, fmt.Errorf("build %s: %w", sp.set, err)
		}
		ss.Name = sp.set
		sd := FromSampleSet(ss)
		switch p.Kind {
		case KindRatio:
			k := strings.SplitN(sp.spec, "/", 2)[1]
			sd.Axis, sd.Level = "minority", k
		case KindNoise:
			sd.Axis, sd.Level = "snr_db", "∞"
			for _, snr := range p.SNR {
				if math.IsInf(snr, 1) {
					continue
				}
				sd.Evals = append(sd.Evals, EvalSet{Name: fmt.Sprintf("%s snr=%sdB", sp.set, snrLevel(snr)), Axis: "snr_db", Level: snrLevel(snr),
					Windows: func(seed int) (dataset.Samples, error) { return ss.NoisyTest(snr, uint64(seed)) }})
			}
		case KindCrossLoad:
			sd.Axis, sd.Level = "target", sp.source
			used := map[string]bool{}
			for _, l := range base.Recordings {
				used[l.Recording.Path] = true
			}
			for _, t := range conds {
				if t == sp.source {
					continue
				}
				key := sp.source + "→" + t
				tset, ok := targets[key]
				if !ok {
					tc := pool.Subset(func(l dataset.Labelled) bool { return l.Condition == t && !used[l.Recording.Path] })
					if len(tc.Recordings) == 0 {
						note(fmt.Sprintf("no %s recording left to test a model trained at %s on", t, sp.source))
						continue
					}
					if tset, err = dataset.Every(tc, key, bopt); err != nil {
						return nil, err
					}
					targets[key] = tset
					if abs := absentClasses(tset); len(abs) > 0 {
						note(fmt.Sprintf("%s: %s not tested (no recording at %s that the model was not trained on); shown as –", key, strings.Join(abs, ", "), t))
					}
				}
				w := tset.Test
				sd.Evals = append(sd.Evals, EvalSet{Name: sp.set + "→" + t, Axis: "target", Level: t,
					Windows: func(int) (dataset.Samples, error) { return w, nil }})
			}
		}
		if heldOutSet != nil {
			w := heldOutSet.Test
			sd.Evals = append(sd.Evals, EvalSet{Name: sp.set + "→test", Axis: "test", Level: "held out",
				Windows: func(int) (dataset.Samples, error) { return w, nil }})
		}
		out.Sets[sp.set] = sd
		out.SampleSets[sp.set] = ss
		for _, n := range ss.Notes {
			note(n)
		}
	}
	return out, nil
}

// protocolCorpus reads the data with every recording's condition.
func protocolCorpus(dir string, p *Protocol, opt LoadOptions) (*dataset.Corpus, string, error) {
	switch {
	case dir == "":
		c, err := synth.Corpus(synth.Options{Seed: opt.SynthSeed})
		return c, "synth (built-in simulated bearing data)", err
	case dataset.IsCWRU(dir) || len(dataset.CWRUFiles(dir)) > 0:
		c, err := dataset.LoadCWRUAll(dir, opt.Load)
		return c, "cwru:" + dir, err
	}
	c, err := dataset.Load(dir, opt.Load)
	if err != nil {
		return nil, "", err
	}
	for i, l := range c.Recordings {
		r := relPath(dir, l)
		for cond, pats := range p.Conditions {
			if matchAny(pats, r) {
				if prev := c.Recordings[i].Condition; prev != "" && prev != cond {
					return nil, "", fmt.Errorf("%w: protocol %s (%s): %s matches conditions %s and %s", ghl.ErrUsage, p.Name, p.Source, r, prev, cond)
				}
				c.Recordings[i].Condition = cond
			}
		}
	}
	return c, "folder:" + dir, nil
}

// atCondition returns the recordings of c at cond; a class with none there
// takes every recording it has at the other conditions, with a note, so
// each set keeps all its classes (the paper's protocol does the same for
// NC).
func atCondition(c *dataset.Corpus, cond string) (*dataset.Corpus, []string, error) {
	if !slices.Contains(c.Conditions(), cond) {
		return nil, nil, fmt.Errorf("%w: no recording at %s (%s)", ghl.ErrUsage, cond, condsSaid(c.Conditions()))
	}
	has := map[string]bool{}
	for _, l := range c.Recordings {
		if l.Condition == cond {
			has[l.Class] = true
		}
	}
	var notes []string
	for _, cl := range c.Classes {
		if has[cl] {
			continue
		}
		var from []string
		for _, l := range c.Recordings {
			if l.Class == cl {
				from = append(from, fmt.Sprintf("%s (%s)", filepath.Base(l.Recording.Path), l.Condition))
			}
		}
		notes = append(notes, fmt.Sprintf("%s has no recording at %s: taken from %s", cl, cond, strings.Join(from, ", ")))
	}
	return c.Subset(func(l dataset.Labelled) bool { return l.Condition == cond || !has[l.Class] }), notes, nil
}

// completeCondition returns the first condition at which c has every class.
func completeCondition(c *dataset.Corpus) (string, error) {
	for _, cond := range c.Conditions() {
		n := map[string]bool{}
		for _, l := range c.Recordings {
			if l.Condition == cond {
				n[l.Class] = true
			}
		}
		if len(n) == len(c.Classes) {
			return cond, nil
		}
	}
	if len(c.Conditions()) == 0 {
		return "", nil // no conditions: every recording
	}
	return "", fmt.Errorf("%w: no load holds every class (%s); give load = N in a protocol file", ghl.ErrBadInput, strings.Join(c.Conditions(), ", "))
}

func absentClasses(s *dataset.SampleSet) []string {
	var out []string
	for i, n := range s.Test.Counts(len(s.Classes)) {
		if n == 0 {
			out = append(out, s.Classes[i])
		}
	}
	return out
}

func files(c *dataset.Corpus) []string {
	var out []string
	for _, l := range c.Recordings {
		out = append(out, filepath.Base(l.Recording.Path))
	}
	return out
}
