#!/bin/bash
# Issue 16's recipe screening (README "Choosing a recipe on the source
# only"), under the shared lock:
#   flock /work/heavy.lock bash docs/results/cwru/dg/screen.sh OUT
# Set 1, cross-load (0 hp and 2 hp sources), 3 seeds. The recipe is chosen
# from the source-only table ("shifted val macro-F1") of each run's
# table.md by the rule declared in README; target rows are only reported.
SEEDS=${SEEDS:-3}
. "$(dirname "$0")/common.sh"
# Method-level candidates in one run (the baselines are run here too, and
# their trials are reused by the 10-seed run of run10.sh).
"$GHL" reproduce --data "$CWRU" --protocol cross-load --sets set1 \
  --methods dcnn,dcnnc,dcnng,dg,dcnnc:stretch=0.05:tilt=6,dcnnc:stretch=0.08:tilt=10,dcnnc:repr=logspectrum:stretch=0.05:tilt=6,dcnnc:stretch=0.08:tilt=10:select=shift \
  --seeds "$SEEDS" --no-fig3 --no-report --workers 2 --out screen
# Data-level candidates (a run-wide flag each): per-recording normalisation
# and 2048-point windows (twice the impacts of an intermittent ball fault).
"$GHL" reproduce --data "$CWRU" --protocol cross-load --sets set1 --norm recording --methods dcnnc \
  --seeds "$SEEDS" --no-fig3 --no-report --workers 2 --out screen-normrec
"$GHL" reproduce --data "$CWRU" --protocol cross-load --sets set1 --window 2048 --methods dcnnc \
  --seeds "$SEEDS" --no-fig3 --no-report --workers 2 --out screen-w2048
echo done
