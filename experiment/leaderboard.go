package experiment

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"gonum.org/v1/gonum/stat/distuv"
)

// Leaderboard ranks methods across the cells of a run, with the statistics
// of Demšar (JMLR 2006) for comparing several methods over several data
// sets: per-cell ranks, the Friedman test over cells, the Nemenyi critical
// difference, and Holm-corrected paired Wilcoxon tests.
type Leaderboard struct {
	// Metric is what the ranks are taken on: the cell means of accuracy or
	// macro-F1 (higher is better) or of the missed-fault rate (lower is
	// better); rank 1 is the best, ties share their average rank.
	// Leaderboards of summaries written before ranking options existed
	// hold the phrase "mean test accuracy per cell" here.
	Metric RankMetric `json:"metric"`
	// Cells are the ranked cells: one per distinct set (and protocol).
	Cells []string `json:"cells"`
	// Methods holds one entry per ranked method, best mean rank first.
	Methods []LeaderMethod `json:"methods"`
	// Friedman is the Friedman test over the cells (nil with fewer than
	// two cells).
	Friedman *Friedman `json:"friedman,omitempty"`
	// CD is the Nemenyi critical difference of mean ranks at Alpha: two
	// methods whose mean ranks differ by less are not significantly
	// different.
	CD    float64 `json:"critical_difference"`
	Alpha float64 `json:"alpha"`
	// Groups are the maximal runs of Methods (indices lo..hi, inclusive)
	// whose mean ranks lie within CD of each other, for the CD diagram.
	Groups [][2]int `json:"groups"`
	// Best is the method of lowest mean rank; VsBest compares every other
	// method with it and VsDCNNC with dcnnc (when it ran), both over every
	// (cell, seed) pair, Holm-adjusted within each family.
	Best    string       `json:"best"`
	VsBest  []LeaderPair `json:"vs_best"`
	VsDCNNC []LeaderPair `json:"vs_dcnnc,omitempty"`
	// Notes say which cells or methods were left out and why, and what the
	// tests can and cannot show with this many cells.
	Notes []string `json:"notes,omitempty"`
}

// LeaderMethod is one method's line of the leaderboard.
type LeaderMethod struct {
	Method   string  `json:"method"`
	MeanRank float64 `json:"mean_rank"`
	// Ranks, AccuracyMean, AccuracyStd, MacroF1Mean and MacroF1Std are per
	// cell, in Cells order (percent).
	Ranks        []float64 `json:"ranks"`
	AccuracyMean []float64 `json:"accuracy_mean"`
	AccuracyStd  []float64 `json:"accuracy_std"`
	MacroF1Mean  []float64 `json:"macro_f1_mean"`
	MacroF1Std   []float64 `json:"macro_f1_std"`
	// MissedMean is the mean missed-fault rate per cell (percent of fault
	// windows called healthy), ranked on with RankMissed.
	MissedMean []float64 `json:"missed_fault_mean"`
	Trials     []int     `json:"trials"`
}

// Friedman is the Friedman test that all methods rank alike over the
// cells, with ties in a cell at their average rank and the usual tie
// correction, and Iman and Davenport's F form.
type Friedman struct {
	Cells   int     `json:"cells"`
	Methods int     `json:"methods"`
	ChiSq   float64 `json:"chi2"`
	DF      int     `json:"df"`
	P       float64 `json:"p"`
	// F is Iman–Davenport's statistic (n−1)χ²/(n(k−1) − χ²) with (k−1,
	// (k−1)(n−1)) degrees of freedom, less conservative than χ²; PF its
	// p-value. Both are omitted when χ² reaches n(k−1) (perfect agreement).
	F  float64 `json:"f,omitempty"`
	PF float64 `json:"p_f,omitempty"`
}

// LeaderPair compares method A with B over every (cell, seed) pair both
// ran, on the leaderboard's metric. The test's differences are whole
// windows where every cell has them (correctly classified windows for
// accuracy, missed fault windows for the missed-fault rate), else points
// rounded to 1e-9 (accuracy's fallback, and always for macro-F1).
type LeaderPair struct {
	A, B  string
	Pairs int `json:"pairs"`
	// MeanDiff is metric(A) − metric(B) in points, averaged over the
	// pairs: positive favours A for accuracy and macro-F1, B for the
	// missed-fault rate.
	MeanDiff float64 `json:"mean_diff"`
	// Wins, Ties and Losses count the pairs where A is better than B on
	// the metric (for the missed-fault rate: missed fewer fault windows),
	// equal, or worse.
	Wins   int     `json:"wins"`
	Ties   int     `json:"ties"`
	Losses int     `json:"losses"`
	P      float64 `json:"p"`
	PExact bool    `json:"p_exact"`
	PHolm  float64 `json:"p_holm"`
}

// LeaderAlpha is the level of the critical difference.
const LeaderAlpha = 0.05

// CellOf names the leaderboard cell of a row: its (protocol, set), written
// "protocol/set", or the set alone for the paper's protocol.
func CellOf(r Row) string {
	if r.Protocol == "" || r.Protocol == "paper" {
		return r.Set
	}
	return r.Protocol + "/" + r.Set
}

// NewLeaderboard ranks the methods of rows on mean test accuracy
// (NewLeaderboardBy with RankAccuracy).
func NewLeaderboard(rows []Row) *Leaderboard { return NewLeaderboardBy(rows, RankAccuracy) }

// NewLeaderboardBy ranks the methods of rows on metric. Ranked are the
// cells in which every method has a row; methods missing from every such
// cell are left out (noted). It returns nil when fewer than three methods
// or no cell remain. When a row lacks the per-seed values the metric's
// paired tests need (a summary.json written before they were stored),
// those tests are left out and a note says so.
func NewLeaderboardBy(rows []Row, metric RankMetric) *Leaderboard {
	var cells, methods []string
	at := map[[2]string]Row{}
	for _, r := range rows {
		c := CellOf(r)
		if !slices.Contains(cells, c) {
			cells = append(cells, c)
		}
		if !slices.Contains(methods, r.Method) {
			methods = append(methods, r.Method)
		}
		at[[2]string{c, r.Method}] = r
	}
	lb := &Leaderboard{Metric: metric, Alpha: LeaderAlpha}
	for _, c := range cells {
		full := true
		for _, m := range methods {
			_, ok := at[[2]string{c, m}]
			full = full && ok
		}
		if full {
			lb.Cells = append(lb.Cells, c)
		} else {
			lb.Notes = append(lb.Notes, fmt.Sprintf("cell %s left out: not every method ran on it", c))
		}
	}
	k, n := len(methods), len(lb.Cells)
	if k < 3 || n == 0 {
		return nil
	}
	ranks := make([][]float64, n) // [cell][method]
	ties := 0.0                   // Σ (t³ − t) over tie groups, for Friedman's correction
	var tied []string             // cells where every method has the same value
	tiedZero := true              // and that value is 0 in every one of them
	for ci, c := range lb.Cells {
		v := make([]float64, k)
		for mi, m := range methods {
			v[mi] = metric.rankKey(at[[2]string{c, m}])
		}
		var t float64
		ranks[ci], t = rankDesc(v)
		ties += t
		if !slices.ContainsFunc(v, func(x float64) bool { return x != v[0] }) {
			x := metric.cellValue(at[[2]string{c, methods[0]}])
			tied = append(tied, fmt.Sprintf("%s (%.2f %%)", c, x))
			tiedZero = tiedZero && x == 0
		}
	}
	for mi, m := range methods {
		e := LeaderMethod{Method: m}
		for ci, c := range lb.Cells {
			r := at[[2]string{c, m}]
			e.Ranks = append(e.Ranks, ranks[ci][mi])
			e.MeanRank += ranks[ci][mi] / float64(n)
			e.AccuracyMean = append(e.AccuracyMean, r.AccuracyMean)
			e.AccuracyStd = append(e.AccuracyStd, r.AccuracyStd)
			e.MacroF1Mean = append(e.MacroF1Mean, r.MacroF1Mean)
			e.MacroF1Std = append(e.MacroF1Std, r.MacroF1Std)
			e.MissedMean = append(e.MissedMean, 100*r.MissedMean)
			e.Trials = append(e.Trials, r.Trials)
		}
		lb.Methods = append(lb.Methods, e)
	}
	sort.SliceStable(lb.Methods, func(i, j int) bool { return lb.Methods[i].MeanRank < lb.Methods[j].MeanRank })
	if n >= 2 {
		lb.Friedman = friedman(lb.Methods, n, ties)
	} else {
		lb.Notes = append(lb.Notes, "one cell only: no Friedman test (it needs at least two cells); ranks and paired tests are within that cell")
	}
	if metric == RankMissed {
		lb.Notes = append(lb.Notes, "a model that calls every window faulty misses no fault: read these ranks with the accuracy and macro-F1 columns beside them")
	}
	if metric != RankAccuracy && len(tied) > 0 {
		note := tiedNote(tied, n, k)
		if metric == RankMissed && tiedZero {
			note += "; a mean missed-fault rate of 0 % means no seed of any method missed a fault window there, so the paired tests tie on those cells too"
		}
		lb.Notes = append(lb.Notes, note)
	}
	if n > 1 && n < 5 {
		lb.Notes = append(lb.Notes, fmt.Sprintf("with %d cells the Friedman test and the critical difference have little power: "+
			"they rank methods by cell means only; the paired tests use every seed", n))
	}
	lb.CD = NemenyiQ(k, LeaderAlpha) * math.Sqrt(float64(k*(k+1))/(6*float64(n)))
	lb.Groups = cdGroups(lb.Methods, lb.CD)
	lb.Best = lb.Methods[0].Method
	if lb.Methods[1].MeanRank == lb.Methods[0].MeanRank {
		lb.Notes = append(lb.Notes, fmt.Sprintf("%s and %s tie for the best mean rank; %s is compared against", lb.Methods[0].Method, lb.Methods[1].Method, lb.Best))
	}
	if missing := unpaired(metric, lb.Methods, lb.Cells, at); len(missing) > 0 {
		lb.Notes = append(lb.Notes, fmt.Sprintf("no paired tests: the rows of %s do not carry %s, as a summary.json written before they were stored does not; "+
			"'ghl leaderboard' on a folder that still has its trials/ reads them from there, else only a rerun gives them",
			strings.Join(missing, ", "), metric.missingPerSeed()))
		return lb
	}
	lb.VsBest = pairFamily(metric, lb.Methods, lb.Best, lb.Cells, at)
	if slices.ContainsFunc(lb.Methods, func(e LeaderMethod) bool { return e.Method == "dcnnc" }) {
		lb.VsDCNNC = pairFamily(metric, lb.Methods, "dcnnc", lb.Cells, at)
	}
	return lb
}

// tiedNote says that the cells listed (name and common value) carry no
// information on the order of k methods, and what the Friedman test over
// n cells can still show.
func tiedNote(tied []string, n, k int) string {
	s := fmt.Sprintf("all-tied cell%s: %s — every method has the same value there, so all share rank %g and "+
		"the cell carries no information on the order of the methods", plural(len(tied)), strings.Join(tied, ", "), float64(k+1)/2)
	switch {
	case len(tied) == n:
		return s + "; with every cell all-tied the Friedman test is χ² = 0, p = 1 by construction and cannot show a difference: only the paired tests over seeds remain"
	case n > 1:
		return s + fmt.Sprintf("; with the tie correction the Friedman χ² equals that of the other %d cell%s alone (all-tied cells drop out), "+
			"while Iman–Davenport's F and the critical difference still count all %d cells (the CD is then more conservative: "+
			"rank gaps shrink by %d/%d, the CD only by the square root of that)", n-len(tied), plural(n-len(tied)), n, n-len(tied), n)
	}
	return s
}

// unpaired names the rows (method in cell) that lack the per-seed values
// metric's paired tests need, or whose values do not pair with those of
// the best-ranked method in the cell (missed counts over another number of
// fault windows).
func unpaired(metric RankMetric, ms []LeaderMethod, cells []string, at map[[2]string]Row) []string {
	var out []string
	for _, c := range cells {
		first := at[[2]string{c, ms[0].Method}]
		for _, m := range ms {
			r := at[[2]string{c, m.Method}]
			if _, ok := metric.pairing(r, first); !ok {
				out = append(out, m.Method+" in "+c)
			}
		}
	}
	if len(out) > 6 {
		out = append(out[:5], fmt.Sprintf("and %d more rows", len(out)-5))
	}
	return out
}

// rankDesc ranks xs from the largest (rank 1) down, ties at their average
// rank, and returns Σ (t³ − t) over the tie groups.
func rankDesc(xs []float64) ([]float64, float64) {
	idx := make([]int, len(xs))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return xs[idx[a]] > xs[idx[b]] })
	r := make([]float64, len(xs))
	ties := 0.0
	for i := 0; i < len(idx); {
		j := i
		for j+1 < len(idx) && xs[idx[j+1]] == xs[idx[i]] {
			j++
		}
		for t := i; t <= j; t++ {
			r[idx[t]] = float64(i+j)/2 + 1
		}
		t := float64(j - i + 1)
		ties += t*t*t - t
		i = j + 1
	}
	return r, ties
}

// friedman computes the Friedman statistic from the mean ranks of k methods
// over n cells, χ² = 12n/(k(k+1)) [Σ R_j² − k(k+1)²/4], divided by the tie
// correction 1 − Σ(t³ − t)/(n(k³ − k)).
func friedman(ms []LeaderMethod, n int, ties float64) *Friedman {
	k := len(ms)
	s := 0.0
	for _, m := range ms {
		s += m.MeanRank * m.MeanRank
	}
	kf, nf := float64(k), float64(n)
	chi := 12 * nf / (kf * (kf + 1)) * (s - kf*(kf+1)*(kf+1)/4)
	if c := 1 - ties/(nf*(kf*kf*kf-kf)); c > 0 {
		chi /= c
	}
	chi = max(chi, 0)
	f := &Friedman{Cells: n, Methods: k, ChiSq: chi, DF: k - 1,
		P: distuv.ChiSquared{K: kf - 1}.Survival(chi)}
	if den := nf*(kf-1) - chi; den > 1e-12 {
		f.F = (nf - 1) * chi / den
		f.PF = distuv.F{D1: kf - 1, D2: (kf - 1) * (nf - 1)}.Survival(f.F)
	}
	return f
}

// cdGroups returns the maximal runs of ms (sorted by mean rank) spanning
// less than cd, that are not inside another run and hold two or more
// methods.
func cdGroups(ms []LeaderMethod, cd float64) [][2]int {
	var g [][2]int
	last := -1
	for i := range ms {
		j := i
		for j+1 < len(ms) && ms[j+1].MeanRank-ms[i].MeanRank < cd {
			j++
		}
		if j > i && j > last {
			g = append(g, [2]int{i, j})
			last = j
		}
	}
	return g
}

// pairFamily compares every method of ms other than ref with ref on
// metric over the (cell, seed) pairs both ran, Holm-adjusting the family.
// Every row must carry the metric's per-seed values (see unpaired).
func pairFamily(metric RankMetric, ms []LeaderMethod, ref string, cells []string, at map[[2]string]Row) []LeaderPair {
	var out []LeaderPair
	sign := 1.0 // the sign of a difference that favours A
	if metric.LowerIsBetter() {
		sign = -1
	}
	for _, m := range ms {
		if m.Method == ref {
			continue
		}
		var d, pp []float64
		exact := true
		for _, c := range cells {
			e, _ := metric.pairing(at[[2]string{c, m.Method}], at[[2]string{c, ref}])
			exact = exact && e
		}
		for _, c := range cells {
			x, y := metric.seedDiffs(at[[2]string{c, m.Method}], at[[2]string{c, ref}], exact)
			d, pp = append(d, x...), append(pp, y...)
		}
		var p LeaderPair
		p.Wins, p.Ties, p.Losses = winsTiesLosses(d, sign)
		p.A, p.B, p.Pairs = m.Method, ref, len(d)
		p.MeanDiff, _ = MeanStd(pp)
		w := WilcoxonTest(d)
		p.P, p.PExact = w.P, w.Exact
		out = append(out, p)
	}
	holmEach(out, func(p *LeaderPair) float64 { return p.P }, func(p *LeaderPair, h float64) { p.PHolm = h })
	return out
}

// NemenyiQ returns the Nemenyi test's critical value q_α for k methods:
// the upper-α quantile of the studentized range of k independent standard
// normals (infinite degrees of freedom) divided by √2 (Demšar 2006,
// Table 5a: 1.960, 2.343, 2.569, … for k = 2, 3, 4, …). It integrates the
// range's distribution numerically and inverts it by bisection.
func NemenyiQ(k int, alpha float64) float64 {
	if k < 2 {
		return 0
	}
	lo, hi := 0.0, 20.0
	for range 60 {
		mid := (lo + hi) / 2
		if rangeCDF(mid, k) < 1-alpha {
			lo = mid
		} else {
			hi = mid
		}
	}
	return (lo + hi) / 2 / math.Sqrt2
}

// rangeCDF is P(max − min of k standard normals ≤ q) =
// k ∫ φ(z) [Φ(z + q) − Φ(z)]^{k−1} dz, by Simpson's rule on [−10, 10].
func rangeCDF(q float64, k int) float64 {
	const steps = 4000
	a, b := -10.0, 10.0
	h := (b - a) / steps
	f := func(z float64) float64 {
		phi := math.Exp(-z*z/2) / math.Sqrt(2*math.Pi)
		d := 0.5 * (math.Erfc(-(z+q)/math.Sqrt2) - math.Erfc(-z/math.Sqrt2))
		return phi * math.Pow(d, float64(k-1))
	}
	s := f(a) + f(b)
	for i := 1; i < steps; i++ {
		w := 2.0
		if i%2 == 1 {
			w = 4
		}
		s += w * f(a+float64(i)*h)
	}
	return float64(k) * s * h / 3
}

// LeaderboardMarkdown renders a leaderboard as leaderboard.md.
func LeaderboardMarkdown(lb *Leaderboard, command string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# Leaderboard\n\n")
	if command != "" {
		fmt.Fprintf(&b, "`%s`\n\n", command)
	}
	direction := "rank 1 = best; ties share the average rank"
	switch lb.Metric {
	case RankMacroF1:
		direction = "higher is better: rank 1 = highest; ties, compared to 1e-9 points, share the average rank"
	case RankMissed:
		direction = "lower is better: rank 1 = fewest missed faults; ties, compared to 1e-9 points, share the average rank"
	}
	fmt.Fprintf(&b, "Ranked on %s (%s), over %d cell%s: %s.\n\n",
		lb.Metric.phrase(), direction, len(lb.Cells), plural(len(lb.Cells)), strings.Join(lb.Cells, ", "))
	fmt.Fprintf(&b, "| # | method | mean rank |")
	for _, c := range lb.Cells {
		fmt.Fprintf(&b, " %s accuracy %% | %s macro-F1 %% | %s missed faults %% | rank |", c, c, c)
	}
	fmt.Fprintf(&b, "\n|---|---|---|")
	for range lb.Cells {
		fmt.Fprintf(&b, "---|---|---|---|")
	}
	fmt.Fprintln(&b)
	for i, m := range lb.Methods {
		fmt.Fprintf(&b, "| %d | %s | %.2f |", i+1, m.Method, m.MeanRank)
		for ci := range lb.Cells {
			fmt.Fprintf(&b, " %.2f ± %.2f | %.2f ± %.2f | %.2f | %g |", m.AccuracyMean[ci], m.AccuracyStd[ci], m.MacroF1Mean[ci], m.MacroF1Std[ci], m.MissedMean[ci], m.Ranks[ci])
		}
		fmt.Fprintln(&b)
	}
	fmt.Fprintln(&b)
	if f := lb.Friedman; f != nil {
		fmt.Fprintf(&b, "**Friedman test** over %d cells and %d methods: χ²_F = %.3f, df = %d, **p = %.4g**", f.Cells, f.Methods, f.ChiSq, f.DF, f.P)
		if f.F > 0 {
			fmt.Fprintf(&b, "; Iman–Davenport F = %.3f (df %d, %d), p = %.4g", f.F, f.DF, f.DF*(f.Cells-1), f.PF)
		}
		verdict := "the methods' ranks differ more than chance would make them"
		switch {
		case f.P >= lb.Alpha && f.F > 0 && f.PF < lb.Alpha:
			verdict = "the χ² form is not significant, Iman–Davenport's F (less conservative) is: weak evidence that the ranks differ"
		case f.P >= lb.Alpha:
			verdict = "not significant: these cells do not show that the methods rank differently"
		}
		fmt.Fprintf(&b, " — %s (α = %g).\n\n", verdict, lb.Alpha)
	}
	fmt.Fprintf(&b, "**Nemenyi critical difference** (α = %g, k = %d, n = %d): CD = %.3f mean ranks", lb.Alpha, len(lb.Methods), len(lb.Cells), lb.CD)
	if len(lb.Groups) > 0 {
		var gs []string
		for _, g := range lb.Groups {
			var names []string
			for _, m := range lb.Methods[g[0] : g[1]+1] {
				names = append(names, m.Method)
			}
			gs = append(gs, "{"+strings.Join(names, ", ")+"}")
		}
		fmt.Fprintf(&b, "; groups not significantly different: %s", strings.Join(gs, " "))
	}
	fmt.Fprintf(&b, ". See the critical-difference diagram (cd-diagram in the report).\n\n")
	on, diffCol, wtlCol := "the difference in correctly classified test windows", "mean diff (points)", "wins / ties / losses"
	switch lb.Metric {
	case RankMacroF1:
		on, diffCol = "the per-seed difference in test macro-F1 (rounded to 1e-9 points)", "mean diff (macro-F1 points; > 0: A better)"
	case RankMissed:
		on, diffCol, wtlCol = "the per-seed difference in fault windows called healthy, A − B (negative: A misses fewer)",
			"mean diff (missed-fault points; < 0: A misses fewer)", "wins / ties / losses (win: A misses fewer)"
	}
	writePairs := func(title string, ps []LeaderPair) {
		if len(ps) == 0 {
			return
		}
		fmt.Fprintf(&b, "**%s** — paired over every (cell, seed), Wilcoxon signed-rank on %s, Holm-adjusted over the %d comparisons:\n\n", title, on, len(ps))
		fmt.Fprintf(&b, "| A − B | pairs | %s | %s | p | Holm p |\n|---|---|---|---|---|---|\n", diffCol, wtlCol)
		for _, p := range ps {
			approx := ""
			if !p.PExact {
				approx = " (normal approx.)"
			}
			fmt.Fprintf(&b, "| %s − %s | %d | %+.2f | %d / %d / %d | %.4g%s | %.4g |\n", p.A, p.B, p.Pairs, p.MeanDiff, p.Wins, p.Ties, p.Losses, p.P, approx, p.PHolm)
		}
		fmt.Fprintln(&b)
	}
	writePairs("Against the best mean rank ("+lb.Best+")", lb.VsBest)
	writePairs("Against dcnnc (class-cost weights)", lb.VsDCNNC)
	if len(lb.Notes) > 0 {
		fmt.Fprintf(&b, "Notes:\n\n")
		for _, n := range lb.Notes {
			fmt.Fprintf(&b, "- %s\n", n)
		}
	}
	return b.String()
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
