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
			ch := uint8(2 * tc.opt.Channel)
			if tc.opt.PickChannel {
				ch++
			}
			f.Add(tc.data, tc.opt.Variable, ch)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte, variable string, channel uint8) {
		if len(data) > maxFuzzInput {
			return
		}
		// channel: the channel twice, plus 1 when it is picked.
		rec, err := decode(ext, "fuzz"+ext, data, Options{Variable: variable, Channel: int(channel / 2), PickChannel: channel%2 == 1})
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

// FuzzWindows: go test -run='^$' -fuzz=FuzzWindows -fuzztime=30s ./recording
// (windowed datasets: the .mat and .npz readers of ReadWindows; the first
// byte of the input picks which).
func FuzzWindows(f *testing.F) {
	for _, tc := range windowsCases(f) {
		if ext := filepath.Ext(tc.name); ext == ".mat" || ext == ".npz" {
			b := byte(0)
			if ext == ".npz" {
				b = 1
			}
			f.Add(append([]byte{b}, tc.data...), tc.opt.Data, tc.opt.Labels)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte, dataName, labels string) {
		if len(data) < 1 || len(data) > maxFuzzInput {
			return
		}
		read := matWindows
		if data[0]%2 == 1 {
			read = npzWindows
		}
		w, err := read(data[1:], WindowsOptions{Data: dataName, Labels: labels})
		if err != nil {
			if !errors.Is(err, ghl.ErrBadInput) && !errors.Is(err, ghl.ErrUsage) {
				t.Fatalf("error %v wraps neither ErrBadInput nor ErrUsage", err)
			}
			return
		}
		if len(w.X) != w.N*w.L || len(w.Y) != w.N || w.L < 2 {
			t.Fatalf("%d values for %d windows of %d, %d labels", len(w.X), w.N, w.L, len(w.Y))
		}
	})
}
