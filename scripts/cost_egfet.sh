#!/usr/bin/env bash
# The printed EGFET technology: pesim's cell table and power model against the 12 published printed MLPs (Design
# Compiler area, PrimeTime power), then every verilated PE configuration synthesized onto EGFET with the flow's
# calibration against Design Compiler. Usage: scripts/cost_egfet.sh [PESIM] > results/cost/egfet.md
set -euo pipefail
pesim=${1:-./build/pesim}
db=${COST_DB:-$(mktemp -d)/cost.db}  # COST_DB: reuse a cache
first=$("$pesim" cost mac_int --tech egfet --db "$db" --format json)

echo "# pesim cost on printed EGFET"
echo
echo "$("$pesim" --version), $(date -u +%Y-%m-%d), $(yosys -V)."
echo
echo "## Calibration: the published designs re-costed from their gate counts"
echo
echo "ESL'24 printed MLPs (models/cost/tech/egfet/egfet_design_reports.json): gate counts per cell type re-costed"
echo "with pesim's cell table (models/cost/tech/egfet/egfet_cells.lib) against Design Compiler's area, and pesim's"
echo "power model, $(jq -r .power_model <<<"$first"), against PrimeTime PX's total at 5 Hz (reported in W; the"
echo "published reports.txt figures, last column, are a tenth of it)."
echo
"$pesim" cost --calibration --tech egfet
echo
echo "## The verilated PE configurations on EGFET"
echo
echo "Flow: $(jq -r .flow <<<"$first")."
echo "Calibration of this flow: area = $(jq -r .calibration_area_ratio <<<"$first") +- \
$(jq -r .calibration_area_ratio_sd <<<"$first") x $(jq -r .calibration_reference <<<"$first")"
echo "(models/cost/tech/egfet/yosys_vs_dc.csv); the DC column divides by that factor. Delay: ABC's mapped critical path"
echo "with load-independent in-context stage delays. Power: $(jq -r .power_model <<<"$first")."
echo
echo "| PE | parameters | area cm2 | ~DC area cm2 | cells | flops | delay ms | max clock Hz | power mW | synthesis s |"
echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"
row='"| \(.pe) | \($p) | \(.area_cm2 * 1e4 | round / 1e4) | \(.area_cm2 / .calibration_area_ratio * 1e4 | round / 1e4) | \(.cells) | \(.flops) | \(.delay_ms * 10 | round / 10) | \(.max_clock_hz * 10 | round / 10) | \(.power_mw * 1e3 | round / 1e3) | \(.synthesis_s * 100 | round / 100) |"'
unit='.shared_units[] | "| \($pe).\(.name) | \($p) (shared unit) | \(.area_cm2 * 1e4 | round / 1e4) | - | \(.cells) | \(.flops) | \(.delay_ms * 10 | round / 10) | - | \(.power_mw * 1e3 | round / 1e3) | - |"'
while read -r kind settings; do
  json=$("$pesim" cost "$kind" --set "$settings" --tech egfet --db "$db" --format json)
  jq -r --arg p "$settings" "$row" <<<"$json"
  jq -r --arg p "$settings" --arg pe "$kind" "$unit" <<<"$json"
done < <("$pesim" cosim --list-rtl)
