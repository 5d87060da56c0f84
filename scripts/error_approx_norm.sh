#!/usr/bin/env bash
# Measures the GEMM error of fma_fp with approximate normalization (window_bits 1, 2, 4, 8, full) against the exact
# result and against exact normalization, for a few shapes, accumulators and operand distributions.
# Usage: scripts/error_approx_norm.sh [PESIM] [SEED] > results/error/fma_fp_approx_norm.md
set -euo pipefail
pesim=${1:-./build/pesim}
seed=${2:-1}
source "$(dirname "$0")/json_field.sh"

echo "# fma_fp: GEMM error of approximate normalization"
echo
echo "$("$pesim" --version), seed $seed, $(date -u +%Y-%m-%d). bf16 operands; each output a chain of K mac steps"
echo "from +0, then the exact edge normalizer. Errors against the exact real result of the same bf16 operands"
echo "(MPFR). 'differs' is the fraction of outputs whose word differs from the exact-normalization PE."
echo "outliers: normal operands with 1% of A's channels (along K) scaled 20x."
echo
echo "| GEMM MxKxN | acc | operands | window_bits | max rel error | mean rel error | max abs error | differs from exact |"
echo "|---|---|---|---|---:|---:|---:|---:|"
for gemm in 64x256x64 32x1024x32 8x4096x8; do
  for acc in fp32 bf16; do
    for dist in normal outliers; do
      for window in exact 8 4 2 1; do
        if [ "$window" = exact ]; then set_args="acc=$acc"; else set_args="acc=$acc,norm=approx,window_bits=$window"; fi
        json=$("$pesim" error fma_fp --set "$set_args" --gemm "$gemm" --dist "$dist" --seed "$seed" --format json)
        differ=$(field fraction_differing_from_exact_normalization "$json")
        [ "$differ" = null ] && differ=- || differ=$(awk -v f="$differ" 'BEGIN { printf "%.2f%%", 100 * f }')
        printf '| %s | %s | %s | %s | %.3e | %.3e | %.3e | %s |\n' "$gemm" "$acc" "$dist" "$window" \
          "$(field max_rel_error "$json")" "$(field mean_rel_error "$json")" "$(field max_abs_error "$json")" "$differ"
      done
    done
  done
done

echo
echo "## LLaMA-2-7B decode layers (batch 8, 8x64 sampled outputs, each a full K chain)"
echo
echo "| layer (K) | acc | window_bits | max rel error | mean rel error | max abs error | differs from exact |"
echo "|---|---|---|---:|---:|---:|---:|"
for layer in q_proj down_proj; do
  for acc in fp32 bf16; do
    for window in exact 8 4 2 1; do
      if [ "$window" = exact ]; then set_args="acc=$acc"; else set_args="acc=$acc,norm=approx,window_bits=$window"; fi
      json=$("$pesim" error fma_fp --set "$set_args" --zoo "llama2-7b:decode:$layer" --batch 8 --seed "$seed" \
        --format json)
      differ=$(field fraction_differing_from_exact_normalization "$json")
      [ "$differ" = null ] && differ=- || differ=$(awk -v f="$differ" 'BEGIN { printf "%.2f%%", 100 * f }')
      printf '| %s (%s) | %s | %s | %.3e | %.3e | %.3e | %s |\n' "$layer" "$(field k "$json")" "$acc" "$window" \
        "$(field max_rel_error "$json")" "$(field mean_rel_error "$json")" "$(field max_abs_error "$json")" "$differ"
    done
  done
done
