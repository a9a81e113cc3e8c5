#!/usr/bin/env python3
"""Time the DCNN in PyTorch the way `ghl bench` times ghl's: random data, every
sample forwarded and back-propagated, MSE on the softmax output, Adam, one
untimed warm-up step; then inference (no_grad) on the same batch.
Two threads, Debian's python3-torch:

    /usr/bin/python3 bench/peer/peer.py --batch 256 --steps 20

prints one JSON object: {"batch", "steps", "samples_per_sec",
"infer_samples_per_sec", "torch", "threads"}.
"""
import argparse
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch  # noqa: E402

from dcnn import DCNN, mse_softmax  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--batch", type=int, default=256)
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--classes", type=int, default=12)
    ap.add_argument("--input-len", type=int, default=1024)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(1)
    model = DCNN(a.classes, a.input_len)
    opt = torch.optim.Adam(model.parameters(), lr=1e-4)
    x = torch.randn(a.batch, a.input_len)
    labels = torch.randint(0, a.classes, (a.batch,))

    def step():
        opt.zero_grad(set_to_none=False)
        loss = mse_softmax(model(x), labels)
        loss.backward()
        opt.step()

    step()  # warm-up
    t = time.perf_counter()
    for _ in range(a.steps):
        step()
    train = time.perf_counter() - t
    with torch.no_grad():
        model(x)  # warm-up
        t = time.perf_counter()
        for _ in range(a.steps):
            model(x)
        infer = time.perf_counter() - t
    print(json.dumps({
        "batch": a.batch, "steps": a.steps, "threads": a.threads, "torch": torch.__version__,
        "samples_per_sec": a.batch * a.steps / train,
        "infer_samples_per_sec": a.batch * a.steps / infer,
    }))


if __name__ == "__main__":
    main()
