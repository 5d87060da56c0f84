#!/usr/bin/env bash
# Runs `pesim cosim-array` on every array the build verilated (rtl/verilated_arrays.txt), several GEMM shapes each,
# and writes a Markdown table: cycles, outputs compared on their edges, value and cycle mismatches.
# Usage: scripts/cosim_arrays.sh [PESIM] [SEED] > results/cosim/arrays.md
set -euo pipefail
pesim=${1:-./build/pesim}
seed=${2:-1}
shapes=(1x1x1 61x150x45 128x256x96 7x1000x3)

source "$(dirname "$0")/json_field.sh"

echo "# pesim cosim-array: the cycle engine against the RTL arrays"
echo
echo "$("$pesim" --version), seed $seed, $(date -u +%Y-%m-%d). GEMMs MxKxN: ${shapes[*]}, operands drawn from a"
echo "normal distribution and quantized for the PE (MixPE: per-token int8 or fp16 activations, per-group min-max"
echo "weights, one DEQUANT operation per group). Every output the engine writes is compared with the RTL's on the same"
echo "clock edge; chain mismatches compare the engine's results with the functional chains of mac() steps."
echo
echo "| architecture | GEMM | ops/output | cycles | folds | outputs compared | value mismatches | cycle mismatches | chain mismatches |"
echo "|---|---|---:|---:|---:|---:|---:|---:|---:|"
status=0
runs=0 outputs=0 mismatches=0 cycles=0
while read -r settings; do
  for shape in "${shapes[@]}"; do
    json=$("$pesim" cosim-array --set "$settings" --gemm "$shape" --seed "$seed" --format json) || status=1
    printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$settings" "$shape" \
      "$(field operations_per_output "$json")" "$(field cycles "$json")" "$(field folds "$json")" \
      "$(field outputs_compared "$json")" "$(field value_mismatches "$json")" "$(field cycle_mismatches "$json")" \
      "$(field chain_mismatches "$json")"
    runs=$((runs + 1)) outputs=$((outputs + $(field outputs_compared "$json")))
    cycles=$((cycles + $(field cycles "$json")))
    mismatches=$((mismatches + $(field value_mismatches "$json") + $(field cycle_mismatches "$json") +
      $(field chain_mismatches "$json")))
  done
done < <("$pesim" cosim-array --list-rtl | tail -n +2 | sed 's/^ *//')
echo
echo "Total: $runs runs, $cycles lockstep cycles, $outputs outputs compared on their edges, $mismatches mismatches."
exit $status
