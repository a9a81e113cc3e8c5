#!/usr/bin/env python3
"""Write nn/testdata/dcnn_torch.safetensors: the DCNN's logits, loss
gradients and parameter gradients computed by PyTorch, for the Go test
TestDCNNMatchesPyTorch. Run once with Debian's torch:

    /usr/bin/python3 bench/peer/make_vectors.py nn/testdata/dcnn_torch.safetensors

Weights and inputs come from SplitMix64 (dcnn.py) so the file holds only
the inputs (to check the generator), outputs and gradients.
"""
import json
import struct
import sys

import torch

from dcnn import DCNN, SplitMix64, mse_softmax

SEED = 20261125
N, L, C = 4, 1024, 12
SCALES = {  # powers of two: exact in float32
    "conv1.weight": 2**-3, "conv1.bias": 2**-5,
    "conv2.weight": 2**-4, "conv2.bias": 2**-5,
    "fc1.weight": 2**-5, "fc1.bias": 2**-5,
    "fc2.weight": 2**-3, "fc2.bias": 2**-5,
}


def write_safetensors(path, tensors, meta):
    header, blobs, off = {"__metadata__": meta}, [], 0
    for name, t in tensors:
        b = t.detach().contiguous().to(torch.float32).numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [off, off + len(b)]}
        blobs.append(b)
        off += len(b)
    hj = json.dumps(header, sort_keys=True).encode()
    hj += b" " * (-len(hj) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(hj)) + hj + b"".join(blobs))


def main():
    torch.manual_seed(0)
    model = DCNN(C, L)
    g = SplitMix64(SEED)
    with torch.no_grad():
        for name, p in model.named_parameters():
            p.copy_(g.uniform(tuple(p.shape), SCALES[name]))
    x = g.uniform((N, L), 1.0)
    labels = torch.tensor([g.next() % C for _ in range(N)])
    logits = model(x)
    logits.retain_grad()
    loss = mse_softmax(logits, labels)
    loss.backward()
    out = [("x", x), ("labels", labels.float()), ("logits", logits), ("dlogits", logits.grad),
           ("loss", loss.reshape(1))]
    out += [("grad." + n, p.grad) for n, p in model.named_parameters()]
    meta = {"torch_version": torch.__version__, "seed": str(SEED), "loss": "mse_softmax_mean",
            "generator": "splitmix64", "scales": json.dumps(SCALES, sort_keys=True)}
    write_safetensors(sys.argv[1], out, meta)


if __name__ == "__main__":
    main()
