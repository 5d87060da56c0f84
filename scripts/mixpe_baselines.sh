#!/usr/bin/env bash
# MixPE against its baselines, one PE each: throughput (cycles per MAC on a long reduction, from the PE's timing)
# and IHP SG13G2 cost by synthesis (`pesim cost`), then area x cycles per MAC (the silicon-time one MAC takes) and
# dynamic energy per MAC from switching activity.
# Usage: scripts/mixpe_baselines.sh [PESIM] > results/pe/mixpe_baselines.md
set -euo pipefail
pesim=${1:-./build/pesim}
db=${COST_DB:-$(mktemp -d)/cost.db}  # COST_DB: reuse a cache

configs=(
  "mixpe act=int8"
  "mixpe act=int8,w_signed=1"
  "mixpe act=int8,group_size=32"
  "mixpe act=int8,datapath=serial"
  "mixpe act=fp16"
  "mixpe act=fp16,datapath=serial"
  "dequant_fma w_bits=4"
  "mac_int a_bits=8,b_bits=8,acc_bits=32"
  "fma_fp in=fp16,acc=fp32,norm=exact"
  "bitfusion a_bits=8,b_bits=4"
  "bitfusion a_bits=8,b_bits=8"
)

echo "# MixPE and its baselines: cycles, area, area-time and energy per MAC (IHP SG13G2)"
echo
echo "$("$pesim" --version), $(date -u +%Y-%m-%d), $(yosys -V)."
echo "Flow: $("$pesim" cost mac_int --tech ihp_sg13g2 --db "$db" | sed -n 's/^flow *//p')."
echo "Cycles per MAC: initiation interval x operations per MAC / products per operation (MixPE issues one"
echo "dequantization per group of G MACs; bit-serial MixPE takes w cycles per operation; BitFusion's 16 bricks make"
echo "16 / ((a_bits/2)(b_bits/2)) products per cycle). MixPE's dequantization unit, used once per group of G MACs"
echo "and shared in an array, is synthesized on its own ('shared unit'); the per-MAC area-time is given for the PE"
echo "alone (the unit shared by many PEs) and with a unit of its own (no sharing)."
echo "Energy per MAC: dynamic energy from switching activity of each mapped netlist on pesim cost's default stimulus"
echo "(N(0,1) operands quantized to the PE's formats, in the PE's array dataflow), the PE's energy over its stream"
echo "divided by the MACs it carries (MixPE's DEQUANT slots included), plus the shared unit's energy per DEQUANT"
echo "(its own netlist driven by those DEQUANT operations) / G. Leakage is apart (it depends on the clock)."
echo
echo "| PE | parameters | cycles per MAC | PE area um2 | shared unit um2 | area x cycles per MAC, PE alone um2 | ... with its own unit um2 | delay ns | leakage uW | PE pJ/MAC | unit pJ/MAC | pJ/MAC |"
echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for config in "${configs[@]}"; do
  read -r kind settings <<< "$config"
  json=$("$pesim" cost "$kind" --set "$settings" --tech ihp_sg13g2 --db "$db" --format json)
  jq -r --arg kind "$kind" --arg p "$settings" '
    def r(x; n): x * n | round / n;
    (.shared_units_area_um2 // 0) as $unit_area
    | if any(.shared_units[]; .energy_per_op_pj == null) then error("a shared unit has no energy: \(.shared_units)")
      else . end
    | (([.shared_units[] | .energy_per_op_pj] | add // 0) / ((.params.group_size // "1") | tonumber)) as $unit_pj
    | "| \($kind) | \($p) | \(r(.cycles_per_mac; 1e4)) | \(r(.area_um2; 10)) | \(r($unit_area; 10)) | \(r(.area_um2 * .cycles_per_mac; 10)) | \(r((.area_um2 + $unit_area) * .cycles_per_mac; 10)) | \(r(.delay_ns; 1e3)) | \(r(.leakage_uw; 1e4)) | \(r(.energy_per_mac_pj; 1e3)) | \(r($unit_pj; 1e3)) | \(r(.energy_per_mac_pj + $unit_pj; 1e3)) |"' <<<"$json"
done
