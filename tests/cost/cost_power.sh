#!/usr/bin/env bash
# pesim cost's dynamic power end to end (runs Yosys, a few seconds): the JSON fields with units, the netlist checked
# against the core on the power stimulus, MixPE's shared unit, a user clock, the vector-file stimulus and its errors, the fallback, and an
# FPGA's reason for having none. Usage: cost_power.sh PESIM
set -uo pipefail
pesim=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
cost() { "$pesim" cost mac_int --set a_bits=4,b_bits=4,acc_bits=12 --db "$work/cost.db" --format json "$@"; }
field() { sed -n "s/.*\"$1\":\([^,}]*\).*/\1/p" <<<"$2"; }

json=$(cost --tech ihp_sg13g2 --vectors 500 --clock-mhz 100) || fail "ihp_sg13g2: $json"
for f in dynamic_power_uw dynamic_power_max_clock_uw energy_per_op_pj energy_per_mac_pj toggle_rate clock_mhz \
  leakage_state_uw netlist_mismatches; do
  grep -q "\"$f\":" <<<"$json" || fail "no $f: $json"
done
[ "$(field netlist_mismatches "$json")" = 0 ] || fail "netlist differs from the core: $json"
[ "$(field netlist_checked_outputs "$json")" = 500 ] || fail "not every operation checked: $json"
[ "$(field clock_mhz "$json")" = 100.0 ] || fail "clock: $json"
awk -v e="$(field energy_per_op_pj "$json")" 'BEGIN { exit !(e > 0.01 && e < 100) }' || fail "energy per op: $json"

# The same stimulus again gives the same energy (deterministic); another seed a different one.
again=$(cost --tech ihp_sg13g2 --vectors 500 --clock-mhz 100)
[ "$(field energy_per_op_pj "$json")" = "$(field energy_per_op_pj "$again")" ] || fail "not deterministic"
other=$(cost --tech ihp_sg13g2 --vectors 500 --seed 7)
[ "$(field energy_per_op_pj "$json")" != "$(field energy_per_op_pj "$other")" ] || fail "seed ignored"

printf '# a b c\n3 5 10\n7 2 ff\n' >"$work/ok.vec"
vec=$(cost --tech ihp_sg13g2 --activity "$work/ok.vec") || fail "vector file: $vec"
[ "$(field operations "$vec")" = 2 ] || fail "vector file operations: $vec"
printf '3 5 10\n7 zz 1\n' >"$work/bad.vec"
out=$(cost --tech ihp_sg13g2 --activity "$work/bad.vec" 2>&1); [ $? -eq 2 ] || fail "bad vector file accepted: $out"
grep -q "bad.vec:2" <<<"$out" || fail "bad vector file message: $out"
out=$(cost --tech ihp_sg13g2 --npy "$work/none_a.npy" "$work/none_b.npy" 2>&1); [ $? -eq 2 ] || fail "missing npy: $out"

fallback=$(cost --tech ihp_sg13g2 --activity-factor 0.2) || fail "fallback: $fallback"
[ "$(field constant_activity "$fallback")" = true ] || fail "fallback not marked: $fallback"
egfet=$(cost --tech egfet --vectors 200) || fail "egfet: $egfet"
grep -q '"power_mw":' <<<"$egfet" && grep -q '"power_note":' <<<"$egfet" || fail "egfet: $egfet"
[ "$(field netlist_mismatches "$egfet")" = 0 ] || fail "egfet netlist differs from the core: $egfet"
xilinx=$(cost --tech xilinx) || fail "xilinx: $xilinx"
grep -q '"dynamic_power_not_applicable":' <<<"$xilinx" || fail "xilinx: $xilinx"
# MixPE's shared dequantization unit: its own netlist, driven by the DEQUANT operations of the PE's stream, every
# output checked against the core's.
mixpe=$("$pesim" cost mixpe --set group_size=16 --tech ihp_sg13g2 --db "$work/cost.db" --format json --vectors 300) ||
  fail "mixpe: $mixpe"
unit=$(jq -c '.shared_units[0]' <<<"$mixpe")
[ "$(jq .netlist_mismatches <<<"$unit")" = 0 ] || fail "dequant unit netlist differs from the core: $unit"
[ "$(jq .netlist_checked_outputs <<<"$unit")" -ge 299 ] || fail "dequant unit outputs not checked: $unit"
jq -e '.energy_per_op_pj > 0.1 and .energy_per_op_pj < 1000' <<<"$unit" >/dev/null || fail "dequant energy: $unit"
# A stream without DEQUANT operations (a vector file of one MAC) leaves the unit without an energy, not the PE.
printf '# a b c\n5 3 0\n' >"$work/mac_only.vec"
mac_only=$("$pesim" cost mixpe --set group_size=16 --tech ihp_sg13g2 --db "$work/cost.db" --format json \
  --activity "$work/mac_only.vec") || fail "mixpe with MACs only: $mac_only"
jq -e '.energy_per_op_pj > 0 and (.shared_units[0] | has("energy_per_op_pj") | not)' <<<"$mac_only" >/dev/null ||
  fail "mixpe with MACs only: $mac_only"
text=$("$pesim" cost mac_int --set a_bits=4,b_bits=4,acc_bits=12 --db "$work/cost.db" --vectors 100) || fail "$text"
grep -q "^dynamic " <<<"$text" && grep -q "^energy " <<<"$text" || fail "text: $text"
echo ok
