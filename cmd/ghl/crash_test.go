package main

// Crash safety (issue 7): a "ghl reproduce" killed with SIGKILL in the middle
// and rerun gives the same results as an uninterrupted run; no result file
// is ever half-written; results do not depend on --workers or --threads.
// Resource bounds: peak memory of a real-data reproduce and of loading a
// folder ten times CWRU's size, measured from outside the process.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ghl-dev/ghl/internal/realdata"
	"github.com/ghl-dev/ghl/internal/samerun"
)

// buildGHL builds the ghl command into a temporary folder and returns its
// path.
func buildGHL(t *testing.T) string {
	t.Helper()
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go command is needed to build ghl: %v", err)
	}
	bin := filepath.Join(t.TempDir(), "ghl")
	cmd := exec.Command(goBin, "build", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// hardFolder writes a user folder of four classes whose tones are close
// and buried in noise, so that trials of different seeds get different
// scores (a resumed run that mixed up trials would show).
func hardFolder(t *testing.T, root string) string {
	t.Helper()
	for i, c := range []string{"NC", "BF", "IF", "OF"} {
		x := tone(hostilePoints, float64(20+2*i), uint32(7+i))
		noise := tone(hostilePoints, 0, uint32(100+i)) // noise only: sin(0) = 0
		for k := range x {
			x[k] += 6 * noise[k]
		}
		writeFile(t, filepath.Join(root, c, "a.csv"), csvBytes(x))
	}
	writeFile(t, filepath.Join(root, "rate.txt"), []byte("12000\n"))
	return root
}

// runBin runs the built command and returns its stderr, failing the test
// on a non-zero exit.
func runBin(t *testing.T, bin string, args ...string) string {
	stderr, _ := runBinRSS(t, bin, args...)
	return stderr
}

// runBinRSS is runBin that also returns the process's peak resident set
// size in bytes, as the kernel accounted it (getrusage of the child).
func runBinRSS(t *testing.T, bin string, args ...string) (string, int64) {
	t.Helper()
	var stderr bytes.Buffer
	cmd := exec.Command(bin, args...)
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("ghl %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if !ok {
		t.Fatal("no rusage for the child process")
	}
	return stderr.String(), ru.Maxrss * 1024 // kilobytes on Linux
}

// trialFiles returns the names of the non-hidden files in dir/trials.
func trialFiles(t *testing.T, out string) []string {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(out, "trials"))
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), ".") {
			names = append(names, e.Name())
		}
	}
	return names
}

// killMidway starts ghl with args, waits for the first finished trial file
// in out/trials, sends the process sig, waits for it to end and returns
// the trial files present then and its stderr.
func killMidway(t *testing.T, bin, out string, sig os.Signal, args ...string) ([]string, string) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	deadline := time.After(5 * time.Minute)
	for len(trialFiles(t, out)) == 0 {
		select {
		case err := <-exited:
			t.Fatalf("ghl exited (%v) before any trial was written, so it could not be killed midway:\n%s", err, stderr.String())
		case <-deadline:
			cmd.Process.Kill()
			<-exited
			t.Fatalf("no trial file after 5 minutes:\n%s", stderr.String())
		case <-time.After(10 * time.Millisecond):
		}
	}
	if err := cmd.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
	if err := <-exited; err == nil {
		t.Fatalf("ghl finished before it was killed; make the run longer:\n%s", stderr.String())
	}
	return trialFiles(t, out), stderr.String()
}

// checkComplete asserts that every non-hidden file in out/trials is a
// complete trial result and that hidden files are only the atomic
// writer's temporaries; it returns the number of trial files.
func checkComplete(t *testing.T, out string) int {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(out, "trials"))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range entries {
		path := filepath.Join(out, "trials", e.Name())
		if strings.HasPrefix(e.Name(), ".") {
			if !strings.Contains(e.Name(), ".json.tmp-") {
				t.Errorf("unexpected hidden file %s", path)
			}
			continue
		}
		var trial struct {
			Set    string         `json:"set"`
			Method string         `json:"method"`
			Test   map[string]any `json:"test"`
		}
		b, err := os.ReadFile(path)
		if err == nil {
			err = json.Unmarshal(b, &trial)
		}
		if err != nil || trial.Set == "" || trial.Method == "" || trial.Test == nil {
			t.Errorf("%s is not a complete trial result (%v): %.200q", path, err, b)
		}
		n++
	}
	return n
}

// sameResults asserts that two output folders hold the same results, all
// fields but timings (samerun.Compare).
func sameResults(t *testing.T, what, a, b string) {
	t.Helper()
	if err := samerun.Compare(a, b); err != nil {
		t.Errorf("%s: %v", what, err)
	}
}

// crashCheck runs args (a reproduce command without --out and --workers)
// three ways and compares them: killed midway with --workers 2 and rerun,
// uninterrupted with --workers 1 --threads 1, and uninterrupted with
// --workers 1 --threads 2.
func crashCheck(t *testing.T, cells int, args ...string) {
	bin := buildGHL(t)
	dir := t.TempDir()
	with := func(out string, extra ...string) []string {
		return append(append(append([]string(nil), args...), "--out", out), extra...)
	}
	ref, threads, crashed := filepath.Join(dir, "ref"), filepath.Join(dir, "threads"), filepath.Join(dir, "crashed")

	done, _ := killMidway(t, bin, crashed, os.Kill, with(crashed, "--workers", "2")...)
	if n := checkComplete(t, crashed); n != len(done) || n == 0 || n >= cells {
		t.Fatalf("after the kill: %d complete trial files (%d listed), want between 1 and %d", n, len(done), cells-1)
	}
	if _, err := os.Stat(filepath.Join(crashed, "summary.json")); err == nil {
		t.Fatal("summary.json exists after the kill: the run was not interrupted")
	}
	// A stray temp file of the atomic writer, as a kill during a write
	// leaves it, must not be taken for a result.
	writeFile(t, filepath.Join(crashed, "trials", ".zz__dcnn__seed0.json.tmp-1"), []byte(`{"set":"zz","met`))
	stderr := runBin(t, bin, with(crashed, "--workers", "2")...)
	if want := fmt.Sprintf("resuming: %d of %d trials already done", len(done), cells); !strings.Contains(stderr, want) {
		t.Errorf("the rerun did not say %q:\n%s", want, stderr)
	}
	if n := checkComplete(t, crashed); n != cells {
		t.Errorf("after the rerun: %d trial files, want %d", n, cells)
	}

	runBin(t, bin, with(ref, "--workers", "1", "--threads", "1")...)
	checkComplete(t, ref)
	sameResults(t, "killed and resumed (--workers 2) vs uninterrupted (--workers 1 --threads 1)", crashed, ref)
	runBin(t, bin, with(threads, "--workers", "1", "--threads", "2")...)
	sameResults(t, "--threads 2 vs --threads 1", threads, ref)

	// A trial file that is not complete JSON (a writer without the
	// temp-and-rename discipline) is an error naming it, never a result.
	bad := filepath.Join(ref, "trials", done[0])
	b, err := os.ReadFile(bad)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, bad, b[:len(b)/2])
	var out bytes.Buffer
	cmd := exec.Command(bin, with(ref, "--workers", "1")...)
	cmd.Stderr = &out
	if err := cmd.Run(); err == nil || !strings.Contains(out.String(), done[0]) {
		t.Errorf("a half-written trial file was accepted (err %v):\n%s", err, out.String())
	}
}

// TestReproduceCrashSafety kills a small reproduce run (one custom set, two
// methods, three seeds: 6 trials of a few tenths of a second) and resumes it.
func TestReproduceCrashSafety(t *testing.T) {
	data := hardFolder(t, filepath.Join(t.TempDir(), "data"))
	crashCheck(t, 6, "reproduce", "--data", data, "--sets", "*=400", "--methods", "dcnn,dcnnc", "--seeds", "3",
		"--quick", "--no-report", "--no-fig3")
}

// TestReproduceInterrupt stops a run with SIGINT (Ctrl-C): it exits with
// an error that says so, leaves only complete trial files and no
// temporaries, and the rerun resumes.
func TestReproduceInterrupt(t *testing.T) {
	bin := buildGHL(t)
	data := hardFolder(t, filepath.Join(t.TempDir(), "data"))
	out := filepath.Join(t.TempDir(), "r")
	args := []string{"reproduce", "--data", data, "--sets", "*=400", "--methods", "dcnn,dcnnc", "--seeds", "3",
		"--quick", "--no-report", "--no-fig3", "--workers", "1", "--out", out}
	done, stderr := killMidway(t, bin, out, os.Interrupt, args...)
	if !strings.Contains(stderr, "canceled") && !strings.Contains(stderr, "interrupt") {
		t.Errorf("stderr does not say the run was interrupted:\n%s", stderr)
	}
	if n := checkComplete(t, out); n != len(done) || n == 0 || n >= 6 {
		t.Fatalf("%d complete trial files (%d listed), want between 1 and 5", n, len(done))
	}
	entries, err := os.ReadDir(filepath.Join(out, "trials"))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != len(done) {
		t.Errorf("after a graceful stop, trials/ holds %d entries for %d results (a temporary left behind?)", len(entries), len(done))
	}
	if stderr := runBin(t, bin, args...); !strings.Contains(stderr, fmt.Sprintf("resuming: %d of 6", len(done))) {
		t.Errorf("the rerun did not resume:\n%s", stderr)
	}
	if n := checkComplete(t, out); n != 6 {
		t.Errorf("%d trial files after the rerun, want 6", n)
	}
}

// TestReproduceCrashSafetyLong does the same with the default sets (set1,
// set2 and the balanced cells of Fig. 3): 15 trials, about a minute per run
// on 2 cores. It runs with GHL_LONG=1.
func TestReproduceCrashSafetyLong(t *testing.T) {
	if os.Getenv("GHL_LONG") != "1" {
		t.Skip("takes a few minutes; set GHL_LONG=1 to run it")
	}
	data := hardFolder(t, filepath.Join(t.TempDir(), "data"))
	crashCheck(t, 15, "reproduce", "--data", data, "--methods", "dcnn,dcnnc", "--seeds", "3", "--quick", "--no-report")
}

// TestReproduceCustomSetName runs reproduce on an "M/m" set, whose name
// holds a slash.
func TestReproduceCustomSetName(t *testing.T) {
	data := goodFolder(t, filepath.Join(t.TempDir(), "data"), "NC", "IF", "OF")
	out := filepath.Join(t.TempDir(), "r")
	if _, stderr, err := runGHL(t, "reproduce", "--data", data, "--sets", "8/4", "--methods", "dcnn", "--seeds", "1",
		"--quick", "--no-report", "--no-fig3", "--out", out); err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	if n := checkComplete(t, out); n != 1 {
		t.Errorf("%d trial files, want 1", n)
	}
}

// maxPeakRSS is issue 7's bound on the peak memory of ghl reproduce.
const maxPeakRSS = 2 << 30

// TestReproduceRealDataMemory runs the quick reproduce on the real CWRU data
// and checks its peak memory, measured by the kernel and as summary.json
// reports it: at most 2 GiB, and the two measures agree.
func TestReproduceRealDataMemory(t *testing.T) {
	if os.Getenv("GHL_LONG") != "1" {
		t.Skip("a real-data reproduce (about 30 s on 2 cores); set GHL_LONG=1 to run it")
	}
	data := realdata.CWRU(t)
	bin := buildGHL(t)
	out := filepath.Join(t.TempDir(), "r")
	_, rss := runBinRSS(t, bin, "reproduce", "--data", data, "--quick", "--no-report", "--out", out)
	var s struct {
		PeakRSSBytes int64 `json:"peak_rss_bytes"`
	}
	b, err := os.ReadFile(filepath.Join(out, "summary.json"))
	if err == nil {
		err = json.Unmarshal(b, &s)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("peak RSS: %.1f MiB (kernel), %.1f MiB (summary.json)", float64(rss)/(1<<20), float64(s.PeakRSSBytes)/(1<<20))
	if rss > maxPeakRSS || s.PeakRSSBytes > maxPeakRSS {
		t.Errorf("peak RSS %d (kernel), %d (summary.json) bytes: over 2 GiB", rss, s.PeakRSSBytes)
	}
	// summary.json is measured just before it is written, so it can only
	// be lower, and not by much (the tables are small).
	if s.PeakRSSBytes <= 0 || s.PeakRSSBytes > rss+rss/20 || s.PeakRSSBytes < rss/2 {
		t.Errorf("summary.json says %d bytes, the kernel %d: they should agree", s.PeakRSSBytes, rss)
	}
}

// TestLargeFolderBoundedMemory loads a user folder ten times the size of the
// CWRU selection (12 classes × 10 recordings × 132,000 points: 127 MB of
// float64 samples) and checks that peak memory stays well below what
// holding every recording at once would take.
func TestLargeFolderBoundedMemory(t *testing.T) {
	if os.Getenv("GHL_LONG") != "1" {
		t.Skip("writes 127 MB of recordings; set GHL_LONG=1 to run it")
	}
	const classes, files, points = 12, 10, 132000
	root := filepath.Join(t.TempDir(), "big")
	for c := 0; c < classes; c++ {
		for f := 0; f < files; f++ {
			x := tone(points, float64(10+3*c), uint32(c*files+f))
			writeFile(t, filepath.Join(root, fmt.Sprintf("C%02d", c), fmt.Sprintf("r%02d.npy", f)), npyBytes(x))
		}
	}
	writeFile(t, filepath.Join(root, "rate.txt"), []byte("12000\n"))
	raw := int64(classes * files * points * 8)
	bin := buildGHL(t)
	for _, args := range [][]string{
		{"data", "inspect", root, "--set", "8/4"},
		{"train", "--data", root, "--set", "8/4", "--quick", "--threads", "1"},
	} {
		_, rss := runBinRSS(t, bin, args...)
		t.Logf("ghl %s: peak RSS %.1f MiB for %.1f MiB of samples", args[0], float64(rss)/(1<<20), float64(raw)/(1<<20))
		if rss > raw/2 {
			t.Errorf("ghl %s: peak RSS %d bytes, more than half the %d bytes of all recordings' samples", strings.Join(args, " "), rss, raw)
		}
	}
}
