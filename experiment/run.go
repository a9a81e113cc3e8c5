package experiment

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
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
}

// Cell is one trial to run.
type Cell struct {
	Set    string
	Method Method
	Seed   int
	// LogAngles records Eq. 18's angles every iteration (for Fig. 3; it
	// costs a forward pass of the training set per epoch in mini-batch
	// training, so only the cells Fig. 3 draws set it).
	LogAngles bool
}

// Key names the cell's result file. Characters that cannot stand in a file
// name (a custom set "NC=8,*=4", a method "dcnng:alpha=2") are escaped as
// %XX, so distinct cells never share a file.
func (c Cell) Key() string {
	return fmt.Sprintf("%s__%s__seed%d", fileSafe(c.Set), fileSafe(c.Method.Name), c.Seed)
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
	results := make([]*TrialResult, len(cells))
	var todo []int
	for i, c := range cells {
		if _, ok := r.Sets[c.Set]; !ok {
			return nil, fmt.Errorf("%w: unknown set %q", ghl.ErrUsage, c.Set)
		}
		res, err := readTrial(filepath.Join(dir, c.Key()+".json"))
		switch {
		case errors.Is(err, os.ErrNotExist):
			todo = append(todo, i)
		case err != nil:
			return nil, err
		default:
			if diff := optionsDiff(res.Options, c.Method.Options()); diff != "" {
				return nil, fmt.Errorf("%s holds a result made with other settings (%s): use another --out folder or delete it", filepath.Join(dir, c.Key()+".json"), diff)
			}
			results[i] = res
		}
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
					err = writeTrial(filepath.Join(dir, c.Key()+".json"), res)
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
	tr, pred, err := r.Trainer.Train(ctx, c, set, threads)
	if err != nil {
		return nil, err
	}
	opts := c.Method.Options()
	counts := set.Set.Counts()
	cs := make([]string, len(counts))
	for i, n := range counts {
		cs[i] = fmt.Sprint(n)
	}
	opts["train_counts"] = strings.Join(cs, ",")
	res := &TrialResult{
		Set: c.Set, Method: c.Method.Name, Seed: c.Seed, Classes: set.Set.Classes,
		Test:     train.Evaluate(pred, set.Test.Y, set.Set.Classes, set.Healthy),
		Val:      tr.Val,
		BestIter: tr.BestIter, Iterations: tr.Iterations, Log: tr.Log,
		Options: opts, WallSeconds: time.Since(t0).Seconds(),
	}
	if f := tr.GHLActiveFraction; f >= 0 {
		res.GHLActiveFraction = &f
	}
	return res, nil
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
