#!/bin/bash
# Cross-load measurement of issue 16, under the shared lock:
#   flock /work/heavy.lock bash docs/results/cwru/dg/run.sh OUT
# Set 1 counts at each load the folder holds (0 and 2 hp), each model tested
# on its own load's test windows and on every window of the other load
# (NC 97.mat exists only at 0 hp: absent from the 0 hp targets' rows).
SEEDS=${SEEDS:-3}
. "$(dirname "$0")/common.sh"
"$GHL" reproduce --data "$CWRU" --protocol cross-load --sets set1 --methods dcnn,dcnnc,dg,dcnnc:repr=envelope \
  --seeds "$SEEDS" --no-fig3 --workers 2 --out xload
"$GHL" reproduce --data "$CWRU" --protocol cross-load --sets set1 --methods dg --domain order \
  --seeds "$SEEDS" --no-fig3 --no-report --workers 2 --out xload-order
# The paper's protocol, Set 2, for the preset (its Set 1 is in xload's 2hp row).
"$GHL" reproduce --data "$CWRU" --sets set2 --methods dg --seeds "$SEEDS" --no-fig3 --no-report --workers 2 --out paper-set2
echo done
