// Package nn is ghl's small 1-D CNN engine: float32 layers with hand-written
// forward and backward passes, a Sequential model that runs blocks of
// samples on several goroutines, the paper's DCNN, Adam and SGD, and model
// files.
package nn
