package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ghl-dev/ghl"
	"github.com/ghl-dev/ghl/internal/realdata"
)

// inspectDoc is the part of the inspect JSON the tests check.
type inspectDoc struct {
	Set     string `json:"set"`
	Classes []struct {
		Class      string   `json:"class"`
		Train      int      `json:"train"`
		Test       int      `json:"test"`
		Stride     int      `json:"stride"`
		Recordings []string `json:"recordings"`
	} `json:"classes"`
	Recordings []struct {
		File          string  `json:"file"`
		Class         string  `json:"class"`
		Variable      string  `json:"variable"`
		Points        int     `json:"points"`
		RateHz        float64 `json:"rate_hz"`
		RateFrom      string  `json:"rate_from"`
		ResampledToHz float64 `json:"resampled_to_hz"`
	} `json:"recordings"`
	Notes []string `json:"notes"`
}

func inspectJSONOf(t *testing.T, args ...string) inspectDoc {
	t.Helper()
	out, err := runCmd(t, newDataCmd, append([]string{"inspect", "--json"}, args...)...)
	if err != nil {
		t.Fatal(err)
	}
	var doc inspectDoc
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("inspect --json printed invalid JSON: %v\n%s", err, out)
	}
	return doc
}

// checkSet1 checks the paper's set 1 on the paper's 12 classes.
func checkSet1(t *testing.T, doc inspectDoc) {
	t.Helper()
	if doc.Set != "set1" || len(doc.Classes) != 12 {
		t.Fatalf("set %q with %d classes, want set1 with 12", doc.Set, len(doc.Classes))
	}
	for i, c := range doc.Classes {
		want := 64
		if i == 0 {
			want = 3200
		}
		if c.Train != want || c.Test != 9 || len(c.Recordings) == 0 {
			t.Errorf("class %s: %d train, %d test, recordings %v; want %d, 9", c.Class, c.Train, c.Test, c.Recordings, want)
		}
	}
	if doc.Classes[0].Class != "NC" || doc.Classes[0].Stride < 1 {
		t.Errorf("first class %s stride %d, want NC with a stride ≥ 1", doc.Classes[0].Class, doc.Classes[0].Stride)
	}
}

func TestInspectCWRU(t *testing.T) {
	dir := realdata.CWRU(t)
	doc := inspectJSONOf(t, dir, "--set", "set1")
	checkSet1(t, doc)
	if got := doc.Classes[0].Recordings; len(got) == 0 || got[0] != "97.mat" {
		t.Errorf("NC recordings %v, want 97.mat first", got)
	}
	found := false
	for _, r := range doc.Recordings {
		if r.ResampledToHz != 12000 {
			t.Errorf("%s resampled to %g Hz, want 12000", r.File, r.ResampledToHz)
		}
		if !strings.HasSuffix(r.Variable, "_DE_time") {
			t.Errorf("%s: variable %q, want a drive-end variable", r.File, r.Variable)
		}
		if r.File == "97.mat" {
			found = true
			if r.RateHz != 48000 || r.Points != 243938 || r.Variable != "X097_DE_time" {
				t.Errorf("97.mat: %+v, want X097_DE_time, 243938 points at 48000 Hz", r)
			}
		}
	}
	if !found {
		t.Error("97.mat not among the recordings")
	}
	notes := strings.Join(doc.Notes, "\n")
	for _, want := range []string{"NC from 97.mat", "97.mat resampled 48000 → 12000 Hz"} {
		if !strings.Contains(notes, want) {
			t.Errorf("notes %q do not say %q", notes, want)
		}
	}
	out, err := runCmd(t, newDataCmd, "inspect", dir, "--set", "set2")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"X058_DE_time", "3003.mat", "IF4", "set set2", "total"} {
		if !strings.Contains(out, want) {
			t.Errorf("text output lacks %q:\n%s", want, out)
		}
	}
}

func TestInspectSimulated(t *testing.T) {
	doc := inspectJSONOf(t, "--set", "set1")
	checkSet1(t, doc)
	for _, r := range doc.Recordings {
		if r.File == "" || r.Points == 0 || r.RateHz == 0 {
			t.Errorf("simulated recording %+v lacks file, points or rate", r)
		}
	}
}

func TestInspectErrors(t *testing.T) {
	empty := t.TempDir()
	if err := os.MkdirAll(filepath.Join(empty, "NC"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		args []string
		want error
		say  string
	}{
		{"unknown set", []string{"inspect", "--set", "set9"}, ghl.ErrUsage, "set9"},
		{"too many args", []string{"inspect", "a", "b"}, ghl.ErrUsage, "accepts at most 1"},
		{"unknown subcommand", []string{"frobnicate"}, ghl.ErrUsage, "frobnicate"},
		{"empty class folder", []string{"inspect", empty, "--input-rate", "12000"}, ghl.ErrBadInput, "class folder NC holds no recordings"},
		{"missing folder", []string{"inspect", filepath.Join(empty, "nothing")}, ghl.ErrBadInput, "nothing"},
		{"bad window", []string{"inspect", "--window", "0"}, ghl.ErrUsage, "--window"},
		{"fetch unknown dataset", []string{"fetch", "mfpt", empty}, ghl.ErrUsage, "mfpt"},
		{"fetch unknown file", []string{"fetch", "cwru", empty, "--files", "97,12345"}, ghl.ErrUsage, "12345"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, err := runCmd(t, newDataCmd, tc.args...)
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			if !strings.Contains(err.Error(), tc.say) {
				t.Errorf("error %q does not say %q", err, tc.say)
			}
			if out != "" {
				t.Errorf("partial output on error: %q", out)
			}
		})
	}
}

func TestFetchCommand(t *testing.T) {
	content := []byte("a stand-in for 106.mat")
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/106.mat":
			w.Write(content)
		case "/97.mat":
			w.Write([]byte("not the real 97.mat"))
		default:
			http.NotFound(w, r)
		}
	}))
	defer ts.Close()
	dir := filepath.Join(t.TempDir(), "cwru")
	cmd := newDataCmd()
	var stderr bytes.Buffer
	cmd.SetErr(&stderr)
	cmd.SetArgs([]string{"fetch", "cwru", dir, "--base-url", ts.URL, "--files", "106"})
	if err := cmd.ExecuteContext(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "106.mat")); !bytes.Equal(got, content) {
		t.Errorf("106.mat = %q", got)
	}
	if !strings.Contains(stderr.String(), "106.mat: done") {
		t.Errorf("no progress on stderr: %q", stderr.String())
	}
	_, err := runCmd(t, newDataCmd, "fetch", "cwru", dir, "--base-url", ts.URL, "--files", "97")
	if !errors.Is(err, ghl.ErrBadInput) || exitCode(err) != 3 || !strings.Contains(err.Error(), "checksum") {
		t.Errorf("fetching a corrupt 97.mat: %v, want a checksum error with exit code 3", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "97.mat")); err == nil {
		t.Error("corrupt 97.mat written")
	}
}
