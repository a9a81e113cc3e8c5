// Command tiecount measures how many pairs of real training gradients the
// density's tie tolerance (loss.TieTol) merges at T_c = 0, where only
// identical gradients should meet. It builds Set 1 from the CWRU data,
// trains dcnng (mini-batch, the full profile's recipe, γ from each batch's
// F1 as before issue 10) for a number of epochs, takes the cross-entropy δ
// of every training window, and counts the healthy class's pairs that are
// bitwise identical in float32, within 1e-6 rad (the old tolerance), within
// loss.TieTol, and what the exact density counts at T_c = 0.
//
//	go run ./loss/internal/cmd/tiecount -epochs 4,13
//	go run ./loss/internal/cmd/tiecount -epochs 13 -dump loss/testdata/nc_delta_set1.f32
package main

import (
	"context"
	"encoding/binary"
	"flag"
	"fmt"
	"math"
	"os"
	"slices"

	"github.com/ghl-dev/ghl/dataset"
	"github.com/ghl-dev/ghl/experiment"
	"github.com/ghl-dev/ghl/internal/atomicfile"
	"github.com/ghl-dev/ghl/internal/realdata"
	"github.com/ghl-dev/ghl/loss"
	"github.com/ghl-dev/ghl/loss/internal/compare"
	"github.com/ghl-dev/ghl/train"
)

func main() {
	dir, _ := realdata.Dir()
	data := flag.String("data", dir, "CWRU data folder")
	epochs := flag.String("epochs", "4,13", "epochs after which to count, comma-separated")
	method := flag.String("method", "dcnng:gamma=batch", "method spec to train with")
	seed := flag.Int("seed", 0, "trial seed")
	dump := flag.String("dump", "", "write the healthy class's δ rows (float32 little-endian, 12 per row) after the last epoch to this file")
	flag.Parse()
	if err := run(*data, *epochs, *method, *seed, *dump); err != nil {
		fmt.Fprintln(os.Stderr, "tiecount:", err)
		os.Exit(1)
	}
}

func run(dir, epochList, spec string, seed int, dump string) error {
	at, err := compare.Ints(epochList)
	if err != nil {
		return err
	}
	corpus, err := dataset.Load(dir, dataset.LoadOptions{})
	if err != nil {
		return err
	}
	sp, err := dataset.ParseSet("set1")
	if err != nil {
		return err
	}
	set, err := dataset.Build(corpus, sp, dataset.BuildOptions{})
	if err != nil {
		return err
	}
	m, err := experiment.ParseMethod(spec, experiment.Full)
	if err != nil {
		return err
	}
	C := len(set.Classes)
	model, opt, err := experiment.NewModel(m, C, set.Train.L, uint64(seed), 0)
	if err != nil {
		return err
	}
	sch, err := experiment.SchemeFor(m, seed, 0)
	if err != nil {
		return err
	}
	plain, err := loss.New(loss.Plain, loss.Options{Base: loss.CrossEntropy})
	if err != nil {
		return err
	}
	tset := &train.Set{Classes: set.Classes, Train: set.Train, Val: set.Val}
	fmt.Printf("Set 1, %s, seed %d: healthy-class (NC) pairs of training δ (cross-entropy) at T_c = 0; loss.TieTol = %.3g rad\n\n", spec, seed, loss.TieTol)
	fmt.Println("| epochs | NC windows | identical float32 pairs | pairs within 1e-6 rad | pairs within TieTol | exact density's pairs at T = 0 |")
	fmt.Println("|---|---|---|---|---|---|")
	var logits []float32
	done := 0
	for _, e := range at {
		cfg := m.Train
		cfg.Seed, cfg.Iterations, cfg.MinSteps = uint64(seed)+uint64(done), e-done, 0
		cfg.Patience = 0
		if e > done {
			if _, err := train.Run(context.Background(), model, opt, sch, tset, cfg); err != nil {
				return err
			}
		}
		done = e
		tr := &set.Train
		n := tr.Len()
		if logits, err = model.Infer(tr.X, n, logits); err != nil {
			return err
		}
		out, err := plain.Apply(loss.Batch{Logits: logits, Labels: tr.Y, N: n, C: C}, &loss.Context{ClassCounts: tr.Counts(C)})
		if err != nil {
			return err
		}
		var rows [][]float32
		for i, y := range tr.Y {
			if y == 0 {
				rows = append(rows, slices.Clone(out.Delta[i*C:(i+1)*C]))
			}
		}
		ident, old, tie := countPairs(rows)
		lib, err := libraryPairs(rows, C)
		if err != nil {
			return err
		}
		fmt.Printf("| %d | %d | %d | %d | %d | %d |\n", e, len(rows), ident, old, tie, lib)
		if dump != "" && e == at[len(at)-1] {
			buf := make([]byte, 0, 4*C*len(rows))
			for _, r := range rows {
				for _, v := range r {
					buf = binary.LittleEndian.AppendUint32(buf, math.Float32bits(v))
				}
			}
			if err := atomicfile.WriteFile(dump, buf); err != nil {
				return err
			}
		}
	}
	return nil
}

// countPairs counts pairs of rows that are bitwise identical, within 1e-6
// rad and within loss.TieTol (angles from float64 normalised rows).
func countPairs(rows [][]float32) (ident, old, tie int) {
	u := make([][]float64, len(rows))
	for i, r := range rows {
		u[i] = make([]float64, len(r))
		ss := 0.0
		for k, v := range r {
			u[i][k] = float64(v)
			ss += float64(v) * float64(v)
		}
		for k := range u[i] {
			u[i][k] /= math.Sqrt(ss)
		}
	}
	cOld, cTie := math.Cos(1e-6), math.Cos(loss.TieTol)
	for i := range rows {
		for j := i + 1; j < len(rows); j++ {
			if slices.Equal(rows[i], rows[j]) {
				ident++
			}
			d := 0.0
			for k := range u[i] {
				d += u[i][k] * u[j][k]
			}
			if d >= cOld {
				old++
			}
			if d >= cTie {
				tie++
			}
		}
	}
	return ident, old, tie
}

// libraryPairs is the exact density's neighbour pairs at T = 0: (Σ GD − n)/2.
func libraryPairs(rows [][]float32, C int) (int, error) {
	est, err := loss.NewEstimator(loss.DensityOptions{Mode: loss.DensityExact})
	if err != nil {
		return 0, err
	}
	delta := slices.Concat(rows...)
	labels := make([]int, len(rows))
	gd := make([]float64, len(rows))
	thr := make([]float64, C)
	if err := est.GD(gd, delta, labels, C, thr); err != nil {
		return 0, err
	}
	s := 0.0
	for _, g := range gd {
		s += g - 1
	}
	return int(s / 2), nil
}
