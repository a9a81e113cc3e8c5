package experiment

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/ghl-dev/ghl"
	"github.com/ghl-dev/ghl/dataset"
	"github.com/ghl-dev/ghl/internal/atomicfile"
	"github.com/ghl-dev/ghl/loss"
	"github.com/ghl-dev/ghl/train"
)

// SetData is one sample set ready for trials.
type SetData struct {
	Name string
	// Set holds the classes, training windows and validation block.
	Set train.Set
	// Test holds the test windows: used only to report results.
	Test dataset.Samples
	// Healthy is the label of the healthy class (-1: none).
	Healthy int
	// Axis and Level place the set's own test row on a protocol's axis
	// ("minority" "64", "snr_db" "∞"); empty for the paper's sets.
	Axis, Level string
	// Evals are further tests of the same trained model (another load's
	// recordings, noisy test windows): one table row each.
	Evals []EvalSet
}

// EvalSet is a further test of a trial's model.
type EvalSet struct {
	// Name is the row's name ("set1@0hp→2hp", "set1 snr=-4dB").
	Name string
	// Axis and Level place the row on the protocol's axis ("target" "2hp").
	Axis, Level string
	// Windows returns the test windows for a trial's seed (noise is drawn
	// per seed; other tests ignore it).
	Windows func(seed int) (dataset.Samples, error)
}

// Cell is one trial to run.
type Cell struct {
	// Protocol names the cell's protocol ("" or "paper": the paper's).
	Protocol string
	// Set is the cell's name within the protocol: the sample set it trains
	// on ("set1", "set1@0hp", "3200/64").
	Set    string
	Method Method
	Seed   int
	// LogAngles records Eq. 18's angles every iteration (for Fig. 3; it
	// costs a forward pass of the training set per epoch in mini-batch
	// training, so only the cells Fig. 3 draws set it).
	LogAngles bool
}

// Key names the cell's result file: "<set>__<method>__seed<k>" for the
// paper's protocol (as before protocols existed, so old results resume),
// "<protocol>__<set>__<method>__seed<k>" for every other. Characters that
// cannot stand in a file name (a custom set "NC=8,*=4", a method
// "dcnng:alpha=2", "set1@0hp") are escaped as %XX and no part holds "__",
// so distinct cells never share a file.
func (c Cell) Key() string {
	k := fmt.Sprintf("%s__%s__seed%d", fileSafe(c.Set), fileSafe(c.Method.Name), c.Seed)
	if c.Protocol != "" && c.Protocol != "paper" {
		k = fileSafe(c.Protocol) + "__" + k
	}
	return k
}

func fileSafe(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		ch := s[i]
		switch {
		case ch >= 'a' && ch <= 'z', ch >= 'A' && ch <= 'Z', ch >= '0' && ch <= '9',
			ch == '-', ch == '.', ch == '=', ch == '_' && !(i+1 < len(s) && s[i+1] == '_'):
			b.WriteByte(ch)
		default:
			fmt.Fprintf(&b, "%%%02X", ch)
		}
	}
	return b.String()
}

// Trainer builds the model and optimiser of one trial and trains it. The
// experiment layer is kept free of the engine so it can be tested with a
// fake; NewTrainer in the ghl command wires in package nn.
type Trainer interface {
	// Train trains a fresh model for the cell on set and returns the
	// training result and the test windows' predicted labels.
	Train(ctx context.Context, cell Cell, set *SetData, threads int) (*train.Result, []int, error)
}

// Runner runs cells as parallel trials and stores their results in Out.
type Runner struct {
	// Out is the results folder: Out/trials/<key>.json per trial.
	Out string
	// Sets are the sample sets by name.
	Sets map[string]*SetData
	// Trainer trains one trial.
	Trainer Trainer
	// Workers is the number of trials run at once (default GOMAXPROCS);
	// Threads the engine threads per trial (default GOMAXPROCS/Workers).
	// Neither changes the results.
	Workers, Threads int
	// Progress receives one line per finished trial and an ETA (nil: none).
	Progress io.Writer
	// Plan, if set, is stored in every trial file this runner writes (see
	// TrialResult.Plan); it does not change which finished trials are reused.
	Plan string
}

// Run runs every cell whose result file is missing, writing each result
// as soon as it is ready, and returns all cells' results (finished earlier
// or now) in cell order. A result file made with other options is an error
// (use another results folder), never silently mixed in.
func (r *Runner) Run(ctx context.Context, cells []Cell) ([]*TrialResult, error) {
	dir := filepath.Join(r.Out, "trials")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("results folder: %w", err)
	}
	for _, c := range cells {
		if _, ok := r.Sets[c.Set]; !ok {
			return nil, fmt.Errorf("%w: unknown set %q", ghl.ErrUsage, c.Set)
		}
	}
	results, todo, err := ReadTrials(r.Out, cells)
	if err != nil {
		return nil, err
	}
	workers := r.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = max(1, min(workers, len(todo)))
	threads := r.Threads
	if threads <= 0 {
		threads = max(1, runtime.GOMAXPROCS(0)/workers)
	}
	if r.Progress != nil && len(cells) > len(todo) {
		fmt.Fprintf(r.Progress, "resuming: %d of %d trials already done in %s\n", len(cells)-len(todo), len(cells), dir)
	}
	start := time.Now()
	jobs := make(chan int)
	var (
		mu       sync.Mutex
		firstErr error
		done     int
		wg       sync.WaitGroup
	)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				c := cells[i]
				res, err := r.runOne(ctx, c, threads)
				if err == nil {
					err = writeTrial(TrialPath(r.Out, c), res)
				}
				mu.Lock()
				if err != nil {
					if firstErr == nil {
						firstErr = fmt.Errorf("trial %s: %w", c.Key(), err)
						cancel()
					}
				} else {
					results[i] = res
					done++
					if r.Progress != nil {
						el := time.Since(start)
						eta := time.Duration(float64(el) / float64(done) * float64(len(todo)-done))
						fmt.Fprintf(r.Progress, "[%d/%d] %-8s %-12s seed %-2d  acc %6.2f%%  macro-F1 %.3f  (%4.0fs)  elapsed %s  ETA %s\n",
							done, len(todo), c.Set, c.Method.Name, c.Seed, 100*res.Test.Accuracy, res.Test.MacroF1,
							res.WallSeconds, el.Round(time.Second), eta.Round(time.Second))
					}
				}
				mu.Unlock()
			}
		}()
	}
	for _, i := range todo {
		if ctx.Err() != nil {
			break
		}
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return results, nil
}

func (r *Runner) runOne(ctx context.Context, c Cell, threads int) (*TrialResult, error) {
	set := r.Sets[c.Set]
	t0 := time.Now()
	run, evals, err := withEvals(set, c.Seed)
	if err != nil {
		return nil, err
	}
	tr, pred, err := r.Trainer.Train(ctx, c, run, threads)
	if err != nil {
		return nil, err
	}
	if len(pred) != run.Test.Len() {
		return nil, fmt.Errorf("trainer gave %d predictions for %d test windows", len(pred), run.Test.Len())
	}
	opts := c.Method.Options()
	counts := set.Set.Counts()
	cs := make([]string, len(counts))
	for i, n := range counts {
		cs[i] = fmt.Sprint(n)
	}
	opts["train_counts"] = strings.Join(cs, ",")
	res := &TrialResult{
		Protocol: c.Protocol, Set: c.Set, Axis: set.Axis, Level: set.Level,
		Method: c.Method.Name, Seed: c.Seed, Classes: set.Set.Classes,
		Test: train.Evaluate(pred[:set.Test.Len()], set.Test.Y, set.Set.Classes, set.Healthy),
		Val:  tr.Val, ValShift: tr.ValShift,
		BestIter: tr.BestIter, Iterations: tr.Iterations, Log: tr.Log,
		Options: opts, Plan: r.Plan, TrainFLOPs: tr.TrainFLOPs,
	}
	off := set.Test.Len()
	for i, e := range set.Evals {
		n := evals[i].Len()
		res.Evals = append(res.Evals, EvalResult{Name: e.Name, Axis: e.Axis, Level: e.Level,
			Test: train.Evaluate(pred[off:off+n], evals[i].Y, set.Set.Classes, set.Healthy)})
		off += n
	}
	if f := tr.GHLActiveFraction; f >= 0 {
		res.GHLActiveFraction = &f
	}
	res.WallSeconds = time.Since(t0).Seconds()
	return res, nil
}

// withEvals returns set with its test windows followed by every EvalSet's
// windows for seed (so the trainer predicts them all with one model), and
// those windows; set itself when it has no EvalSet.
func withEvals(set *SetData, seed int) (*SetData, []dataset.Samples, error) {
	if len(set.Evals) == 0 {
		return set, nil, nil
	}
	run := *set
	run.Test = dataset.Samples{L: set.Test.L, X: slices.Clone(set.Test.X), Y: slices.Clone(set.Test.Y)}
	var evals []dataset.Samples
	for _, e := range set.Evals {
		w, err := e.Windows(seed)
		if err != nil {
			return nil, nil, fmt.Errorf("test %s: %w", e.Name, err)
		}
		if w.L != set.Test.L {
			return nil, nil, fmt.Errorf("test %s: windows of %d points, the set's are %d", e.Name, w.L, set.Test.L)
		}
		evals = append(evals, w)
		run.Test.X = append(run.Test.X, w.X...)
		run.Test.Y = append(run.Test.Y, w.Y...)
	}
	return &run, evals, nil
}

func optionsDiff(have, want map[string]string) string {
	var d []string
	for k, v := range want {
		if have[k] != v {
			d = append(d, fmt.Sprintf("%s: %q, now %q", k, have[k], v))
		}
	}
	sort.Strings(d)
	return strings.Join(d, "; ")
}

func readTrial(path string) (*TrialResult, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var res TrialResult
	if err := json.Unmarshal(b, &res); err != nil {
		return nil, fmt.Errorf("read %s: %w (delete it to rerun the trial)", path, err)
	}
	return &res, nil
}

func writeTrial(path string, res *TrialResult) error {
	b, err := json.MarshalIndent(res, "", " ")
	if err != nil {
		return fmt.Errorf("encode %s: %w", path, err)
	}
	return atomicfile.WriteFile(path, append(b, '\n'))
}

// SchemeFor builds the loss scheme of a method for a trial.
func SchemeFor(m Method, seed int, threads int) (loss.Scheme, error) {
	opt := m.Loss
	opt.Seed = uint64(seed)
	opt.Threads = threads
	return loss.New(m.Scheme, opt)
}
