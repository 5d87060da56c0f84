# What the DSE benchmark scripts share (sourced, not run): store queries and markdown table rows.

q() { sqlite3 "$1" "$2"; }
# Every evaluation of a store as "hash|metric=value,..." lines, sorted by design: what two runs must agree on.
results_of() {
  q "$1" "SELECT d.hash || '|' || group_concat(m.name || '=' || printf('%.17g', m.value), ',') FROM dse_evaluations e
          JOIN dse_designs d ON d.id = e.design_id JOIN dse_metrics m ON m.evaluation_id = e.id GROUP BY e.id
          ORDER BY d.hash"
}
# A run's sweep time, from its start to its last evaluation (the store's timestamps; the cost models fitted after the
# sweep are not counted).
sweep_seconds() { q "$1" "SELECT round((julianday(updated_at) - julianday(started_at)) * 86400, 1) FROM dse_runs WHERE id = $2"; }

# hv_table REPORT_JSON GRID_HYPERVOLUME "K1 K2 ...": the hypervolume table, its header and hv_rows.
hv_table() {
  local header="| strategy |" rule="|---|" k
  for k in $3; do header+=" k = $k |"; rule+="---|"; done
  echo "$header evaluations to 98% |"
  echo "$rule---|"
  hv_rows "$@"
}

# hv_rows REPORT_JSON GRID_HYPERVOLUME "K1 K2 ...": per strategy of the store's runs other than run 1 (the grid), the
# mean (min-max) over seeds of the grid's hypervolume reached after k evaluations (a run shorter than k counts its
# final value), and the evaluations each seed needed to reach 98%.
hv_rows() {
  jq -r --argjson grid "$2" --arg points "$3" '
    ($points | split(" ") | map(tonumber)) as $at
    | [.runs[] | select(.id != 1)] | group_by(.strategy)[] as $runs
    | [$runs[0].strategy]
      + [$at[] as $k | [$runs[] | .hypervolume_curve[([$k, (.hypervolume_curve | length)] | min) - 1] / $grid]
         | "\(add / length * 1000 | round / 10)% (\(min * 1000 | round / 10)-\(max * 1000 | round / 10))"]
      + [[$runs[] | (.hypervolume_curve | map(. >= 0.98 * $grid) | index(true)) | if . == null then "never" else . + 1 end]
         | map(tostring) | join(", ")]
    | "| " + join(" | ") + " |"' "$1"
}

model_table_header() {
  echo "| model | features | metric | trained on | RMSE / mean | MAPE | Spearman | predict with uncertainty | predict mean | speed-up (mean evaluation) | speed-up (median evaluation) |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|"
}

# model_rows VALIDATION_JSON...: one row per validated metric of `pesim dse --validate-run --format json`: model,
# features, metric, training designs, RMSE / mean, MAPE, Spearman, prediction time with uncertainty and of the mean
# alone, and the mean alone's speed-up against the evaluator's mean and median wall time per design.
model_rows() {
  jq -r 'def ratio: if . >= 100 then round else . * 100 | round / 100 end;
    .[] | "| \(.regressor) | \(if .validation | test("workload") then "workload" else "parameters" end) | \(.metric)\(if .validation | test("parts") then " (sum of its parts)" else "" end) | \(.train) | \(.rmse_relative * 10000 | round / 100)% | \(.mape * 10000 | round / 100)% | \(.spearman * 10000 | round / 10000) | \(.predict_seconds * 1e7 | round / 10) us | \(.predict_mean_seconds * 1e7 | round / 10) us | \(.evaluate_seconds / .predict_mean_seconds | ratio)x | \(.evaluate_median_seconds / .predict_mean_seconds | ratio)x |"' "$@"
}
