#!/usr/bin/env bash
# The analytical engine's speed in layer evaluations per second (Google Benchmark), as a Markdown table.
# Usage: scripts/bench_analytical.sh [BUILD_DIR] > results/bench/analytical_engine.md
set -euo pipefail
build=${1:-./build}
echo "# Analytical engine speed"
echo
echo "$("$build/pesim" --version), $(date -u +%Y-%m-%d), $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'))."
echo "Every linear layer of LLaMA-2-7B (prefill, 2048 tokens) on a 32x32 array; one evaluation = one layer's cycles,"
echo "utilization and SRAM/DRAM traffic. Google Benchmark, 5 repetitions, median. Goal: over 1,000,000 per second."
echo
echo "| benchmark | layer evaluations per second | ns per evaluation |"
echo "|---|---:|---:|"
"$build/tests/bench/bench_analytical" --benchmark_repetitions=5 --benchmark_report_aggregates_only=true \
  --benchmark_format=csv 2>/dev/null | grep '_median' | while IFS=, read -r name iterations real cpu unit bytes items rest; do
  printf '| %s | %.3g | %.1f |\n' "${name//\"/}" "$items" "$(awk -v i="$items" 'BEGIN { print 1e9 / i }')"
done
