// Package realdata locates the real CWRU recordings for tests.
//
// Tests that need the real data call CWRU(t). It returns the folder, or skips
// the test with a message when the data is missing, unless the environment
// variable GHL_REQUIRE_DATA=1 is set (as .ci/run does), in which case the test
// fails: CI must never pass by skipping the real-data checks.
package realdata

import (
	"os"
	"path/filepath"
	"testing"
)

// EnvDir names the environment variable that overrides the data folder.
const EnvDir = "GHL_CWRU_DIR"

// EnvRequire names the environment variable that turns a missing data
// folder from a skip into a failure.
const EnvRequire = "GHL_REQUIRE_DATA"

// Dir returns the CWRU data folder: $GHL_CWRU_DIR if set, else
// ../shared/data/cwru beside the module root. ok is false when the folder
// does not hold 97.mat.
func Dir() (dir string, ok bool) {
	dir = os.Getenv(EnvDir)
	if dir == "" {
		root, err := moduleRoot()
		if err != nil {
			return "", false
		}
		dir = filepath.Join(root, "..", "shared", "data", "cwru")
	}
	if _, err := os.Stat(filepath.Join(dir, "97.mat")); err != nil {
		return dir, false
	}
	return dir, true
}

// CWRU returns the CWRU data folder or skips (fails under GHL_REQUIRE_DATA=1)
// the test when it is missing.
func CWRU(t testing.TB) string {
	t.Helper()
	dir, ok := Dir()
	if !ok {
		if os.Getenv(EnvRequire) == "1" {
			t.Fatalf("real CWRU data not found at %q and %s=1: CI must run the real-data tests", dir, EnvRequire)
		}
		t.Skipf("real CWRU data not found at %q; set %s or place it at ../shared/data/cwru", dir, EnvDir)
	}
	return dir
}

func moduleRoot() (string, error) {
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for d := wd; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d, nil
		}
		if filepath.Dir(d) == d {
			return "", os.ErrNotExist
		}
	}
}
