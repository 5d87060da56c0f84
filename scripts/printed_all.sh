#!/usr/bin/env bash
# The printed-MLP flow on the bundled data sets: results/printed/<Name>/ (summary.md, designs.csv/json, front.svg,
# circuits.v) and one table over all of them on stdout.
# Usage: scripts/printed_all.sh [PESIM] [DATASET...] > results/printed/summary.md
set -euo pipefail
pesim=${1:-./build/pesim}
shift $(($# < 1 ? $# : 1))
datasets=${*:-Breast_Cancer Cardio Pendigits RedWine WhiteWine Seeds Vertebral}
out=${PRINTED_OUT:-results/printed}

echo "# pesim printed on the bundled data sets"
echo
echo "$("$pesim" --version), $(date -u +%Y-%m-%d), $(yosys -V), $(verilator --version)."
echo "Command per data set: \`pesim printed run NAME --out $out/NAME\` (defaults: training seed 1, search seed 1,"
echo "100,000 approximations, EGFET cells). Accuracy is on the test split; loss in percentage points against the exact"
echo "bespoke design; reductions against the exact design's area and power. Checked: designs x test samples, each"
echo "classified by the functional model, the SystemC model and the Verilated RTL, and the synthesized designs also"
echo "by their mapped netlists. Majority class acc: the test accuracy of always answering the training split's most"
echo "frequent class, the floor any classifier should clear. Designs that synthesize to no cells (a constant class) are"
echo "left out of the reductions. Proxy rank corr: Spearman's correlation of the search's FA-equivalents with the"
echo "synthesized area over the synthesized designs."
echo
echo "| data set | MLP | majority class acc | float acc | exact acc | exact area cm2 | exact power mW | batteries | <=1 pp: area reduction (acc) | <=5 pp: area reduction (acc) | front designs | proxy rank corr | checked | mismatches |"
echo "|---|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|"
for name in $datasets; do
  "$pesim" printed run "$name" --out "$out/$name" > "$out/$name.log" 2>&1 || { cat "$out/$name.log" >&2; exit 1; }
  jq -r --arg name "$name" '
    (.designs[0]) as $e
    | def best($loss): [.designs[] | select(.cost and .cost.cells > 0 and ($e.test_accuracy - .test_accuracy) * 100 <= $loss)]
        | min_by(.cost.area_cm2) | "\($e.cost.area_cm2 / .cost.area_cm2 * 100 | round / 100)x (\(.test_accuracy * 10000 | round / 10000))";
    "| \($name) | \(.topology) | \(.majority_class_test_accuracy * 10000 | round / 10000) | \(.float_test_accuracy * 10000 | round / 10000) | \($e.test_accuracy * 10000 | round / 10000) | \($e.cost.area_cm2 * 1000 | round / 1000) | \($e.cost.power_mw * 1000 | round / 1000) | \(.exact_batteries) | \(best(1)) | \(best(5)) | \(.designs | length - 1) | \(.proxy_calibration.rank_correlation * 1000 | round / 1000) | \(.check.designs) x \(.check.samples) | \(.check.rtl_mismatches + .check.systemc_mismatches + .check.netlist_mismatches) |"' \
    "$out/$name/designs.json"
  rm -f "$out/$name.log"
done
