#!/usr/bin/env bash
# Synthesizes every verilated PE configuration with `pesim cost` in a CMOS technology and writes a Markdown table:
# area, register-to-register delay, leakage, dynamic power and energy from switching activity on the PE's own
# operand stream, and synthesis time; shared units (MixPE's dequantization unit) on their own rows.
# Usage: [COST_DB=FILE] scripts/cost_grid.sh [PESIM] [TECH] > results/cost/TECH.md (COST_DB: a cache to reuse, else a new
# one, so that every synthesis time is a real run).
set -euo pipefail
pesim=${1:-./build/pesim}
tech=${2:-ihp_sg13g2}
db=${COST_DB:-$(mktemp -d)/cost.db}  # COST_DB: reuse a cache
first=$("$pesim" cost mac_int --tech "$tech" --db "$db" --format json)

echo "# pesim cost over the verilated PE configurations: $tech"
echo
echo "$("$pesim" --version), $(date -u +%Y-%m-%d), $(yosys -V)."
echo
echo "Flow: $(jq -r .flow <<<"$first")."
echo "Each PE's top as verilated (fma_fp with APPROX=1 includes its array-edge normalizer; with APPROX=0, its"
echo "acc-format conversions; MixPE without its shared dequantization unit, which has its own row). Delay: ABC's mapped"
echo "critical path between registers (clock-to-q and setup excluded). Dynamic power: $(jq -r .dynamic_power_model <<<"$first"),"
echo "at the maximum clock, over $(jq -r .operations <<<"$first") operations of pesim cost's default stimulus (the"
echo "PE's dataflow in an array, N(0,1) operands quantized to its formats; the dataflow column). Energy per operation"
echo "and per MAC (a multi-lane PE's operation carries several MACs; MixPE's DEQUANT none). Check: the netlist's"
echo "outputs against the functional core's, mismatches / outputs compared (- when the netlist leaves out a shared"
echo "unit the core includes). Synthesis s: Yosys's wall time when the design was synthesized (kept with a cached result)."
echo
echo "| PE | parameters | area um2 | cells | flops | delay ns | max clock MHz | leakage uW | dynamic uW | pJ/op | pJ/MAC | check | dataflow | synthesis s |"
echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---:|"
r() { echo "(. * $1 | round / $1)"; }
row="\"| \(.pe) | \(\$p) | \(.area_um2 | $(r 10)) | \(.cells) | \(.flops) | \(.delay_ns | $(r 1000)) | \(.max_clock_mhz | $(r 10)) | \(.leakage_uw | $(r 10000)) | \(.dynamic_power_max_clock_uw | $(r 10)) | \(.energy_per_op_pj | $(r 10000)) | \(.energy_per_mac_pj | $(r 10000)) | \(if .netlist_checked_outputs > 0 then \"\(.netlist_mismatches) / \(.netlist_checked_outputs)\" else \"-\" end) | \(.dataflow | split(\",\")[0]) | \(.synthesis_s | $(r 100)) |\""
unit="\"| \(\$pe).\(.name) | \(\$p) (shared unit) | \(.area_um2 | $(r 10)) | \(.cells) | \(.flops) | \(.delay_ns | $(r 1000)) | \(1000 / .delay_ns | $(r 10)) | \(.leakage_uw | $(r 10000)) | - | \(if .energy_per_op_pj then .energy_per_op_pj | $(r 10000) else \"-\" end) | - | \(if .netlist_checked_outputs then \"\(.netlist_mismatches) / \(.netlist_checked_outputs)\" else \"-\" end) | its DEQUANT operations | - |\""
while read -r kind settings; do
  json=$("$pesim" cost "$kind" --set "$settings" --tech "$tech" --db "$db" --format json)
  jq -r --arg p "$settings" "$row" <<<"$json"
  jq -r --arg p "$settings" --arg pe "$kind" ".shared_units[] | $unit" <<<"$json"
done < <("$pesim" cosim --list-rtl)
