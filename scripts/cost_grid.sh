#!/usr/bin/env bash
# Synthesizes every verilated PE configuration with `pesim cost` and writes a Markdown table: area, register-to-
# register delay, leakage and synthesis time. Usage: scripts/cost_grid.sh [PESIM] [TECH] > results/cost/TECH.md
set -euo pipefail
pesim=${1:-./build/pesim}
tech=${2:-ihp_sg13g2}
db=$(mktemp -d)/cost.db
source "$(dirname "$0")/json_field.sh"

echo "# pesim cost over the verilated PE configurations: $tech"
echo
echo "$("$pesim" --version), $(date -u +%Y-%m-%d), $(yosys -V)."
echo "Flow: $("$pesim" cost mac_int --tech "$tech" --db "$db" | sed -n 's/^flow *//p')."
echo "Each PE's top as verilated (fma_fp with APPROX=1 includes its array-edge normalizer; with APPROX=0, its"
echo "acc-format conversions). Delay: ABC's mapped critical path between registers (clock-to-q and setup excluded)."
echo
echo "| PE | parameters | area um2 | cells | flops | delay ns | leakage uW | synthesis s |"
echo "|---|---|---:|---:|---:|---:|---:|---:|"
while read -r kind settings; do
  json=$("$pesim" cost "$kind" --set "$settings" --tech "$tech" --db "$db" --format json)
  printf '| %s | %s | %.1f | %s | %s | %.3f | %.4f | %.2f |\n' "$kind" "$settings" "$(field area_um2 "$json")" \
    "$(field cells "$json")" "$(field flops "$json")" "$(field delay_ns "$json")" "$(field leakage_uw "$json")" \
    "$(field synthesis_s "$json")"
done < <("$pesim" cosim --list-rtl)
