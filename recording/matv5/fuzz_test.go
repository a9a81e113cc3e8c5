package matv5_test

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/ghl-dev/ghl/recording/matv5"
)

// runtimeMem samples the bytes allocated so far.
type runtimeMem struct{ total uint64 }

func (m *runtimeMem) read() {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	m.total = ms.TotalAlloc
}

// FuzzDecode feeds arbitrary bytes to Decode and uses whatever it returns:
// no input may panic, and a successful decode must be self-consistent.
// Seeds: the committed fixtures and testdata/fuzz/FuzzDecode.
//
//	go test -run='^$' -fuzz=FuzzDecode -fuzztime=60s -fuzzminimizetime=5s ./recording/matv5
//
// (Minimizing an interesting input of a few kilobytes can take the default
// 60 s, during which the fuzzer reports 0 execs/s; -fuzzminimizetime
// bounds it.)
func FuzzDecode(f *testing.F) {
	paths, _ := filepath.Glob(filepath.Join(fixtureDir, "*.mat"))
	for _, p := range paths {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := matv5.Decode(data)
		if err != nil {
			return
		}
		for _, v := range file.Vars {
			_ = v.Describe()
			if strings.ContainsAny(v.Name, ".({") {
				continue // not addressable by a path
			}
			if _, err := file.Lookup(v.Name); err != nil {
				t.Fatalf("Lookup(%q) of a listed variable: %v", v.Name, err)
			}
		}
		for _, p := range file.Vectors() {
			x, err := file.Numeric(p)
			if err != nil || len(x) < 2 {
				t.Fatalf("Numeric(%q) of a listed vector: %d values, %v", p, len(x), err)
			}
		}
		if name, err := matv5.ChooseSignal(file, "99.mat"); err == nil {
			if _, err := file.Numeric(name); err != nil {
				t.Fatalf("ChooseSignal chose %q, which Numeric refuses: %v", name, err)
			}
		}
	})
}
