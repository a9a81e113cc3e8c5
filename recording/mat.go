package recording

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/ghl-dev/ghl"
	"github.com/ghl-dev/ghl/recording/matv5"
)

// RateNames are the names of a MAT scalar that states the sampling rate in
// Hz. They are compared ignoring case and underscores, so "fs", "Fs", "FS",
// "sr", "SR", "sample_rate", "sampleRate", "sampling_rate", "SamplingRate",
// "samplingRate", "samplerate", "srate", "fsample", "sampling_frequency",
// "SamplingFrequency", "sample_freq" and "fsamp" all count. A scalar named
// "rate", "freq" or "frequency" does not: in public bearing data such a
// field is as often the shaft rate (25 Hz) as the sampling rate, and taking
// it silently gives confidently wrong results.
var RateNames = []string{"fs", "sr", "samplerate", "samplingrate", "srate", "fsample", "fsamp",
	"samplingfrequency", "samplefrequency", "samplingfreq", "samplefreq"}

// IsRateName reports whether a MAT scalar of this name states the sampling
// rate (see RateNames).
func IsRateName(name string) bool {
	return slices.Contains(RateNames, strings.ToLower(strings.ReplaceAll(name, "_", "")))
}

// decodeMAT reads the chosen vector (or channel of a matrix) of a MAT file
// and the rates it states.
func decodeMAT(path string, data []byte, opt Options) (*Recording, error) {
	f, err := matv5.Decode(data)
	if err != nil {
		return nil, err
	}
	name := opt.Variable
	if name == "" {
		switch m := matrices(f); {
		case len(m) == 0:
			if name, err = matv5.ChooseSignal(f, path); err != nil {
				return nil, err
			}
		case !opt.PickChannel:
			return nil, fmt.Errorf("%w: the file holds %s: a matrix is read as a signal only when one side is 1 or --channel picks one of its channels; "+
				"a matrix of windows (one per row) with a label vector is a windowed dataset: give the file itself as the data (--windows and --labels name its arrays); "+
				"or name a vector with --variable", ghl.ErrBadInput, strings.Join(m, ", "))
		case len(m) > 1:
			return nil, fmt.Errorf("%w: the file holds several matrices (%s): name one with --variable", ghl.ErrUsage, strings.Join(m, ", "))
		default:
			name = firstMatrix(f)
		}
	}
	v, err := f.Lookup(name)
	if err != nil {
		return nil, err
	}
	var x []float64
	variable := name
	switch {
	case v.IsVector():
		if opt.PickChannel && opt.Channel != 0 {
			return nil, fmt.Errorf("%w: %s is a vector (%s): it has one channel, 0, not %d", ghl.ErrUsage, name, v.Describe(), opt.Channel)
		}
		x = v.Real
	case isMatrix(v):
		if !opt.PickChannel {
			return nil, fmt.Errorf("%w: %s is a matrix (%s): a matrix is read as a signal only when --channel picks one of its channels (0-based, along its shorter side); "+
				"a matrix of windows with a label vector is a windowed dataset (give the file itself as the data)", ghl.ErrBadInput, name, v.Describe())
		}
		if x, err = channelOf(v.Real, v.Dims[0], v.Dims[1], true, opt.Channel); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		variable = fmt.Sprintf("%s[ch%d]", name, opt.Channel)
	default:
		return nil, fmt.Errorf("matv5: %w: %s is %s, not a real numeric vector", ghl.ErrBadInput, name, v.Describe())
	}
	rec := &Recording{Variable: variable, Samples: x}
	rec.Stated, rec.Scalars = matRates(f, name)
	rec.Rate = AgreedRate(rec.Stated)
	return rec, nil
}

// isMatrix reports whether v is a real numeric 2-D array with both sides
// longer than 1.
func isMatrix(v *matv5.Variable) bool {
	return len(v.Dims) == 2 && v.Dims[0] > 1 && v.Dims[1] > 1 && len(v.Real) == v.Len() &&
		!v.Complex && !v.Logical && v.Class >= matv5.Double && v.Class <= matv5.Uint64
}

// matrices describes the top-level real numeric matrices of f.
func matrices(f *matv5.File) []string {
	var out []string
	for _, v := range f.Vars {
		if isMatrix(v) {
			out = append(out, fmt.Sprintf("%s (%s)", v.Name, v.Describe()))
		}
	}
	return out
}

// firstMatrix returns the name of the first top-level matrix of f.
func firstMatrix(f *matv5.File) string {
	for _, v := range f.Vars {
		if isMatrix(v) {
			return v.Name
		}
	}
	return ""
}

// channelOf returns channel ch of a rows × cols matrix stored column-major
// (colMajor) or row-major. Channels run along the shorter side: a 100000 × 2
// matrix has two channels (its columns), a 2 × 100000 one two (its rows).
func channelOf(a []float64, rows, cols int, colMajor bool, ch int) ([]float64, error) {
	nch, n := cols, rows
	byCol := rows >= cols // a channel is a column
	if !byCol {
		nch, n = rows, cols
	}
	if ch < 0 || ch >= nch {
		return nil, fmt.Errorf("%w: channel %d requested, the %d × %d array has %d (channels are numbered from 0, along its shorter side)", ghl.ErrUsage, ch, rows, cols, nch)
	}
	x := make([]float64, n)
	for i := range x {
		r, c := i, ch
		if !byCol {
			r, c = ch, i
		}
		if colMajor {
			x[i] = a[c*rows+r]
		} else {
			x[i] = a[r*cols+c]
		}
	}
	return x, nil
}

// matRates returns the sampling rates stated beside the signal: the
// rate-named scalars (RateNames) among the fields of its struct, or, when
// it has none there, among the top-level variables. It also describes the
// other numeric scalars of that scope, for messages.
func matRates(f *matv5.File, signal string) (stated []StatedRate, scalars []string) {
	type scope struct {
		prefix, kind string
		names        []string
		vars         []*matv5.Variable
	}
	var scopes []scope
	if i := strings.LastIndex(signal, "."); i > 0 {
		if parent, err := f.Lookup(signal[:i]); err == nil && len(parent.Fields) > 0 && len(parent.Elems) == len(parent.Fields) {
			scopes = append(scopes, scope{signal[:i] + ".", "field", parent.Fields, parent.Elems})
		}
	}
	top := scope{"", "variable", nil, f.Vars}
	for _, v := range f.Vars {
		top.names = append(top.names, v.Name)
	}
	scopes = append(scopes, top)
	for _, s := range scopes {
		for j, v := range s.vars {
			if len(v.Real) != 1 || v.Complex || v.Logical {
				continue
			}
			if IsRateName(s.names[j]) {
				stated = append(stated, StatedRate{Hz: v.Real[0], Where: s.kind + " " + s.prefix + s.names[j]})
			} else if len(scalars) < 8 {
				scalars = append(scalars, fmt.Sprintf("%s%s = %g", s.prefix, s.names[j], v.Real[0]))
			}
		}
		if len(stated) > 0 {
			return stated, scalars
		}
	}
	return nil, scalars
}

// AgreedRate returns the rate every statement gives when they agree and it
// is a positive finite number, else 0.
func AgreedRate(stated []StatedRate) float64 {
	if len(stated) == 0 {
		return 0
	}
	r := stated[0].Hz
	for _, s := range stated {
		if s.Hz != r {
			return 0
		}
	}
	if !(r > 0) || math.IsInf(r, 0) {
		return 0
	}
	return r
}
