// Package kernel holds the compute kernels of the nn engine: 1-D
// convolution (forward, input gradient, weight gradient) and dense layers,
// in float32, one sample (convolution) or a block of rows (dense) per call.
//
// # Why hand-written kernels
//
// The DCNN ghl trains is small (about 12.1 MFLOP per sample for a forward
// and backward pass) but is trained thousands of times in an experiment.
// Measured on the project's machine (2 cores, AMD Zen 4, AVX-512, two-core
// FMA peak about 228 GFLOP/s): gonum's Sgemm with im2col reaches only 6–8
// GFLOP/s at these convolution shapes, a plain scalar Go convolution 2.5–6,
// and the Go frameworks are far slower end to end (GoMLX's pure-Go backend
// about 35 samples/s with no convolution gradient, Gorgonia about 425
// samples/s, against 1.4k–2.4k samples/s for PyTorch). A direct
// channels-last micro-kernel with AVX-512 FMA reached about 120 GFLOP/s on
// two cores. No Go library provides such a kernel, so this package does.
//
// # Layout
//
// Everything is channels-last: a convolution input of width win and cin
// channels is in[s*cin+ci]; the weights are w[(j*cin+ci)*cout+co] for tap j;
// dense weights are w[d*nout+o]. With cout = 16, one 512-bit register holds
// all output channels of one position, so the forward kernel keeps a block
// of positions in registers and, for every (tap, input channel), loads one
// weight row and multiplies it by a broadcast input value.
//
// All six operations reduce to one register-blocked product
//
//	C[p][c] = C0[p][c] + Σ_q A(p,q) * B[q][c]
//
// where A is either row-major (the forward passes: the rows of a
// convolution overlap, row p starting at input position p of a zero-padded
// copy) or column-major (the weight gradients). The input gradient of a
// convolution is a forward convolution of the zero-padded output gradient
// with the weights flipped in j and transposed in (ci, co); the input
// gradient of a dense layer uses the transposed weights. These copies are
// made per call in scratch buffers from a sync.Pool.
//
// # Paths
//
// Three implementations exist: AVX-512 and AVX2+FMA assembly (amd64,
// chosen at run time from the CPU's features) and portable Go (other
// architectures, or the build tag purego). Name reports the one in use.
// Columns beyond the last full vector (16 floats for AVX-512, 8 for AVX2)
// are computed in Go.
//
// The paths add the same products in different orders (and the assembly
// paths fuse multiply and add), so their results differ in the last bits:
// the tests allow a relative error of about 1e-5 of the sum of the
// magnitudes of the terms. Within one path the order is fixed, so results
// are bit-for-bit reproducible.
package kernel
