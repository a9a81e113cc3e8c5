package report_test

import (
	"os"
	"os/exec"
	"testing"
)

// TestBrowser runs browsertest/run.sh: the report of a fixture folder
// loaded in headless Chromium. It needs chromium, so it runs only with
// GHL_BROWSER=1 (CI calls the script directly).
func TestBrowser(t *testing.T) {
	if os.Getenv("GHL_BROWSER") != "1" {
		t.Skip("set GHL_BROWSER=1 to load the report in headless Chromium (needs Debian's chromium)")
	}
	out, err := exec.Command("bash", "browsertest/run.sh", t.TempDir()).CombinedOutput()
	t.Logf("%s", out)
	if err != nil {
		t.Fatal(err)
	}
}
