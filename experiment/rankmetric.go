package experiment

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/ghl-dev/ghl"
)

// RankMetric is what a leaderboard ranks the methods of each cell on, and
// what its paired tests compare seed by seed.
type RankMetric string

// The ranking metrics.
const (
	// RankAccuracy ranks on mean test accuracy, higher first; the paired
	// tests use correctly classified test windows.
	RankAccuracy RankMetric = "accuracy"
	// RankMacroF1 ranks on mean test macro-F1, higher first; the paired
	// tests use each seed's macro-F1 (rounded to 1e-9 points).
	RankMacroF1 RankMetric = "macro-f1"
	// RankMissed ranks on the mean missed-fault rate (fault windows called
	// healthy), lower first; the paired tests use each seed's count of
	// missed fault windows.
	RankMissed RankMetric = "missed"
)

// RankMetrics lists the ranking metrics, the default first.
func RankMetrics() []RankMetric { return []RankMetric{RankAccuracy, RankMacroF1, RankMissed} }

// ParseRankMetric returns the metric named s ("" is RankAccuracy); an
// unknown name is an error wrapping ghl.ErrUsage that lists the names.
func ParseRankMetric(s string) (RankMetric, error) {
	if s == "" {
		return RankAccuracy, nil
	}
	var names []string
	for _, m := range RankMetrics() {
		if string(m) == s {
			return m, nil
		}
		names = append(names, string(m))
	}
	return "", fmt.Errorf("%w: unknown ranking metric %q (want one of %s)", ghl.ErrUsage, s, strings.Join(names, ", "))
}

// LowerIsBetter reports whether rank 1 goes to the lowest value.
func (m RankMetric) LowerIsBetter() bool { return m == RankMissed }

// rankText holds what each metric's help, leaderboard.md and report say.
var rankText = map[RankMetric]struct{ about, phrase, rankOne string }{
	RankAccuracy: {"mean test accuracy, higher is better (paired tests on correctly classified windows)",
		"mean test accuracy per cell", "highest mean test accuracy"},
	RankMacroF1: {"mean test macro-F1, higher is better (paired tests on per-seed macro-F1)",
		"mean test macro-F1 per cell", "highest mean test macro-F1"},
	RankMissed: {"mean missed-fault rate (fault windows called healthy), lower is better (paired tests on per-seed missed windows)",
		"mean missed-fault rate per cell, the share of fault windows called healthy", "lowest mean missed-fault rate"},
}

// About says in a line what m ranks on and which way, for --help.
func (m RankMetric) About() string {
	if t, ok := rankText[m]; ok {
		return t.about
	}
	return string(m)
}

// phrase is what leaderboard.md says the ranks are taken on; a
// leaderboard read from an old summary.json holds that phrase itself.
func (m RankMetric) phrase() string {
	if t, ok := rankText[m]; ok {
		return t.phrase
	}
	return string(m)
}

// RankOne says which method gets rank 1 ("highest mean test accuracy");
// an unknown metric (an old summary's phrase) ranks as accuracy did.
func (m RankMetric) RankOne() string {
	if t, ok := rankText[m]; ok {
		return t.rankOne
	}
	return rankText[RankAccuracy].rankOne
}

// cellValue is the value r's cell is ranked on, in percent.
func (m RankMetric) cellValue(r Row) float64 {
	switch m {
	case RankMacroF1:
		return r.MacroF1Mean
	case RankMissed:
		return 100 * r.MissedMean
	}
	return r.AccuracyMean
}

// rankKey is the value rankDesc orders on: accuracy as it always was;
// the others rounded to 1e-9 points (so means of equal window counts tie
// whatever the order of summation) and negated when lower is better.
func (m RankMetric) rankKey(r Row) float64 {
	v := m.cellValue(r)
	if m == RankAccuracy {
		return v
	}
	v = math.Round(v*1e9) / 1e9
	if m.LowerIsBetter() {
		v = -v
	}
	return v
}

// pairing says how m compares rows a and b of one cell seed by seed:
// exact when both carry whole-window counts over the same windows; !ok
// when the per-seed values m needs are missing.
func (m RankMetric) pairing(a, b Row) (exact, ok bool) {
	switch m {
	case RankMacroF1:
		return false, len(a.MacroF1s) == len(a.Seeds) && len(b.MacroF1s) == len(b.Seeds)
	case RankMissed:
		ok = a.FaultWindows > 0 && a.FaultWindows == b.FaultWindows &&
			len(a.Missed) == len(a.Seeds) && len(b.Missed) == len(b.Seeds)
		return ok, ok
	}
	exact = a.TestWindows > 0 && a.TestWindows == b.TestWindows &&
		len(a.Correct) == len(a.Seeds) && len(b.Correct) == len(b.Seeds)
	return exact, len(a.Accuracies) == len(a.Seeds) && len(b.Accuracies) == len(b.Seeds)
}

// diff returns, for seed index i of a and j of b, the paired test's
// difference x (whole windows when exact, else points rounded to 1e-9)
// and the difference in points pp, both A − B.
func (m RankMetric) diff(a, b Row, i, j int, exact bool) (x, pp float64) {
	switch m {
	case RankMacroF1:
		pp = a.MacroF1s[i] - b.MacroF1s[j]
	case RankMissed:
		k := a.Missed[i] - b.Missed[j]
		return float64(k), 100 * float64(k) / float64(a.FaultWindows)
	default:
		pp = a.Accuracies[i] - b.Accuracies[j]
		if exact {
			return float64(a.Correct[i] - b.Correct[j]), pp
		}
	}
	return math.Round(pp*1e9) / 1e9, pp
}

// seedDiffs returns m's paired differences A − B (x, as diff gives them)
// and in points (pp) over the seeds a and b both ran, in a's seed order.
func (m RankMetric) seedDiffs(a, b Row, exact bool) (x, pp []float64) {
	for i, s := range a.Seeds {
		j := slices.Index(b.Seeds, s)
		if j < 0 {
			continue
		}
		dx, dp := m.diff(a, b, i, j, exact)
		x, pp = append(x, dx), append(pp, dp)
	}
	return x, pp
}

// winsTiesLosses counts the differences d that favour A (sign·x > 0), tie
// and favour B; sign is −1 for a metric where lower is better.
func winsTiesLosses(d []float64, sign float64) (wins, ties, losses int) {
	for _, x := range d {
		switch {
		case sign*x > 0:
			wins++
		case sign*x < 0:
			losses++
		default:
			ties++
		}
	}
	return wins, ties, losses
}

// missingPerSeed names what a row lacks for m's paired tests.
func (m RankMetric) missingPerSeed() string {
	switch m {
	case RankMacroF1:
		return "per-seed macro-F1 (macro_f1s)"
	case RankMissed:
		return "per-seed counts of missed fault windows (missed) over the same number of fault windows (fault_windows) as the cell's best-ranked method"
	}
	return "per-seed accuracies"
}
