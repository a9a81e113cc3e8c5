package experiment

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/ghl-dev/ghl"
	"github.com/ghl-dev/ghl/train"
)

// Collected is what CollectResults read from one or more results folders:
// the rows to rank and where each folder's came from.
type Collected struct {
	Rows    []Row
	Sources []Source
	// Duplicates lists the cells left out of Rows, each with the cell it
	// repeats: cells whose trials are another cell's, method by method and
	// seed by seed (the same trainings and tests under two protocols, such
	// as cross-load's source cell set1@0hp and load0's set1).
	Duplicates []DuplicateCell
}

// DuplicateCell is a cell left out of a collection because its trials are
// those of the cell Of.
type DuplicateCell struct{ Cell, Of string }

// Source describes one results folder read by CollectResults.
type Source struct {
	Dir string
	// Trials is the number of trial files read from Dir/trials; 0 when the
	// rows came from Dir/summary.json.
	Trials int
	// Kernel and Command are summary.json's ("" without one).
	Kernel, Command string
}

// CollectResults reads the finished trials of results folders (each the
// --out folder of a run): a folder's trials/*.json when it has any, which
// carry every per-seed value, else its summary.json's rows. The trials of
// all folders are aggregated together, so folders holding other seeds of
// the same cells pool them; the same trial in two folders, or a
// summary-only folder's row that another folder also has, is an error
// wrapping ghl.ErrUsage. A missing folder, one with neither trials nor a
// summary, and an unreadable file are errors wrapping ghl.ErrBadInput.
// A cell whose trials repeat an earlier cell's (see Collected.Duplicates)
// is left out, so that no training counts twice in the tests.
func CollectResults(dirs ...string) (*Collected, error) {
	c := &Collected{}
	var trials []*TrialResult
	trialFrom := map[string]string{} // trial identity → folder
	var summaryRows []Row
	rowFrom := map[string]string{} // cell and method → folder
	for _, dir := range dirs {
		if st, err := os.Stat(dir); err != nil {
			return nil, fmt.Errorf("results folder %s: %w: %v", dir, ghl.ErrBadInput, err)
		} else if !st.IsDir() {
			return nil, fmt.Errorf("results folder %s: %w: not a folder (give the --out folder of 'ghl reproduce')", dir, ghl.ErrBadInput)
		}
		src := Source{Dir: dir}
		var s Summary
		haveSummary := false
		switch err := readJSONFile(filepath.Join(dir, "summary.json"), &s); {
		case err == nil:
			haveSummary, src.Kernel, src.Command = true, s.Kernel, s.Command
		case !errors.Is(err, fs.ErrNotExist):
			return nil, fmt.Errorf("results folder %s: %w", dir, err)
		}
		paths, _ := filepath.Glob(filepath.Join(dir, "trials", "*.json"))
		sort.Strings(paths)
		for _, p := range paths {
			t, err := readTrial(p)
			if err != nil {
				return nil, fmt.Errorf("%w: %v", ghl.ErrBadInput, err)
			}
			if t.Protocol == "" {
				t.Protocol = "paper" // files written before protocols existed
			}
			id := fmt.Sprintf("%s|%s|%s|%d", t.Protocol, t.Set, t.Method, t.Seed)
			if other, ok := trialFrom[id]; ok {
				return nil, fmt.Errorf("%w: %s and %s both hold the trial of %s on %s, seed %d: give folders of different cells or seeds",
					ghl.ErrUsage, other, dir, t.Method, CellOf(Row{Protocol: t.Protocol, Set: t.Set}), t.Seed)
			}
			trialFrom[id] = dir
			trials = append(trials, t)
		}
		src.Trials = len(paths)
		switch {
		case len(paths) > 0:
		case !haveSummary:
			return nil, fmt.Errorf("results folder %s: %w: no trials/*.json and no summary.json (give the --out folder of a finished or running 'ghl reproduce')", dir, ghl.ErrBadInput)
		case len(s.Rows) == 0:
			return nil, fmt.Errorf("results folder %s: %w: summary.json has no rows and there are no trials/*.json", dir, ghl.ErrBadInput)
		default:
			for _, r := range s.Rows {
				k := CellOf(r) + "|" + r.Method
				if other, ok := rowFrom[k]; ok {
					return nil, fmt.Errorf("%w: %s and %s both hold %s on %s: rank them separately", ghl.ErrUsage, other, dir, r.Method, CellOf(r))
				}
				rowFrom[k] = dir
				summaryRows = append(summaryRows, r)
			}
		}
		c.Sources = append(c.Sources, src)
	}
	rows, _ := Aggregate(trials)
	c.Rows = c.dropDuplicates(rows, trials)
	for _, r := range c.Rows {
		k := CellOf(r) + "|" + r.Method
		if other, ok := rowFrom[k]; ok {
			return nil, fmt.Errorf("%w: %s (summary.json) and another folder's trials both hold %s on %s: rank them separately", ghl.ErrUsage, other, r.Method, CellOf(r))
		}
	}
	c.Rows = append(c.Rows, summaryRows...)
	return c, nil
}

// dropDuplicates returns rows without the cells whose trials repeat an
// earlier cell's, recording them in c.Duplicates. Two cells repeat each
// other when every (method, seed) of one has a trial in the other with the
// same training log (losses, training accuracy, validation macro-F1 at every
// iteration), kept iteration and test confusion matrix.
func (c *Collected) dropDuplicates(rows []Row, trials []*TrialResult) []Row {
	prints := map[string][]string{} // cell → sorted fingerprints of its trials
	add := func(protocol, set string, t *TrialResult, m train.Metrics) {
		type step struct{ Loss, TrainAccuracy, ValMacroF1 float64 } // what training computed, not its timing
		log := make([]step, len(t.Log))
		for i, l := range t.Log {
			log[i] = step{l.Loss, l.TrainAccuracy, l.ValMacroF1}
		}
		b, _ := json.Marshal(struct {
			Method    string
			Seed      int
			BestIter  int
			Log       []step
			Confusion [][]int
		}{t.Method, t.Seed, t.BestIter, log, m.Confusion})
		h := sha256.Sum256(b)
		cell := CellOf(Row{Protocol: protocol, Set: set})
		prints[cell] = append(prints[cell], hex.EncodeToString(h[:]))
	}
	for _, t := range trials {
		add(t.Protocol, t.Set, t, t.Test)
		for _, e := range t.Evals {
			add(t.Protocol, e.Name, t, e.Test)
		}
	}
	first := map[string]string{} // fingerprint of a whole cell → the first cell with it
	drop := map[string]bool{}
	for _, r := range rows {
		cell := CellOf(r)
		ps := prints[cell]
		if len(ps) == 0 || drop[cell] {
			continue
		}
		sort.Strings(ps)
		key := strings.Join(ps, ",")
		switch of, ok := first[key]; {
		case !ok:
			first[key] = cell
		case of != cell:
			drop[cell] = true
			c.Duplicates = append(c.Duplicates, DuplicateCell{Cell: cell, Of: of})
		}
	}
	var out []Row
	for _, r := range rows {
		if !drop[CellOf(r)] {
			out = append(out, r)
		}
	}
	return out
}

// Notes says where the rows came from, folder by folder, and whether the
// folders ran on different kernel paths.
func (c *Collected) Notes() []string {
	var notes []string
	for _, d := range c.Duplicates {
		notes = append(notes, fmt.Sprintf("cell %s left out: its trials are those of %s, method by method and seed by seed "+
			"(the same trainings and tests under two protocols); counted twice, they would enter the Friedman test, "+
			"the critical difference and the paired tests as independent evidence", d.Cell, d.Of))
	}
	kernels := map[string][]string{}
	for _, s := range c.Sources {
		from := fmt.Sprintf("%d trial file%s in trials/", s.Trials, plural(s.Trials))
		if s.Trials == 0 {
			from = "summary.json (no trials/)"
		}
		n := fmt.Sprintf("%s: read from %s", s.Dir, from)
		if s.Command != "" {
			n += fmt.Sprintf(", run by `%s`", s.Command)
		}
		if s.Kernel != "" {
			n += ", kernel path " + s.Kernel
		} else {
			n += ", kernel path unknown (no summary.json)"
		}
		notes = append(notes, n)
		if s.Kernel != "" {
			kernels[s.Kernel] = append(kernels[s.Kernel], s.Dir)
		}
	}
	if len(kernels) > 1 {
		var ks []string
		for k, ds := range kernels {
			ks = append(ks, fmt.Sprintf("%s (%s)", k, strings.Join(ds, ", ")))
		}
		sort.Strings(ks)
		notes = append(notes, "the folders ran on different kernel paths: "+strings.Join(ks, "; ")+
			". A seed gives bit-identical results on one path only; across paths a trial can differ by rounding, so compare the ranks with that in mind")
	}
	return notes
}

// readJSONFile decodes the JSON file at path into v; a file that does not
// decode is an error wrapping ghl.ErrBadInput that names it.
func readJSONFile(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: %w: %v", path, ghl.ErrBadInput, err)
	}
	return nil
}
