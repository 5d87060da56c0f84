#!/usr/bin/env bash
# pesim cost on whole arrays and in OSU 0.18 um (runs Yosys on a few PEs): the area components add up to the total,
# MixPE's shared unit counts once per row, bad inputs exit with status 2. Usage: cost_arrays.sh PESIM
set -uo pipefail
pesim=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
field() { grep -o "\"$2\":[0-9.e+-]*" <<<"$1" | head -1 | cut -d: -f2; }

osu=$("$pesim" cost mac_int --set a_bits=4,b_bits=4,acc_bits=12 --tech osu018 --db "$work/cost.db" --format json) ||
  fail "osu018: $osu"
for f in area_um2 delay_ns leakage_uw; do grep -q "\"$f\":" <<<"$osu" || fail "osu018 has no $f: $osu"; done
[ "$(field "$osu" area_um2)" != 0 ] || fail "osu018 zero area: $osu"

small="rows=4,cols=4,pe.a_bits=4,pe.b_bits=4,pe.acc_bits=12,ifmap_sram_bytes=8192,filter_sram_bytes=8192,ofmap_sram_bytes=8192"
for tech in ihp_sg13g2 osu018; do
  out=$("$pesim" cost --arch int8 --set "$small" --tech $tech --db "$work/cost.db" --format json) || fail "$tech: $out"
  sum=$(awk -v a="$(field "$out" pe_array_um2)" -v b="$(field "$out" shared_units_um2)" \
            -v c="$(field "$out" registers_um2)" -v d="$(field "$out" srams_um2)" 'BEGIN { printf "%.3f", a + b + c + d }')
  total=$(awk -v t="$(field "$out" total_um2)" 'BEGIN { printf "%.3f", t }')
  [ "$sum" = "$total" ] || fail "$tech: components $sum != total $total: $out"
  pe=$(grep -o '"pe":{[^}]*}' <<<"$out")
  pe_array=$(awk -v a="$(field "$pe" area_um2)" 'BEGIN { printf "%.3f", 16 * a }')
  [ "$pe_array" = "$(awk -v t="$(field "$out" pe_array_um2)" 'BEGIN { printf "%.3f", t }')" ] ||
    fail "$tech: PE array is not 16 PEs: $out"
done

mixpe=$("$pesim" cost --arch mixpe-w4a8 --set rows=4,cols=8 --db "$work/cost.db" --format json) || fail "mixpe: $mixpe"
grep -q '"name":"dequant"' <<<"$mixpe" || fail "no dequant unit: $mixpe"
grep -q '"count":4,"leakage_uw"\|"count":4,' <<<"${mixpe#*shared_units}" || fail "dequant not one per row: $mixpe"
text=$("$pesim" cost --arch mixpe-w4a8 --set rows=4,cols=8 --db "$work/cost.db") || fail "text: $text"
for word in "PE array" "unit dequant" "array registers" "ifmap SRAM" "filter SRAM" "ofmap SRAM" total; do
  grep -q "$word" <<<"$text" || fail "text has no $word: $text"
done

out=$("$pesim" cost --arch int8 --tech ihp130 --db "$work/cost.db" 2>&1); [ $? -eq 2 ] || fail "accepted tech ihp130"
grep -q "known: ihp_sg13g2" <<<"$out" || fail "message: $out"
out=$("$pesim" cost --arch int8 --set ifmap_sram_bytes=0 --db "$work/cost.db" 2>&1); [ $? -eq 2 ] ||
  fail "accepted a zero-size SRAM: $out"
grep -q "ifmap_sram_bytes" <<<"$out" || fail "message does not name the SRAM: $out"
out=$("$pesim" cost --arch int9 --db "$work/cost.db" 2>&1); [ $? -eq 2 ] || fail "accepted arch int9"
grep -q "did you mean 'int8'" <<<"$out" || fail "no suggestion: $out"
out=$("$pesim" cost mac_int --arch int8 --db "$work/cost.db" 2>&1); [ $? -eq 2 ] || fail "accepted a PE and --arch"
echo ok
