#!/usr/bin/env bash
# The single-PE SystemC model's speed against its Verilated RTL, as `pesim cosim` reports them (each side alone over
# a replay of the run's first 65,536 cycles, best of 8 alternating rounds), for every configuration the build
# verilated: the median of 3 runs of `pesim cosim KIND --set S --cycles 300000 --seed 1`. Markdown on stdout.
# Usage: scripts/bench_cosim_model_speed.sh [BUILD_DIR]   (a Release build; default: build)
set -euo pipefail
build=${1:-build}
pesim="$build/pesim"
median() { sort -g | sed -n 2p; }
echo "# Single-PE model speed vs. Verilated RTL (\`pesim cosim\`)"
echo
echo "$(date -u +%F), $("$pesim" --version 2>/dev/null | head -1), $(nproc) cores. Each row: median of 3 runs of"
echo "\`pesim cosim KIND --set S --cycles 300000 --seed 1\` (0 mismatches required); model = the SystemC model's"
echo "clock-process body (PePipeline: the kind's fast kernel where it has one), RTL = inputs + both clock edges of the"
echo "Verilated model; each alone, best of 8 alternating rounds of 65,536 replayed cycles."
echo
echo "| kind | settings | model cycles/s | RTL cycles/s | model / RTL |"
echo "|---|---|---:|---:|---:|"
while read -r kind settings; do
  runs=()
  for _ in 1 2 3; do
    json=$("$pesim" cosim "$kind" --set "$settings" --cycles 300000 --seed 1 --format json --repro-dir /tmp)
    mismatches=$(jq -r .mismatches <<<"$json")
    [[ $mismatches == 0 ]] || { echo "$kind $settings: $mismatches mismatches" >&2; exit 1; }
    runs+=("$(jq -r '[.model_cycles_per_s, .rtl_cycles_per_s, .model_cycles_per_s / .rtl_cycles_per_s] | @tsv' <<<"$json")")
  done
  model=$(printf '%s\n' "${runs[@]}" | cut -f1 | median)
  rtl=$(printf '%s\n' "${runs[@]}" | cut -f2 | median)
  ratio=$(printf '%s\n' "${runs[@]}" | cut -f3 | median)
  printf '| %s | %s | %.3g | %.3g | %.2f |\n' "$kind" "$settings" "$model" "$rtl" "$ratio"
done < <("$pesim" cosim --list-rtl)
