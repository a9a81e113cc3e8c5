#!/bin/bash
# Cross-load measurement of issue 16 (run under the shared lock:
#   flock /work/heavy.lock bash docs/results/cwru/dg/run.sh /tmp/dg).
# Until the cross-load protocol is on main, the pairs are built from
# folders of symlinks: train with 'ghl reproduce' on one load (NC is 97.mat,
# the only normal recording, at 0 hp, in both sources), keep the models,
# then 'ghl eval --all' every model on every window of the other load's 11
# fault recordings (NC has no other-load recording, so it is not a target
# class: a fault called NC is a missed fault).
set -euo pipefail
OUT=${1:?results folder}
GHL=${GHL:-ghl}
CWRU=${CWRU:-../shared/data/cwru}
SEEDS=${SEEDS:-3}
METHODS=${METHODS:-dcnn,dcnnc,dg,dcnnc:repr=envelope}
ORDER_METHODS=${ORDER_METHODS:-dg}
CWRU=$(cd "$CWRU" && pwd)
mkdir -p "$OUT"
cd "$OUT"
# Folders: hp0 = every class at 0 hp (NC 97.mat); t0/t2 = the 0 hp / 2 hp faults.
link() { mkdir -p "$1/$2"; ln -sf "$CWRU/$3.mat" "$1/$2/$3.mat"; }
for p in OF1:130 OF2:197 OF3:234 RF1:118 RF2:185 RF3:222 RF4:3005 IF1:105 IF2:169 IF3:209 IF4:3001; do
  link hp0 "${p%%:*}" "${p##*:}"; link t0 "${p%%:*}" "${p##*:}"
done
link hp0 NC 97
for p in OF1:132 OF2:199 OF3:236 RF1:120 RF2:187 RF3:224 RF4:3007 IF1:107 IF2:171 IF3:211 IF4:3003; do
  link t2 "${p%%:*}" "${p##*:}"
done
# Shaft speeds for the order domain (CWRU's nominal speeds; the CWRU folder
# itself gets them from the catalog).
echo 1797 > hp0/rpm.txt; echo 1797 > t0/rpm.txt; echo 1750 > t2/rpm.txt

run() { # name data target extra-flags...
  local name=$1 data=$2 target=$3; shift 3
  "$GHL" reproduce --data "$data" --sets set1 --methods "$M" --seeds "$SEEDS" --no-fig3 --no-report --save-models --workers 2 --out "$name" "$@"
  mkdir -p "$name/eval"
  for m in "$name"/models/*.ghl; do
    k=$(basename "$m" .ghl)
    [ -s "$name/eval/$k.json" ] || "$GHL" eval "$m" "$target" --all --json > "$name/eval/$k.json"
  done
}
M=$METHODS run src2 "$CWRU" t0                      # 2 hp → 0 hp
M=$METHODS run src0 hp0 t2                          # 0 hp → 2 hp
M=$ORDER_METHODS run src2-order "$CWRU" t0 --domain order
M=$ORDER_METHODS run src0-order hp0 t2 --domain order
# The paper's protocol, Set 2, for the preset (Set 1 is src2's own test).
"$GHL" reproduce --data "$CWRU" --sets set2 --methods dg --seeds "$SEEDS" --no-fig3 --no-report --workers 2 --out paper-set2
echo done
