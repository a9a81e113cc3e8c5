package loss

import (
	"encoding/binary"
	"math"
	"os"
	"testing"
)

// TestTieTolOnRealGradients: at T_c = 0 only gradients identical at float32
// precision may count as neighbours. testdata/nc_delta_set1_epoch4.f32 holds
// the cross-entropy δ of Set 1's 3200 healthy training windows after 4
// epochs of dcnng (written by `go run ./loss/internal/cmd/tiecount -epochs 4
// -dump loss/testdata/nc_delta_set1_epoch4.f32`): distinct windows, no two
// rows identical. The old 1e-6 rad tolerance merged thousands of their
// pairs.
func TestTieTolOnRealGradients(t *testing.T) {
	b, err := os.ReadFile("testdata/nc_delta_set1_epoch4.f32")
	if err != nil {
		t.Fatal(err)
	}
	const C = 12
	n := len(b) / 4 / C
	delta := make([]float32, n*C)
	for i := range delta {
		delta[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
	}
	identical, old := 0, 0
	u := make([]float64, n*C)
	for i := 0; i < n; i++ {
		ss := 0.0
		for _, v := range delta[i*C : (i+1)*C] {
			ss += float64(v) * float64(v)
		}
		for k, v := range delta[i*C : (i+1)*C] {
			u[i*C+k] = float64(v) / math.Sqrt(ss)
		}
	}
	cosOld := math.Cos(1e-6)
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			same, d := true, 0.0
			for k := 0; k < C; k++ {
				same = same && delta[i*C+k] == delta[j*C+k]
				d += u[i*C+k] * u[j*C+k]
			}
			if same {
				identical++
			}
			if d >= cosOld {
				old++
			}
		}
	}
	est, err := NewEstimator(DensityOptions{Mode: DensityExact})
	if err != nil {
		t.Fatal(err)
	}
	gd := make([]float64, n)
	if err := est.GD(gd, delta, make([]int, n), C, make([]float64, C)); err != nil {
		t.Fatal(err)
	}
	pairs := 0.0
	for _, g := range gd {
		pairs += (g - 1) / 2
	}
	t.Logf("%d windows, %d pairs: %d identical, %d within 1e-6 rad, %.0f neighbours at T = 0 with TieTol = %.3g",
		n, n*(n-1)/2, identical, old, pairs, TieTol)
	if old < 1000 {
		t.Fatalf("the data no longer shows the problem: only %d pairs within 1e-6 rad", old)
	}
	// ~0: at most 1 in 200,000 pairs, and nothing like the old tolerance.
	if pairs > float64(identical)+float64(n*(n-1)/2)/200000 {
		t.Fatalf("%.0f neighbour pairs at T = 0 among %d distinct windows (%d identical)", pairs, n, identical)
	}
	// Identical gradients still meet: duplicate the first row.
	dup := append(append([]float32(nil), delta[:C]...), delta[:C]...)
	gd2 := make([]float64, 2)
	if err := est.GD(gd2, dup, []int{0, 0}, C, make([]float64, C)); err != nil {
		t.Fatal(err)
	}
	if gd2[0] != 2 || gd2[1] != 2 {
		t.Fatalf("identical gradients at T = 0: GD %v, want 2, 2", gd2)
	}
}
