package dataset

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/ghl-dev/ghl"
)

// Default per-class window counts outside the training part (SPEC section 6:
// 108 test windows = 9 per class).
const (
	// DefaultTest is the number of test windows per class.
	DefaultTest = 9
	// DefaultVal is the number of validation windows per class.
	DefaultVal = 16
)

// SetSpec says how many windows of each class a sample set holds.
//
// The training counts come from Train (per class name; the key "*" gives
// every class not named) or, when Train is nil, from Majority for the first
// class of the corpus and Minority for every other class. Val and Test are
// per class; zero means none. ParseSet fills Val and Test with the defaults.
type SetSpec struct {
	// Name is the set's name ("set1", "3200/64", ...).
	Name string
	// Majority and Minority are the training windows of the first class
	// and of each other class, used when Train is nil.
	Majority, Minority int
	// Train maps class name to training windows.
	Train map[string]int
	// Val and Test are the validation and test windows per class.
	Val, Test int
}

// Sets lists the named sample sets ParseSet knows, in the order of the
// paper (Table II) followed by the balanced set of Fig. 3c.
var Sets = []string{"set1", "set2", "balanced"}

// ParseSet returns the spec for a set name:
//
//	set1      first class (the majority, NC) 3200, every other class 64
//	set2      first class 3200, every other class 16
//	balanced  16 per class (Fig. 3c)
//	M/m       first class M, every other class m ("3200/64")
//	C=n,...   per class ("NC=3200,OF1=64,*=32"; "*" sets the classes not named)
//
// Each gets DefaultVal validation and DefaultTest test windows per class.
// An unknown name or a malformed count wraps ghl.ErrUsage.
func ParseSet(name string) (SetSpec, error) {
	name = strings.TrimSpace(name)
	spec := SetSpec{Name: name, Val: DefaultVal, Test: DefaultTest}
	bad := func(format string, args ...any) (SetSpec, error) {
		return SetSpec{}, fmt.Errorf("%w: sample set %q: %s (want one of %s, \"M/m\" or \"CLASS=n,...\")",
			ghl.ErrUsage, name, fmt.Sprintf(format, args...), strings.Join(Sets, ", "))
	}
	switch {
	case name == "set1":
		spec.Majority, spec.Minority = 3200, 64
	case name == "set2":
		spec.Majority, spec.Minority = 3200, 16
	case name == "balanced":
		spec.Majority, spec.Minority = 16, 16
	case strings.Contains(name, "="):
		spec.Train = map[string]int{}
		for _, kv := range strings.Split(name, ",") {
			k, v, _ := strings.Cut(kv, "=")
			k = strings.TrimSpace(k)
			n, err := strconv.Atoi(strings.TrimSpace(v))
			if err != nil || n < 0 || k == "" {
				return bad("%q is not CLASS=count", kv)
			}
			if _, dup := spec.Train[k]; dup {
				return bad("class %s given twice", k)
			}
			spec.Train[k] = n
		}
	case strings.Contains(name, "/"):
		a, b, _ := strings.Cut(name, "/")
		m, err1 := strconv.Atoi(strings.TrimSpace(a))
		n, err2 := strconv.Atoi(strings.TrimSpace(b))
		if err1 != nil || err2 != nil || m < 0 || n < 0 {
			return bad("counts must be whole numbers ≥ 0")
		}
		spec.Majority, spec.Minority = m, n
	default:
		return bad("unknown set")
	}
	return spec, nil
}

// TrainCounts returns the training windows of each class, in the order of
// classes. A class named in Train but absent from classes, or a class with
// no count, wraps ghl.ErrUsage.
func (s SetSpec) TrainCounts(classes []string) ([]int, error) {
	out := make([]int, len(classes))
	if s.Train == nil {
		for i := range out {
			out[i] = s.Minority
		}
		if len(out) > 0 {
			out[0] = s.Majority
		}
		return out, nil
	}
	for k := range s.Train {
		if k != "*" && !slices.Contains(classes, k) {
			return nil, fmt.Errorf("%w: sample set %q names class %s, which the data does not have (classes: %s)",
				ghl.ErrUsage, s.Name, k, strings.Join(classes, ", "))
		}
	}
	for i, c := range classes {
		n, ok := s.Train[c]
		if !ok {
			n, ok = s.Train["*"]
		}
		if !ok {
			return nil, fmt.Errorf("%w: sample set %q gives no count for class %s (add %s=n or *=n)", ghl.ErrUsage, s.Name, c, c)
		}
		out[i] = n
	}
	return out, nil
}
