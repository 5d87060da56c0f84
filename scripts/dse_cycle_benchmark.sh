#!/usr/bin/env bash
# The DSE on a space timed by the cycle-level engine (dse/examples/small_decoder_cycle.yaml), written to
# results/dse/cycle_space.md:
#   1. the exhaustive grid under `mpirun -np 2` (every design clocked with real operand values), and the same space
#      timed by the analytical engine, to show what the cycle engine's fold-by-fold DRAM stalls change;
#   2. the cost models' held-out accuracy on the grid's evaluations (GP and boosted trees, workload and parameter
#      features), and their prediction time against the evaluator's wall time per design.
# Usage: scripts/dse_cycle_benchmark.sh [PESIM] [WORKDIR] [--write-only]. A benchmark, not a test: about 40 minutes
# on 2 cores with a warm cost cache in WORKDIR/cost.db. --write-only writes the markdown again from a finished
# WORKDIR's stores without running anything.
set -euo pipefail
pesim=$(realpath "${1:-./build/pesim}")
work=$(realpath -m "${2:-$(mktemp -d)}")
write_only=${3:-}
mkdir -p "$work"
cd "$(dirname "$0")/.."
source scripts/dse_common.sh
space=dse/examples/small_decoder_cycle.yaml
out=results/dse/cycle_space.md
db=$work/cycle.db
adb=$work/analytical.db
cost=$work/cost.db
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
train_sizes="1000 1500"
budget=108  # 5% of the space's 2160 designs

if [ "$write_only" != --write-only ]; then
  # 1. Both grids. The analytical space is the same file without its engine lines (its workload path is relative
  #    to the spec, so the copy stays beside it).
  mpirun -np 2 "$pesim" dse --space "$space" --strategy grid --db "$db" --cost-db "$cost" --mpi --progress none \
    >/dev/null 2>"$work/grid.log"
  analytical_space=dse/examples/.small_decoder_analytical.yaml
  trap 'rm -f "$analytical_space"' EXIT
  grep -v '^engine:\|^values_seed:' "$space" > "$analytical_space"
  "$pesim" dse --space "$analytical_space" --strategy grid --db "$adb" --cost-db "$cost" --progress none \
    >/dev/null 2>>"$work/grid.log"
  # 2. The model-guided strategy and random search over 3 seeds each, 5% of the space's evaluations, under
  #    mpirun -np 2 (the same designs and results as one process).
  for seed in 1 2 3; do
    for strategy in model random; do
      mpirun -np 2 "$pesim" dse --space "$space" --strategy $strategy --seed $seed --budget "$budget" --db "$db" \
        --cost-db "$cost" --mpi --progress none >/dev/null 2>>"$work/strategies.log"
    done
  done
  # 3. Held-out accuracy: trained on designs drawn with seed 1, tested on 660 others.
  for features in workload parameters; do
    for model in gp trees; do
      for train in $train_sizes; do
        "$pesim" dse --validate-run 1 --train "$train" --test-limit 660 --cost-model $model --features $features \
          --seed 1 --db "$db" --format json > "$work/$model-$features-$train.json"
      done
    done
  done
fi

designs=$(q "$db" "SELECT count(*) FROM dse_evaluations WHERE run_id = 1 AND status = 'ok'")
failed=$(q "$db" "SELECT count(*) FROM dse_evaluations WHERE run_id = 1 AND status != 'ok'")
# Per design of the grid (run 1): "hash|metric" for both engines, joined.
metric_of() { q "$1" "SELECT d.hash || '|' || printf('%.17g', m.value) FROM dse_evaluations e
                      JOIN dse_designs d ON d.id = e.design_id JOIN dse_metrics m ON m.evaluation_id = e.id
                      WHERE e.run_id = 1 AND m.name = '$2' ORDER BY d.hash"; }
latency_pairs=$(LC_ALL=C join -t '|' <(metric_of "$db" latency_cycles) <(metric_of "$adb" latency_cycles))
longer=$(awk -F'|' '$2 > $3' <<<"$latency_pairs" | wc -l)
shorter=$(awk -F'|' '$2 < $3' <<<"$latency_pairs" | wc -l)
max_longer=$(awk -F'|' 'BEGIN {m = 0} {r = $2 / $3 - 1; if (r > m) m = r} END {printf "%.1f", 100 * m}' <<<"$latency_pairs")
min_longer=$(awk -F'|' 'BEGIN {m = 1e9} {r = $2 / $3 - 1; if (r < m) m = r} END {printf "%.2f", 100 * m}' <<<"$latency_pairs")
front_of() { "$pesim" report --db "$1" --run 1 --format json | jq -r '.runs[0].pareto_front[]' | sort; }
front_cycle=$(front_of "$db" | wc -l)
front_analytical=$(front_of "$adb" | wc -l)
front_common=$(comm -12 <(front_of "$db") <(front_of "$adb") | wc -l)
# Wall time per evaluation by PE configuration (the first evaluation of each synthesized it when the cache was cold).
wall_rows=$(q "$db" "SELECT '| ' || json_extract(d.parameters, '$.pe') || ' | ' || count(*) || ' | '
                            || printf('%.3f', avg(e.wall_seconds)) || ' s | ' || printf('%.3f', min(e.wall_seconds))
                            || ' s | ' || printf('%.3f', max(e.wall_seconds)) || ' s |'
                       FROM dse_evaluations e JOIN dse_designs d ON d.id = e.design_id WHERE e.run_id = 1
                       GROUP BY json_extract(d.parameters, '$.pe') ORDER BY avg(e.wall_seconds)")
"$pesim" report --db "$db" --format json > "$work/report.json"
grid_hv=$(jq '.runs[] | select(.id == 1) | .final_hypervolume' "$work/report.json")
checkpoints="20 40 60 80 $budget"
reference=$work/gp-workload-1500.json

{
  echo "# The DSE on a space timed by the cycle-level engine"
  echo
  echo "Made by \`scripts/dse_cycle_benchmark.sh\` with pesim $("$pesim" --version | tail -1), $(date -u +%Y-%m-%d), on"
  echo "$(nproc) cores. The space is \`$space\`: a small LLaMA-style decoder in prefill (hidden 256, a 32-token"
  echo "chunk, 4 blocks; \`workloads/examples/small_decoder_prefill.yaml\`) on arrays of 5 PE configurations (MixPE W4A8"
  echo "and W4A16, int8, fp16, bf16) x 9 shapes (8 to 32 rows and columns) x 3 dataflows x 16 SRAM combinations, with"
  echo "a 16 bytes/cycle DRAM interface, on IHP SG13G2. Every design is clocked by the cycle-level engine on real"
  echo "operand values (\`engine: cycle\`, \`values_seed: 1\`). Every number below comes from the stores the script fills."
  echo
  echo "## Exhaustive grid"
  echo
  echo "$designs designs evaluated ($failed failed) in $(sweep_seconds "$db" 1) s of sweep under \`mpirun -np 2\`. Wall"
  echo "time per evaluation, by PE configuration (a PE's first evaluation includes its synthesis if the cost cache"
  echo "did not hold it yet):"
  echo
  echo "| PE | designs | mean | min | max |"
  echo "|---|---:|---:|---:|---:|"
  echo "$wall_rows"
  echo
  echo "Over the whole grid: $(jq '.[0].evaluate_seconds * 1e3 | round' "$reference") ms per design on average,"
  echo "$(jq '.[0].evaluate_median_seconds * 1e3 | round' "$reference") ms at the median. The same space timed by the"
  echo "analytical engine takes $(sweep_seconds "$adb" 1) s for all $designs designs in one process."
  echo
  echo "What the cycle engine changes: it computes for exactly the analytical engine's cycles (an evaluation fails"
  echo "otherwise), and counts DRAM stalls fold by fold. It timed $longer of the $designs designs longer than the"
  echo "analytical engine (by ${min_longer}% to ${max_longer}%), and $shorter shorter. The Pareto front (latency, energy, area) has"
  echo "$front_cycle designs under the cycle engine and $front_analytical under the analytical one; $front_common are on both."
  echo "No metric depends on the operand values: the engine's counts do not, and its fold-by-fold stalls have a"
  echo "closed form (\`dse/README.md\`). The values make every design a clocked datapath, not a formula."
  echo
  echo "## Hypervolume against evaluations (3 seeds)"
  echo
  echo "Each run had $budget evaluations (5% of the space), under \`mpirun -np 2\`. Mean over seeds (min-max) of the"
  echo "fraction of the exhaustive front's hypervolume reached after k evaluations (on the scale of that front: its ideal"
  echo "0, its nadir 1, reference point 1.1 in each objective), and the evaluations each seed needed to reach 98%:"
  echo
  hv_table "$work/report.json" "$grid_hv" "$checkpoints"
  echo
  echo "Sweep time of each run (its evaluations and its strategy's asks):"
  echo "$(q "$db" "SELECT group_concat(strategy || ' seed ' || seed || ': ' || round((julianday(updated_at) - julianday(started_at)) * 86400) || ' s', '; ') FROM dse_runs WHERE id != 1")."
  echo
  echo "## Cost-model accuracy and speed on held-out designs"
  echo
  echo "Fitted on 1000 or 1500 designs of the grid drawn with seed 1, tested on 660 others; targets learned as"
  echo "logarithms (energy as the sum of one model per part); RMSE relative to the mean of the tested metric."
  echo "Features: \`workload\` is what \`pesim dse\` runs give their models (the parameters, the operands' bits in"
  echo "memory, and whether each GEMM operand footprint of the workload fits half its SRAM), \`parameters\` the"
  echo "space's parameters alone. Prediction time per design: with its uncertainty in batches (what the model"
  echo "strategy does), and of the mean alone, one design at a time; the speed-ups are of the mean alone against the"
  echo "evaluator's mean and median wall time per design."
  echo
  model_table_header
  for features in workload parameters; do
    for model in gp trees; do
      model_rows $(for train in $train_sizes; do echo "$work/$model-$features-$train.json"; done)
    done
  done
} > "$out"
echo "wrote $out (work files in $work)"
