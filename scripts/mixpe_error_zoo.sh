#!/usr/bin/env bash
# MixPE's GEMM error on every linear layer of the zoo (decode, batch 1 and prefill), W4A16 and W4A8, against the
# exact mpGEMM of the same quantized operands and against the dequantize-in-the-loop baseline.
# Usage: scripts/mixpe_error_zoo.sh [PESIM] [SEED] [SAMPLE RxC] > results/error/mixpe_zoo.md
set -euo pipefail
pesim=${1:-./build/pesim}
seed=${2:-1}
sample=${3:-4x32}
source "$(dirname "$0")/json_field.sh"

echo "# MixPE: GEMM error on the zoo's layer shapes"
echo
echo "$("$pesim" --version), seed $seed, $(date -u +%Y-%m-%d). Each row: a ${sample} block of a layer's outputs, each"
echo "a full K chain; activations normal (sd 1) with 1% of channels scaled 20x (LLM-like outliers), weights normal"
echo "(sd 1) quantized to 4-bit unsigned per group of G=128 along K (min-max, fp16 scales). W4A8 activations are int8"
echo "per token (row). Relative errors against the exact mpGEMM of the quantized operands (MPFR): what the PE's"
echo "arithmetic adds; 'vs real' is against the unquantized GEMM (quantization included), as RMS-relative error"
echo "(sqrt(sum err^2 / sum y^2)), which outputs near zero do not dominate. The baseline is"
echo "dequant_fma: w = (q - z) * s rounded to fp16, then an fp16 x fp16 + fp32 FMA per MAC."
echo
echo "| layer | act | MixPE max rel | MixPE mean rel | baseline max rel | baseline mean rel | equal to baseline | MixPE vs real RMS rel | baseline vs real RMS rel |"
echo "|---|---|---:|---:|---:|---:|---:|---:|---:|"
layers() {
  "$pesim" list zoo | awk '/^  [a-z]/ { model = $1; next } /^    / && model != "" { for (i = 1; i <= NF; i += 2) print model, $i }'
}
while read -r model layer; do
  for phase in decode prefill; do
    for act in fp16 int8; do
      json=$("$pesim" error mixpe --set "act=$act" --zoo "$model:$phase:$layer" --sample-outputs "$sample" \
        --dist outliers --seed "$seed" --format json 2>/dev/null) || continue  # e.g. no decode phase for ViT
      printf '| %s:%s:%s | %s | %.3e | %.3e | %.3e | %.3e | %s/%s | %.3e | %.3e |\n' "$model" "$phase" "$layer" "$act" \
        "$(field mixpe_vs_exact_max_rel_error "$json")" "$(field mixpe_vs_exact_mean_rel_error "$json")" \
        "$(field baseline_vs_exact_max_rel_error "$json")" "$(field baseline_vs_exact_mean_rel_error "$json")" \
        "$(field identical_to_baseline "$json")" "$(field outputs "$json")" \
        "$(field mixpe_vs_real_rms_rel_error "$json")" "$(field baseline_vs_real_rms_rel_error "$json")"
    done
  done
done < <(layers)
