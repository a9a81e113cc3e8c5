package experiment

import (
	"strings"
	"testing"

	"github.com/ghl-dev/ghl/train"
)

// TestAggregateValShift: a row's shifted-validation mean is the mean of
// its trials' (percent), absent when one trial lacks it, and the protocol
// table lists it for the trained cells only.
func TestAggregateValShift(t *testing.T) {
	res := trials("set1@0hp", "dcnnc", 100, 99, 100)
	res[0].ValShift = &train.Metrics{MacroF1: 0.90}
	res[1].ValShift = &train.Metrics{MacroF1: 0.80}
	res[0].Val.MacroF1, res[1].Val.MacroF1 = 1, 0.99
	res[0].Evals = []EvalResult{{Name: "set1@0hp→2hp", Test: train.Metrics{N: 50, Accuracy: 0.5, Recall: []float64{1, 1}}}}
	res[1].Evals = res[0].Evals
	old := trials("set1@0hp", "dcnn", 100, 99, 100)
	old[0].ValShift = &train.Metrics{MacroF1: 0.5}
	rows, _ := Aggregate(append(res, old...))
	if len(rows) != 3 {
		t.Fatalf("%d rows", len(rows))
	}
	for _, r := range rows {
		switch {
		case r.Method == "dcnn":
			if r.ValShiftMacroF1Mean != nil {
				t.Errorf("%s %s: mean %v although a trial lacks the score", r.Set, r.Method, *r.ValShiftMacroF1Mean)
			}
		case r.ValShiftMacroF1Mean == nil || *r.ValShiftMacroF1Mean < 84.999 || *r.ValShiftMacroF1Mean > 85.001:
			t.Errorf("%s %s: shifted validation mean %v, want 85", r.Set, r.Method, r.ValShiftMacroF1Mean)
		}
	}
	s := &Summary{Protocol: &ProtocolInfo{Name: "cross-load", Kind: "k", About: "a"}, Rows: rows}
	md := TableMarkdown(s)
	if !strings.Contains(md, "| set1@0hp | dcnnc | 2 | 99.50 | 85.00 |") {
		t.Errorf("table lacks the source-only row:\n%s", md)
	}
	if strings.Contains(md, "| set1@0hp→2hp | dcnnc | 2 | 99.50 | 85.00 |") {
		t.Errorf("table lists a target row among the source-only figures:\n%s", md)
	}
}
