// Package train runs the training loop: full-batch training with sample
// elimination (GHL, SPEC 5) and mini-batch training for every scheme,
// early stopping on the validation block by macro-F1, optional augmentation,
// a divergence guard, and the per-iteration log the figures are drawn from.
// It also computes the evaluation metrics.
package train
