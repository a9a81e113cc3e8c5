#!/bin/bash
# Issue 16's 10-seed measurements (README "Measured at 10 seeds"), under the
# shared lock:
#   flock /work/heavy.lock bash docs/results/cwru/dg/run10.sh OUT
# OUT/xload10 may already hold the 3-seed trials (seeds 0-2) of screen.sh's
# run for the same method settings (trials/*.json copied over): reproduce
# resumes them and runs the rest, so the table is over seeds 0-9 either way.
SEEDS=${SEEDS:-10}
PAPER_SEEDS=${PAPER_SEEDS:-$SEEDS}
. "$(dirname "$0")/common.sh"
t() { local s; s=$(date +%s); "$@"; echo "wall $(( $(date +%s) - s )) s: $*" >&2; }
t "$GHL" reproduce --data "$CWRU" --protocol cross-load --sets set1 --methods dcnn,dcnnc,dcnng,dg \
  --seeds "$SEEDS" --no-fig3 --no-report --workers 2 --out xload10
t "$GHL" reproduce --data "$CWRU" --protocol load0 --methods dcnn,dcnnc,dcnng,dg \
  --seeds "$SEEDS" --no-fig3 --no-report --workers 2 --out load0-10
# The paper's protocol (Sets 1 and 2) with the preset, for "within one
# point of Table III".
t "$GHL" reproduce --data "$CWRU" --methods dg --seeds "$PAPER_SEEDS" --no-fig3 --no-report --workers 2 --out paper-dg
echo done
# README's paper-protocol table (paper-cmp) is 'ghl aggregate DIR --data CWRU
# --methods dcnn,dcnnc,dcnng,dg --seeds 10 --no-fig3 --no-report' over
# paper-dg's trial files together with those of Table III's run (set1__,
# set2__ dcnn/dcnnc/dcnng, seeds 0-9) copied into DIR/trials.
