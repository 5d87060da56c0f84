#!/usr/bin/env bash
# fma_fp with approximate normalization against exact normalization: area, leakage and delay of the PE alone
# (the approximate PEs without their array-edge normalizer, which an array has once per column), per window.
# Usage: scripts/cost_fma_fp_approx.sh [PESIM] [TECH] > results/cost/fma_fp_approx_norm_TECH.md
set -euo pipefail
pesim=${1:-./build/pesim}
tech=${2:-ihp_sg13g2}
db=$(mktemp -d)/cost.db
source "$(dirname "$0")/json_field.sh"

echo "# fma_fp: approximate vs exact normalization, cost of the PE alone ($tech)"
echo
echo "$("$pesim" --version), $(date -u +%Y-%m-%d), $(yosys -V). bf16 inputs."
echo "Published (../shared/papers.md, section 2): ~16% less area and ~13% less power on average for bf16 PEs."
echo "Power here is leakage only (pesim does not model switching activity yet)."
echo
echo "| acc | norm | window_bits | area um2 | area vs exact | leakage uW | leakage vs exact | delay ns |"
echo "|---|---|---|---:|---:|---:|---:|---:|"
for acc in fp32 bf16; do
  exact=$("$pesim" cost fma_fp --set "acc=$acc" --tech "$tech" --db "$db" --format json)
  exact_area=$(field area_um2 "$exact")
  exact_leak=$(field leakage_uw "$exact")
  for window in exact full 8 4 2 1; do
    if [ "$window" = exact ]; then json=$exact; norm=exact; shown=-; else
      json=$("$pesim" cost fma_fp --set "acc=$acc,norm=approx,window_bits=$window" --tech "$tech" --db "$db" \
        --format json)
      norm=approx; shown=$window
    fi
    area=$(field area_um2 "$json")
    leak=$(field leakage_uw "$json")
    awk -v acc="$acc" -v norm="$norm" -v w="$shown" -v a="$area" -v ea="$exact_area" -v l="$leak" \
      -v el="$exact_leak" -v d="$(field delay_ns "$json")" \
      'BEGIN { printf "| %s | %s | %s | %.1f | %+.1f%% | %.4f | %+.1f%% | %.3f |\n", acc, norm, w, a,
               100 * (a / ea - 1), l, 100 * (l / el - 1), d }'
  done
done
