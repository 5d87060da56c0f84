#!/usr/bin/env bash
# Fuzzes each of pesim's input parsers with libFuzzer (clang, AddressSanitizer + UndefinedBehaviorSanitizer), from the
# seed corpus and past regressions in tests/fuzz, and prints a Markdown table: inputs run, crashes (kept under
# BUILD/crashes/TARGET as libFuzzer's crash-*/timeout-*/oom-* files: each becomes a regression input and a fix),
# and corpus size. An input over 1 s or 2 GB counts as a crash. Minutes, not part of CI (CI replays the corpus).
# Usage: scripts/fuzz.sh [RUNS_PER_TARGET (default 1000000)] [BUILD_DIR (default build-fuzz)] > results/fuzz.md
set -euo pipefail
runs=${1:-1000000}
build=${2:-build-fuzz}
cd "$(dirname "$0")/.."
targets=(eval npy topology workload_file arch_file)
CC=clang CXX=clang++ cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPESIM_FUZZ=ON -DPESIM_SANITIZE=ON \
  >"$build.configure.log" 2>&1 || { cat "$build.configure.log" >&2; exit 1; }
cmake --build "$build" --target "${targets[@]/#/fuzz_}" >"$build.build.log" 2>&1 || { tail -30 "$build.build.log" >&2; exit 1; }
echo "| target | inputs run | crashes, timeouts, OOMs | corpus files |"
echo "|---|---:|---:|---:|"
for target in "${targets[@]}"; do
  corpus="$build/corpus/$target" crashes="$build/crashes/$target"
  mkdir -p "$corpus" "$crashes"
  seeds=(tests/fuzz/corpus/"$target" tests/fuzz/regressions/"$target")
  case $target in topology | workload_file | arch_file) seeds+=(workloads/examples) ;; esac
  dict=()
  [ -f "tests/fuzz/dict/$target.dict" ] && dict=(-dict="tests/fuzz/dict/$target.dict")
  log="$build/fuzz_$target.log"
  "$build/tests/fuzz/fuzz_$target" "$corpus" "${seeds[@]}" "${dict[@]}" -runs="$runs" -timeout=1 -rss_limit_mb=2048 \
    -max_len=65536 -artifact_prefix="$crashes/" -print_final_stats=1 >"$log" 2>&1 || true
  done_runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
  found=$(find "$crashes" -type f | wc -l)
  echo "| $target | $done_runs | $found | $(find "$corpus" -type f | wc -l) |"
done
