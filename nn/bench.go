package nn

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/ghl-dev/ghl"
	"github.com/ghl-dev/ghl/nn/internal/kernel"
)

// PeakGFLOPS measures the machine's float32 multiply-add peak with a
// register-only FMA loop of the active kernel path on GOMAXPROCS
// goroutines, running for at least d; a reference for GFLOP/s figures.
func PeakGFLOPS(d time.Duration) float64 { return kernel.PeakGFLOPS(d) }

// BenchConfig configures Bench.
type BenchConfig struct {
	Batch    int    // samples per training step (default 256)
	Steps    int    // timed training steps (default 20)
	Threads  int    // goroutines (default GOMAXPROCS)
	InputLen int    // default 1024
	Classes  int    // default 12
	Seed     uint64 // weights, data and labels
}

// BenchResult is what Bench measured. The JSON names are a contract with
// bench/peer/compare.sh.
type BenchResult struct {
	Batch   int    `json:"batch"`
	Steps   int    `json:"steps"`
	Threads int    `json:"threads"`
	Kernel  string `json:"kernel"`
	// SamplesPerSec counts every sample forwarded and back-propagated per
	// second of whole training steps (forward, loss, backward, Adam).
	SamplesPerSec float64 `json:"samples_per_sec"`
	// GFLOPS is SamplesPerSec × TrainFLOPs / 1e9.
	GFLOPS float64 `json:"gflops"`
	// InferSamplesPerSec is the Infer throughput on the same batch.
	InferSamplesPerSec float64 `json:"infer_samples_per_sec"`
	InferGFLOPS        float64 `json:"infer_gflops"`
	// TrainFLOPs and InferFLOPs are the FLOPs per sample (Model.FLOPs).
	TrainFLOPs float64 `json:"train_flops_per_sample"`
	InferFLOPs float64 `json:"infer_flops_per_sample"`
	// PeakRSSBytes is the process's peak resident memory (VmHWM) after
	// the run, 0 where /proc is not available.
	PeakRSSBytes int64 `json:"peak_rss_bytes"`
}

// Bench trains the DCNN on random data (every sample forwarded and
// back-propagated, MSE on the softmax output, Adam) for cfg.Steps steps
// after one untimed warm-up step, then times Infer on the same batch.
func Bench(cfg BenchConfig) (BenchResult, error) {
	if cfg.Batch == 0 {
		cfg.Batch = 256
	}
	if cfg.Steps == 0 {
		cfg.Steps = 20
	}
	if cfg.InputLen == 0 {
		cfg.InputLen = 1024
	}
	if cfg.Classes == 0 {
		cfg.Classes = 12
	}
	if cfg.Batch < 1 || cfg.Steps < 1 || cfg.Threads < 0 {
		return BenchResult{}, fmt.Errorf("nn: bench: %w: batch %d, steps %d, threads %d", ghl.ErrUsage, cfg.Batch, cfg.Steps, cfg.Threads)
	}
	m, err := NewDCNN(DCNNConfig{InputLen: cfg.InputLen, Classes: cfg.Classes, Seed: cfg.Seed})
	if err != nil {
		return BenchResult{}, fmt.Errorf("nn: bench: %w", err)
	}
	m.SetThreads(cfg.Threads)
	n, c := cfg.Batch, cfg.Classes
	r := rand.New(rand.NewPCG(cfg.Seed, 2))
	x := make([]float32, n*cfg.InputLen)
	for i := range x {
		x[i] = float32(r.NormFloat64())
	}
	labels := make([]int, n)
	for i := range labels {
		labels[i] = r.IntN(c)
	}
	opt := NewAdam(AdamConfig{LR: 1e-4})
	d := make([]float32, n*c)
	step := func() error {
		z, err := m.Forward(x, n)
		if err != nil {
			return err
		}
		MSESoftmaxGrad(d, z, labels, c)
		m.ZeroGrad()
		if err := m.Backward(d, nil); err != nil {
			return err
		}
		return opt.Step(m.Params())
	}
	if err := step(); err != nil { // warm-up: buffers, page faults
		return BenchResult{}, fmt.Errorf("nn: bench: %w", err)
	}
	start := time.Now()
	for range cfg.Steps {
		if err := step(); err != nil {
			return BenchResult{}, fmt.Errorf("nn: bench: %w", err)
		}
	}
	train := time.Since(start).Seconds()
	out := make([]float32, n*c)
	if _, err := m.Infer(x, n, out); err != nil { // warm-up
		return BenchResult{}, fmt.Errorf("nn: bench: %w", err)
	}
	start = time.Now()
	for range cfg.Steps {
		if _, err := m.Infer(x, n, out); err != nil {
			return BenchResult{}, fmt.Errorf("nn: bench: %w", err)
		}
	}
	infer := time.Since(start).Seconds()
	fwd, tr := m.FLOPs()
	res := BenchResult{
		Batch: n, Steps: cfg.Steps, Threads: m.Threads(), Kernel: KernelName(),
		SamplesPerSec:      float64(n*cfg.Steps) / train,
		InferSamplesPerSec: float64(n*cfg.Steps) / infer,
		TrainFLOPs:         tr, InferFLOPs: fwd,
		PeakRSSBytes: PeakRSS(),
	}
	res.GFLOPS = res.SamplesPerSec * tr / 1e9
	res.InferGFLOPS = res.InferSamplesPerSec * fwd / 1e9
	return res, nil
}

// MSESoftmaxGrad writes into d (n×c) the gradient with respect to the
// logits z of the paper's loss, the mean squared error between softmax(z)
// and the one-hot labels averaged over all n·c values (PyTorch's MSELoss),
// and returns the loss. It is the loss bench and bench/peer time; the loss
// package is the one training uses.
func MSESoftmaxGrad(d, z []float32, labels []int, c int) float64 {
	n := len(labels)
	Softmax(d, z, n, c)
	var loss float64
	scale := 2 / float64(n*c)
	for i, y := range labels {
		p := d[i*c : (i+1)*c]
		// g_k = scale·(p_k − y_k); ∂L/∂z_k = p_k·(g_k − Σ_j g_j p_j).
		var dot float64
		for k, v := range p {
			e := float64(v)
			if k == y {
				e--
			}
			loss += e * e
			dot += scale * e * float64(v)
		}
		for k, v := range p {
			e := float64(v)
			if k == y {
				e--
			}
			p[k] = float32(float64(v) * (scale*e - dot))
		}
	}
	return loss / float64(n*c)
}

// PeakRSS returns the process's peak resident set size in bytes (VmHWM
// from /proc/self/status), or 0 where that is not available.
func PeakRSS() int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if rest, ok := strings.CutPrefix(s.Text(), "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			if err != nil {
				return 0
			}
			return kb << 10
		}
	}
	return 0
}
