// Command densitycmp measures how far the plane2d and sampled gradient
// densities are from the exact one, and how fast each is, on gradients that
// look like training's: MSE gradients of softmax outputs of a partly trained
// 12-class model, simulated as logits = a class-dependent mean plus noise,
// with one majority class and eleven classes of 64 (Set 1's shape).
//
// For each stage of training (how well the classes are separated) and each
// mode it prints, over the majority class (the minorities have T_c < 0 and
// weight 1 in every mode), the mean |w − w_exact| of w = 1/GD, the mean
// relative error of GD (what matters after ghl-balanced rescales), the Spearman
// rank correlation of w with w_exact ("const" when one side is constant), and the time of one density call.
//
//	go run ./loss/internal/cmd/densitycmp -n 3200,32000
package main

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"time"

	"github.com/ghl-dev/ghl/loss"
	"github.com/ghl-dev/ghl/loss/internal/compare"
)

func main() {
	sizes := flag.String("n", "3200,32000", "majority class sizes, comma-separated")
	ms := flag.String("m", "32,64,128,256", "sampled mode reference counts, comma-separated")
	alpha := flag.Float64("alpha", 1, "α of Eq. 13")
	gamma := flag.Float64("gamma", 1, "γ of Eq. 13")
	seed := flag.Uint64("seed", 1, "random seed")
	flag.Parse()
	if err := run(*sizes, *ms, *alpha, *gamma, *seed); err != nil {
		fmt.Fprintln(os.Stderr, "densitycmp:", err)
		os.Exit(1)
	}
}

// stage is a point of training: the true-class logit margin and the noise.
// A sample's δ direction, p − y, depends only on the ratios of its
// wrong-class probabilities (p_y − 1 = −Σ_{k≠y} p_k), so the margin sep
// does not change GD at all: the stages differ in the spread of the
// wrong-class logits.
type stage struct {
	name       string
	sep, noise float64
}

var stages = []stage{{"spread 0.25", 3, 0.25}, {"spread 1", 3, 1}, {"spread 2", 3, 2}}

func run(sizeList, mList string, alpha, gamma float64, seed uint64) error {
	sizes, err := compare.Ints(sizeList)
	if err != nil {
		return err
	}
	ms, err := compare.Ints(mList)
	if err != nil {
		return err
	}
	const C = 12
	fmt.Printf("α = %g, γ = %g, C = %d, 11 minority classes of 64, MSE gradients\n\n", alpha, gamma, C)
	fmt.Println("| N_c | stage | T_maj (rad) | mean w_exact | mode | mean abs(w − w_exact) | mean abs(GD/GD_exact − 1) | Spearman | time |")
	fmt.Println("|---|---|---|---|---|---|---|---|---|")
	for _, n := range sizes {
		for _, st := range stages {
			delta, labels, counts := simulate(n, C, st, seed)
			T := loss.Thresholds(counts, alpha, gamma)
			exact, dt, _, err := compare.Density(delta, labels, C, T, loss.DensityOptions{Mode: loss.DensityExact})
			if err != nil {
				return err
			}
			we := compare.Weights(exact, labels, 0)
			row := func(mode string, gd []float64, dt time.Duration) {
				w := compare.Weights(gd, labels, 0)
				fmt.Printf("| %d | %s | %.3f | %.4f | %s | %.4f | %.3f | %s | %v |\n", n, st.name, T[0], compare.Mean(we),
					mode, compare.MeanAbs(w, we), compare.RelErr(w, we), compare.Spearman(w, we), dt.Round(100*time.Microsecond))
			}
			row("exact", exact, dt)
			for _, mode := range []string{loss.DensityPlane2D, loss.DensityPlanePCA} {
				gd, dt, _, err := compare.Density(delta, labels, C, T, loss.DensityOptions{Mode: mode})
				if err != nil {
					return err
				}
				row(mode, gd, dt)
			}
			for _, m := range ms {
				gd, dt, _, err := compare.Density(delta, labels, C, T, loss.DensityOptions{Mode: loss.DensitySampled, SampleM: m, Seed: seed})
				if err != nil {
					return err
				}
				row(fmt.Sprintf("sampled M=%d", m), gd, dt)
			}
		}
	}
	return nil
}

// simulate returns MSE δ of n majority samples and 11×64 minority samples;
// class y's logits are sep·e_y + a fixed per-class offset (N(0, 0.5²)) +
// per-sample noise (N(0, noise²)).
func simulate(n, C int, st stage, seed uint64) ([]float32, []int, []int) {
	r := rand.New(rand.NewPCG(seed, uint64(n)))
	counts := make([]int, C)
	counts[0] = n
	for c := 1; c < C; c++ {
		counts[c] = 64
	}
	mu := make([]float64, C*C)
	for y := 0; y < C; y++ {
		for k := 0; k < C; k++ {
			mu[y*C+k] = 0.5 * r.NormFloat64()
		}
		mu[y*C+y] += st.sep
	}
	var labels []int
	for c, k := range counts {
		for range k {
			labels = append(labels, c)
		}
	}
	N := len(labels)
	logits := make([]float32, N*C)
	for i, y := range labels {
		for k := 0; k < C; k++ {
			logits[i*C+k] = float32(mu[y*C+k] + st.noise*r.NormFloat64())
		}
	}
	delta := make([]float32, N*C)
	b := loss.Batch{Logits: logits, Labels: labels, N: N, C: C}
	if err := loss.MSE.PerSample(b, nil, delta, nil); err != nil {
		panic(err) // simulated logits are finite
	}
	return delta, labels, counts
}
