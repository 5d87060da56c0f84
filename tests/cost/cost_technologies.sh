#!/usr/bin/env bash
# pesim cost end to end in every technology (runs Yosys, a few seconds): the figures each one reports, the cache
# keeping technologies apart, an unknown technology, a missing Yosys. Usage: cost_technologies.sh PESIM
set -uo pipefail
pesim=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
cost() { "$pesim" cost mac_int --set a_bits=4,b_bits=4,acc_bits=12 --db "$work/cost.db" --format json "$@"; }

egfet=$(cost --tech egfet) || fail "egfet: $egfet"
for field in area_cm2 area_um2 power_mw delay_ms calibration_area_ratio flow; do
  grep -q "\"$field\":" <<<"$egfet" || fail "egfet has no $field: $egfet"
done
xilinx=$(cost --tech xilinx) || fail "xilinx: $xilinx"
for field in lut ff carry dsp bram not_applicable; do
  grep -q "\"$field\":" <<<"$xilinx" || fail "xilinx has no $field: $xilinx"
done
grep -q '"area_um2":' <<<"${xilinx%%shared_units*}" && fail "xilinx reports an area: $xilinx"
ice40=$(cost --tech ice40) || fail "ice40: $ice40"
grep -q '"lut":' <<<"$ice40" || fail "ice40 has no lut: $ice40"
cmos=$(cost --tech ihp_sg13g2) || fail "ihp_sg13g2: $cmos"
grep -q '"cached":false' <<<"$cmos" || fail "ihp_sg13g2 hit another technology's result: $cmos"
again=$(cost --tech xilinx) || fail "xilinx again: $again"
grep -q '"cached":true' <<<"$again" || fail "xilinx not cached: $again"

out=$(cost --tech virtex 2>&1); [ $? -eq 2 ] || fail "accepted tech virtex: $out"
grep -q "known: ihp_sg13g2, egfet, xilinx, ice40" <<<"$out" || fail "message: $out"
rows=$(sqlite3 "$work/cost.db" 'SELECT count(*) FROM synthesis' 2>/dev/null || echo 4)
out=$(PATH=/nonexistent "$pesim" cost mac_int --set a_bits=5 --tech egfet --db "$work/cost.db" 2>&1)
[ $? -eq 1 ] || fail "no yosys, exit status not 1: $out"
grep -q "yosys not found" <<<"$out" || fail "no yosys, message: $out"
[ "$(sqlite3 "$work/cost.db" 'SELECT count(*) FROM synthesis' 2>/dev/null || echo 4)" = "$rows" ] ||
  fail "cache changed without yosys"
echo ok
