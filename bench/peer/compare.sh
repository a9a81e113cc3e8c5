#!/bin/sh
# compare.sh: ghl against PyTorch on the same DCNN, batch sizes and loss, on
# this machine, in one run. It alternates the two programs (ROUNDS rounds, the
# order flipped every round) so slow drifts in machine load hit both alike,
# takes each figure's median over the rounds and prints, as its LAST line:
#
#   train_b256_ratio=… train_full_ratio=… infer_ratio=… peak_fraction=…
#
# train_*_ratio: ghl training samples/s ÷ PyTorch's at batch 256 and at the
# full batch of Set 1 (3904); infer_ratio: the same for inference at the full
# batch; peak_fraction: ghl's full-batch training GFLOP/s ÷ the two-core FMA
# peak measured by `ghl bench --peak` (once per round; the highest counts,
# since load from other programs only ever lowers it).
#
# Usage: bench/peer/compare.sh            (ROUNDS=3 STEPS=20 FULL_STEPS=3)
# Needs Go and Debian's python3-torch (PYTHON=/usr/bin/python3 by default).
# PyTorch's OpenMP threads spin while waiting: on a busy machine its figures
# collapse (10x), so only run this on an otherwise idle machine.
set -eu
cd "$(dirname "$0")/../.."
ROUNDS=${ROUNDS:-3}
STEPS=${STEPS:-20}
FULL_STEPS=${FULL_STEPS:-3}
PY=${PYTHON:-/usr/bin/python3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

# Busy share of all CPUs over one second, from /proc/stat (the load
# average lags by minutes).
cpu() { awk '/^cpu /{print $2+$3+$4+$7+$8, $5+$6}' /proc/stat; }
a=$(cpu); sleep 1; b=$(cpu)
busy=$(echo "$a $b" | awk '{u=$3-$1; i=$4-$2; print (u / (u + i) > 0.25) ? 1 : 0}')
if [ "$busy" = 1 ]; then
	echo "WARNING: the machine is busy; PyTorch's spinning OpenMP threads suffer far more than ghl, so the ratios below overstate ghl's lead" >&2
fi
go build -o "$tmp/ghl" ./cmd/ghl
echo "load average $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs; torch $($PY -c 'import torch; print(torch.__version__)')" >&2

run_ghl() { "$tmp/ghl" bench --batch "$1" --steps "$2" --threads 2 --json >>"$tmp/ghl_$1.jsonl"; }
run_peer() { "$PY" bench/peer/peer.py --batch "$1" --steps "$2" --threads 2 >>"$tmp/peer_$1.jsonl"; }
run_peak() { "$tmp/ghl" bench --batch 1 --steps 1 --peak --json >>"$tmp/peak.jsonl"; }

r=1
while [ "$r" -le "$ROUNDS" ]; do
	echo "round $r of $ROUNDS" >&2
	run_peak
	if [ $((r % 2)) -eq 1 ]; then
		run_peer 256 "$STEPS"; run_ghl 256 "$STEPS"; run_ghl 3904 "$FULL_STEPS"; run_peer 3904 "$FULL_STEPS"
	else
		run_ghl 256 "$STEPS"; run_peer 256 "$STEPS"; run_peer 3904 "$FULL_STEPS"; run_ghl 3904 "$FULL_STEPS"
	fi
	r=$((r + 1))
done

"$PY" - "$tmp" <<'PYEOF'
import json, statistics, sys
d = sys.argv[1]
def med(name, key):
    rows = [json.loads(l) for l in open(f"{d}/{name}.jsonl")]
    return statistics.median(r[key] for r in rows)
peak = max(json.loads(l)["peak_gflops"] for l in open(f"{d}/peak.jsonl"))
g256, p256 = med("ghl_256", "samples_per_sec"), med("peer_256", "samples_per_sec")
gfull, pfull = med("ghl_3904", "samples_per_sec"), med("peer_3904", "samples_per_sec")
gi, pi = med("ghl_3904", "infer_samples_per_sec"), med("peer_3904", "infer_samples_per_sec")
ggf = med("ghl_3904", "gflops")
rss = med("ghl_3904", "peak_rss_bytes")
print(f"{'':24}{'ghl':>12}{'pytorch':>12}{'ratio':>8}")
for name, g, p in [("train batch 256", g256, p256), ("train batch 3904", gfull, pfull), ("infer batch 3904", gi, pi)]:
    print(f"{name + ' samples/s':24}{g:12.0f}{p:12.0f}{g / p:8.2f}")
print(f"ghl full-batch training {ggf:.1f} GFLOP/s of a {peak:.1f} GFLOP/s FMA peak; peak memory {rss / 2**20:.0f} MiB")
print(f"train_b256_ratio={g256 / p256:.2f} train_full_ratio={gfull / pfull:.2f} "
      f"infer_ratio={gi / pi:.2f} peak_fraction={ggf / peak:.3f}")
PYEOF
