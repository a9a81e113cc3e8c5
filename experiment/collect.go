package experiment

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/ghl-dev/ghl"
)

// Collected is what CollectResults read from one or more results folders:
// the rows to rank and where each folder's came from.
type Collected struct {
	Rows    []Row
	Sources []Source
}

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
	c.Rows, _ = Aggregate(trials)
	for _, r := range c.Rows {
		k := CellOf(r) + "|" + r.Method
		if other, ok := rowFrom[k]; ok {
			return nil, fmt.Errorf("%w: %s (summary.json) and another folder's trials both hold %s on %s: rank them separately", ghl.ErrUsage, other, r.Method, CellOf(r))
		}
	}
	c.Rows = append(c.Rows, summaryRows...)
	return c, nil
}

// Notes says where the rows came from, folder by folder, and whether the
// folders ran on different kernel paths.
func (c *Collected) Notes() []string {
	var notes []string
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
