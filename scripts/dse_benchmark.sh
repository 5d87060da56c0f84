#!/usr/bin/env bash
# The DSE's acceptance numbers on pesim's default space, written to results/dse/default_space.md:
#   1. the exhaustive grid (every design: the true Pareto front);
#   2. random, nsga2 and model (GP-guided) over SEEDS seeds with 5% of the space's evaluations each, their
#      hypervolume against evaluations as a fraction of the exhaustive front's;
#   3. the cost models' held-out accuracy (GP and boosted trees) on the grid's evaluations, and their speed against
#      the evaluator's;
#   4. kill -9 in the middle of a sweep, then --resume;
#   5. mpirun -np 2 against one process: the same designs and results, and the wall time of each.
# Usage: scripts/dse_benchmark.sh [PESIM] [SEEDS] [WORKDIR] [--write-only]. A benchmark, not a test: about half an
# hour on 2 cores. --write-only writes the markdown again from a finished WORKDIR's stores without running anything.
set -euo pipefail
pesim=$(realpath "${1:-./build/pesim}")
seeds=${2:-5}
work=$(realpath -m "${3:-$(mktemp -d)}")
write_only=${4:-}
mkdir -p "$work"
cd "$(dirname "$0")/.."
source scripts/dse_common.sh
out=results/dse/default_space.md
db=$work/dse.db
cost=$work/cost.db
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1

kdb=$work/kill.db
if [ "$write_only" != --write-only ]; then

# 1. The exhaustive grid (run 1); with an empty cost cache its first evaluations synthesize the PEs.
"$pesim" dse --strategy grid --db "$db" --cost-db "$cost" --progress none >/dev/null 2>&1
designs=$(q "$db" 'SELECT count(*) FROM dse_evaluations WHERE run_id = 1')
budget=$((designs * 5 / 100))

# 2. Every strategy over every seed: random and nsga2 at 5% of the space; model at a third of that (its asks refit
#    a GP per objective and score every unseen design, seconds each once it has hundreds of observations).
model_budget=$((budget / 3))
for seed in $(seq 1 "$seeds"); do
  for strategy in random nsga2 model; do
    b=$budget; [ "$strategy" = model ] && b=$model_budget
    "$pesim" dse --strategy "$strategy" --seed "$seed" --budget "$b" --db "$db" --cost-db "$cost" \
      --progress none >/dev/null 2>>"$work/strategies.log"
  done
done
"$pesim" report --db "$db" --format json > "$work/report.json"

# 3. Cost-model accuracy on held-out designs of the grid, on the features runs use (the parameters and the workload's
#    operand footprints) and on the parameters alone.
for features in workload parameters; do
  for model in gp trees; do
    for train in 2000 5000; do
      "$pesim" dse --validate-run 1 --train $train --test-limit 3000 --cost-model $model --features $features \
        --seed 1 --db "$db" --format json > "$work/$model-$features-$train.json"
    done
  done
done

# 4. kill -9 mid-sweep, then --resume.
"$pesim" dse --strategy random --seed 11 --budget 3000 --batch 50 --db "$kdb" --cost-db "$cost" --progress none \
  >/dev/null 2>&1 &
pid=$!
until [ "$(q "$kdb" 'SELECT count(*) FROM dse_evaluations' 2>/dev/null || echo 0)" -ge 1000 ]; do sleep 0.05; done
kill -9 $pid
wait $pid 2>/dev/null || true
q "$kdb" 'SELECT count(*) FROM dse_evaluations' > "$work/killed_at"
"$pesim" dse --resume --db "$kdb" --cost-db "$cost" --progress none >/dev/null 2>&1
"$pesim" dse --strategy random --seed 11 --budget 3000 --batch 50 --db "$work/nokill.db" --cost-db "$cost" \
  --progress none >/dev/null 2>&1

# 5. MPI: 2 processes against 1, same seed, warm cost cache (scripts/dse_mpi_benchmark.sh also has a cold one).
"$pesim" dse --strategy random --seed 21 --budget 6000 --batch 100 --db "$work/one.db" --cost-db "$cost" \
  --progress none >/dev/null 2>&1
mpirun -np 2 "$pesim" dse --strategy random --seed 21 --budget 6000 --batch 100 --db "$work/two.db" \
  --cost-db "$cost" --progress none --mpi >/dev/null 2>&1
fi

designs=$(q "$db" 'SELECT count(*) FROM dse_evaluations WHERE run_id = 1')
budget=$((designs * 5 / 100))
model_budget=$((budget / 3))
grid_seconds=$(sweep_seconds "$db" 1)
killed_at=$(cat "$work/killed_at")
after=$(q "$kdb" 'SELECT count(*) || " evaluations, " || count(DISTINCT design_id) || " distinct designs" FROM dse_evaluations')
if diff <(results_of "$kdb") <(results_of "$work/nokill.db") >/dev/null; then same_kill=yes; else same_kill=NO; fi
one_seconds=$(sweep_seconds "$work/one.db" 1)
two_seconds=$(sweep_seconds "$work/two.db" 1)
if diff <(results_of "$work/one.db") <(results_of "$work/two.db") >/dev/null; then same_mpi=yes; else same_mpi=NO; fi

# The table of hypervolume fractions: per strategy, the mean, min and max over seeds after k evaluations.
grid_hv=$(jq '.runs[] | select(.id == 1) | .final_hypervolume' "$work/report.json")
checkpoints="50 100 200 400 $model_budget $budget"

{
  echo "# The DSE on pesim's default space"
  echo
  echo "Made by \`scripts/dse_benchmark.sh\` with pesim $("$pesim" --version | tail -1), $(date -u +%Y-%m-%d), on"
  echo "$(nproc) cores. The space is \`pesim dse --print-space\`: $designs distinct designs (LLaMA-2-7B decode, batch 64,"
  echo "KV cache 512; 10 PE configurations x 25 array shapes x 3 dataflows x 48 SRAM combinations; area <= 100 mm2 on"
  echo "IHP SG13G2; minimize latency, energy and area). Every number below comes from the store the script fills."
  echo
  echo "## Exhaustive grid"
  echo
  echo "$designs evaluations in ${grid_seconds} s of sweep (store writes included; PE syntheses included when the"
  echo "cost cache started empty);"
  echo "$(q "$db" "SELECT count(*) FROM dse_evaluations WHERE run_id = 1 AND feasible = 1") feasible; the exhaustive"
  echo "front has $(jq '.runs[] | select(.id == 1) | .pareto_front | length' "$work/report.json") designs. Hypervolume is measured on the scale of that"
  echo "front (its ideal 0, its nadir 1, reference point 1.1 in each objective), so 100% means the whole true front."
  echo
  echo "## Hypervolume against evaluations ($seeds seeds)"
  echo
  echo "Budgets: random and nsga2 $budget evaluations (5% of the space), model $model_budget (a run ends there, so"
  echo "its columns beyond show its final value). Mean over seeds (min-max) of the fraction of the exhaustive front's"
  echo "hypervolume reached after k evaluations, and the evaluations each seed needed to reach 98%:"
  echo
  hv_table "$work/report.json" "$grid_hv" "$checkpoints"
  echo
  echo "The curves of every run are in \`default_space.html\` (\`pesim report\`)."
  echo
  echo "## Cost-model accuracy on held-out designs"
  echo
  echo "Fitted on 2000 or 5000 designs of the grid drawn with seed 1, tested on 3000 others; targets learned as logarithms"
  echo "(energy as the sum of one model per part: compute, SRAM, DRAM, leakage); RMSE relative to the mean of the tested"
  echo "metric. Features: \`workload\` is what \`pesim dse\` runs give their models (the parameters, the operands' bits in"
  echo "memory, and whether each of the workload's GEMM operand footprints fits half its SRAM:"
  echo "$(jq -r '.[0].validation' "$work/gp-workload-5000.json" | sed 's/.*on the parameters and //')), \`parameters\` the"
  echo "space's parameters alone."
  echo
  echo "Prediction time per design: with its uncertainty, in batches (what the model strategy does), and of the mean"
  echo "alone, one design at a time. The evaluator took $(jq '.[0].evaluate_seconds * 1e5 | round / 100' "$work/gp-workload-5000.json") ms per design on average over the grid (analytical"
  echo "engine and cost flow, the 10 PE configurations' syntheses and switching-activity simulations included: the"
  echo "cost cache started empty) and $(jq '.[0].evaluate_median_seconds * 1e5 | round / 100' "$work/gp-workload-5000.json") ms at the median (a design whose PE was already"
  echo "synthesized). Speed-ups are of the mean alone against each. Times were measured on a machine shared with"
  echo "other jobs."
  echo
  model_table_header
  for features in workload parameters; do
    model_rows "$work"/gp-$features-2000.json "$work"/gp-$features-5000.json "$work"/trees-$features-2000.json \
      "$work"/trees-$features-5000.json
  done
  echo
  echo "## kill -9, then --resume"
  echo
  echo "A random sweep of 3000 designs killed with SIGKILL after $killed_at stored evaluations, then \`pesim dse"
  echo "--resume\`: $after; the same designs and results as the uninterrupted run: $same_kill."
  echo
  echo "## MPI"
  echo
  echo "A random sweep of 6000 designs, batch 100, warm cost cache: one process ${one_seconds} s, \`mpirun -np 2\`"
  echo "${two_seconds} s of sweep; the same designs and results: $same_mpi. With a warm cache an evaluation ($(jq '.[0].evaluate_median_seconds * 1e5 | round / 100' "$work/gp-workload-5000.json") ms at"
  echo "the grid's median) costs less than rank 0's SQLite transaction for it, so a second process cannot help; \`mpi.md\`"
  echo "(\`scripts/dse_mpi_benchmark.sh\`) measures sweeps whose evaluations synthesize PEs."
} > "$out"
"$pesim" report --db "$db" --run "$(q "$db" "SELECT max(id) FROM dse_runs WHERE strategy = 'model'")" \
  --out results/dse/default_space.html
echo "wrote $out (work files in $work)"
