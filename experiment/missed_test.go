package experiment

import (
	"strings"
	"testing"
)

// TestTableShowsMissedFaults: table.md has a missed-fault column with each
// row's mean rate in percent.
func TestTableShowsMissedFaults(t *testing.T) {
	s := &Summary{Rows: []Row{
		{Set: "set1", Method: "dcnn", Trials: 2, MissedMean: 0.125, RecallMean: []float64{1}},
		{Set: "set1", Method: "dcnnc", Trials: 2, MissedMean: 0, RecallMean: []float64{1}},
	}}
	md := TableMarkdown(s)
	lines := strings.Split(md, "\n")
	if !strings.Contains(lines[0], "missed faults %") {
		t.Fatalf("no missed-fault column:\n%s", md)
	}
	col := -1
	for i, h := range strings.Split(lines[0], "|") {
		if strings.TrimSpace(h) == "missed faults %" {
			col = i
		}
	}
	for i, want := range []string{"12.50", "0.00"} {
		cells := strings.Split(lines[2+i], "|")
		if got := strings.TrimSpace(cells[col]); got != want {
			t.Errorf("row %d: missed faults %q, want %q\n%s", i, got, want, md)
		}
	}
}

// TestProtocolTableShowsMissedFaults: a protocol's table (cross-load,
// noise, …) has the missed-fault column too.
func TestProtocolTableShowsMissedFaults(t *testing.T) {
	p, err := LookupProtocol("cross-load")
	if err != nil {
		t.Fatal(err)
	}
	s := &Summary{Protocol: p.Info(), Rows: []Row{{Set: "set1@2hp→0hp", Method: "dg", Trials: 1, MissedMean: 0.0375,
		Classes: []string{"NC", "OF1"}, RecallMean: []float64{0, 1}, Absent: []string{"NC"}}}}
	md := TableMarkdown(s)
	if !strings.Contains(md, "| missed faults % |") || !strings.Contains(md, "| 3.75 |") {
		t.Errorf("protocol table lacks the missed-fault column or its value 3.75:\n%s", md)
	}
}

// TestLeaderboardShowsMissedFaults: the leaderboard carries each method's
// mean missed-fault rate per cell, in percent, beside its ranks.
func TestLeaderboardShowsMissedFaults(t *testing.T) {
	rows := rowsFor([]string{"a", "b"}, []string{"dcnn", "dcnnc", "dg"}, [][][]int{
		{{100, 101}, {98, 99}, {90, 91}}, {{100, 102}, {97, 99}, {92, 93}}})
	for i := range rows {
		rows[i].MissedMean = 0.01 * float64(i+1)
	}
	lb := NewLeaderboard(rows)
	if lb == nil {
		t.Fatal("no leaderboard")
	}
	for _, m := range lb.Methods {
		if len(m.MissedMean) != 2 {
			t.Fatalf("%s: missed-fault rates %v, want one per cell", m.Method, m.MissedMean)
		}
	}
	md := LeaderboardMarkdown(lb, "")
	if !strings.Contains(md, "a missed faults %") || !strings.Contains(md, "| 4.00 |") {
		t.Errorf("leaderboard lacks the missed-fault column or the value 4.00:\n%s", md)
	}
}
