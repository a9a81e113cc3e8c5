package experiment

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ghl-dev/ghl"
	"github.com/ghl-dev/ghl/dataset"
)

func TestBuiltinProtocolsParse(t *testing.T) {
	for _, name := range append(ProtocolNames(), "load2", "load3") {
		p, err := LookupProtocol(name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if p.Name != name || p.About == "" || p.Source != "built-in" {
			t.Errorf("%s: name %q about %q source %q", name, p.Name, p.About, p.Source)
		}
	}
	p, _ := LookupProtocol("load3")
	if c, _ := p.loadCondition(); c != "3hp" {
		t.Errorf("load3 selects %q", c)
	}
	n, _ := LookupProtocol("noise")
	if !math.IsInf(n.SNR[0], 1) || len(n.SNR) != 7 || n.SNR[6] != -4 {
		t.Errorf("noise grid %v, want inf, 10, 6, 2, 0, -2, -4", n.SNR)
	}
	r, _ := LookupProtocol("ratio")
	if r.Majority != 3200 || !slices.Equal(r.Minority, []int{64, 32, 16, 8, 4, 2}) {
		t.Errorf("ratio grid %d / %v", r.Majority, r.Minority)
	}
	// Plan hashes encode protocols as JSON, which has no infinity.
	for _, name := range ProtocolNames() {
		p, _ := LookupProtocol(name)
		if _, err := json.Marshal(p); err != nil {
			t.Errorf("%s does not encode as JSON: %v", name, err)
		}
	}
	if b, _ := json.Marshal(n); !strings.Contains(string(b), `"SNR":["inf",10,6,2,0,-2,-4]`) {
		t.Errorf("noise as JSON: %s", b)
	}
	for _, bad := range []string{"nope", "../paper", "load-1"} {
		if _, err := LookupProtocol(bad); !errors.Is(err, ghl.ErrUsage) {
			t.Errorf("LookupProtocol(%q) = %v, want a usage error", bad, err)
		}
	}
}

// TestProtocolFileErrors: a protocol file's errors name the file, the line
// and the field.
func TestProtocolFileErrors(t *testing.T) {
	for _, tc := range []struct {
		src, want string
	}{
		{"name = \"x\"\nsets = [\"set1\"]\nseeds = \"ten\"\n", "my.toml:3"},
		{"name = \"x\"\nsets = [\"set1\"]\ncolour = 3\n", `my.toml:3: unknown field "colour"`},
		{"name = \"x\"\n\nkind = \"zigzag\"\nsets = [\"set1\"]\n", `my.toml:3: field "kind"`},
		{"name = \"x\"\nsets = [\"set9\"]\n", `my.toml:2: field "sets"`},
		{"name = \"x\"\nsets = [\"set1\"]\nmethods = [\"dcnn\", \"dcnnx\"]\n", `my.toml:3: field "methods"`},
		{"name = \"x\"\nkind = \"ratio\"\nmajority = 100\n", `field "minority"`},
		{"name = \"x\"\nkind = \"ratio\"\nmajority = 100\nminority = [200]\n", `my.toml:4: field "minority"`},
		{"name = \"x\"\nkind = \"noise\"\nsets = [\"set1\"]\n", `field "snr_db"`},
		{"name = \"x\"\nkind = \"noise\"\nsets = [\"set1\"]\nsnr_db = [-inf]\n", `my.toml:4: field "snr_db"`},
		{"name = \"x\"\nsets = [\"set1\"]\nload = -1\n", `my.toml:3: field "load"`},
		{"name = \"x\"\nsets = [\"set1\"]\nload = 1.5\n", `field "load"`},
		{"name = \"x y\"\nsets = [\"set1\"]\n", `my.toml:1: field "name"`},
		{"name = \"x\"\nsets = [\"set1\"\n", "my.toml:"},
		{"name = \"x\"\nkind = \"cross-load\"\nsets = [\"set1\"]\nload = 0\n", `my.toml:4: field "load"`},
	} {
		_, err := ParseProtocol("my.toml", []byte(tc.src))
		if !errors.Is(err, ghl.ErrUsage) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: err = %v, want a usage error with %q", tc.src, err, tc.want)
		}
	}
}

// TestProtocolCellsAndKeys: the paper's keys are as before protocols; other
// protocols prefix theirs; listing cross-load cells reads file names only.
func TestProtocolCellsAndKeys(t *testing.T) {
	methods := []string{"dcnn", "dcnng"}
	paper, _ := LookupProtocol("paper")
	cells, err := Plan{Sets: []string{"set1", "set2"}, Methods: methods, Seeds: []int{0, 1}, Profile: Quick, Protocol: paper}.Cells()
	if err != nil {
		t.Fatal(err)
	}
	if cells[0].Key() != "set1__dcnn__seed0" || len(cells) != 8 {
		t.Errorf("paper: %d cells, first key %s", len(cells), cells[0].Key())
	}
	ratio, _ := LookupProtocol("ratio")
	cells, err = Plan{Methods: methods, Seeds: []int{3}, Profile: Quick, Protocol: ratio}.Cells()
	if err != nil {
		t.Fatal(err)
	}
	if len(cells) != 12 || cells[0].Key() != "ratio__3200%2F64__dcnn__seed3" || cells[11].Set != "3200/2" {
		t.Errorf("ratio: %d cells, first %s, last %s", len(cells), cells[0].Key(), cells[11].Set)
	}
	// A CWRU folder's loads come from its file names: empty files will do.
	dir := t.TempDir()
	for _, f := range []string{"97.mat", "130.mat", "132.mat", "133.mat"} {
		if err := os.WriteFile(filepath.Join(dir, f), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cl, _ := LookupProtocol("cross-load")
	cells, err = Plan{Methods: []string{"dcnn"}, Seeds: []int{0}, Profile: Quick, Protocol: cl, Data: dir}.Cells()
	if err != nil {
		t.Fatal(err)
	}
	var sets []string
	for _, c := range cells {
		sets = append(sets, c.Set)
	}
	if want := []string{"set1@0hp", "set1@2hp", "set1@3hp", "set2@0hp", "set2@2hp", "set2@3hp"}; !slices.Equal(sets, want) {
		t.Errorf("cross-load cells %v, want %v", sets, want)
	}
	if _, err := (Plan{Methods: []string{"dcnn"}, Seeds: []int{0}, Protocol: cl}).Cells(); !errors.Is(err, ghl.ErrUsage) {
		t.Errorf("cross-load on the simulated data: %v, want a usage error", err)
	}
}

// condFolder writes a user folder ROOT/<class>/<cond>.csv whose signals
// differ by class, and a protocol file mapping "*/<cond>.csv" to cond.
func condFolder(t *testing.T, layout map[string][]string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "rate.txt"), []byte("12000"), 0o644); err != nil {
		t.Fatal(err)
	}
	i := 0
	for class, conds := range layout {
		if err := os.MkdirAll(filepath.Join(dir, class), 0o755); err != nil {
			t.Fatal(err)
		}
		for _, cond := range conds {
			var b strings.Builder
			for k := 0; k < 6000; k++ {
				fmt.Fprintf(&b, "%g\n", math.Sin(float64(k)*(0.1+0.05*float64(len(class))))+0.01*float64((k*7919+i)%13))
			}
			if err := os.WriteFile(filepath.Join(dir, class, cond+".csv"), []byte(b.String()), 0o644); err != nil {
				t.Fatal(err)
			}
			i++
		}
	}
	return dir
}

func TestCrossLoadUserFolder(t *testing.T) {
	// NC only at load a: the 'b' source borrows it, and no target tests it.
	dir := condFolder(t, map[string][]string{"NC": {"a"}, "IF": {"a", "b", "c"}, "OF": {"a", "b"}})
	src := "name = \"mine\"\nkind = \"cross-load\"\nsets = [\"40/8\"]\n[conditions]\na = [\"*/a.csv\"]\nb = [\"*/b.csv\"]\nc = [\"*/c.csv\"]\n"
	p, err := ParseProtocol("mine.toml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	plan := Plan{Methods: []string{"dcnn", "dcnng"}, Seeds: []int{0, 1}, Profile: Quick, Protocol: p, Data: dir}
	cells, err := plan.Cells()
	if err != nil {
		t.Fatal(err)
	}
	if len(cells) != 3*2*2 {
		t.Fatalf("%d cells, want 3 sources × 2 methods × 2 seeds", len(cells))
	}
	opt := LoadOptions{Build: dataset.BuildOptions{Window: 64}}
	loaded, err := LoadProtocol(dir, plan, opt)
	if err != nil {
		t.Fatal(err)
	}
	notes := strings.Join(loaded.Notes, "\n")
	for _, want := range []string{"NC has no recording at b: taken from a.csv (a)", "b→a: NC not tested"} {
		if !strings.Contains(notes, want) {
			t.Errorf("notes lack %q:\n%s", want, notes)
		}
	}
	r := &Runner{Out: t.TempDir(), Sets: loaded.Sets, Trainer: &fakeTrainer{}, Workers: 2}
	res, err := r.Run(context.Background(), cells)
	if err != nil {
		t.Fatal(err)
	}
	rows, paired := Aggregate(res)
	byName := map[string]Row{}
	for _, row := range rows {
		if row.Method == "dcnn" {
			byName[row.Set] = row
		}
		if row.Protocol != "mine" {
			t.Errorf("row %s has protocol %q", row.Set, row.Protocol)
		}
	}
	// a→b, a→c, b→a, b→c, c→a, c→b, and each source's own test.
	for _, want := range []string{"40/8@a", "40/8@a→b", "40/8@a→c", "40/8@b→a", "40/8@b→c", "40/8@c→a", "40/8@c→b"} {
		if _, ok := byName[want]; !ok {
			t.Errorf("no row %s (rows %v)", want, rows)
		}
	}
	if row := byName["40/8@b→a"]; !slices.Equal(row.Absent, []string{"NC"}) || row.Trained != "40/8@b" || row.Level != "a" {
		t.Errorf("b→a: absent %v trained %q level %q; NC was trained on at b, so it must be absent", row.Absent, row.Trained, row.Level)
	}
	if row := byName["40/8@c→b"]; !slices.Equal(row.Absent, []string{"NC", "OF"}) { // OF trained at c from a and b
		t.Errorf("c→b absent %v", row.Absent)
	}
	if row := byName["40/8@a"]; len(row.Absent) != 0 {
		t.Errorf("in-domain row has absent classes %v", row.Absent)
	}
	if len(paired) == 0 || paired[0].Protocol != "mine" {
		t.Errorf("paired %+v", paired)
	}
	s := &Summary{Protocol: p.Info(), Rows: rows, Paired: paired}
	table := TableMarkdown(s)
	if !strings.Contains(table, "| 40/8@b→a | dcnn | 2 |") || !strings.Contains(table, "| train → test |") {
		t.Errorf("table:\n%s", table)
	}
	// The NC column of b→a is "–", not a recall of 0.
	for _, l := range strings.Split(table, "\n") {
		if strings.HasPrefix(l, "| 40/8@b→a | dcnn |") {
			cols := strings.Split(l, "|")
			if nc := strings.TrimSpace(cols[8]); nc != "–" { // after the missed-faults column
				t.Errorf("NC column of b→a is %q, want –: %s", nc, l)
			}
		}
	}
}

func TestNoiseAndRatioProtocols(t *testing.T) {
	dir := condFolder(t, map[string][]string{"NC": {"a"}, "IF": {"a"}, "OF": {"a"}})
	noise, err := ParseProtocol("n.toml", []byte("name = \"n\"\nkind = \"noise\"\nsets = [\"40/8\"]\nsnr_db = [inf, 0, -4]\nload = \"complete\"\n[conditions]\na = [\"*/a.csv\"]\n"))
	if err != nil {
		t.Fatal(err)
	}
	plan := Plan{Methods: []string{"dcnn"}, Seeds: []int{0, 1}, Profile: Quick, Protocol: noise, Data: dir}
	cells, _ := plan.Cells()
	loaded, err := LoadProtocol(dir, plan, LoadOptions{Build: dataset.BuildOptions{Window: 64}})
	if err != nil {
		t.Fatal(err)
	}
	sd := loaded.Sets["40/8"]
	if len(sd.Evals) != 2 || sd.Evals[1].Name != "40/8 snr=-4dB" || sd.Level != "∞" {
		t.Fatalf("noise evals %+v level %q", sd.Evals, sd.Level)
	}
	w0, _ := sd.Evals[1].Windows(0)
	w0b, _ := sd.Evals[1].Windows(0)
	w1, _ := sd.Evals[1].Windows(1)
	if !slices.Equal(w0.X, w0b.X) || slices.Equal(w0.X, w1.X) || slices.Equal(w0.X, sd.Test.X) {
		t.Error("noisy windows must be the same for a seed, differ between seeds and differ from the clean ones")
	}
	res, err := (&Runner{Out: t.TempDir(), Sets: loaded.Sets, Trainer: &fakeTrainer{}}).Run(context.Background(), cells)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := Aggregate(res)
	if len(rows) != 3 || rows[0].Level != "∞" || rows[2].Level != "-4" || rows[2].Trained != "40/8" {
		t.Errorf("noise rows %+v", rows)
	}

	ratio, _ := ParseProtocol("r.toml", []byte("name = \"r\"\nkind = \"ratio\"\nmajority = 40\nminority = [8, 2]\n"))
	plan = Plan{Methods: []string{"dcnn"}, Seeds: []int{0}, Profile: Quick, Protocol: ratio, Data: dir}
	cells, _ = plan.Cells()
	loaded, err = LoadProtocol(dir, plan, LoadOptions{Build: dataset.BuildOptions{Window: 64}})
	if err != nil {
		t.Fatal(err)
	}
	if got := loaded.SampleSets["40/2"].TrainCounts(); !slices.Equal(got, []int{40, 2, 2}) {
		t.Errorf("40/2 train counts %v", got)
	}
	res, err = (&Runner{Out: t.TempDir(), Sets: loaded.Sets, Trainer: &fakeTrainer{}}).Run(context.Background(), cells)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ = Aggregate(res)
	table := TableMarkdown(&Summary{Protocol: ratio.Info(), Rows: rows})
	if !strings.Contains(table, "| 40/2 (1:20) | dcnn | 1 |") {
		t.Errorf("ratio table:\n%s", table)
	}
}

// TestReadmeProtocolExample: the protocol file shown in the README parses.
func TestReadmeProtocolExample(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "README.md"))
	if err != nil {
		t.Skip("no README")
	}
	_, rest, ok := strings.Cut(string(b), "### Your own protocol")
	_, rest, ok2 := strings.Cut(rest, "```toml\n")
	block, _, ok3 := strings.Cut(rest, "```")
	if !ok || !ok2 || !ok3 {
		t.Fatal("README has no toml block under \"### Your own protocol\"")
	}
	p, err := ParseProtocol("README.md", []byte(block))
	if err != nil {
		t.Fatal(err)
	}
	if p.Kind != KindCrossLoad || len(p.Conditions) != 2 || p.Seeds != 5 {
		t.Errorf("README protocol parsed as %+v", p)
	}
}
