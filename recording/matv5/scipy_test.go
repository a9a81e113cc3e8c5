package matv5_test

import (
	"testing"

	"github.com/ghl-dev/ghl/recording/matv5"
)

// TestSciPyFixture reads scipy_v7.mat, written by SciPy's savemat with
// compression (see ../testdata/scipy_fixture.py): a file from an
// independent writer, so that the decoder is not only checked against
// ghl's own test encoder. (SciPy's loadmat was also used once to read the
// encoder's fixtures back, with the same values.)
func TestSciPyFixture(t *testing.T) {
	f := decodeFixture(t, "scipy_v7.mat")
	if !f.Compressed {
		t.Error("not compressed")
	}
	data := make([]float64, 400)
	for i := range data {
		data[i] = float64(i)/8 - 3
	}
	checkValues(t, f, []pathValues{
		{"s.data", data},
		{"s.fs", []float64{25600}},
		{"s.meta.gain", []float64{-3}},
		{"c{1}", []float64{0, 1, 2, 3, 4}},
		{"c{2}", []float64{0, 0.5, 1}},
		{"trials(1).x", []float64{1, 2}},
		{"trials(2).x", []float64{3, 4, 5}},
		{"flag", []float64{1, 0, 1}},
		{"u64", []float64{0, 1 << 40, 7}},
	})
	for path, want := range map[string]string{"s.name": "bearing B", "s.meta.sensor": "DE"} {
		if v, err := f.Lookup(path); err != nil || v.Text != want {
			t.Errorf("%s = %+v, %v; want text %q", path, v, err, want)
		}
	}
	if v, _ := f.Lookup("flag"); v == nil || !v.Logical {
		t.Errorf("flag = %+v, want a logical array", v)
	}
	if name, err := matv5.ChooseSignal(f, "scipy_v7.mat"); err != nil || name != "s.data" {
		t.Errorf("ChooseSignal = %q, %v; want s.data", name, err)
	}
}
