package experiment

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/ghl-dev/ghl"
)

// Plan describes a reproduce run: sets × methods × seeds, plus the cells
// Fig. 3 needs.
type Plan struct {
	Sets    []string
	Methods []string
	Seeds   []int
	Profile Profile
	// Fig3 adds DCNN on the balanced set (BalancedSeeds seeds) and logs the
	// gradient angles of the first seed of dcnn and dcnng on set1.
	Fig3          bool
	BalancedSeeds int
	// Protocol is the protocol the cells belong to (nil: the paper's). Its
	// sets are the cells unless Sets is given.
	Protocol *Protocol
	// Data is the data folder; a cross-load protocol looks at its file
	// names (never its recordings) to list the loads.
	Data string
}

// Cells expands the plan into trials, in a fixed order: protocol cells,
// then methods, then seeds. It reads no recording (a cross-load protocol
// lists the data folder's files), so a scheduler can list the trials
// cheaply; the same plan and folder always give the same cells.
func (p Plan) Cells() ([]Cell, error) {
	if !p.Protocol.Paper() {
		return p.protocolCells()
	}
	var cells []Cell
	for _, set := range p.Sets {
		for _, name := range p.Methods {
			m, err := ParseMethod(name, p.Profile)
			if err != nil {
				return nil, err
			}
			for i, seed := range p.Seeds {
				logA := p.Fig3 && i == 0 && set == "set1" && (name == "dcnn" || name == "dcnng")
				cells = append(cells, Cell{Protocol: p.Protocol.name(), Set: set, Method: m, Seed: seed, LogAngles: logA})
			}
		}
	}
	if p.Fig3 && p.BalancedSeeds > 0 {
		m, err := LookupMethod("dcnn", p.Profile)
		if err != nil {
			return nil, err
		}
		for i := 0; i < p.BalancedSeeds && i < len(p.Seeds); i++ {
			cells = append(cells, Cell{Protocol: p.Protocol.name(), Set: "balanced", Method: m, Seed: p.Seeds[i], LogAngles: true})
		}
	}
	return cells, nil
}

// SetNames returns every set the plan's cells use (the paper's protocol;
// other protocols' cells are in their Cell.Set).
func (p Plan) SetNames() []string {
	names := append([]string(nil), p.Sets...)
	if p.Fig3 && p.BalancedSeeds > 0 {
		found := false
		for _, s := range names {
			found = found || s == "balanced"
		}
		if !found {
			names = append(names, "balanced")
		}
	}
	return names
}

// ParseSeeds reads "10" (seeds 0..9), "3-7" (3..7) or "0,4,9".
func ParseSeeds(s string) ([]int, error) {
	s = strings.TrimSpace(s)
	bad := fmt.Errorf("%w: --seeds %q: want a count (10), a range (3-7) or a list (0,4,9)", ghl.ErrUsage, s)
	if n, err := strconv.Atoi(s); err == nil {
		if n <= 0 || n > 1000 {
			return nil, bad
		}
		seeds := make([]int, n)
		for i := range seeds {
			seeds[i] = i
		}
		return seeds, nil
	}
	if a, b, ok := strings.Cut(s, "-"); ok && !strings.Contains(s, ",") {
		lo, err1 := strconv.Atoi(a)
		hi, err2 := strconv.Atoi(b)
		if err1 != nil || err2 != nil || lo < 0 || hi < lo || hi-lo >= 1000 {
			return nil, bad
		}
		var seeds []int
		for i := lo; i <= hi; i++ {
			seeds = append(seeds, i)
		}
		return seeds, nil
	}
	var seeds []int
	seen := map[int]bool{}
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 0 || seen[n] {
			return nil, bad
		}
		seen[n] = true
		seeds = append(seeds, n)
	}
	return seeds, nil
}

// SplitList splits a comma-separated flag value, dropping empty items.
func SplitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}
