#!/usr/bin/env bash
# The linear layers of LLM blocks, end to end on the MixPE paper's equal-area arrays (analytical engine, pesim's
# conventions, energy from the cost flow on a CMOS technology): run time and energy normalized to the FP16 array,
# beside the MixPE authors' published ratios (../shared/papers.md, section 1: times for OPT-6.7B / LLaMA-2-13B,
# energy for OPT-6.7B). Needs jq (scripts/install_deps.sh). The first run synthesizes each PE (cached in COST_DB).
# Usage: scripts/sim_equal_area_energy.sh [PESIM] [TECH] [COST_DB] > results/sim/equal_area_energy.md
set -euo pipefail
pesim=${1:-./build/pesim}
tech=${2:-ihp_sg13g2}
cost_db=${3:-pesim_cost.db}
batch=64
seq=512
linear='["q_proj","k_proj","v_proj","o_proj","gate_proj","up_proj","down_proj","fc1","fc2"]'
archs=(fp16 int8 bitfusion mixpe-w4a16 mixpe-w4a8)
declare -A published_time=([mixpe-w4a8]=0.10 [mixpe-w4a16]=0.19 [int8]=0.86 [bitfusion]=0.68 [fp16]=1.00)
declare -A published_energy=([mixpe-w4a8]=0.14 [mixpe-w4a16]=0.22 [int8]=0.49 [bitfusion]=0.43 [fp16]=1.00)

# Sums over the linear layers (repeats included) of a run's JSON: "cycles energy_pj macs".
linear_sums() {
  jq -r --argjson names "$linear" '[.layers[] | select(.name as $n | $names | index($n))] |
    "\(map(.repeat * .total_cycles) | add) \(map(.repeat * .energy.total_pj) | add) \(map(.repeat * .m * .n * .k) | add)"'
}

echo "# Equal-area arrays: time and energy of the linear layers, normalized to FP16"
echo
echo "$("$pesim" --version), $(date -u +%Y-%m-%d). Analytical engine, pesim's conventions, presets of \`pesim list arch\`"
echo "(500 MHz, 256/128/128 KiB SRAMs, 128 bytes/cycle DRAM), energy on $tech (\`pesim sim --tech\`: PE energy per"
echo "operation from switching activity on its mapped netlist, MixPE's dequantization unit one per row from the"
echo "constant-activity fallback, SRAM model, interconnect, DRAM at 20.3 pJ/bit, leakage). Decode: batch $batch, one"
echo "token, KV cache $seq; prefill: batch 1, $seq tokens. Sums over the linear layers (q/k/v/o and the FFN) of every"
echo "block; the attention matmuls and the vector-unit ops are left out, as in the published comparison."
echo
echo "| model | phase | arch | cycles | energy (mJ) | pJ/MAC | time vs FP16 | published | energy vs FP16 | published (OPT-6.7B) |"
echo "|---|---|---|---:|---:|---:|---:|---:|---:|---:|"
for model in llama2-7b opt-6.7b; do
  for phase in decode prefill; do
    if [ "$phase" = decode ]; then args=(--batch "$batch" --seq "$seq"); else args=(--batch 1 --seq "$seq"); fi
    read -r fp16_cycles fp16_energy _ < <("$pesim" sim --arch fp16 --workload "$model:$phase" "${args[@]}" \
      --tech "$tech" --cost-db "$cost_db" --format json | linear_sums)
    for arch in "${archs[@]}"; do
      read -r cycles energy macs < <("$pesim" sim --arch "$arch" --workload "$model:$phase" "${args[@]}" \
        --tech "$tech" --cost-db "$cost_db" --format json | linear_sums)
      awk -v m="$model" -v p="$phase" -v a="$arch" -v c="$cycles" -v e="$energy" -v n="$macs" -v fc="$fp16_cycles" \
        -v fe="$fp16_energy" -v pt="${published_time[$arch]}" -v pe="${published_energy[$arch]}" \
        'BEGIN { printf "| %s | %s | %s | %.0f | %.1f | %.2f | %.2f | %s | %.2f | %s |\n", m, p, a, c, e * 1e-9, e / n,
                 c / fc, pt, e / fe, pe }'
    done
  done
done
