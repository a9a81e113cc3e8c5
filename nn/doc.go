// Package nn is ghl's small 1-D CNN engine: float32 layers with hand-written
// forward and backward passes, a Sequential model that runs blocks of
// samples on several goroutines, the paper's DCNN, Adam and SGD, gradient
// clipping, and model files.
//
// # Why an engine of our own
//
// The DCNN is small (about 12.1 MFLOP per sample for a forward and backward
// pass) but an experiment trains it thousands of times, so its speed decides
// how usable ghl is on an ordinary machine. Measured on the project's
// machine (2 cores, AMD Zen 4 with AVX-512, two-core FMA peak about 228
// GFLOP/s): PyTorch 1.13 trains the DCNN at about 1.4k–2.4k samples/s (about
// 12 % of peak); GoMLX's pure-Go backend at about 35 samples/s (and it has no
// convolution gradient), Gorgonia at about 425; gonum's Sgemm with im2col
// reaches only 6–8 GFLOP/s at these convolution shapes and a plain scalar Go
// convolution 2.5–6. A direct channels-last convolution micro-kernel with
// AVX-512 FMA reached about 120 GFLOP/s for the forward and input-gradient
// passes and 90 for the weight gradient. No Go library offers that, so the
// kernels live in nn/internal/kernel (AVX-512, AVX2+FMA and portable Go,
// chosen at run time; the build tag purego forces the portable one) and this
// package builds the layers, the model and the training API on them.
//
// # Layers and layouts
//
// Activations are float32 and channels-last: a sample of Width positions and
// Channels channels stores (t, c) at t*Channels + c, and a batch is n such
// rows back to back. Conv1D (stride 1, padding "same" or "valid"),
// MaxPool1D (window = stride), Dense, ReLU and Flatten each have a Forward
// and a Backward written side by side; Softmax is a function for inference
// (training losses take the logits). Weights are stored as
//
//	Conv1D kernel  [k][cin][cout]   (PyTorch: [cout][cin][k])
//	Dense matrix   [nin][nout]      (PyTorch: [nout][nin])
//	biases         [n]
//
// and Flatten keeps the channels-last order (t*C + c), where PyTorch's
// flattens channel-major (c*W + t); the model file converts both.
//
// Backward ACCUMULATES parameter gradients into Param.G (call ZeroGrad
// between steps) and takes the loss gradient of every forwarded sample plus
// the list of samples to back-propagate: the GHL trainer drops samples, and
// a dropped sample costs no backward work at all.
//
// # The DCNN
//
// NewDCNN builds the network of the paper (SPEC section 6): conv 16×49 →
// ReLU → max-pool 4 → conv 16×21 → ReLU → max-pool 4 → flatten → dense 100
// → ReLU → dense C. The paper leaves these choices open; this package takes:
//
//   - padding "same" (zero padding (k−1)/2 on the left and k−1−(k−1)/2 on
//     the right, PyTorch's padding='same'), so 1024 inputs give 1024, 256,
//     256, 64 positions and a 64×16 = 1024-value flatten; "valid" is an
//     option;
//   - ReLU after both convolutions and the hidden dense layer, none after
//     the output;
//   - max-pool output width floor(width/4), ties to the first maximum;
//   - the output is C logits; the softmax belongs to the loss (package
//     loss) or, for probabilities, to Softmax;
//   - He normal initialisation (std √(2/fan_in)) for the layers followed by
//     a ReLU, Glorot uniform for the output layer, zero biases, from a PCG
//     seeded with DCNNConfig.Seed, layer by layer in order;
//   - no batch normalisation or dropout (the paper names none);
//   - input normalisation, optimiser, learning rate and iteration count are
//     the trainer's (they go into the model file's Metadata).
//
// Model.FLOPs counts the work per sample: with 1024 inputs and 12 classes a
// forward pass is 4.57 MFLOP and a training step 12.09 MFLOP (the first
// convolution needs no input gradient).
//
// # Parallelism and determinism
//
// Forward, Backward and Infer cut the samples into consecutive blocks of
// BlockSize (32) and hand the blocks to SetThreads goroutines. Each block
// accumulates its parameter gradients into its own buffer, and the buffers
// are then summed into Param.G in block order. The partition and the order
// depend only on the batch (and the kept samples), never on the number of
// goroutines, so the same seed and kernel path give bit-identical weights
// after N steps whatever the thread count (tested, and tested under -race).
// Infer gives bit-identical logits to Forward.
//
// Between kernel paths (avx512, avx2, purego) results differ in the last
// bits: the paths add the same products in different orders and the
// assembly ones fuse multiply and add. Training runs that differ only in the
// kernel path therefore drift apart slowly; KernelName reports the path in use.
//
// # Memory and speed
//
// Within a block the layers before the first Dense run one sample at a time,
// so a sample's 1024×16 convolution output stays in the core's cache; the
// dense layers run on the whole block (matrix products). Training keeps
// only what some Backward reads: the inputs of convolutions and dense
// layers, ReLU outputs, and each max-pool's argmax (one byte per output). A
// ReLU directly followed by a max-pool is folded into the pool (max(0,
// max(x)) = max(max(0, x)), and the gradient only reaches a window's
// maximum), which removes two passes over the largest activation. For the
// DCNN that is about 26 KB per sample, so a full-batch step on Set 1 (3904
// windows) needs about 100 MB of activations plus 0.44 MB of gradient per
// block of 32 (ghl bench reports the process's peak memory: under 200 MiB).
// Steady-state steps allocate no buffers.
//
// bench/peer/compare.sh on the project's machine (2 vCPUs reporting
// avx512_vp2intersect, i.e. a Zen 5 class core with full-width AVX-512; its
// measured two-core FMA peak is about 510 GFLOP/s, not the 228 quoted
// above), with the other programs on it mostly idle, gave: training 27.5k
// samples/s at batch 256 and 30.8k at batch 3904 (PyTorch 2.4k and 2.1k:
// 11.5× and 14.5×), inference 89k samples/s (PyTorch 8.7k: 10×), full-batch
// training at 373 GFLOP/s = 73 % of the measured peak, peak memory 184 MiB.
// With other programs busy on the same cores ghl measured 9k–15k samples/s
// and PyTorch (whose OpenMP threads spin while waiting) collapsed to a few
// hundred, so compare figures only from a quiet machine.
//
// # Model files
//
// Save writes a model as a safetensors file (https://github.com/huggingface/safetensors):
// an 8-byte little-endian header length, a JSON header, then the raw
// little-endian float32 data, so PyTorch users can load the weights with
// safetensors.torch.load_file. The tensors are the PyTorch DCNN's
// state_dict (bench/peer/dcnn.py), in PyTorch layout: "conv1.weight"
// [16,1,49], "conv1.bias" [16], "conv2.weight" [16,16,21], "conv2.bias",
// "fc1.weight" [100,1024] (channel-major flatten), "fc1.bias",
// "fc2.weight" [C,100], "fc2.bias"; other Sequential models number their
// layers the same way ("convK", "fcK"). The header's "__metadata__" map
// holds:
//
//	format          "ghl.model"
//	format_version  "2" (FormatVersion; format 1 had no contract)
//	architecture    JSON: {"input":{"width","channels"},"layers":[{"type":"conv1d","filters","kernel","padding"}, {"type":"relu"}, {"type":"maxpool1d","size"}, {"type":"flatten"}, {"type":"dense","units"}, ...]}
//	metadata        JSON of Metadata (classes, rate_hz, window, normalisation, training, contract, ...)
//	data_sha256     hex SHA-256 of the data section
//	header_sha256   hex SHA-256 of architecture + "\x00" + metadata
//
// Load refuses, with an error wrapping ghl.ErrBadInput, a truncated file, a
// checksum mismatch, a tensor with the wrong shape, a foreign file, and a
// file of a newer format ("made by a newer ghl (format N), this reads ≤
// M"). Every later version of this package reads every older format
// version or says why not. The codec is hand-written (see safetensors.go
// for why) and its loader is fuzzed (FuzzDecode). Files are written
// atomically: a temporary file in the same directory, fsync, rename.
//
// In Python, with PyTorch and nothing else (this is the loader
// bench/peer/check_modelfile.py uses; TestPyTorchLoadsModelFile checks that
// the loaded model reproduces ghl's logits to 1e-4 when torch is installed):
//
//	import json, struct, torch
//	from dcnn import DCNN                      # bench/peer/dcnn.py
//	data = open(path, "rb").read()
//	(n,) = struct.unpack("<Q", data[:8])
//	header = json.loads(data[8:8 + n]); meta = header.pop("__metadata__")
//	state = {k: torch.frombuffer(bytearray(data[8 + n + e["data_offsets"][0]:8 + n + e["data_offsets"][1]]),
//	                             dtype=torch.float32).reshape(e["shape"]) for k, e in header.items()}
//	info, arch = json.loads(meta["metadata"]), json.loads(meta["architecture"])
//	model = DCNN(len(info["classes"]), arch["input"]["width"], arch["layers"][0]["padding"])
//	model.load_state_dict(state)
//
// With the safetensors package installed, safetensors.torch.load_file(path)
// gives the same state dict.
//
// # Correctness
//
// Every layer's Backward is checked against central finite differences, the
// whole DCNN against PyTorch's logits, loss gradient and parameter
// gradients (bench/peer/make_vectors.py wrote testdata/dcnn_torch.safetensors;
// relative errors about 1e-6), Adam and SGD against PyTorch's update
// formulas, and the DCNN learns a small balanced synthetic set to 100 %
// training accuracy in 40 steps.
package nn
