#!/usr/bin/env bash
# Checks `ghl export` end to end on real data, with three independent tools:
#   1. the ONNX project's checker (Debian python3-onnx: check_model(full_check=True));
#   2. ONNX Runtime (npm onnxruntime-node, its bundled CPU build) on real CWRU windows;
#   3. a pure-Go ONNX runtime (onnx-gomlx on GoMLX's simplego backend, no cgo).
# Both runtimes must give ghl's logits to 1e-4 relative, with the preprocessing
# in the graph (raw windows in) and without it (ghl's normalised windows in).
#
#   bash export/onnx/check/run.sh WORKDIR DATA [MODEL.ghl]
#
# Without MODEL it trains one first (set1, dcnn, --quick profile, seed 1).
# Needs python3-onnx (apt) and npm; onnxruntime-node is installed into
# WORKDIR with --ignore-scripts (its install script would fetch GPU builds).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
work="$(mkdir -p "$1" && cd "$1" && pwd)"
data="$2"
model="${3:-}"
step() { printf -- '--- %s (%s)\n' "$*" "$(date -u +%H:%M:%S)"; }

cd "$root"
go build -o "$work/ghl" ./cmd/ghl
if [ -z "$model" ]; then
  step "train a model to export (set1, dcnn, --quick profile)"
  model="$work/model.ghl"
  "$work/ghl" train --data "$data" --set set1 --method dcnn --quick --seed 1 --out "$model" >"$work/train.log" 2>&1
fi
fx="$work/fixtures"

step "ghl export, with and without the preprocessing in the graph"
"$work/ghl" export "$model" -o "$fx.with.onnx" --force
"$work/ghl" export "$model" -o "$fx.without.onnx" --with-preprocessing=false --force >/dev/null

step "ghl's logits on real windows (internal/cmd/onnxfixtures)"
go run ./internal/cmd/onnxfixtures -model "$model" -data "$data" -out "$fx"
cp "$fx.with.onnx" "$fx/with-preprocessing.onnx"
cp "$fx.without.onnx" "$fx/without-preprocessing.onnx"

step "ONNX checker (python3-onnx, full check)"
/usr/bin/python3 "$here/check_onnx.py" "$fx/with-preprocessing.onnx" "$fx/without-preprocessing.onnx"

step "ONNX Runtime (npm onnxruntime-node)"
if [ ! -d "$work/node/node_modules/onnxruntime-node" ]; then
  mkdir -p "$work/node"
  (cd "$work/node" && npm install --ignore-scripts --no-audit --no-fund --loglevel=error onnxruntime-node@1.30.0 >/dev/null)
fi
NODE_PATH="$work/node/node_modules" node "$here/ort.js" "$fx" "$fx/with-preprocessing.onnx" "$fx/without-preprocessing.onnx"

step "pure-Go ONNX runtime (onnx-gomlx, simplego backend)"
(cd "$here/gomlx" && GHL_ONNX_FIXTURES="$fx" CGO_ENABLED=0 go test -count=1 -v . 2>&1 | tee "$work/gomlx.log")
grep -q -- '--- PASS: TestExportedGraphsMatchGhl' "$work/gomlx.log"
step "export checks passed"
