#!/usr/bin/env bash
# The MixPE paper's equal-area arrays (pesim list arch) costed as whole arrays (`pesim cost --arch`): PE area from
# synthesis x rows x cols, shared units one per row, array registers, the three SRAMs; how close to equal area.
# Usage: scripts/cost_arrays.sh [PESIM] [TECH] > results/cost/arrays_TECH.md
set -euo pipefail
pesim=${1:-./build/pesim}
tech=${2:-ihp_sg13g2}
db=${COST_DB:-$(mktemp -d)/cost.db}  # COST_DB: reuse a cache
source "$(dirname "$0")/json_field.sh"
presets=(mixpe-w4a8 mixpe-w4a16 fp16 int8 bitfusion)
mm2() { awk -v a="$1" 'BEGIN { printf "%.3f", a / 1e6 }'; }
sram_mm2() { grep -o "\"name\":\"$1\"" >/dev/null <<<"$2"; grep -o "{[^{}]*\"name\":\"$1\"[^{}]*}" <<<"$2" |
  grep -o '"area_um2":[0-9.e+-]*' | cut -d: -f2; }

declare -A json
for p in "${presets[@]}"; do json[$p]=$("$pesim" cost --arch "$p" --tech "$tech" --db "$db" --format json); done
fp16_logic=$(awk -v a="$(field pe_array_um2 "${json[fp16]}")" -v b="$(field shared_units_um2 "${json[fp16]}")" \
  -v c="$(field registers_um2 "${json[fp16]}")" 'BEGIN { print a + b + c }')
fp16_pes=$(field pe_array_um2 "${json[fp16]}")

echo "# The MixPE paper's equal-area arrays, whole-array area ($tech)"
echo
echo "$("$pesim" --version), $(date -u +%Y-%m-%d), $(yosys -V). Made by \`scripts/cost_arrays.sh\`."
echo "Each PE (and MixPE's dequantization unit) synthesized once by \`pesim cost\`; the array is PE x rows x cols"
echo "(never a synthesized flattened array), the dequantization unit one per array row, the array registers (per PE"
echo "a streamed-word and a stationary-word register and a valid bit, plus the edge skew registers) as the"
echo "liberty's smallest flip-flop, and each SRAM at its preset size (both halves of the double buffer: 256 KiB"
echo "ifmap, 128 KiB filter, 128 KiB ofmap) from pesim's SRAM model, fitted to IHP SG13G2's SRAM macros"
echo "(models/cost/README.md). Areas in mm2 (cell area, no placement utilization or wiring overhead)."
echo
echo "| array | PE | rows x cols | PE um2 | PE array | shared units | array registers | ifmap SRAM | filter SRAM | ofmap SRAM | logic (PEs + units + registers) | total | PE array / FP16's | logic / FP16's | leakage uW |"
echo "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for p in "${presets[@]}"; do
  j=${json[$p]}
  pe=$(grep -o '"pe":{[^}]*}' <<<"$j")
  logic=$(awk -v a="$(field pe_array_um2 "$j")" -v b="$(field shared_units_um2 "$j")" -v c="$(field registers_um2 "$j")" \
    'BEGIN { print a + b + c }')
  echo "| $p | $(field kind "$pe") | $(field rows "$j") x $(field cols "$j") | $(printf %.0f "$(field area_um2 "$pe")") \
| $(mm2 "$(field pe_array_um2 "$j")") | $(mm2 "$(field shared_units_um2 "$j")") | $(mm2 "$(field registers_um2 "$j")") \
| $(mm2 "$(sram_mm2 ifmap "$j")") | $(mm2 "$(sram_mm2 filter "$j")") | $(mm2 "$(sram_mm2 ofmap "$j")") | $(mm2 "$logic") \
| $(mm2 "$(field total_um2 "$j")") | $(awk -v a="$(field pe_array_um2 "$j")" -v b="$fp16_pes" 'BEGIN { printf "%.2f", a / b }') \
| $(awk -v a="$logic" -v b="$fp16_logic" 'BEGIN { printf "%.2f", a / b }') | $(printf %.1f "$(field total_leakage_uw "$j")") |"
done
echo
echo "PE parameters: $(for p in "${presets[@]}"; do echo -n "$p: $(grep -o '"params":{[^}]*}' <<<"${json[$p]}" | head -1); "; done)"
