#!/usr/bin/env bash
# FPGA resources of the verilated PE configurations with `pesim cost --tech xilinx|ice40`: LUTs, flip-flops, carry
# cells, DSP blocks, block RAMs, and each shared unit (MixPE's dequantization unit) on its own line. Default kinds:
# the integer, fixed-point (k-hot multiplier-free included), MixPE and BitFusion PEs.
# Usage: scripts/cost_fpga.sh [PESIM] [TECH] [KIND...] > results/cost/TECH.md
set -euo pipefail
pesim=${1:-./build/pesim}
tech=${2:-xilinx}
shift $(($# < 2 ? $# : 2))
kinds=${*:-mac_int mac_fixed mixpe bitfusion}
db=${COST_DB:-$(mktemp -d)/cost.db}  # COST_DB: reuse a cache

echo "# pesim cost on FPGA primitives: $tech"
echo
echo "$("$pesim" --version), $(date -u +%Y-%m-%d), $(yosys -V)."
echo "Flow: $("$pesim" cost mac_int --tech "$tech" --db "$db" | sed -n 's/^flow *//p')."
echo "Each PE's top as verilated, every configuration of: $kinds. Cell area, leakage and delay do not apply (FPGA"
echo "primitives; Yosys has no FPGA timing model). LUTRAM: LUTs used as shift registers or memory; MUXF: wide-function"
echo "multiplexers. A shared unit is costed once per array row, not per PE (see \`pesim cost mixpe\`)."
echo
echo "| PE | parameters | LUT | FF | carry | DSP | BRAM | LUTRAM | MUXF | cycles/MAC | synthesis s |"
echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
row='"| \(.pe) | \($p) | \(.lut) | \(.ff) | \(.carry) | \(.dsp) | \(.bram) | \(.lutram) | \(.muxf) | \(.cycles_per_mac) | \(.synthesis_s * 100 | round / 100) |"'
unit='.shared_units[] | "| \($pe).\(.name) | \($p) (shared unit) | \(.lut) | \(.ff) | \(.carry) | \(.dsp) | \(.bram) | \(.lutram) | \(.muxf) | - | - |"'
while read -r kind settings; do
  [[ " $kinds " == *" $kind "* ]] || continue
  json=$("$pesim" cost "$kind" --set "$settings" --tech "$tech" --db "$db" --format json)
  jq -r --arg p "$settings" "$row" <<<"$json"
  jq -r --arg p "$settings" --arg pe "$kind" "$unit" <<<"$json"
done < <("$pesim" cosim --list-rtl)
