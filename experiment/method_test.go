package experiment

import (
	"errors"
	"testing"

	"github.com/ghl-dev/ghl"
	"github.com/ghl-dev/ghl/train"
)

// TestParseMethodConditionShift: the representation, condition-shift and
// selection keys set the method, appear in its options only when set (so
// results of older runs still match), and bad values are usage errors.
// select=shift keeps the weights of the best shifted validation and names
// the shift in the options.
func TestParseMethodConditionShift(t *testing.T) {
	const def = "shift=512 scale=0.2 noise=0.1"
	for _, tc := range []struct {
		spec, repr, augment string
		ok                  bool
		sel                 string
	}{
		{"dcnn", "", "shift=512 scale=0.2 noise=0.1", true, ""},
		{"dcnng:repr=envelope:stretch=0.05:tilt=6", "envelope", "shift=512 scale=0.2 noise=0.1 stretch=0.05 tilt=6", true, ""},
		{"dcnnc:repr=spectrum:aug=0", "spectrum", "shift=0 scale=0 noise=0", true, ""},
		{"dcnn:repr=envelope/0.2-0.6", "envelope/0.2-0.6", "shift=512 scale=0.2 noise=0.1", true, ""},
		{"dcnn:repr=raw", "", "shift=512 scale=0.2 noise=0.1", true, ""},
		{"dg", "envelope", "shift=512 scale=0.2 noise=0.1 stretch=0.05 tilt=6", true, ""},
		{"dg:repr=raw:stretch=0", "", "shift=512 scale=0.2 noise=0.1 tilt=6", true, ""},
		{"dcnn:repr=wavelet", "", "", false, ""},
		{"dcnn:stretch=0.5", "", "", false, ""},
		{"dcnn:stretch=-0.1", "", "", false, ""},
		{"dcnn:tilt=x", "", "", false, ""},
		{"dcnnc:select=val", "", def, true, ""},
		{"dcnnc:repr=logspectrum:select=shift", "logspectrum", def, true, "shift"},
		{"dcnn-mse:select=shift", "", "shift=0 scale=0 noise=0", true, "shift"},
		{"dcnn:select=test", "", "", false, ""},
	} {
		m, err := ParseMethod(tc.spec, Full)
		if tc.ok != (err == nil) {
			t.Errorf("%s: error %v, want ok=%v", tc.spec, err, tc.ok)
			continue
		}
		if err != nil {
			if !errors.Is(err, ghl.ErrUsage) {
				t.Errorf("%s: %v is not a usage error", tc.spec, err)
			}
			continue
		}
		o := m.Options()
		if o["repr"] != tc.repr || o["augment"] != tc.augment {
			t.Errorf("%s: options repr %q augment %q, want %q %q", tc.spec, o["repr"], o["augment"], tc.repr, tc.augment)
		}
		wantShift := ""
		if tc.sel != "" {
			wantShift = train.DefaultValShift.String()
		}
		if o["select"] != tc.sel || o["val_shift"] != wantShift || !m.Train.ValShift.Enabled() {
			t.Errorf("%s: options select %q val_shift %q (shift %v), want %q %q", tc.spec, o["select"], o["val_shift"], m.Train.ValShift, tc.sel, wantShift)
		}
	}
}
