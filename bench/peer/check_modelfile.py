#!/usr/bin/env python3
"""Load a ghl model file into the PyTorch DCNN and check its logits.

    check_modelfile.py MODEL.safetensors INPUT.f32 LOGITS.f32

INPUT.f32 holds n windows and LOGITS.f32 the n×C logits ghl computed, both
raw little-endian float32. Exits 1 if PyTorch's logits differ by more than
1e-4 relative to the largest logit. Uses the safetensors package when it is
installed, else the few lines below (the format is a JSON header and raw data).
Run by nn's TestPyTorchLoadsModelFile.
"""
import json
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch  # noqa: E402

from dcnn import DCNN  # noqa: E402


def load(path):
    try:
        import safetensors
        import safetensors.torch
        with safetensors.safe_open(path, "pt") as f:
            meta = f.metadata()
        return safetensors.torch.load_file(path), meta
    except ImportError:
        data = open(path, "rb").read()
        (n,) = struct.unpack("<Q", data[:8])
        header = json.loads(data[8:8 + n])
        meta = header.pop("__metadata__", {})
        body = data[8 + n:]
        tensors = {}
        for name, e in header.items():
            b, end = e["data_offsets"]
            t = torch.frombuffer(bytearray(body[b:end]), dtype=torch.float32)
            tensors[name] = t.reshape(e["shape"])
        return tensors, meta


def main():
    state, meta = load(sys.argv[1])
    info = json.loads(meta["metadata"])
    arch = json.loads(meta["architecture"])
    model = DCNN(len(info["classes"]), arch["input"]["width"], arch["layers"][0]["padding"])
    model.load_state_dict(state)
    x = torch.frombuffer(bytearray(open(sys.argv[2], "rb").read()), dtype=torch.float32)
    want = torch.frombuffer(bytearray(open(sys.argv[3], "rb").read()), dtype=torch.float32)
    with torch.no_grad():
        got = model(x.reshape(-1, arch["input"]["width"])).reshape(-1)
    err = ((got - want).abs().max() / want.abs().max()).item()
    print(f"max relative error {err:.3g}")
    sys.exit(0 if err <= 1e-4 else 1)


if __name__ == "__main__":
    main()
