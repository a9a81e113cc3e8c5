# Sourced by run.sh, screen.sh and run10.sh: reads the results folder from
# the first argument, the ghl binary from $GHL (default: ghl on PATH) and
# the CWRU folder from $CWRU (default ../shared/data/cwru, made absolute),
# then enters the results folder. The caller sets SEEDS' default first.
set -euo pipefail
OUT=${1:?results folder}
GHL=${GHL:-ghl}
CWRU=${CWRU:-../shared/data/cwru}
CWRU=$(cd "$CWRU" && pwd)
mkdir -p "$OUT"
cd "$OUT"
