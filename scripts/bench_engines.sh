#!/usr/bin/env bash
# Speed of pesim's array engines (Google Benchmark, 5 repetitions, medians) as Markdown:
#   the cycle engine with values, in simulated cycles per second (32x32 weight-stationary arrays, GEMM 256^3);
#   the analytical engine, in layer evaluations per second (LLaMA-2-7B prefill layers, 32x32).
# Usage: scripts/bench_engines.sh [BUILD_DIR] > results/bench/engines.md
set -euo pipefail
build=${1:-./build}
export SC_COPYRIGHT_MESSAGE=DISABLE
medians() {  # BENCHMARK_BINARY COUNTER: "name value" per benchmark
  "$1" --benchmark_repetitions=5 --benchmark_report_aggregates_only=true --benchmark_format=json 2>/dev/null |
    awk -v counter="\"$2\"" '
      /"name":/ { name = $2; gsub(/[",]/, "", name) }
      $1 == counter":" && name ~ /_median$/ { v = $2; gsub(/,/, "", v); sub(/_median$/, "", name); print name, v }'
}
echo "# Engine speed"
echo
echo "$("$build/pesim" --version), $(date -u +%Y-%m-%d), $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'))."
echo "Google Benchmark, 5 repetitions, medians; the machine is shared, so compare within a run."
echo
echo "## Cycle engine, values computed (SCALE-Sim v2: ~9,000 cycles/s, no values)"
echo
echo "| array | simulated cycles per second | x SCALE-Sim | MACs per second |"
echo "|---|---:|---:|---:|"
paste -d' ' <(medians "$build/tests/bench/bench_cycle" cycles_per_s) <(medians "$build/tests/bench/bench_cycle" macs_per_s) |
  while read -r name cycles _ macs; do
    printf '| %s | %.3g | %.0f | %.3g |\n' "${name#BM_}" "$cycles" "$(awk -v c="$cycles" 'BEGIN { print c / 9000 }')" "$macs"
  done
echo
echo "## Analytical engine (goal: over 1,000,000 layer evaluations per second)"
echo
echo "| benchmark | layer evaluations per second |"
echo "|---|---:|"
medians "$build/tests/bench/bench_analytical" items_per_second | while read -r name items; do
  printf '| %s | %.3g |\n' "${name#BM_}" "$items"
done
