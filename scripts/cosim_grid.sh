#!/usr/bin/env bash
# Runs `pesim cosim` on every configuration the build verilated (rtl/verilated_configs.txt) and writes a Markdown
# table: cycles, mismatches, and the SystemC model's and the Verilated RTL's speeds (as `pesim cosim` reports them).
# Usage: scripts/cosim_grid.sh [PESIM] [CYCLES] [SEED] > results/cosim/grid.md
set -euo pipefail
pesim=${1:-./build/pesim}
cycles=${2:-1000000}
seed=${3:-1}

source "$(dirname "$0")/json_field.sh"

echo "# pesim cosim over the verilated grid"
echo
echo "$("$pesim" --version), $cycles random cycles per configuration, seed $seed, $(date -u +%Y-%m-%d)."
echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')."
echo "model = the SystemC model's clock-process body, RTL = the Verilated model's inputs, edges and outputs, each alone"
echo "on a replay of the run's first 65,536 cycles (best of 8 rounds); lockstep = the whole run (SystemC kernel,"
echo "stimulus and comparison included). Speeds in cycles per second."
echo
echo "| PE | parameters | cycles | valid outputs | mismatches | model cycles/s | RTL cycles/s | lockstep cycles/s |"
echo "|---|---|---:|---:|---:|---:|---:|---:|"
status=0
while read -r kind settings; do
  json=$("$pesim" cosim "$kind" --set "$settings" --cycles "$cycles" --seed "$seed" --format json --repro-dir /tmp) ||
    status=1
  printf '| %s | %s | %s | %s | %s | %.3g | %.3g | %.3g |\n' "$kind" "$settings" "$(field cycles "$json")" \
    "$(field valid_outputs "$json")" "$(field mismatches "$json")" "$(field model_cycles_per_s "$json")" \
    "$(field rtl_cycles_per_s "$json")" "$(field lockstep_cycles_per_s "$json")"
done < <("$pesim" cosim --list-rtl)
exit $status
