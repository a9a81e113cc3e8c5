package recording

import (
	"fmt"
	"math"
	"strings"

	"github.com/ghl-dev/ghl"
	"github.com/ghl-dev/ghl/recording/matv5"
)

// rateNames are the names (compared case-insensitively) of a MAT scalar
// that gives the sampling rate in Hz.
var rateNames = []string{"fs", "rate", "sampling_rate", "sample_rate", "samplerate", "sr", "srate"}

// decodeMAT reads the chosen vector of a MAT file and its rate, if stored.
func decodeMAT(path string, data []byte, opt Options) (*Recording, error) {
	f, err := matv5.Decode(data)
	if err != nil {
		return nil, err
	}
	name := opt.Variable
	if name == "" {
		if name, err = matv5.ChooseSignal(f, path); err != nil {
			return nil, err
		}
	}
	x, err := f.Numeric(name)
	if err != nil {
		return nil, err
	}
	rate, err := matRate(f, name)
	if err != nil {
		return nil, err
	}
	return &Recording{Variable: name, Rate: rate, Samples: x}, nil
}

// matRate looks for a rate scalar beside the signal (in its struct), then
// at the top level. A rate variable that is not a positive finite number is
// an error; none at all gives 0.
func matRate(f *matv5.File, signal string) (float64, error) {
	var scopes [][]*matv5.Variable
	var prefix []string
	if i := strings.LastIndex(signal, "."); i > 0 {
		if parent, err := f.Lookup(signal[:i]); err == nil && len(parent.Fields) > 0 && len(parent.Elems) == len(parent.Fields) {
			fields := make([]*matv5.Variable, len(parent.Fields))
			for j, e := range parent.Elems {
				fields[j] = &matv5.Variable{Name: parent.Fields[j], Class: e.Class, Dims: e.Dims, Real: e.Real, Complex: e.Complex, Logical: e.Logical}
			}
			scopes, prefix = append(scopes, fields), append(prefix, signal[:i]+".")
		}
	}
	scopes, prefix = append(scopes, f.Vars), append(prefix, "")
	for s, vars := range scopes {
		for _, v := range vars {
			if !isRateName(v.Name) || len(v.Real) != 1 || v.Complex || v.Logical {
				continue
			}
			r := v.Real[0]
			if !(r > 0) || math.IsInf(r, 0) {
				return 0, fmt.Errorf("%w: sampling-rate variable %s%s = %v is not a positive rate in Hz", ghl.ErrBadInput, prefix[s], v.Name, r)
			}
			return r, nil
		}
	}
	return 0, nil
}

func isRateName(name string) bool {
	for _, r := range rateNames {
		if strings.EqualFold(name, r) {
			return true
		}
	}
	return false
}
