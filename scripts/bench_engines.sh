#!/usr/bin/env bash
# Speed of pesim's array engines (Google Benchmark, 5 repetitions, medians) as Markdown:
#   the cycle engine with values, in simulated cycles per second (32x32 weight-stationary arrays, GEMM 256^3);
#   the analytical engine, in layer evaluations per second (LLaMA-2-7B prefill layers, 32x32).
#   the whole `pesim sim --engine cycle` command a user runs on one 32x32 weight-stationary layer, with each PE's fast
#   kernel and with --kernel reference (its functional core's mac() step by step), in the same run;
#   the whole command on a 1024 x 1024 x 1024 GEMM with --threads 1 and --threads 2.
# Usage: scripts/bench_engines.sh [BUILD_DIR] > results/bench/engines.md
set -euo pipefail
build=$(realpath "${1:-./build}")
cd "$(dirname "$0")/.."
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
echo
echo "## The whole command: \`pesim sim --engine cycle\` on one layer (SCALE-Sim v2: ~12,500 cycles/s, no values)"
echo
cfg=workloads/examples/scalesim_32x32_ws.cfg
layer=workloads/examples/conv_32x32_speed_layer.csv
echo "\`pesim sim --arch $cfg --workload $layer --engine cycle --set SETTINGS [--kernel reference]\`: the SCALE-Sim"
echo "layer l1 (31x31 input, 5x5 filters, 48 channels, 64 filters: M=729, N=64, K=1200) on a 32x32 ws array with 1 MiB"
echo "SRAMs, default --check sample. Median wall time of 3 runs each; compute cycles per second of the whole command."
echo
echo "| PE (--set) | compute cycles | fast kernel: s | cycles/s | reference: s | cycles/s | fast / reference |"
echo "|---|---:|---:|---:|---:|---:|---:|"
median_seconds() {  # SETTINGS KERNEL
  for _ in 1 2 3; do
    local start end
    start=$(date +%s.%N)
    "$build/pesim" sim --arch "$cfg" --set "$1" --workload "$layer" --engine cycle --kernel "$2" >/dev/null
    end=$(date +%s.%N)
    awk -v s="$start" -v e="$end" 'BEGIN { printf "%.4f\n", e - s }'
  done | sort -n | sed -n 2p
}
for settings in pe=mac_int pe=mac_fixed pe=fma_fp,pe.in=bf16 pe=fma_fp,pe.in=fp16 pe=fma_fp,pe.in=bf16,pe.acc=bf16 \
  pe=fma_fp,pe.in=bf16,pe.norm=approx,pe.window_bits=1 pe=fma_fp,pe.in=bf16,pe.norm=approx,pe.window_bits=2 \
  pe=fma_fp,pe.in=bf16,pe.norm=approx,pe.window_bits=4 pe=mixpe,pe.act=int8 pe=mixpe,pe.act=fp16; do
  cycles=$("$build/pesim" sim --arch "$cfg" --set "$settings" --workload "$layer" --engine cycle --format json |
    jq '[.layers[] | select(.unit == "array") | .compute_cycles] | add')
  fast=$(median_seconds "$settings" fast)
  reference=$(median_seconds "$settings" reference)
  awk -v p="$settings" -v c="$cycles" -v f="$fast" -v r="$reference" \
    'BEGIN { printf "| %s | %d | %.3f | %.3g | %.3f | %.3g | %.1fx |\n", p, c, f, c / f, r, c / r, r / f }'
done
echo
echo "## Threads: \`pesim sim --engine cycle --threads N\` on a 1024 x 1024 x 1024 GEMM"
echo
gemm=workloads/examples/gemm_1024.csv
echo "\`pesim sim --arch $cfg --workload $gemm --engine cycle --max-macs 2000000000 --threads N\` (int8, 32x32 ws:"
echo "1,144,832 compute cycles). Best and median of 5 interleaved runs each; the results are the same for every N."
echo
echo "| threads | best s | median s | best vs 1 thread | median vs 1 thread |"
echo "|---:|---:|---:|---:|---:|"
declare -A runs
for _ in 1 2 3 4 5; do
  for threads in 1 2; do
    start=$(date +%s.%N)
    "$build/pesim" sim --arch "$cfg" --workload "$gemm" --engine cycle --max-macs 2000000000 --threads $threads >/dev/null
    end=$(date +%s.%N)
    runs[$threads]+="$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.4f", e - s }') "
  done
done
stat() { tr ' ' '\n' <<<"${runs[$1]}" | grep . | sort -n | sed -n "$2p"; }
for threads in 1 2; do
  awk -v t=$threads -v b="$(stat $threads 1)" -v m="$(stat $threads 3)" -v b1="$(stat 1 1)" -v m1="$(stat 1 3)" \
    'BEGIN { printf "| %d | %.3f | %.3f | %.2fx | %.2fx |\n", t, b, m, b1 / b, m1 / m }'
done
