package dataset

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/ghl-dev/ghl"
)

// writeTree creates files (path → content) under a new temporary folder.
func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for p, content := range files {
		full := filepath.Join(root, filepath.FromSlash(p))
		if strings.HasSuffix(p, "/") {
			if err := os.MkdirAll(full, 0o755); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// csvSignal returns a one-column CSV of n samples.
func csvSignal(n int) string {
	var b strings.Builder
	b.WriteString("x\n")
	for i := range n {
		b.WriteString(strconv.FormatFloat(float64(i%17)-8+float64(i%5)*0.25, 'g', -1, 64))
		b.WriteByte('\n')
	}
	return b.String()
}

func TestLoadFolder(t *testing.T) {
	sig := csvSignal(3000)
	root := writeTree(t, map[string]string{
		"rate.txt":              "12000\n",
		"outer/a.csv":           sig,
		"outer/b.csv":           sig,
		"inner/rate.txt":        "6000 Hz",
		"inner/a.csv":           sig,
		"Normal/x.csv":          sig,
		"Normal/.hidden":        "ignored",
		".git/config":           "ignored",
		"README.md.not-a-class": "a file at the top is not a class",
	})
	c, err := Load(root, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"Normal", "inner", "outer"}; !slices.Equal(c.Classes, want) {
		t.Errorf("classes %v, want %v (healthy first, then by name)", c.Classes, want)
	}
	rates := map[string]float64{}
	for _, l := range c.Recordings {
		rates[l.Class] = l.Recording.Rate
		if l.Recording.Samples != nil || l.Len() != 3000 || l.Open == nil {
			t.Errorf("%s: samples kept in memory or wrong length %d", l.Recording.Path, l.Len())
		}
	}
	if rates["inner"] != 6000 || rates["outer"] != 12000 || rates["Normal"] != 12000 {
		t.Errorf("rates %v: class rate.txt must win over ROOT/rate.txt", rates)
	}
	c, err = Load(root, LoadOptions{Rate: 24000})
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range c.Recordings {
		if l.Recording.Rate != 24000 {
			t.Errorf("%s: rate %g, the option must win", l.Recording.Path, l.Recording.Rate)
		}
	}
	s, err := Build(c, SetSpec{Name: "x", Majority: 3, Minority: 2, Val: 1, Test: 1}, BuildOptions{Window: 128, Rate: 24000})
	if err != nil {
		t.Fatal(err)
	}
	if got := s.Train.Counts(3); !slices.Equal(got, []int{3, 2, 2}) {
		t.Errorf("train counts %v", got)
	}
}

func TestLoadFolderErrors(t *testing.T) {
	sig := csvSignal(500)
	for _, tc := range []struct {
		name  string
		files map[string]string
		opt   LoadOptions
		want  error
		say   string
	}{
		{"no class folders", map[string]string{"a.csv": sig}, LoadOptions{}, ghl.ErrBadInput, "no class folders"},
		{"empty class folder", map[string]string{"A/a.csv": sig, "B/": ""}, LoadOptions{Rate: 100}, ghl.ErrBadInput, "class folder B holds no recordings"},
		{"non-recording file", map[string]string{"A/a.csv": sig, "A/notes.txt": "hi"}, LoadOptions{Rate: 100}, ghl.ErrBadInput, "notes.txt: bad input data: not a recording"},
		{"unreadable file", map[string]string{"A/a.csv": sig, "A/b.csv": "x\n1\nfoo\n"}, LoadOptions{Rate: 100}, ghl.ErrBadInput, "b.csv"},
		{"no rate", map[string]string{"A/a.csv": sig}, LoadOptions{}, ghl.ErrBadInput, "a.csv: bad input data: sampling rate unknown"},
		{"bad rate file", map[string]string{"A/a.csv": sig, "A/rate.txt": "fast"}, LoadOptions{}, ghl.ErrBadInput, "rate.txt"},
		{"NaN sample", map[string]string{"A/a.csv": "x\n1\nNaN\n"}, LoadOptions{Rate: 100}, ghl.ErrBadInput, "sample 1"},
		{"missing folder", nil, LoadOptions{}, ghl.ErrBadInput, "nope"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root := writeTree(t, tc.files)
			if tc.files == nil {
				root = filepath.Join(root, "nope")
			}
			c, err := Load(root, tc.opt)
			if !errors.Is(err, tc.want) || c != nil {
				t.Fatalf("Load = %v, %v; want nil, %v", c, err, tc.want)
			}
			if !strings.Contains(err.Error(), tc.say) || strings.Contains(err.Error(), "\n") {
				t.Errorf("error %q: want one line saying %q", err, tc.say)
			}
		})
	}
}

func TestLoadSkipBad(t *testing.T) {
	sig := csvSignal(500)
	root := writeTree(t, map[string]string{"A/a.csv": sig, "A/b.csv": "x\n1\nfoo\n", "A/c.txt": "?", "B/a.csv": sig})
	c, err := Load(root, LoadOptions{Rate: 2000, SkipBad: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Recordings) != 2 || len(c.Notes) != 3 {
		t.Fatalf("%d recordings, notes %q; want 2, the 2 skipped files and the rate", len(c.Recordings), c.Notes)
	}
	for i, name := range []string{"b.csv", "c.txt"} {
		if !strings.HasPrefix(c.Notes[i], "skipped: ") || !strings.Contains(c.Notes[i], name) {
			t.Errorf("note %q does not list skipped %s", c.Notes[i], name)
		}
	}
	if want := "sampling rate 2000 Hz (--input-rate): 2 recording(s)"; c.Notes[2] != want {
		t.Errorf("note %q, want %q", c.Notes[2], want)
	}
}

func TestLoadCWRUMissing(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files map[string]string
		say   []string
	}{
		{"faults missing", map[string]string{"97.mat": "x"}, []string{"missing 132.mat (OF1)", "3003.mat (IF4)", "ghl data fetch cwru"}},
		{"NC missing", map[string]string{"132.mat": "x"}, []string{"97.mat or 98.mat or 99.mat (NC)", "199.mat (OF2)"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root := writeTree(t, tc.files)
			if !IsCWRU(root) {
				t.Fatal("not recognised as a CWRU folder")
			}
			_, err := Load(root, LoadOptions{})
			if !errors.Is(err, ghl.ErrBadInput) {
				t.Fatalf("err %v, want ErrBadInput", err)
			}
			for _, s := range tc.say {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not say %q", err, s)
				}
			}
		})
	}
}

func TestSortClasses(t *testing.T) {
	got := []string{"b", "a", "Healthy", "NC", "c"}
	SortClasses(got)
	if want := []string{"Healthy", "NC", "a", "b", "c"}; !slices.Equal(got, want) {
		t.Errorf("SortClasses = %v, want %v", got, want)
	}
}
