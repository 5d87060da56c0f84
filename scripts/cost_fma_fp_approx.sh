#!/usr/bin/env bash
# fma_fp with approximate normalization against exact normalization: area, leakage, energy, power and delay of the PE alone
# (the approximate PEs without their array-edge normalizer, which an array has once per column), per window.
# Usage: scripts/cost_fma_fp_approx.sh [PESIM] [TECH] > results/cost/fma_fp_approx_norm_TECH.md
set -euo pipefail
pesim=${1:-./build/pesim}
tech=${2:-ihp_sg13g2}
db=${COST_DB:-$(mktemp -d)/cost.db}  # COST_DB: reuse a cache
clock_mhz=50  # one clock for every row: each reaches it (the slowest bf16 PEs on IHP reach about 70 MHz)

echo "# fma_fp: approximate vs exact normalization, cost of the PE alone ($tech)"
echo
echo "$("$pesim" --version), $(date -u +%Y-%m-%d), $(yosys -V). bf16 inputs."
echo "Published (../shared/papers.md, section 2): ~16% less area and ~13% less power on average for bf16 PEs."
echo "Power: dynamic power from switching activity of each mapped netlist on pesim cost's default stimulus (the same"
echo "operand stream for every row), at one clock of ${clock_mhz} MHz, plus leakage; zero-delay simulation (no glitches)."
echo
echo "| acc | norm | window_bits | area um2 | area vs exact | leakage uW | leakage vs exact | pJ/op | energy vs exact | power uW | power vs exact | delay ns |"
echo "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
cost_of() { "$pesim" cost fma_fp --set "$1" --tech "$tech" --db "$db" --clock-mhz "$clock_mhz" --format json; }
for acc in fp32 bf16; do
  exact=$(cost_of "acc=$acc")
  for window in exact full 8 4 2 1; do
    if [ "$window" = exact ]; then json=$exact; norm=exact; shown=-; else
      json=$(cost_of "acc=$acc,norm=approx,window_bits=$window")
      norm=approx; shown=$window
    fi
    jq -n -r --argjson e "$exact" --argjson j "$json" --arg acc "$acc" --arg norm "$norm" --arg w "$shown" '
      def pct(a; b): (100 * (a / b - 1) * 10 | round / 10 | tostring | if startswith("-") then . else "+" + . end) + "%";
      def power(x): x.dynamic_power_uw + x.leakage_uw;
      "| \($acc) | \($norm) | \($w) | \($j.area_um2 * 10 | round / 10) | \(pct($j.area_um2; $e.area_um2)) | \($j.leakage_uw * 1e4 | round / 1e4) | \(pct($j.leakage_uw; $e.leakage_uw)) | \($j.energy_per_op_pj * 1e4 | round / 1e4) | \(pct($j.energy_per_op_pj; $e.energy_per_op_pj)) | \(power($j) * 10 | round / 10) | \(pct(power($j); power($e))) | \($j.delay_ns * 1e3 | round / 1e3) |"'
  done
done
