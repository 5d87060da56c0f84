#!/usr/bin/env bash
# Co-simulation speed of two pesim binaries (e.g. two commits' Release builds), interleaved runs, best of 3, as Markdown:
# `pesim cosim` RTL and model cycles/s on a selection of `cosim --list-rtl`, and `pesim cosim-array` lockstep cycles/s on
# every array of `cosim-array --list-rtl`.
# Usage: scripts/compare_cosim_speed.sh BEFORE_PESIM AFTER_PESIM > results/bench/cosim_build_speed.md
a=$1; b=$2
best() { sort -g | tail -1; }
echo "## pesim cosim (300,000 cycles, seed 1): RTL cycles/s and model cycles/s, best of 3"
echo "| configuration | RTL before | RTL after | after/before | model before | model after |"
echo "|---|---:|---:|---:|---:|---:|"
while read -r kind settings; do
  ra=(); rb=(); ma=(); mb=()
  for i in 1 2 3; do
    ja=$($a cosim $kind --set $settings --cycles 300000 --seed 1 --format json --repro-dir /tmp)
    jb=$($b cosim $kind --set $settings --cycles 300000 --seed 1 --format json --repro-dir /tmp)
    ra+=($(echo "$ja" | jq .rtl_cycles_per_s)); rb+=($(echo "$jb" | jq .rtl_cycles_per_s))
    ma+=($(echo "$ja" | jq .model_cycles_per_s)); mb+=($(echo "$jb" | jq .model_cycles_per_s))
  done
  A=$(printf '%s\n' "${ra[@]}" | best); B=$(printf '%s\n' "${rb[@]}" | best)
  MA=$(printf '%s\n' "${ma[@]}" | best); MB=$(printf '%s\n' "${mb[@]}" | best)
  awk -v n="$kind $settings" -v a="$A" -v b="$B" -v ma="$MA" -v mb="$MB" 'BEGIN { printf "| %s | %.3g | %.3g | %.2f | %.3g | %.3g |\n", n, a, b, b / a, ma, mb }'
done < <($a cosim --list-rtl | awk 'NR % 6 == 1 || (/^mac_int/ && !m++)')
echo
echo "## pesim cosim-array (GEMM 128x256x96, seed 1): lockstep cycles/s, best of 3"
echo "| array | before | after | after/before |"
echo "|---|---:|---:|---:|"
while read -r settings; do
  ca=(); cb=()
  for i in 1 2 3; do
    ca+=($($a cosim-array --set $settings --gemm 128x256x96 --seed 1 --format json | jq '.cycles / .seconds'))
    cb+=($($b cosim-array --set $settings --gemm 128x256x96 --seed 1 --format json | jq '.cycles / .seconds'))
  done
  A=$(printf '%s\n' "${ca[@]}" | best); B=$(printf '%s\n' "${cb[@]}" | best)
  awk -v n="$settings" -v a="$A" -v b="$B" 'BEGIN { printf "| %s | %.3g | %.3g | %.2f |\n", n, a, b, b / a }'
done < <($a cosim-array --list-rtl | tail -n +2 | sed 's/^ *//')
