// Package ghl trains fault-diagnosis models on heavily imbalanced vibration
// data with the gradient harmonized loss (GHL) of Ren et al. and the
// baselines it is measured against.
//
// The packages follow the data as it flows through the system:
//
//	recording   vibration recordings in (MAT v5, CSV, NPY, WAV) and resampling
//	dataset     windows, time-ordered splits and the paper's imbalanced sample sets
//	  cwru      the CWRU catalog (file numbers, classes, checksums) and download
//	  synth     a physical bearing simulator: the embedded default dataset
//	nn          the 1-D CNN engine: layers, kernels, optimisers, model files
//	loss        base losses and imbalance schemes (plain, class-cost, GHL)
//	train       the training loop and the metrics
//	experiment  protocols, repeated trials, the results store and aggregation
//	report      figures and the HTML report
//
// The ghl command (cmd/ghl) puts them together. This package holds only what
// every layer shares: the error sentinels that decide the command's exit code.
package ghl

import "errors"

// ErrBadInput marks an error caused by the user's input data (a corrupt or
// truncated file, NaN samples, a folder with no recordings, a model for a
// different class set). The ghl command exits with code 3 for such errors.
// Packages wrap it: fmt.Errorf("read %s: %w: truncated header", path, ghl.ErrBadInput).
var ErrBadInput = errors.New("bad input data")

// ErrUsage marks an error in how a command or function was called (an
// unknown set name, an invalid option value). The ghl command exits with
// code 2 for such errors.
var ErrUsage = errors.New("usage")
