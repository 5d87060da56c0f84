#!/usr/bin/env bash
# LLM layers end to end on the MixPE paper's equal-area arrays (analytical engine, pesim's conventions): run time
# normalized to the FP16 array, beside the MixPE authors' published ratios (../shared/papers.md, section 1).
# Usage: scripts/sim_equal_area.sh [PESIM] [BATCH] [SEQ] > results/sim/equal_area.md
set -euo pipefail
pesim=${1:-./build/pesim}
batch=${2:-64}
seq=${3:-512}
source "$(dirname "$0")/json_field.sh"

echo "# Equal-area arrays: run time normalized to FP16"
echo
echo "$("$pesim" --version), $(date -u +%Y-%m-%d). Analytical engine, pesim's conventions, presets of \`pesim list arch\`"
echo "(500 MHz, 256/128/128 KiB SRAMs, 128 bytes/cycle DRAM). Decode: batch $batch, one token; prefill: batch 1,"
echo "$seq tokens. Every linear layer of every block; attention's activation-by-activation matmuls are not counted."
echo "Published: the MixPE paper's relative run times on OPT-6.7B / LLaMA-2-13B (FP16 = 1.00)."
echo
echo "| model | phase | arch | cycles | stall cycles | utilization | time vs FP16 | published |"
echo "|---|---|---|---:|---:|---:|---:|---:|"
declare -A published=([mixpe-w4a8]=0.10 [mixpe-w4a16]=0.19 [int8]=0.86 [bitfusion]=0.68 [fp16]=1.00)
for model in opt-6.7b llama2-13b llama2-7b; do
  for phase in decode prefill; do
    if [ "$phase" = decode ]; then args=(--batch "$batch"); else args=(--batch 1 --seq "$seq"); fi
    fp16=$(field total_cycles "$("$pesim" sim --arch fp16 --workload "$model:$phase" "${args[@]}" --format json)")
    for arch in fp16 int8 bitfusion mixpe-w4a16 mixpe-w4a8; do
      json=$("$pesim" sim --arch "$arch" --workload "$model:$phase" "${args[@]}" --format json)
      total=$(field total_cycles "$json")
      printf '| %s | %s | %s | %s | %s | %.1f%% | %.2f | %s |\n' "$model" "$phase" "$arch" "$total" \
        "$(field stall_cycles "$json")" "$(awk -v u="$(field utilization "$json")" 'BEGIN { print 100 * u }')" \
        "$(awk -v t="$total" -v f="$fp16" 'BEGIN { print t / f }')" "${published[$arch]}"
    done
  done
done
