// Package samerun checks that two results folders of ghl hold the same run:
// the same summary, table and trial results, timing aside. It is how a run
// split over a cluster ('ghl trial' + 'ghl aggregate') is checked against a
// local 'ghl reproduce'.
package samerun

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
)

// TimingFields are the JSON fields (at any depth) and CSV columns that
// depend on the machine and the moment, not on the results; Compare
// ignores them.
var TimingFields = []string{"wall_seconds", "seconds", "peak_rss_bytes", "command", "efficiency", "peak_gflops"}

// Compare returns nil when folders a and b hold the same summary.json,
// table.md, trials.csv and trials/*.json, timing fields aside, and else an
// error naming the first file and field that differ.
func Compare(a, b string) error {
	for _, name := range []string{"summary.json", "table.md", "trials.csv"} {
		if err := compareFile(filepath.Join(a, name), filepath.Join(b, name)); err != nil {
			return err
		}
	}
	ta, err := filepath.Glob(filepath.Join(a, "trials", "*.json"))
	if err != nil {
		return err
	}
	tb, err := filepath.Glob(filepath.Join(b, "trials", "*.json"))
	if err != nil {
		return err
	}
	if len(ta) != len(tb) {
		return fmt.Errorf("%s has %d trial files, %s has %d", a, len(ta), b, len(tb))
	}
	for _, p := range ta {
		if err := compareFile(p, filepath.Join(b, "trials", filepath.Base(p))); err != nil {
			return err
		}
	}
	return nil
}

func compareFile(pa, pb string) error {
	ba, err := os.ReadFile(pa)
	if err != nil {
		return err
	}
	bb, err := os.ReadFile(pb)
	if err != nil {
		return err
	}
	switch filepath.Ext(pa) {
	case ".json":
		var va, vb any
		if err := json.Unmarshal(ba, &va); err != nil {
			return fmt.Errorf("%s: %w", pa, err)
		}
		if err := json.Unmarshal(bb, &vb); err != nil {
			return fmt.Errorf("%s: %w", pb, err)
		}
		if d := diff("", strip(va), strip(vb)); d != "" {
			return fmt.Errorf("%s and %s differ at %s", pa, pb, d)
		}
	case ".csv":
		ra, err := csvWithout(ba)
		if err != nil {
			return fmt.Errorf("%s: %w", pa, err)
		}
		rb, err := csvWithout(bb)
		if err != nil {
			return fmt.Errorf("%s: %w", pb, err)
		}
		if !reflect.DeepEqual(ra, rb) {
			return fmt.Errorf("%s and %s differ (timing columns aside)", pa, pb)
		}
	default:
		if !bytes.Equal(ba, bb) {
			return fmt.Errorf("%s and %s differ", pa, pb)
		}
	}
	return nil
}

// strip removes the timing fields from a decoded JSON value.
func strip(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for _, f := range TimingFields {
			delete(x, f)
		}
		for k, e := range x {
			x[k] = strip(e)
		}
	case []any:
		for i, e := range x {
			x[i] = strip(e)
		}
	}
	return v
}

// diff returns the path of the first difference between a and b ("" if
// none).
func diff(path string, a, b any) string {
	switch x := a.(type) {
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok {
			return path
		}
		keys := map[string]bool{}
		for k := range x {
			keys[k] = true
		}
		for k := range y {
			keys[k] = true
		}
		sorted := make([]string, 0, len(keys))
		for k := range keys {
			sorted = append(sorted, k)
		}
		sort.Strings(sorted)
		for _, k := range sorted {
			if d := diff(path+"."+k, x[k], y[k]); d != "" {
				return d
			}
		}
		return ""
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return path + " (length)"
		}
		for i := range x {
			if d := diff(fmt.Sprintf("%s[%d]", path, i), x[i], y[i]); d != "" {
				return d
			}
		}
		return ""
	}
	if !reflect.DeepEqual(a, b) {
		return fmt.Sprintf("%s (%v vs %v)", path, a, b)
	}
	return ""
}

// csvWithout returns the CSV's records without the timing columns.
func csvWithout(b []byte) ([][]string, error) {
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil || len(recs) == 0 {
		return recs, err
	}
	drop := map[int]bool{}
	for i, h := range recs[0] {
		for _, f := range TimingFields {
			if strings.TrimSpace(h) == f {
				drop[i] = true
			}
		}
	}
	out := make([][]string, len(recs))
	for r, rec := range recs {
		for i, v := range rec {
			if !drop[i] {
				out[r] = append(out[r], v)
			}
		}
	}
	return out, nil
}
