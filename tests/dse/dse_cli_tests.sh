#!/usr/bin/env bash
# End-to-end checks of pesim dse and pesim report: the store, kill -9 and --resume, MPI, bad specs.
# Usage: dse_cli_tests.sh PESIM CASE
set -uo pipefail
pesim=$1
case_name=$2
fail() { echo "FAIL: $*" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
q() { sqlite3 "$1" "$2"; }

# A space of int8 arrays only (one PE to synthesize): 5 x 5 x 3 x 2 = 150 designs.
cat > "$work/space.yaml" <<'YAML'
name: int8-arrays
workload: llama2-7b:decode
batch: 16
seq: 512
technology: ihp_sg13g2
arch: int8
parameters:
  rows: {min: 8, max: 128, scale: log2}
  cols: {min: 8, max: 128, scale: log2}
  dataflow: [ws, os, is]
  filter_sram_bytes: {values: [65536, 262144]}
objectives:
  - minimize: latency_ms
  - minimize: energy_uj
constraints:
  - area_mm2 <= 4
YAML
common=(--space "$work/space.yaml" --cost-db "$work/cost.db" --progress lines)

# Every evaluation of a run as "hash|metric=value,..." lines, sorted: what two runs must agree on.
results_of() {  # DB RUN
  q "$1" "SELECT d.hash || '|' || e.status || '|' || group_concat(m.name || '=' || printf('%.17g', m.value), ',')
          FROM dse_evaluations e JOIN dse_designs d ON d.id = e.design_id
          LEFT JOIN dse_metrics m ON m.evaluation_id = e.id WHERE e.run_id = $2 GROUP BY e.id ORDER BY d.hash"
}

case $case_name in
  dse_grid_store)
    out=$("$pesim" dse "${common[@]}" --strategy grid --db "$work/dse.db" 2>"$work/err") || fail "exit: $(cat "$work/err")"
    db="$work/dse.db"
    [ "$(q "$db" 'SELECT count(*) FROM dse_evaluations')" = 150 ] || fail "evaluations"
    [ "$(q "$db" 'SELECT count(DISTINCT design_id) FROM dse_evaluations')" = 150 ] || fail "designs repeated"
    [ "$(q "$db" "SELECT count(*) FROM dse_evaluations WHERE status = 'ok'")" = 150 ] || fail "failures"
    [ "$(q "$db" 'PRAGMA journal_mode')" = wal ] || fail "not WAL"
    [ "$(q "$db" "SELECT status, strategy, budget FROM dse_runs")" = "finished|grid|150" ] || fail "run row"
    [ "$(q "$db" "SELECT unit FROM dse_metrics WHERE name = 'energy_uj' LIMIT 1")" = uJ ] || fail "units"
    q "$db" "SELECT pesim_version FROM dse_runs" | grep -q . || fail "no version"
    # energy_uj is the sum of its four parts, each > 0, in every evaluation.
    bad_sums=$(q "$db" "SELECT count(*) FROM (SELECT evaluation_id,
                          sum(CASE WHEN name = 'energy_uj' THEN value END) AS total,
                          sum(CASE WHEN name IN ('energy_compute_uj', 'energy_sram_uj', 'energy_dram_uj',
                                                 'energy_leakage_uj') AND value > 0 THEN value END) AS parts,
                          sum(name LIKE 'energy_%_uj' AND value > 0) AS positive
                        FROM dse_metrics GROUP BY evaluation_id)
                      WHERE positive != 4 OR abs(parts - total) > 1e-9 * total")
    [ "$bad_sums" = 0 ] || fail "$bad_sums evaluations whose energy parts do not sum to energy_uj"
    # The int8 MAC's arithmetic is exact: its arithmetic error is stored, 0, with every evaluation.
    [ "$(q "$db" "SELECT count(*) FROM dse_metrics WHERE name = 'arith_error_rms_rel' AND value = 0")" = 150 ] ||
      fail "arith_error_rms_rel"
    # Infeasible: over 4 mm2. The printed front holds only feasible designs, and all of the stored front.
    infeasible=$(q "$db" "SELECT count(*) FROM dse_evaluations e JOIN dse_metrics m ON m.evaluation_id = e.id
                          WHERE m.name = 'area_mm2' AND m.value > 4")
    [ "$(q "$db" 'SELECT count(*) FROM dse_evaluations WHERE feasible = 0')" = "$infeasible" ] || fail "feasible flags"
    [ "$infeasible" -gt 0 ] || fail "the test space should have infeasible designs"
    grep -q "Pareto front" <<<"$out" || fail "no front: $out"
    grep -q "150 evaluations" "$work/err" || fail "no progress lines: $(cat "$work/err")" ;;
  dse_kill_resume)
    # 1800 designs: long enough a sweep (about a second with a warm cache) for the kill to land in its middle.
    sed 's/^  filter_sram_bytes: .*/  filter_sram_bytes: {values: [65536, 262144]}\n  ifmap_sram_bytes: {min: 65536, max: 524288, scale: log2}\n  ofmap_sram_bytes: [32768, 65536, 131072]/' \
      "$work/space.yaml" > "$work/big.yaml"
    big=(--space "$work/big.yaml" --cost-db "$work/cost.db" --progress lines)
    db="$work/dse.db"
    "$pesim" dse "${big[@]}" --strategy random --seed 3 --budget 1800 --batch 5 --db "$work/reference.db" \
      >/dev/null 2>&1 || fail "reference run"
    # The cost cache is warm now: evaluations are fast, so the kill lands in the middle of the sweep.
    "$pesim" dse "${big[@]}" --strategy random --seed 3 --budget 1800 --batch 5 --db "$db" >/dev/null 2>"$work/err" &
    pid=$!
    for _ in $(seq 1000); do
      n=$(q "$db" 'SELECT count(*) FROM dse_evaluations' 2>/dev/null || echo 0)
      [ "${n:-0}" -ge 20 ] && break
      sleep 0.005
    done
    kill -9 $pid; wait $pid 2>/dev/null
    before=$(q "$db" 'SELECT count(*) FROM dse_evaluations')
    [ "$before" -ge 1 ] && [ "$before" -lt 1800 ] || fail "the kill did not land mid-sweep ($before stored)"
    kept=$(q "$db" 'SELECT group_concat(id || ":" || design_id) FROM dse_evaluations ORDER BY id')
    "$pesim" dse --resume --db "$db" --cost-db "$work/cost.db" --progress lines >/dev/null 2>"$work/err" ||
      fail "resume: $(cat "$work/err")"
    grep -q "resuming run 1" "$work/err" || fail "no resume message: $(cat "$work/err")"
    [ "$(q "$db" 'SELECT count(*) FROM dse_evaluations')" = 1800 ] || fail "not 1800 after resume"
    [ "$(q "$db" 'SELECT count(DISTINCT design_id) FROM dse_evaluations')" = 1800 ] || fail "an evaluation repeated"
    [ "$(q "$db" "SELECT group_concat(id || ':' || design_id) FROM dse_evaluations WHERE id <= $before ORDER BY id")" = \
      "$kept" ] || fail "evaluations stored before the kill changed"
    [ "$(q "$db" 'SELECT status FROM dse_runs')" = finished ] || fail "run not finished"
    diff <(results_of "$work/reference.db" 1) <(results_of "$db" 1) >/dev/null ||
      fail "the resumed run differs from the uninterrupted one" ;;
  dse_interrupt_resume)
    # SIGINT, then SIGTERM: each stops the sweep after the evaluation in flight, marks the run interrupted and exits
    # 128 + the signal; resumed, the run equals an uninterrupted one.
    sed 's/^  filter_sram_bytes: .*/  filter_sram_bytes: {values: [65536, 262144]}\n  ifmap_sram_bytes: {min: 65536, max: 524288, scale: log2}/' \
      "$work/space.yaml" > "$work/big.yaml"
    big=(--space "$work/big.yaml" --cost-db "$work/cost.db" --progress lines)
    "$pesim" dse "${big[@]}" --strategy random --seed 5 --budget 300 --batch 5 --db "$work/reference.db" \
      >/dev/null 2>&1 || fail "reference run"
    db="$work/dse.db"
    for signal in INT TERM; do
      if [ "$signal" = INT ]; then
        "$pesim" dse "${big[@]}" --strategy random --seed 5 --budget 300 --batch 5 --db "$db" >/dev/null 2>"$work/err" &
      else
        "$pesim" dse --resume --db "$db" --cost-db "$work/cost.db" --progress lines >/dev/null 2>"$work/err" &
      fi
      pid=$!
      start=$(q "$db" 'SELECT count(*) FROM dse_evaluations' 2>/dev/null || echo 0)
      for _ in $(seq 1000); do
        n=$(q "$db" 'SELECT count(*) FROM dse_evaluations' 2>/dev/null || echo 0)
        [ "${n:-0}" -ge $((${start:-0} + 20)) ] && break
        sleep 0.005
      done
      kill -$signal $pid; wait $pid
      status=$?
      n=$(q "$db" 'SELECT count(*) FROM dse_evaluations')
      [ "$n" -lt 300 ] || { echo "SIG$signal landed after the sweep: skipped"; continue; }
      want=$((128 + $(kill -l $signal)))
      [ $status -eq $want ] || fail "SIG$signal: exit status $status, want $want: $(cat "$work/err")"
      grep -q "interrupted by SIG$signal" "$work/err" || fail "SIG$signal message: $(cat "$work/err")"
      [ "$(q "$db" 'SELECT status FROM dse_runs')" = interrupted ] || fail "SIG$signal: run not marked interrupted"
    done
    "$pesim" dse --resume --db "$db" --cost-db "$work/cost.db" --progress lines >/dev/null 2>"$work/err" ||
      fail "resume: $(cat "$work/err")"
    [ "$(q "$db" 'SELECT count(DISTINCT design_id) FROM dse_evaluations')" = 300 ] || fail "not 300 designs"
    diff <(results_of "$work/reference.db" 1) <(results_of "$db" 1) >/dev/null ||
      fail "the resumed run differs from the uninterrupted one" ;;
  dse_mpi)
    export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
    "$pesim" dse "${common[@]}" --strategy nsga2 --seed 5 --budget 96 --db "$work/one.db" >/dev/null 2>&1 ||
      fail "single-process run"
    mpirun -np 2 "$pesim" dse "${common[@]}" --strategy nsga2 --seed 5 --budget 96 --db "$work/two.db" --mpi \
      >/dev/null 2>"$work/err" || fail "mpirun: $(cat "$work/err")"
    [ "$(q "$work/two.db" 'SELECT processes FROM dse_runs')" = 2 ] || fail "processes not recorded"
    [ "$(q "$work/two.db" 'SELECT count(DISTINCT rank) FROM dse_evaluations')" = 2 ] || fail "one rank did all"
    diff <(results_of "$work/one.db" 1) <(results_of "$work/two.db" 1) || fail "MPI results differ" ;;
  dse_two_writers)
    "$pesim" dse "${common[@]}" --strategy grid --budget 1 --db "$work/warm.db" >/dev/null 2>&1 || fail "warm-up"
    "$pesim" dse "${common[@]}" --strategy random --seed 1 --budget 120 --db "$work/dse.db" \
      >/dev/null 2>"$work/err1" & a=$!
    "$pesim" dse "${common[@]}" --strategy random --seed 2 --budget 120 --db "$work/dse.db" \
      >/dev/null 2>"$work/err2" & b=$!
    wait $a || fail "writer 1: $(cat "$work/err1")"
    wait $b || fail "writer 2: $(cat "$work/err2")"
    [ "$(q "$work/dse.db" 'SELECT count(*) FROM dse_evaluations')" = 240 ] || fail "evaluations lost"
    [ "$(q "$work/dse.db" "SELECT count(*) FROM dse_runs WHERE status = 'finished'")" = 2 ] || fail "runs" ;;
  dse_bad_space)
    printf 'name: bad\nworkload: llama2-7b:decode\nparameters:\n  rows: {min: 64, max: 8}\nobjectives:\n  - minimize: latency_ms\n' \
      > "$work/bad.yaml"
    out=$("$pesim" dse --space "$work/bad.yaml" --db "$work/dse.db" 2>&1); [ $? -eq 2 ] || fail "exit status not 2"
    grep -q "bad.yaml:4: parameters: rows: empty range" <<<"$out" || fail "message: $out"
    [ ! -e "$work/dse.db" ] || fail "a database was created for a bad spec"
    printf 'name: bad\nworkload: llama2-7b:decode\nparameters:\n  rows: [8]\n  pe.group_sise: [32]\nobjectives:\n  - minimize: latency_ms\n' \
      > "$work/bad2.yaml"
    out=$("$pesim" dse --space "$work/bad2.yaml" --db "$work/dse.db" 2>&1); [ $? -eq 2 ] || fail "exit status not 2"
    grep -q "bad2.yaml:5: .*group_sise" <<<"$out" || fail "message: $out"
    out=$("$pesim" dse --resume --db "$work/empty.db" 2>&1); [ $? -eq 2 ] || fail "resume of nothing"
    grep -q "no unfinished run" <<<"$out" || fail "message: $out" ;;
  dse_report)
    "$pesim" dse "${common[@]}" --strategy random --budget 40 --db "$work/dse.db" >/dev/null 2>&1 || fail "run"
    "$pesim" dse "${common[@]}" --strategy model --budget 40 --db "$work/dse.db" >/dev/null 2>&1 || fail "run 2"
    "$pesim" report --db "$work/dse.db" --out "$work/report.html" || fail "report"
    grep -q "<svg" "$work/report.html" || fail "no plots"
    [ "$(grep -c "<svg" "$work/report.html")" -ge 3 ] || fail "fewer than 3 plots"
    "$pesim" report --db "$work/dse.db" --run 1 --format csv > "$work/run.csv" || fail "csv"
    [ "$(wc -l < "$work/run.csv")" = 41 ] || fail "csv rows: $(wc -l < "$work/run.csv")"
    "$pesim" report --db "$work/dse.db" --run 2 --format json | jq -e '.runs[0].evaluations | length == 40' >/dev/null ||
      fail "json"
    out=$("$pesim" report --db "$work/dse.db" --run 9 2>&1); [ $? -eq 2 ] || fail "unknown run accepted" ;;
  dse_cycle_engine)
    # Two GEMMs on int8 arrays fed by a narrow DRAM interface (4 bytes/cycle): the cycle engine's evaluator must
    # time each design as pesim sim --engine cycle does, compute for the analytical engine's cycles, and stall at
    # least as long (it counts DRAM stalls fold by fold).
    cat > "$work/gemms.yaml" <<'YAML'
name: two-gemms
ops:
  - {name: proj, type: gemm, m: 64, n: 64, k: 256}
  - {name: head, type: gemm, m: 32, n: 48, k: 96, repeat: 3}
YAML
    cat > "$work/cycle.yaml" <<'YAML'
name: int8-cycle
workload: gemms.yaml
engine: cycle
values_seed: 5
arch: int8
set: {dram_bytes_per_cycle: 4, ifmap_sram_bytes: 8192}
parameters:
  rows: [8, 16]
  cols: [8, 16]
  dataflow: [ws, os, is]
objectives:
  - minimize: latency_cycles
  - minimize: energy_uj
YAML
    grep -v '^engine:\|^values_seed:' "$work/cycle.yaml" > "$work/analytical.yaml"
    for engine in cycle analytical; do  # the spec named relative to the working directory, as users type it
      (cd "$work" && "$pesim" dse --space "$engine.yaml" --cost-db cost.db --progress lines --strategy grid \
        --db "$engine.db" >/dev/null 2>err) || fail "$engine run: $(cat "$work/err")"
      [ "$(q "$work/$engine.db" "SELECT count(*) FROM dse_evaluations WHERE status = 'ok'")" = 12 ] ||
        fail "$engine: $(q "$work/$engine.db" 'SELECT error FROM dse_evaluations')"
    done
    [ "$(q "$work/cycle.db" 'SELECT DISTINCT evaluator FROM dse_evaluations')" = cycle+cost/ihp_sg13g2 ] ||
      fail "evaluator name"
    # The store keeps the spec's absolute path, so a run validated (or resumed) from another directory still finds
    # the workload file named relative to the spec.
    (cd / && "$pesim" dse --validate-run 1 --train 8 --test-limit 4 --db "$work/cycle.db" --format json \
       >/dev/null 2>"$work/err") || fail "validate-run from /: $(cat "$work/err")"
    metric_of() {  # DB METRIC: "hash|value" per design
      q "$1" "SELECT d.hash || '|' || printf('%.17g', m.value) FROM dse_evaluations e
              JOIN dse_designs d ON d.id = e.design_id JOIN dse_metrics m ON m.evaluation_id = e.id
              WHERE m.name = '$2' ORDER BY d.hash"
    }
    longer=0
    while IFS='|' read -r hash cycle_cycles analytical_cycles; do
      [ "$cycle_cycles" -ge "$analytical_cycles" ] || fail "$hash: cycle engine $cycle_cycles < $analytical_cycles"
      [ "$cycle_cycles" -gt "$analytical_cycles" ] && longer=$((longer + 1))
    done < <(LC_ALL=C join -t '|' <(metric_of "$work/cycle.db" latency_cycles) <(metric_of "$work/analytical.db" latency_cycles))
    [ "$longer" -gt 0 ] || fail "no design stalled longer under the cycle engine: its stalls were not counted"
    # The MACs are the same, so is the energy of computing them.
    diff <(metric_of "$work/cycle.db" energy_compute_uj) <(metric_of "$work/analytical.db" energy_compute_uj) ||
      fail "compute energy differs between the engines"
    while IFS='|' read -r rows cols dataflow cycles; do
      sim_cycles=$("$pesim" sim --arch int8 --set rows="$rows" --set cols="$cols" --set dataflow="$dataflow" \
                     --set dram_bytes_per_cycle=4 --set ifmap_sram_bytes=8192 --workload "$work/gemms.yaml" \
                     --engine cycle --seed 5 --format json | jq '.total_cycles')
      [ "$sim_cycles" = "$cycles" ] || fail "rows=$rows cols=$cols $dataflow: dse $cycles, pesim sim $sim_cycles"
    done < <(q "$work/cycle.db" "SELECT json_extract(d.parameters, '$.rows'), json_extract(d.parameters, '$.cols'),
                                        json_extract(d.parameters, '$.dataflow'), CAST(m.value AS INTEGER)
                                   FROM dse_evaluations e JOIN dse_designs d ON d.id = e.design_id
                                   JOIN dse_metrics m ON m.evaluation_id = e.id WHERE m.name = 'latency_cycles'")
    # A layer too large for the cycle engine is refused, naming the spec's engine line, before anything is stored.
    printf 'name: big\nworkload: llama2-7b:decode\nbatch: 64\nengine: cycle\nparameters:\n  rows: [8]\nobjectives:\n  - minimize: latency_ms\n' \
      > "$work/big.yaml"
    out=$("$pesim" dse --space "$work/big.yaml" --db "$work/big.db" --cost-db "$work/cost.db" 2>&1)
    [ $? -eq 2 ] || fail "exit status not 2"
    grep -q "big.yaml:4: engine: cycle: layer .* MACs" <<<"$out" || fail "message: $out"
    [ ! -e "$work/big.db" ] || fail "a database was created for a space the engine refuses" ;;
  *) fail "unknown case $case_name" ;;
esac
