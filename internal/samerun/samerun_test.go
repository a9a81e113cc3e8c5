package samerun

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeRun(t *testing.T, dir, summary, csv, trial string) {
	t.Helper()
	files := map[string]string{"summary.json": summary, "table.md": "| t |\n", "trials.csv": csv, "trials/a.json": trial}
	for name, s := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestCompare(t *testing.T) {
	const (
		sum   = `{"wall_seconds": 1, "command": "ghl reproduce", "rows": [{"accuracy_mean": 99.5}]}`
		csv   = "set,accuracy,wall_seconds\nset1,99.5,1.00\n"
		trial = `{"test": {"accuracy": 0.995}, "log": [{"seconds": 0.5, "loss": 0.1}], "wall_seconds": 1}`
	)
	for _, tc := range []struct {
		name, sum, csv, trial, want string
	}{
		{name: "identical", sum: sum, csv: csv, trial: trial},
		{name: "timing differs", sum: `{"wall_seconds": 7, "command": "ghl aggregate", "rows": [{"accuracy_mean": 99.5}]}`,
			csv: "set,accuracy,wall_seconds\nset1,99.5,9.00\n", trial: `{"test": {"accuracy": 0.995}, "log": [{"seconds": 3, "loss": 0.1}], "wall_seconds": 4}`},
		{name: "summary result differs", sum: `{"wall_seconds": 1, "command": "ghl reproduce", "rows": [{"accuracy_mean": 99.4}]}`, csv: csv, trial: trial,
			want: ".rows[0].accuracy_mean"},
		{name: "csv result differs", sum: sum, csv: "set,accuracy,wall_seconds\nset1,99.4,1.00\n", trial: trial, want: "trials.csv"},
		{name: "trial log differs", sum: sum, csv: csv, trial: `{"test": {"accuracy": 0.995}, "log": [{"seconds": 0.5, "loss": 0.2}], "wall_seconds": 1}`,
			want: ".log[0].loss"},
	} {
		a, b := t.TempDir(), t.TempDir()
		writeRun(t, a, sum, csv, trial)
		writeRun(t, b, tc.sum, tc.csv, tc.trial)
		err := Compare(a, b)
		if tc.want == "" && err != nil {
			t.Errorf("%s: %v", tc.name, err)
		}
		if tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)) {
			t.Errorf("%s: err = %v, want one naming %s", tc.name, err, tc.want)
		}
	}
}
