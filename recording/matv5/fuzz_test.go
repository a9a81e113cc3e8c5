package matv5_test

import (
	"os"
	"path/filepath"
	"runtime"
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
//	go test -fuzz=FuzzDecode -fuzztime=60s ./recording/matv5
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
