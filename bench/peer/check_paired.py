#!/usr/bin/env python3
"""Check every paired comparison of ghl summary.json files independently of
the Go code: the per-seed differences in correctly classified test windows
are rebuilt from the rows' stored accuracies (accuracy·windows/100, which
must be whole), ranked with average ranks for ties after dropping zeros,
and the two-sided p-value is found by enumerating every sign pattern with
exact fractions (up to 22 non-zero pairs; larger cases are skipped and
reported). Holm's adjustment over the summary's comparisons is recomputed
too. Standard library only:

    python3 bench/peer/check_paired.py docs/results/cwru/*/summary.json

Exit status 1 when any p_value or p_holm differs by more than 1e-9.
"""
import json
import sys
from fractions import Fraction

MAX_ENUM = 22


def exact_p(d):
    nz = [x for x in d if x != 0]
    n = len(nz)
    if n == 0:
        return Fraction(1)
    mags = [abs(x) for x in nz]
    ranks = []
    for m in mags:
        less = sum(1 for o in mags if o < m)
        eq = sum(1 for o in mags if o == m)
        ranks.append(Fraction(2 * less + eq + 1, 2))
    w = sum(r for r, x in zip(ranks, nz) if x > 0)
    lo = hi = 0
    for mask in range(1 << n):
        s = sum(ranks[i] for i in range(n) if mask >> i & 1)
        lo += s <= w
        hi += s >= w
    return min(Fraction(1), 2 * Fraction(min(lo, hi), 1 << n))


def holm(ps):
    m = len(ps)
    order = sorted(range(m), key=lambda i: ps[i])
    out, run = [0.0] * m, 0.0
    for k, i in enumerate(order):
        run = max(run, min(1.0, (m - k) * ps[i]))
        out[i] = run
    return out


def main(paths):
    bad = 0
    for path in paths:
        s = json.load(open(path))
        rows = {(r["set"], r["method"]): r for r in s["rows"]}
        mine = []
        for p in s.get("paired") or []:
            a, b = rows[(p["set"], p["a"])], rows[(p["set"], p["b"])]
            n = p.get("test_windows") or a.get("test_windows")
            if not n:
                bad += 1
                print(f"BAD {path}: {p['a']} − {p['b']}: no test_windows (rerun or go run ./internal/cmd/recompute)")
                mine.append(p["p_value"])
                continue

            def counts(r):
                out = {}
                for seed, acc in zip(r["seeds"], r["accuracies"]):
                    k = acc * n / 100
                    assert abs(k - round(k)) < 1e-6, (path, r["method"], seed, acc)
                    out[seed] = round(k)
                return out
            ca, cb = counts(a), counts(b)
            d = [ca[s] - cb[s] for s in a["seeds"] if s in cb]
            if sum(1 for x in d if x) > MAX_ENUM:
                print(f"{path}: {p['a']} − {p['b']}: {len(d)} pairs, not enumerated")
                mine.append(p["p_value"])
                continue
            q = float(exact_p(d))
            mine.append(q)
            ok = abs(q - p["p_value"]) <= 1e-9
            bad += not ok
            print(f"{'ok ' if ok else 'BAD'} {path}: {p['set']} {p['a']} − {p['b']}: d={d} p={q:.6f} (summary {p['p_value']:.6f})")
        for p, h in zip(s.get("paired") or [], holm(mine)):
            if abs(h - p.get("p_holm", -1)) > 1e-9:
                bad += 1
                print(f"BAD {path}: {p['a']} − {p['b']}: p_holm {p.get('p_holm')} want {h}")
    if bad:
        print(f"{bad} mismatches")
        sys.exit(1)


if __name__ == "__main__":
    main(sys.argv[1:])
