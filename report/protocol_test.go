package report_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ghl-dev/ghl/experiment"
	"github.com/ghl-dev/ghl/report"
)

// protocolSummary is a noise protocol's summary: two methods at three SNRs,
// with NC absent from the -4 dB test (as in a cross-load target).
func protocolSummary() *experiment.Summary {
	s := &experiment.Summary{WallSeconds: 1, Data: "test", Command: "ghl reproduce --protocol noise", Kernel: "purego",
		Protocol: &experiment.ProtocolInfo{Name: "noise", Kind: experiment.KindNoise, About: "test noise", Source: "built-in"}}
	for i, lv := range []string{"∞", "0", "-4"} {
		for _, m := range []string{"dcnn", "dcnng"} {
			name := "set1"
			if lv != "∞" {
				name = "set1 snr=" + lv + "dB"
			}
			r := experiment.Row{Protocol: "noise", Set: name, Axis: "snr_db", Level: lv, Method: m, Trials: 2,
				AccuracyMean: 90 - 20*float64(i), AccuracyStd: 3, MacroF1Mean: 88 - 20*float64(i), MacroF1Std: 4,
				MinorityRecallMean: 0.8, Classes: []string{"NC", "IF"}, RecallMean: []float64{0.9, 0.7}, Seeds: []int{0, 1}, Accuracies: []float64{89, 91}}
			if lv == "-4" {
				r.Absent, r.RecallMean[0] = []string{"NC"}, 0
			}
			s.Rows = append(s.Rows, r)
		}
	}
	return s
}

func TestProtocolFigureAndSection(t *testing.T) {
	s := protocolSummary()
	f := report.ProtocolFigure(s)
	if f == nil || len(f.Panels) != 3 {
		t.Fatalf("ProtocolFigure = %+v, want 3 panels", f)
	}
	if _, err := f.PNG(); err != nil {
		t.Fatal(err)
	}
	if report.ProtocolFigure(&experiment.Summary{Rows: s.Rows}) != nil {
		t.Error("a paper-protocol summary got a protocol figure")
	}
	dir := t.TempDir()
	b, _ := json.Marshal(s)
	if err := os.WriteFile(filepath.Join(dir, "summary.json"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	page := writeReport(t, dir)
	for _, want := range []string{"Protocol noise: test noise", "set1 snr=-4dB", `id="protocol-noise"`, "<td>–</td>"} {
		if !strings.Contains(page, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	if strings.Contains(page, "Table III: test accuracy") {
		t.Error("a protocol report is headed Table III")
	}
	if n := decodeImages(t, page); n == 0 {
		t.Error("no figure in the report")
	}
}
