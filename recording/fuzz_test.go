package recording

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ghl-dev/ghl"
)

// maxFuzzInput bounds the inputs the fuzz targets try, so a run stays fast.
const maxFuzzInput = 1 << 16

// fuzzReader is the body of FuzzCSV, FuzzNPY and FuzzWAV: any input gives
// a recording of finite samples or an error wrapping a sentinel, never a
// panic. Seeds: the cases of TestRead with that extension, and
// testdata/fuzz/Fuzz<EXT>.
func fuzzReader(f *testing.F, ext string) {
	for _, tc := range readCases(f) {
		if strings.EqualFold(filepath.Ext(tc.name), ext) {
			f.Add(tc.data, tc.opt.Variable, uint8(tc.opt.Channel))
		}
	}
	f.Fuzz(func(t *testing.T, data []byte, variable string, channel uint8) {
		if len(data) > maxFuzzInput {
			return
		}
		rec, err := decode(ext, "fuzz"+ext, data, Options{Variable: variable, Channel: int(channel)})
		if err != nil {
			if !errors.Is(err, ghl.ErrBadInput) && !errors.Is(err, ghl.ErrUsage) {
				t.Fatalf("error %v wraps neither ErrBadInput nor ErrUsage", err)
			}
			return
		}
		if err := Check(rec.Samples); err != nil {
			t.Fatalf("returned samples that fail Check: %v", err)
		}
	})
}

// FuzzCSV: go test -run='^$' -fuzz=FuzzCSV -fuzztime=30s ./recording
func FuzzCSV(f *testing.F) { fuzzReader(f, ".csv") }

// FuzzNPY: go test -run='^$' -fuzz=FuzzNPY -fuzztime=30s ./recording
func FuzzNPY(f *testing.F) { fuzzReader(f, ".npy") }

// FuzzWAV: go test -run='^$' -fuzz=FuzzWAV -fuzztime=30s ./recording
func FuzzWAV(f *testing.F) { fuzzReader(f, ".wav") }

// FuzzMAT: go test -run='^$' -fuzz=FuzzMAT -fuzztime=30s ./recording
// (the MAT decoder itself is fuzzed by matv5's FuzzDecode; this adds the
// variable choice and the rate lookup).
func FuzzMAT(f *testing.F) { fuzzReader(f, ".mat") }
