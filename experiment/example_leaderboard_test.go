package experiment_test

import (
	"fmt"

	"github.com/ghl-dev/ghl/experiment"
)

// ExampleNewLeaderboardBy ranks three methods on two sets by missed-fault
// rate (lower first) and compares each with the best seed by seed on the
// fault windows called healthy.
func ExampleNewLeaderboardBy() {
	// missed[set][method] lists each seed's fault windows called healthy, of 96.
	missed := map[string]map[string][]int{
		"set1": {"dcnn": {2, 3, 1}, "dcnnc": {0, 1, 0}, "dcnng": {1, 1, 2}},
		"set2": {"dcnn": {6, 5, 7}, "dcnnc": {2, 1, 2}, "dcnng": {3, 4, 2}},
	}
	var rows []experiment.Row
	for _, set := range []string{"set1", "set2"} {
		for _, m := range []string{"dcnn", "dcnnc", "dcnng"} {
			r := experiment.Row{Set: set, Method: m, Trials: 3, Seeds: []int{0, 1, 2}, FaultWindows: 96, Missed: missed[set][m]}
			for _, k := range r.Missed {
				r.MissedMean += float64(k) / 96 / 3
			}
			rows = append(rows, r)
		}
	}
	lb := experiment.NewLeaderboardBy(rows, experiment.RankMissed)
	for _, m := range lb.Methods {
		fmt.Printf("%-6s mean rank %.1f, missed %.2f %% and %.2f %%\n", m.Method, m.MeanRank, m.MissedMean[0], m.MissedMean[1])
	}
	for _, p := range lb.VsBest {
		fmt.Printf("%s − %s: %d/%d/%d (A missed fewer / tie / more), p = %.4f\n", p.A, p.B, p.Wins, p.Ties, p.Losses, p.P)
	}
	// Output:
	// dcnnc  mean rank 1.0, missed 0.35 % and 1.74 %
	// dcnng  mean rank 2.0, missed 1.39 % and 3.12 %
	// dcnn   mean rank 3.0, missed 2.08 % and 6.25 %
	// dcnng − dcnnc: 0/2/4 (A missed fewer / tie / more), p = 0.1250
	// dcnn − dcnnc: 0/0/6 (A missed fewer / tie / more), p = 0.0312
}
