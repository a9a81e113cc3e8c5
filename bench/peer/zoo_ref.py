#!/usr/bin/env python3
"""Reference values of the published imbalance losses (ghl's loss zoo),
computed with PyTorch autograd from each paper's formula and its authors'
code, independently of ghl's Go implementation. Writes JSON for the Go test
TestZooMatchesPyTorch (loss/zoo_torch_test.go):

    /usr/bin/python3 bench/peer/zoo_ref.py loss/testdata/zoo_torch.json

Debian's python3-torch is enough. Each case holds float32 logits (as exact
decimals), labels, class counts, the training progress and the options, and
for each step the loss and d loss / d logits. Cases cover random logits with
ties, extreme logits and one-sample classes. Conventions shared with ghl
(see `go doc ./loss`): every loss is the weighted mean sum(w L) / sum(w), the
weights held constant in the gradient.
"""
import json
import math
import sys

import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)


def cb_weights(counts, beta):
    # Cui et al. (CVPR 2019), class_balanced_loss.py: (1-beta)/(1-beta^n),
    # normalised to sum to the number of classes.
    counts = torch.tensor(counts, dtype=torch.float64)
    if beta == 0:
        w = torch.ones_like(counts)
    else:
        w = (1.0 - beta) / (1.0 - torch.pow(torch.tensor(beta), counts))
    return w / w.sum() * len(counts)


def weighted_mean(per, w):
    return (w * per).sum() / w.sum()


def focal_per(z, y, gamma):
    # Lin et al. (ICCV 2017), softmax form: -(1-p_y)^gamma log p_y.
    logp = F.log_softmax(z, dim=1).gather(1, y[:, None]).squeeze(1)
    if gamma == 0:
        return -logp
    p = logp.exp()
    return -((1 - p) ** gamma) * logp


def loss_of(case, z, y, state):
    name, o, counts = case["scheme"], case["zoo"], case["counts"]
    C = z.shape[1]
    ones = torch.ones(z.shape[0])
    if name == "focal":
        w = ones
        if o["ClassWeights"] == "cost":
            n = torch.tensor(counts, dtype=torch.float64)
            cw = n.sum() / (len(counts) * n)
            w = cw[y]
        return weighted_mean(focal_per(z, y, o["Gamma"]), w)
    if name == "cb":
        w = cb_weights(counts, o["Beta"])[y]
        per = focal_per(z, y, o["Gamma"]) if o["CBFocal"] else F.cross_entropy(z, y, reduction="none")
        return weighted_mean(per, w)
    if name == "ldam-drw":
        # Cao et al. (NeurIPS 2019), losses.py LDAMLoss and train.py's DRW.
        m = 1.0 / torch.sqrt(torch.sqrt(torch.tensor(counts, dtype=torch.float64)))
        m = m * (o["MaxMargin"] / m.max())
        idx = F.one_hot(y, C).bool()
        out = torch.where(idx, z - m[y][:, None], z)
        drw = case["epoch"] > o["DRW"] * case["epochs"]
        w = cb_weights(counts, o["Beta"]) if drw else torch.ones(C)
        return F.cross_entropy(o["Scale"] * out, y, weight=w)
    if name == "la":
        # Menon et al. (ICLR 2021): logit-adjusted loss, z + tau log prior.
        n = torch.tensor(counts, dtype=torch.float64)
        return F.cross_entropy(z + o["Tau"] * torch.log(n / n.sum()), y)
    if name == "bsm":
        # Ren et al. (NeurIPS 2020), balanced_softmax_loss: z + log n_c.
        n = torch.tensor(counts, dtype=torch.float64)
        return F.cross_entropy(z + torch.log(n), y)
    if name == "ghm":
        # Li et al. (AAAI 2019), GHM-C as in mmdetection's ghm_loss.py, on the
        # softmax: g = 1 - p_y, bins with edges i/M (last + 1e-6),
        # moving-average counts, w = tot / (n acc_b).
        M, mmt = o["Bins"], o["Momentum"]
        edges = [float(i) / M for i in range(M + 1)]
        edges[-1] += 1e-6
        with torch.no_grad():
            # 1 - p_y summed over the other classes, as accurate as ghl's.
            g = F.softmax(z, dim=1).masked_fill(F.one_hot(y, C).bool(), 0).sum(1)
            w = torch.zeros_like(g)
            tot = float(len(g))
            n = 0
            for i in range(M):
                inds = (g >= edges[i]) & (g < edges[i + 1])
                k = int(inds.sum())
                if k > 0:
                    if mmt > 0:
                        state[i] = mmt * state[i] + (1 - mmt) * k
                        w[inds] = tot / state[i]
                    else:
                        w[inds] = tot / k
                    n += 1
            if n > 0:
                w = w / n
        return weighted_mean(F.cross_entropy(z, y, reduction="none"), w)
    raise ValueError(name)


def f32(x):
    return float(torch.tensor(x, dtype=torch.float32))


class SplitMix64:
    def __init__(self, seed):
        self.s = seed & (2**64 - 1)

    def next(self):
        self.s = (self.s + 0x9E3779B97F4A7C15) & (2**64 - 1)
        z = self.s
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & (2**64 - 1)
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & (2**64 - 1)
        return z ^ (z >> 31)

    def uniform(self):
        return (self.next() >> 11) / float(2**53)


def batch(g, kind, N, C, labels=None):
    if labels is None:
        labels = [g.next() % C for _ in range(N)]
    z = []
    for i in range(N):
        row = []
        for k in range(C):
            if kind == "ties":
                v = float(int(g.uniform() * 4) - 1)  # values in {-1,0,1,2}: many ties
            elif kind == "extreme":
                v = [-1e3, -50.0, 0.0, 30.0, 50.0, 1e3][g.next() % 6]
            else:
                v = 3 * (2 * g.uniform() - 1) + (2.0 if k == labels[i] else 0.0)
            row.append(f32(v))
        z.append(row)
    if kind == "ties" and N > 2:
        z[1] = list(z[0])  # two identical rows
        labels[1] = labels[0]
    return z, labels


def main():
    g = SplitMix64(20261201)
    base = {"Gamma": 2.0, "ClassWeights": "none", "Beta": 0.9999, "CBFocal": False, "MaxMargin": 0.5,
            "Scale": 1.0, "DRW": 0.8, "Tau": 1.0, "Bins": 10, "Momentum": 0.75}
    variants = [
        ("focal", {}), ("focal", {"Gamma": 0.5}), ("focal", {"Gamma": 1.0, "ClassWeights": "cost"}),
        ("cb", {}), ("cb", {"Beta": 0.99}), ("cb", {"CBFocal": True}), ("cb", {"Beta": 0.0}),
        ("ldam-drw", {}), ("ldam-drw", {"Scale": 30.0}), ("ldam-drw", {"_epoch": 18}),
        ("la", {}), ("la", {"Tau": 2.0}), ("bsm", {}),
        ("ghm", {}), ("ghm", {"Momentum": 0.0}), ("ghm", {"Bins": 30}),
    ]
    count_sets = {"imbalanced": [40, 4, 4, 2, 1], "one-sample": [3, 1, 1, 1, 2]}
    cases = []
    for name, over in variants:
        for kind in ["random", "ties", "extreme"]:
            for cname, counts in count_sets.items():
                if kind == "extreme" and cname == "one-sample":
                    continue
                o = dict(base)
                epoch = over.get("_epoch", 3)
                o.update({k: v for k, v in over.items() if not k.startswith("_")})
                if kind == "extreme" and name in ("focal", "cb") and o["Gamma"] not in (0.0, 1.0, 2.0):
                    continue  # (1-p)^0.5 has no derivative at p = 1 in autograd
                C = len(counts)
                N = 12 if cname == "imbalanced" else 5
                case = {"scheme": name, "zoo": o, "counts": counts, "epoch": epoch, "epochs": 20,
                        "kind": kind + "/" + cname, "steps": []}
                state = [0.0] * o["Bins"]
                nsteps = 2 if name == "ghm" else 1
                for _ in range(nsteps):
                    labels = None
                    if cname == "one-sample":
                        labels = [0, 1, 2, 3, 4]  # every class once in the batch
                    z, y = batch(g, kind, N, C, labels)
                    zt = torch.tensor(z, requires_grad=True)
                    yt = torch.tensor(y)
                    loss = loss_of(case, zt, yt, state)
                    loss.backward()
                    case["steps"].append({"logits": z, "labels": y, "loss": float(loss),
                                          "dlogits": zt.grad.tolist()})
                cases.append(case)
    doc = {"torch_version": torch.__version__, "generator": "zoo_ref.py", "cases": cases}
    with open(sys.argv[1], "w") as f:
        json.dump(doc, f, indent=None, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main()
