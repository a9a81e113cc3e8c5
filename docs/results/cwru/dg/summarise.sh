#!/bin/bash
# Summarise run.sh's results folder: per direction and method, the source
# validation macro-F1 (what choices are made on), the source test accuracy,
# and the target accuracy, macro-F1 and missed-fault rate (mean ± sample std
# over seeds, each from 'ghl eval --all' of the trial's saved model).
set -euo pipefail
cd "${1:?results folder}"
printf '| pair | method | seeds | source val macro-F1 %% | source test acc %% | target acc %% | target macro-F1 %% | target missed faults %% | worst-seed missed %% |\n|---|---|---|---|---|---|---|---|---|\n'
for d in src2 src0 src2-order src0-order; do
  [ -d "$d/eval" ] || continue
  case $d in src2*) pair="2→0 hp";; *) pair="0→2 hp";; esac
  case $d in *order) pair="$pair (order)";; esac
  for t in "$d"/trials/*.json; do jq -r '.method' "$t"; done | sort -u | while read -r m; do
    jq -s --arg m "$m" --arg pair "$pair" --slurpfile ev <(for t in "$d"/trials/*.json; do
        k=$(basename "$t" .json); [ "$(jq -r .method "$t")" = "$m" ] && cat "$d/eval/$k.json"; done) '
      def ms(f): (map(f) | add / length) as $m | (if length > 1 then (map((f - $m) * (f - $m)) | add / (length - 1) | sqrt) else 0 end) as $s | "\($m * 100 | . * 100 | round / 100) ± \($s * 100 | . * 100 | round / 100)";
      [.[] | select(.method == $m)] as $tr |
      "| \($pair) | \($m) | \($tr | length) | \($tr | map(.val.macro_f1) | add / length * 10000 | round / 100) | \($tr | ms(.test.accuracy)) | \($ev | ms(.metrics.accuracy)) | \($ev | ms(.metrics.macro_f1)) | \($ev | ms(.metrics.missed_fault_rate)) | \($ev | map(.metrics.missed_fault_rate) | max * 10000 | round / 100) |"
    ' "$d"/trials/*.json
  done
done
