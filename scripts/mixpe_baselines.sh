#!/usr/bin/env bash
# MixPE against its baselines, one PE each: throughput (cycles per MAC on a long reduction, from the PE's timing)
# and IHP SG13G2 cost by synthesis (`pesim cost`), then area x cycles per MAC: the silicon-time one MAC takes.
# Usage: scripts/mixpe_baselines.sh [PESIM] > results/pe/mixpe_baselines.md
set -euo pipefail
pesim=${1:-./build/pesim}
db=$(mktemp -d)/cost.db
source "$(dirname "$0")/json_field.sh"

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

echo "# MixPE and its baselines: cycles, area and area-time per MAC (IHP SG13G2)"
echo
echo "$("$pesim" --version), $(date -u +%Y-%m-%d), $(yosys -V)."
echo "Flow: $("$pesim" cost mac_int --tech ihp_sg13g2 --db "$db" | sed -n 's/^flow *//p')."
echo "Cycles per MAC: initiation interval x operations per MAC / products per operation (MixPE issues one"
echo "dequantization per group of G MACs; bit-serial MixPE takes w cycles per operation; BitFusion's 16 bricks make"
echo "16 / ((a_bits/2)(b_bits/2)) products per cycle). MixPE's dequantization unit, used once per group of G MACs"
echo "and shared in an array, is synthesized on its own ('shared unit'); the per-MAC area-time is given for the PE"
echo "alone (the unit shared by many PEs) and with a unit of its own (no sharing). Energy per MAC needs dynamic"
echo "power from switching activity, not yet in pesim cost."
echo
echo "| PE | parameters | cycles per MAC | PE area um2 | shared unit um2 | area x cycles per MAC, PE alone um2 | ... with its own unit um2 | delay ns | leakage uW |"
echo "|---|---|---:|---:|---:|---:|---:|---:|---:|"
for config in "${configs[@]}"; do
  read -r kind settings <<< "$config"
  json=$("$pesim" cost "$kind" --set "$settings" --tech ihp_sg13g2 --db "$db" --format json)
  cycles=$(field cycles_per_mac "$json")
  area=$(field area_um2 "$json")
  unit=$(field shared_units_area_um2 "$json")
  printf '| %s | %s | %.4f | %.1f | %.1f | %.1f | %.1f | %.3f | %.4f |\n' "$kind" "$settings" "$cycles" "$area" \
    "$unit" "$(awk "BEGIN { print $area * $cycles }")" "$(awk "BEGIN { print ($area + $unit) * $cycles }")" \
    "$(field delay_ns "$json")" "$(field leakage_uw "$json")"
done
