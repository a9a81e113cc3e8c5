package experiment

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ghl-dev/ghl/dataset"
	"github.com/ghl-dev/ghl/internal/matenc"
	"github.com/ghl-dev/ghl/internal/realdata"
)

// TestCrossLoadExtraLoad is the check that cross-load uses whatever
// loads a folder holds, without code changes: a copy of the shared CWRU
// folder (links) plus synthetic 1 hp recordings of three fault classes (CWRU
// 106, 131, 186: IF1, OF1, RF2 at 1 hp; catalogued, no checksum) gives every
// source → target pair of 0, 1 and 2 hp, the 1 hp source takes its missing
// classes from the other loads (and says so), and those classes are absent
// ("–"), not recall 0, where only trained-on recordings exist.
func TestCrossLoadExtraLoad(t *testing.T) {
	src := realdata.CWRU(t)
	dir := t.TempDir()
	for _, f := range dataset.CWRUFiles(src) {
		if err := os.Symlink(filepath.Join(src, f.Name()), filepath.Join(dir, f.Name())); err != nil {
			t.Fatal(err)
		}
	}
	for i, n := range []int{106, 131, 186} {
		x := make([]float64, 121000)
		for k := range x {
			x[k] = math.Sin(float64(k)*0.05*float64(i+1)) + 0.1*math.Sin(float64(k*k%977))
		}
		e := matenc.LE
		b := e.File(e.Numeric(fmt.Sprintf("X%03d_DE_time", n), matenc.MxDOUBLE, matenc.MiDOUBLE, []int{len(x), 1}, x))
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%d.mat", n)), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cl, _ := LookupProtocol("cross-load")
	plan := Plan{Sets: []string{"set1"}, Methods: []string{"dcnn"}, Seeds: []int{0}, Profile: Quick, Protocol: cl, Data: dir}
	cells, err := plan.Cells()
	if err != nil {
		t.Fatal(err)
	}
	var sets []string
	for _, c := range cells {
		sets = append(sets, c.Set)
	}
	if want := []string{"set1@0hp", "set1@1hp", "set1@2hp"}; !slices.Equal(sets, want) {
		t.Fatalf("cells %v, want %v", sets, want)
	}
	loaded, err := LoadProtocol(dir, plan, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	notes := strings.Join(loaded.Notes, "\n")
	for _, want := range []string{"NC has no recording at 1hp: taken from 97.mat (0hp)", "OF2 has no recording at 1hp: taken from 197.mat (0hp), 199.mat (2hp)"} {
		if !strings.Contains(notes, want) {
			t.Errorf("notes lack %q:\n%s", want, notes)
		}
	}
	res, err := (&Runner{Out: t.TempDir(), Sets: loaded.Sets, Trainer: &fakeTrainer{}}).Run(context.Background(), cells)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := Aggregate(res)
	got := map[string]Row{}
	for _, r := range rows {
		got[r.Set] = r
	}
	for _, pair := range []string{"0hp→1hp", "0hp→2hp", "1hp→0hp", "1hp→2hp", "2hp→0hp", "2hp→1hp"} {
		if _, ok := got["set1@"+pair]; !ok {
			t.Errorf("no row for %s", pair)
		}
	}
	// 0 hp → 1 hp: only IF1, OF1 and RF2 were recorded at 1 hp.
	if r := got["set1@0hp→1hp"]; len(r.Absent) != 9 || slices.Contains(r.Absent, "IF1") {
		t.Errorf("0hp→1hp absent %v, want all but IF1, OF1, RF2", r.Absent)
	}
	// 1 hp → 0 hp: every class trained from a 0 hp recording is absent.
	if r := got["set1@1hp→0hp"]; !slices.Contains(r.Absent, "NC") || slices.Contains(r.Absent, "IF1") {
		t.Errorf("1hp→0hp absent %v: NC (trained on 97.mat) must be absent, IF1 tested", r.Absent)
	}
}
