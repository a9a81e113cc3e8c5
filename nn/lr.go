package nn

import "github.com/ghl-dev/ghl/nn/internal/kernel"

// SetLR sets the learning rate of the next steps; the trainer's
// learning-rate schedule calls it before every step.
func (o *Adam) SetLR(lr float64) { o.cfg.LR = lr }

// SetLR sets the learning rate of the next steps.
func (o *SGD) SetLR(lr float64) { o.cfg.LR = lr }

// KernelName reports the compute kernel path in use: "avx512", "avx2" or
// "purego" (chosen at start-up from the CPU's features, or forced by the
// purego build tag or by $GHL_KERNEL, see KernelError).
func KernelName() string { return kernel.Name() }

// KernelError reports a $GHL_KERNEL override ("avx512", "avx2" or
// "purego", read once at start-up) that could not be followed because the
// CPU lacks the path or the name is unknown; KernelName is then the best
// path. Commands refuse to run with it so a timing never silently uses
// another path.
func KernelError() error { return kernel.Err() }
