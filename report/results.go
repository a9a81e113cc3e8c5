package report

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/ghl-dev/ghl"
	"github.com/ghl-dev/ghl/experiment"
)

// Results is what a results directory holds, as read by Load.
type Results struct {
	// Dir is the results directory.
	Dir string
	// Summary is summary.json, or nil when it is missing.
	Summary *experiment.Summary
	// Trials are the readable trials/*.json files, sorted by set, method
	// and seed.
	Trials []experiment.TrialResult
	// Rows and Paired come from summary.json, or are aggregated from the
	// trials when it is missing.
	Rows   []experiment.Row
	Paired []experiment.Paired
	// Ablation holds the tables of ablation.json (nil when absent).
	Ablation *Ablation
	// AblationMarkdown is ablation.md ("" when absent).
	AblationMarkdown string
	// LeaderboardMarkdown is leaderboard.md ("" when absent).
	LeaderboardMarkdown string
	// Extras are the figures saved in ExtraDir (see SaveExtra).
	Extras []Extra
	// Notes say what is missing or could not be read.
	Notes []string
}

// Ablation is the format of RESULTS_DIR/ablation.json: tables of
// preformatted cells, so that any sweep (α, annealing, density, ε, loss,
// batch size) can be reported without the report knowing its columns.
type Ablation struct {
	Tables []Table `json:"tables"`
}

// Table is one ablation table: a title, an optional caption (what was
// measured, on which windows, with how many seeds) and rows of cells.
type Table struct {
	Title   string     `json:"title"`
	Caption string     `json:"caption,omitempty"`
	Columns []string   `json:"columns"`
	Rows    [][]string `json:"rows"`
}

// Load reads a results directory: trials/*.json, summary.json and the
// optional ablation.json, ablation.md and figures-extra/*.png. Missing or unreadable files are
// noted in Results.Notes rather than failing, so that a partial run can
// be reported; only a directory with neither a summary nor any trial is an
// error (wrapping ghl.ErrBadInput).
func Load(dir string) (*Results, error) {
	r := &Results{Dir: dir}
	if st, err := os.Stat(dir); err != nil {
		return nil, fmt.Errorf("results %s: %w: %v", dir, ghl.ErrBadInput, err)
	} else if !st.IsDir() {
		return nil, fmt.Errorf("results %s: %w: not a directory", dir, ghl.ErrBadInput)
	}
	paths, _ := filepath.Glob(filepath.Join(dir, "trials", "*.json"))
	sort.Strings(paths)
	for _, p := range paths {
		var t experiment.TrialResult
		if err := readJSON(p, &t); err != nil {
			r.Notes = append(r.Notes, fmt.Sprintf("trial file %s could not be read and is left out: %v", filepath.Base(p), err))
			continue
		}
		r.Trials = append(r.Trials, t)
	}
	sort.SliceStable(r.Trials, func(i, j int) bool {
		a, b := r.Trials[i], r.Trials[j]
		if a.Set != b.Set {
			return lessBy(a.Set, b.Set, setOrder)
		}
		if a.Method != b.Method {
			return lessBy(a.Method, b.Method, methodOrder)
		}
		return a.Seed < b.Seed
	})
	var s experiment.Summary
	switch err := readJSON(filepath.Join(dir, "summary.json"), &s); {
	case err == nil:
		r.Summary = &s
		r.Rows, r.Paired = s.Rows, s.Paired
	case errors.Is(err, fs.ErrNotExist):
		r.Notes = append(r.Notes, "summary.json is missing (the run has not finished): "+
			"the tables are aggregated from the trial files present.")
	default:
		r.Notes = append(r.Notes, fmt.Sprintf("summary.json could not be read (%v): the tables are aggregated from the trial files present.", err))
	}
	if r.Summary == nil {
		if len(r.Trials) == 0 {
			return nil, fmt.Errorf("results %s: %w: no summary.json and no readable trials/*.json", dir, ghl.ErrBadInput)
		}
		ptrs := make([]*experiment.TrialResult, len(r.Trials))
		for i := range r.Trials {
			ptrs[i] = &r.Trials[i]
		}
		r.Rows, r.Paired = experiment.Aggregate(ptrs)
	}
	var ab Ablation
	switch err := readJSON(filepath.Join(dir, "ablation.json"), &ab); {
	case err == nil:
		r.Ablation = &ab
	case !errors.Is(err, fs.ErrNotExist):
		r.Notes = append(r.Notes, fmt.Sprintf("ablation.json could not be read: %v", err))
	}
	if b, err := os.ReadFile(filepath.Join(dir, "leaderboard.md")); err == nil {
		r.LeaderboardMarkdown = string(b)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "ablation.md")); err == nil {
		r.AblationMarkdown = string(b)
	}
	var notes []string
	r.Extras, notes = loadExtras(dir)
	r.Notes = append(r.Notes, notes...)
	r.Notes = append(r.Notes, missingTrials(r)...)
	return r, nil
}

// readJSON decodes the JSON file at path into v.
func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%w: %v", ghl.ErrBadInput, err)
	}
	return nil
}

// missingTrials compares the trials present with what the run evidently
// planned: every method of a set with every seed any method of that set
// ran, every method run on set1/set2 on each of those sets, and the trial
// counts summary.json reports.
func missingTrials(r *Results) []string {
	var notes []string
	type cell struct{ set, method string }
	have := map[cell]map[int]bool{}
	seedsOfSet := map[string]map[int]bool{}
	var paperMethods []string
	for _, t := range r.Trials {
		k := cell{t.Set, t.Method}
		if have[k] == nil {
			have[k] = map[int]bool{}
		}
		have[k][t.Seed] = true
		if seedsOfSet[t.Set] == nil {
			seedsOfSet[t.Set] = map[int]bool{}
		}
		seedsOfSet[t.Set][t.Seed] = true
		if (t.Set == "set1" || t.Set == "set2") && indexOf(paperMethods, t.Method) < 0 {
			paperMethods = append(paperMethods, t.Method)
		}
	}
	sortMethods(paperMethods)
	for _, set := range []string{"set1", "set2"} {
		if seedsOfSet[set] == nil && len(paperMethods) > 0 {
			notes = append(notes, fmt.Sprintf("no trials at all on %s.", set))
			continue
		}
		for _, m := range paperMethods {
			if have[cell{set, m}] == nil && seedsOfSet[set] != nil {
				notes = append(notes, fmt.Sprintf("no trials of %s on %s (other methods ran on both sets).", m, set))
			}
		}
	}
	for k, got := range have {
		var miss []int
		for s := range seedsOfSet[k.set] {
			if !got[s] {
				miss = append(miss, s)
			}
		}
		if len(miss) > 0 {
			sort.Ints(miss)
			notes = append(notes, fmt.Sprintf("%s on %s: no trial for seed%s %s, which other methods on %s ran.",
				k.method, k.set, plural(len(miss)), joinInts(miss), k.set))
		}
	}
	for _, row := range r.Rows {
		if n := len(have[cell{row.Set, row.Method}]); r.Summary != nil && n != row.Trials {
			notes = append(notes, fmt.Sprintf("summary.json counts %d trial%s of %s on %s, the trials folder has %d.",
				row.Trials, plural(row.Trials), row.Method, row.Set, n))
		}
	}
	if len(r.Trials) == 0 {
		notes = append(notes, "trials/ holds no readable trial files: figures from training logs and "+
			"confusion matrices cannot be drawn.")
	}
	sort.Strings(notes) // map order must not leak into the page
	return notes
}

// joinInts formats a list of ints as "1, 2, 3".
func joinInts(x []int) string {
	s := make([]string, len(x))
	for i, v := range x {
		s[i] = strconv.Itoa(v)
	}
	return strings.Join(s, ", ")
}

// lessBy orders a before b by their index in order, unknown names last
// and alphabetically.
func lessBy(a, b string, order []string) bool {
	ra, rb := indexOf(order, a), indexOf(order, b)
	if ra < 0 {
		ra = len(order)
	}
	if rb < 0 {
		rb = len(order)
	}
	if ra != rb {
		return ra < rb
	}
	return a < b
}
