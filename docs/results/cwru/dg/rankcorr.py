#!/usr/bin/env python3
"""Does the shifted validation predict the cross-load target? (README,
"Holding across operating conditions".)

  python3 docs/results/cwru/dg/rankcorr.py screen DIR1 [DIR2 ...]
      Spearman rank correlation, over the recipes of the given results
      folders (each with summary.json), between a recipe's shifted
      validation macro-F1 (mean of its source cells) and its target macro-F1
      (mean of its target rows). Folders after the first tag their recipes
      with the folder name.
  python3 docs/results/cwru/dg/rankcorr.py seeds DIR [DIR ...]
      For each (source cell, recipe) of the trial files in DIR/trials, the
      Spearman correlation across seeds between the trial's shifted
      validation macro-F1 and its target macro-F1 (and the same for the
      plain validation macro-F1).

Ties get average ranks. Standard library only.
"""
import glob
import json
import os
import sys
from collections import defaultdict


def ranks(v):
    order = sorted(range(len(v)), key=lambda i: v[i])
    r = [0.0] * len(v)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and v[order[j + 1]] == v[order[i]]:
            j += 1
        for k in range(i, j + 1):
            r[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return r


def spearman(x, y):
    rx, ry = ranks(x), ranks(y)
    n = len(x)
    mx, my = sum(rx) / n, sum(ry) / n
    num = sum((a - mx) * (b - my) for a, b in zip(rx, ry))
    den = (sum((a - mx) ** 2 for a in rx) * sum((b - my) ** 2 for b in ry)) ** 0.5
    return num / den if den else float("nan")


def screen(dirs):
    src, tgt = defaultdict(list), defaultdict(list)
    for i, d in enumerate(dirs):
        with open(os.path.join(d, "summary.json")) as f:
            s = json.load(f)
        tag = "" if i == 0 else " [%s]" % os.path.basename(os.path.normpath(d))
        for r in s["rows"]:
            m = r["method"] + tag
            if r.get("trained"):
                tgt[m].append(r["macro_f1_mean"])
            elif r.get("val_shift_macro_f1_mean") is not None:
                src[m].append(r["val_shift_macro_f1_mean"])
    ms = [m for m in src if tgt.get(m)]
    x = [sum(src[m]) / len(src[m]) for m in ms]
    y = [sum(tgt[m]) / len(tgt[m]) for m in ms]
    for m, a, b in sorted(zip(ms, x, y), key=lambda t: -t[1]):
        print("%6.2f  %6.2f  %s" % (a, b, m))
    print("Spearman rho = %.2f over %d recipes (shifted val, target macro-F1)" % (spearman(x, y), len(ms)))


def seeds(dirs):
    d = defaultdict(list)
    for folder in dirs:
        for path in glob.glob(os.path.join(folder, "trials", "*.json")):
            with open(path) as f:
                t = json.load(f)
            if not t.get("val_shift"):
                continue
            for e in t.get("evals", []):
                d[(t["set"], t["method"])].append((t["val_shift"]["macro_f1"], t["val"]["macro_f1"], e["test"]["macro_f1"]))
    for (cell, m), v in sorted(d.items()):
        sh, val, y = zip(*v)
        print("%-10s %-28s n=%2d  rho(shifted val, target) = %5.2f  rho(val, target) = %5.2f" % (cell, m, len(v), spearman(sh, y), spearman(val, y)))


if __name__ == "__main__":
    if len(sys.argv) < 3 or sys.argv[1] not in ("screen", "seeds"):
        sys.exit(__doc__)
    {"screen": screen, "seeds": seeds}[sys.argv[1]](sys.argv[2:])
