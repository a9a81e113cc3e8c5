package experiment

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/ghl-dev/ghl"
	"github.com/ghl-dev/ghl/dataset"
	toml "github.com/pelletier/go-toml/v2"
)

// Protocol kinds (Protocol.Kind).
const (
	// KindSets trains and tests each named sample set (the paper's Table
	// III, the load-matched sets, a user's own recordings).
	KindSets = "sets"
	// KindCrossLoad trains on one condition's recordings and tests on every
	// window of each other condition's.
	KindCrossLoad = "cross-load"
	// KindRatio fixes the majority and varies the minority count.
	KindRatio = "ratio"
	// KindNoise tests models trained on clean windows at several SNRs.
	KindNoise = "noise"
)

// Kinds lists the protocol kinds.
var Kinds = []string{KindSets, KindCrossLoad, KindRatio, KindNoise}

// LoadComplete as Protocol.Load selects the first condition (in
// dataset.CompareConditions order) at which the folder holds every class.
const LoadComplete = "complete"

// Protocol is an experiment protocol: which recordings train and test, the
// sample-set counts, and optional ratio or noise grids. Built-in protocols
// are TOML files embedded in the package (protocols/*.toml); users write
// their own in the same format and pass the file to ghl reproduce
// --protocol. A protocol is data: Cells lists its trials without reading
// recordings, and LoadProtocol builds their windows.
type Protocol struct {
	// Name names the protocol in trial keys, tables and the report.
	Name string `toml:"name"`
	// About is one line for --help, table.md and the report.
	About string `toml:"about"`
	// Kind is one of Kinds ("": KindSets).
	Kind string `toml:"kind"`
	// Sets are sample-set names or counts (dataset.ParseSet) for the sets,
	// cross-load and noise kinds.
	Sets []string `toml:"sets"`
	// Load selects the recordings of one condition: a motor load in hp
	// (0 → "0hp"), a condition name, or LoadComplete. Unset: every
	// recording (the paper's selection in a CWRU folder). A class missing
	// at that condition is taken from the others, with a note.
	Load any `toml:"load"`
	// Majority and Minority are the ratio kind's grid: Majority windows of
	// the first class, each Minority count for every other class.
	Majority int   `toml:"majority"`
	Minority []int `toml:"minority"`
	// SNR lists the noise kind's test SNRs in dB (inf: clean).
	SNR Decibels `toml:"snr_db"`
	// Methods and Seeds are defaults the command line may override.
	Methods []string `toml:"methods"`
	Seeds   int      `toml:"seeds"`
	// Fig3 adds the balanced-set trials and angle logs Fig. 3 needs.
	Fig3 bool `toml:"fig3"`
	// Conditions gives a user folder's recordings their condition: name →
	// recording patterns (see Train). CWRU files know their load.
	Conditions map[string][]string `toml:"conditions"`
	// Train, when set, limits training to the recordings it matches, and
	// Test names recordings held out whole: every window of them is tested
	// (a row "<set>→test"), besides the time-ordered split's test windows.
	// A pattern is a CWRU file number ("97"), a file name ("97.mat") or a
	// glob on the path relative to the data folder ("NC/*.wav").
	Train []string `toml:"train"`
	Test  []string `toml:"test"`

	// Source is where the protocol was read from (a file or "built-in").
	Source string `toml:"-"`
}

//go:embed protocols/*.toml
var builtinFS embed.FS

// ProtocolNames lists the built-in protocols.
func ProtocolNames() []string {
	return []string{"paper", "load0", "cross-load", "ratio", "noise"}
}

var loadName = regexp.MustCompile(`^load([0-9]+)$`)

// LookupProtocol returns a built-in protocol by name ("paper", "load0",
// "cross-load", "ratio", "noise"; "loadN" for any load N) or reads the
// protocol file at that path (a name ending in .toml).
func LookupProtocol(name string) (*Protocol, error) {
	if strings.HasSuffix(strings.ToLower(name), ".toml") {
		b, err := os.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("%w: protocol file: %v", ghl.ErrUsage, err)
		}
		return ParseProtocol(name, b)
	}
	file := name
	m := loadName.FindStringSubmatch(name)
	if m != nil {
		file = "load0"
	}
	b, err := builtinFS.ReadFile("protocols/" + file + ".toml")
	if err != nil || strings.ContainsAny(name, "/\\") {
		return nil, fmt.Errorf("%w: unknown protocol %q: want one of %s, loadN or a FILE.toml", ghl.ErrUsage, name, strings.Join(ProtocolNames(), ", "))
	}
	p, err := ParseProtocol("built-in "+file+".toml", b)
	if err != nil {
		return nil, err
	}
	if m != nil && m[1] != "0" {
		n, _ := strconv.Atoi(m[1])
		p.Name, p.Load = name, int64(n)
		p.About = fmt.Sprintf("Set 1 and Set 2 with every class from the %d hp recordings (a class missing there is taken from the other loads)", n)
	}
	p.Source = "built-in"
	return p, nil
}

// LoadProtocolFor returns the protocol of --load N: the load-matched sets at
// N hp.
func LoadProtocolFor(load int) (*Protocol, error) {
	if load < 0 {
		return nil, fmt.Errorf("%w: --load %d: want a motor load ≥ 0 (hp)", ghl.ErrUsage, load)
	}
	return LookupProtocol("load" + strconv.Itoa(load))
}

// ParseProtocol decodes a protocol file. Errors name the file, the line and
// the field, and wrap ghl.ErrUsage.
func ParseProtocol(file string, src []byte) (*Protocol, error) {
	var p Protocol
	dec := toml.NewDecoder(bytes.NewReader(src))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		var de *toml.DecodeError
		var sm *toml.StrictMissingError
		switch {
		case errors.As(err, &sm) && len(sm.Errors) > 0:
			e := sm.Errors[0]
			row, _ := e.Position()
			return nil, fmt.Errorf("%w: %s:%d: unknown field %q (fields: name, about, kind, sets, load, majority, minority, snr_db, methods, seeds, fig3, conditions, train, test)",
				ghl.ErrUsage, file, row, strings.Join(e.Key(), "."))
		case errors.As(err, &de):
			row, _ := de.Position()
			field := strings.Join(de.Key(), ".")
			if field != "" {
				field = " field " + strconv.Quote(field) + ":"
			}
			return nil, fmt.Errorf("%w: %s:%d:%s %v", ghl.ErrUsage, file, row, field, de.Error())
		}
		return nil, fmt.Errorf("%w: %s: %v", ghl.ErrUsage, file, err)
	}
	p.Source = file
	if err := p.check(file, src); err != nil {
		return nil, err
	}
	return &p, nil
}

// check validates a decoded protocol; src locates the offending line.
func (p *Protocol) check(file string, src []byte) error {
	bad := func(field, format string, a ...any) error {
		return fmt.Errorf("%w: %s:%d: field %q: %s", ghl.ErrUsage, file, lineOf(src, field), field, fmt.Sprintf(format, a...))
	}
	if p.Name == "" || strings.ContainsAny(p.Name, "/\\ ") {
		return bad("name", "want a name without spaces or slashes (it names result files), got %q", p.Name)
	}
	if p.Kind == "" {
		p.Kind = KindSets
	}
	if !slices.Contains(Kinds, p.Kind) {
		return bad("kind", "%q: want one of %s", p.Kind, strings.Join(Kinds, ", "))
	}
	if p.Kind == KindRatio {
		if len(p.Sets) > 0 {
			return bad("sets", "a ratio protocol takes majority and minority, not sets")
		}
		if p.Majority <= 0 || len(p.Minority) == 0 {
			return bad("minority", "a ratio protocol needs majority > 0 and a list minority = [64, 32, …]")
		}
		for _, k := range p.Minority {
			if k <= 0 || k > p.Majority {
				return bad("minority", "count %d: want 1 … majority (%d)", k, p.Majority)
			}
		}
	} else {
		if len(p.Sets) == 0 {
			return bad("sets", "want at least one sample set (set1, set2, M/m, CLASS=n,…)")
		}
		for _, s := range p.Sets {
			if _, err := dataset.ParseSet(s); err != nil {
				return bad("sets", "%v", err)
			}
		}
	}
	if p.Kind == KindNoise {
		if len(p.SNR) == 0 {
			return bad("snr_db", "a noise protocol needs snr_db = [inf, 10, 0, …]")
		}
		for _, v := range p.SNR {
			if math.IsNaN(v) || math.IsInf(v, -1) {
				return bad("snr_db", "%g: want a number of dB or inf", v)
			}
		}
	} else if len(p.SNR) > 0 {
		return bad("snr_db", "only a noise protocol takes an SNR grid")
	}
	if p.Kind != KindRatio && (p.Majority != 0 || len(p.Minority) > 0) {
		return bad("minority", "only a ratio protocol takes majority and minority")
	}
	if _, err := p.loadCondition(); err != nil {
		return bad("load", "%v", err)
	}
	if p.Kind == KindCrossLoad && p.Load != nil {
		return bad("load", "a cross-load protocol uses every load; leave load out")
	}
	for _, m := range p.Methods {
		if _, err := ParseMethod(m, Full); err != nil {
			return bad("methods", "%v", err)
		}
	}
	if p.Seeds < 0 || p.Seeds > 1000 {
		return bad("seeds", "%d: want a count 1 … 1000", p.Seeds)
	}
	for _, pats := range [][]string{p.Train, p.Test} {
		for _, pat := range pats {
			if _, err := filepath.Match(pat, ""); err != nil {
				return bad("train", "pattern %q: %v", pat, err)
			}
		}
	}
	for cond, pats := range p.Conditions {
		for _, pat := range pats {
			if _, err := filepath.Match(pat, ""); err != nil {
				return bad(cond, "pattern %q: %v", pat, err)
			}
		}
	}
	return nil
}

// loadCondition returns the condition Load selects ("" for none).
func (p *Protocol) loadCondition() (string, error) {
	switch v := p.Load.(type) {
	case nil:
		return "", nil
	case int64:
		if v < 0 {
			return "", fmt.Errorf("load %d: want a motor load ≥ 0 (hp)", v)
		}
		return dataset.LoadCondition(int(v)), nil
	case string:
		if v == "" {
			return "", errors.New(`want a load in hp, a condition name or "complete"`)
		}
		return v, nil
	}
	return "", fmt.Errorf("%v: want a load in hp (0), a condition name or %q", p.Load, LoadComplete)
}

// lineOf returns the 1-based line where key is assigned in src (1 when
// not found).
func lineOf(src []byte, key string) int {
	re := regexp.MustCompile(`^\s*"?` + regexp.QuoteMeta(key) + `"?\s*=`)
	for i, l := range strings.Split(string(src), "\n") {
		if re.MatchString(l) {
			return i + 1
		}
	}
	return 1
}

// Paper reports whether p is the paper's protocol, whose trial keys have no
// protocol prefix (results from before protocols existed resume).
func (p *Protocol) Paper() bool { return p == nil || p.Name == "paper" }

// snrLevel formats an SNR for a row ("10", "-4", "∞").
func snrLevel(v float64) string {
	if math.IsInf(v, 1) {
		return "∞"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// Decibels is a list of levels in dB; +Inf (a clean test) is written "inf"
// in JSON, which has no infinity (plan hashes encode protocols as JSON).
type Decibels []float64

// MarshalJSON implements json.Marshaler.
func (d Decibels) MarshalJSON() ([]byte, error) {
	if d == nil {
		return []byte("null"), nil // as a nil []float64, so plan hashes stay
	}
	parts := make([]string, len(d))
	for i, v := range d {
		switch {
		case math.IsInf(v, 1):
			parts[i] = `"inf"`
		case math.IsInf(v, -1) || math.IsNaN(v):
			return nil, fmt.Errorf("SNR %g dB has no JSON form", v)
		default:
			parts[i] = strconv.FormatFloat(v, 'g', -1, 64)
		}
	}
	return []byte("[" + strings.Join(parts, ",") + "]"), nil
}
