#!/usr/bin/env bash
# End-to-end checks of pesim printed: a CSV data set it has never seen through the whole flow, and bad input.
# Usage: printed_cli_tests.sh PESIM CASE
set -uo pipefail
pesim=$1
case_name=$2
fail() { echo "FAIL: $*" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Three classes of 300 samples around different centres in 5 features, text labels, a header: a user's own table.
write_csv() {
  awk 'BEGIN { srand(7); print "alpha,beta,gamma,delta,epsilon,species";
    split("setosa versicolor virginica", names, " ");
    for (i = 0; i < 300; ++i) { c = i % 3; line = "";
      for (f = 0; f < 5; ++f) line = line sprintf("%.4f,", 10 * c * (f % 2 ? 1 : -0.5) + 8 * (rand() + rand() - 1));
      print line names[c + 1] } }' > "$1"
}

case $case_name in
  csv_flow)
    write_csv "$work/species.csv"
    "$pesim" printed run "$work/species.csv" --epochs 80 --evaluations 400 --population 32 --costed 2 \
      --out "$work/out" > "$work/log" 2>&1 || { cat "$work/log"; fail "pesim printed run exited $?"; }
    cat "$work/log"
    for f in summary.md designs.csv designs.json front.svg circuits.v; do
      [[ -s "$work/out/$f" ]] || fail "no $f"
    done
    grep -q "0 SystemC and 0 RTL mismatches" "$work/out/summary.md" || fail "the three-way check is not clean"
    grep -q "Mapped netlists (gate-level simulation): 0 mismatches" "$work/out/summary.md" || fail "netlist mismatches"
    awk -F, '{ if (NF != 10) { print "designs.csv line " NR " has " NF " fields"; bad = 1 } } END { exit bad }' \
      "$work/out/designs.csv" || fail "designs.csv is not a 10-column CSV"
    rows=$(($(wc -l < "$work/out/designs.csv") - 1))
    ((rows >= 2)) || fail "only $rows designs"
    costed=$(awk -F, 'NR > 1 && $5 != ""' "$work/out/designs.csv" | wc -l)
    ((costed == 3)) || fail "$costed synthesized designs, expected the exact one and 2 more"
    # The exact design classifies the well-separated classes far better than chance.
    awk -F, 'NR == 2 { exit !($3 > 0.8) }' "$work/out/designs.csv" || fail "exact test accuracy $(sed -n 2p "$work/out/designs.csv")"
    grep -q "module printed_circuit_0" "$work/out/circuits.v" || fail "no Verilog"
    ;;
  bad_csv)
    write_csv "$work/species.csv"
    sed -i '4s/^[^,]*,/oops,/' "$work/species.csv"
    "$pesim" printed run "$work/species.csv" --out "$work/out" > "$work/out.txt" 2> "$work/err.txt"
    status=$?
    cat "$work/err.txt"
    ((status == 2)) || fail "exit status $status, expected 2"
    grep -q "species.csv:4" "$work/err.txt" || fail "the error does not name the file and line"
    grep -q "alpha" "$work/err.txt" || fail "the error does not name the field"
    [[ ! -e "$work/out" ]] || fail "a failed run left results"
    ;;
  bundled_topology)
    # A bundled data set trains its published topology (RedWine: 11-2-6), not the 3 neurons a CSV gets.
    "$pesim" printed run RedWine --no-synthesis --epochs 20 --evaluations 200 --population 16 --out "$work/out" \
      > "$work/log" 2>&1 || { cat "$work/log"; fail "pesim printed run exited $?"; }
    grep -q "trained 11-2-6" "$work/log" || { cat "$work/log"; fail "RedWine did not train 11-2-6"; }
    grep -q "0 RTL and 0 SystemC mismatches" "$work/log" || fail "the three-way check is not clean"
    ;;
  unknown_dataset)
    "$pesim" printed run NoSuchDataSet --out "$work/out" > /dev/null 2> "$work/err.txt"
    status=$?
    cat "$work/err.txt"
    ((status == 2)) || fail "exit status $status, expected 2"
    grep -q "NoSuchDataSet" "$work/err.txt" || fail "the error does not name the data set"
    ;;
  *) fail "unknown case $case_name" ;;
esac
echo PASS
