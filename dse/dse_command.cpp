// SPDX-License-Identifier: Apache-2.0
#include "dse/dse_command.h"

#include <fmt/format.h>
#include <unistd.h>

#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "dse/cost_model/model_validation.h"
#include "dse/eval/metrics.h"
#include "dse/eval/workload_features.h"
#include "dse/interrupt.h"
#include "dse/mpi_pool.h"
#include "dse/sweep.h"
#include "pesim/version.h"

namespace pesim::dse {
namespace {

// The run to do: a new one from the request, or the unfinished one --resume continues (its own space, strategy,
// seed, budget and batch, whatever the command line says).
struct RunSetup {
  SpaceSpec spec;
  RunInfo run;
  std::map<std::string, StoredEvaluation> stored;
};

int64_t default_batch(const std::string& strategy) { return strategy == "model" ? 20 : strategy == "nsga2" ? 24 : 50; }

// Distinct designs: the canonical points of the product, counted where that is quick, else the product's size.
uint64_t design_count(const DesignSpace& space) {
  if (space.product_size() > (uint64_t{1} << 24)) return space.product_size();
  uint64_t count = 0;
  for (uint64_t i = 0; i < space.product_size(); ++i) count += space.is_canonical(space.design_at(i)) ? 1 : 0;
  return count;
}

RunSetup new_run(const DseRequest& r, DseStore& store, int processes) {
  RunSetup setup{r.space.empty() ? default_space() : read_space_file(r.space), {}, {}};
  RunInfo& run = setup.run;
  run.space_id = store.space_id(setup.spec);
  run.strategy = r.strategy;
  run.cost_model = r.cost_model;
  run.seed = r.seed;
  run.batch_size = r.batch > 0 ? r.batch : default_batch(r.strategy);
  const uint64_t designs = design_count(setup.spec.space);
  run.budget = r.budget > 0 ? r.budget : r.strategy == "grid" ? static_cast<int64_t>(designs) : kDefaultBudget;
  run.budget = std::min<int64_t>(run.budget, static_cast<int64_t>(designs));
  run.pesim_version = fmt::format("{} ({})", kVersion, kGitDescribe);
  run.command_line = r.command_line;
  run.processes = processes;
  store.start_run(run);
  return setup;
}

RunSetup resumed_run(DseStore& store, std::ostream& err) {
  const std::optional<RunInfo> run = store.latest_unfinished_run();
  if (!run) throw std::invalid_argument(store.database().path() + ": --resume: no unfinished run to continue");
  RunSetup setup{store.stored_space(run->space_id), *run, store.run_evaluations(run->id)};
  store.set_run_status(run->id, "running");
  err << fmt::format("pesim dse: resuming run {} ({}, seed {}, {} of {} evaluations stored)\n", run->id, run->strategy,
                     run->seed, setup.stored.size(), run->budget);
  return setup;
}

Progress::Style progress_style(const std::string& option) {
  if (option == "bar") return Progress::Style::Bar;
  if (option == "lines") return Progress::Style::Lines;
  if (option == "none") return Progress::Style::None;
  return isatty(STDERR_FILENO) ? Progress::Style::Bar : Progress::Style::Lines;
}

std::string metric_text(const Evaluation& e, const std::string& name) {
  const auto found = e.metrics.find(name);
  return found == e.metrics.end() ? "-" : fmt::format("{:.5g}", found->second);
}

// The metrics a front's table shows: the objectives, then the constraints' and area, energy and latency.
std::vector<std::string> shown_metrics(const SpaceSpec& spec) {
  std::vector<std::string> names;
  const auto add = [&](const std::string& name) {
    if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  };
  for (const Objective& o : spec.objectives) add(o.metric);
  for (const Constraint& c : spec.constraints) add(c.metric);
  for (const char* name : {"latency_ms", "energy_uj", "area_mm2", "power_mw"}) add(name);
  return names;
}

void print_text(const RunSetup& setup, const SweepResult& result, const std::vector<size_t>& front, std::ostream& out) {
  const SpaceSpec& spec = setup.spec;
  int64_t failed = 0, infeasible = 0;
  for (const Observation& o : result.observations) {
    failed += o.failed ? 1 : 0;
    infeasible += !o.failed && !o.feasible ? 1 : 0;
  }
  out << fmt::format(
      "pesim dse: run {} of space '{}' ({} designs), strategy {}, seed {}: {} evaluations ({} now, {} "
      "resumed), {} failed, {} infeasible\n",
      setup.run.id, spec.name, design_count(spec.space), setup.run.strategy, setup.run.seed, result.observations.size(),
      result.evaluated, result.reused, failed, infeasible);
  out << fmt::format("Pareto front ({} designs):\n", front.size());
  const std::vector<std::string> metrics = shown_metrics(spec);
  std::string header;
  for (const std::string& m : metrics) header += fmt::format("{:>14}", m);
  out << header << "  design\n";
  std::vector<size_t> sorted = front;
  std::sort(sorted.begin(), sorted.end(),
            [&](size_t a, size_t b) { return result.observations[a].objectives < result.observations[b].objectives; });
  for (size_t i : sorted) {
    std::string row;
    for (const std::string& m : metrics) row += fmt::format("{:>14}", metric_text(result.evaluations[i], m));
    out << row << "  " << spec.describe(result.designs[i]) << "\n";
  }
}

void print_json(const RunSetup& setup, const SweepResult& result, const std::vector<size_t>& front, std::ostream& out) {
  nlohmann::ordered_json j;
  j["run"] = setup.run.id;
  j["space"] = setup.spec.name;
  j["strategy"] = setup.run.strategy;
  j["seed"] = setup.run.seed;
  j["evaluations"] = result.observations.size();
  j["evaluated_now"] = result.evaluated;
  j["resumed"] = result.reused;
  j["pesim_version"] = setup.run.pesim_version;
  nlohmann::ordered_json designs = nlohmann::ordered_json::array();
  for (size_t i : front) {
    nlohmann::ordered_json d;
    d["design"] = setup.spec.space.key(result.designs[i]);
    d["hash"] = setup.spec.space.hash(result.designs[i]);
    for (const auto& [name, value] : result.evaluations[i].metrics) d[name] = value;
    designs.push_back(d);
  }
  j["pareto_front"] = designs;
  out << j.dump(2) << "\n";
}

// Marks a run that did not finish as interrupted, for --resume; a store that fails again is reported, not thrown.
void mark_interrupted(DseStore& store, int64_t run_id, std::ostream& err) {
  try {
    store.set_run_status(run_id, "interrupted");
    err << fmt::format("pesim dse: run {} is marked interrupted (--resume continues it)\n", run_id);
  } catch (const std::exception& e) {
    err << fmt::format("pesim dse: run {} could not be marked interrupted: {}\n", run_id, e.what());
  }
}

// Runs the sweep on rank 0 (or alone); returns the exit status. A failure (the store, a diverged replay, the pool,
// the cost models) is printed as `pesim dse: ...` and gives status 2, the run marked interrupted unless it finished.
int drive(const DseRequest& r, DseStore& store, RunSetup& setup, EvaluationPool& pool, std::ostream& out,
          std::ostream& err) {
  const InterruptGuard interrupts;
  Progress progress(err, progress_style(r.progress), setup.run.budget);
  bool finished = false;
  try {
    err << fmt::format(
        "pesim dse: run {}: space '{}' ({} designs), strategy {}, seed {}, budget {}, batch {}, {} "
        "process{}, store {}\n",
        setup.run.id, setup.spec.name, design_count(setup.spec.space), setup.run.strategy, setup.run.seed,
        setup.run.budget, setup.run.batch_size, pool.processes(), pool.processes() == 1 ? "" : "es",
        store.database().path());
    StrategyOptions options;
    options.seed = setup.run.seed;
    options.objective_count = setup.spec.objectives.size();
    options.budget = static_cast<uint64_t>(setup.run.budget);
    options.cost_model = setup.run.cost_model;
    const auto features = std::make_shared<const WorkloadFeatures>(setup.spec);
    options.features = features;
    const std::unique_ptr<Strategy> strategy = make_strategy(setup.run.strategy, setup.spec.space, options);
    const SweepResult result = run_sweep(setup.spec, setup.run, *strategy, store, setup.stored, pool, progress);
    store.set_run_status(setup.run.id, "finished");
    finished = true;
    record_cost_models(setup.spec, setup.run, model_data(setup.spec, result.designs, result.evaluations), *features,
                       store, err);
    const std::vector<size_t> front = pareto_front(result.observations);
    if (r.format == "json") {
      print_json(setup, result, front, out);
    } else {
      print_text(setup, result, front, out);
    }
  } catch (const Interrupted& e) {
    progress.finish();
    err << "pesim dse: " << e.what() << "\n";
    mark_interrupted(store, setup.run.id, err);
    return 128 + e.signal();
  } catch (const std::exception& e) {
    progress.finish();  // ends a progress bar's line
    err << "pesim dse: " << e.what() << "\n";
    if (!finished) mark_interrupted(store, setup.run.id, err);
    return 2;
  }
  return 0;
}

RunSetup open_run(const DseRequest& r, DseStore& store, std::ostream& err, int processes) {
  return r.resume ? resumed_run(store, err) : new_run(r, store, processes);
}

// A new run's space and workload fail before the database is touched: the spec (SpaceError), the workload file, a
// layer the spec's engine refuses. A resumed run's space is the store's.
void check_new_space(const DseRequest& r) {
  if (r.resume) return;
  const SpaceSpec spec = r.space.empty() ? default_space() : read_space_file(r.space);
  const Evaluator probe(spec, r.cost_db);  // loads the workload only; the cost cache is opened per PE, later
}

int run_single(const DseRequest& r, std::ostream& out, std::ostream& err) {
  std::unique_ptr<DseStore> store;
  RunSetup setup;
  std::unique_ptr<Evaluator> evaluator;
  try {
    check_new_space(r);
    store = std::make_unique<DseStore>(r.db);
    setup = open_run(r, *store, err, 1);
    evaluator = std::make_unique<Evaluator>(setup.spec, r.cost_db);
  } catch (const std::exception& e) {  // SpaceError, StoreError, a bad workload or option
    err << "pesim dse: " << e.what() << "\n";
    if (setup.run.id != 0) mark_interrupted(*store, setup.run.id, err);  // started or resumed, then the evaluator
    return 2;
  }
  LocalPool pool(*evaluator);
  return drive(r, *store, setup, pool, out, err);
}

// A worker rank: evaluates what rank 0 sends until told to stop. A failure here (the workload, a bad design index)
// would leave rank 0 waiting for its results: the whole job ends by MPI_Abort.
int run_worker(int rank, const std::string& yaml, const std::string& source, const std::string& cost_db,
               std::ostream& err) {
  try {
    const SpaceSpec spec = parse_space(yaml, source);
    Evaluator evaluator(spec, cost_db);
    mpi_worker_loop(evaluator, spec);
  } catch (const std::exception& e) {
    err << fmt::format("pesim dse: rank {}: {}\n", rank, e.what()) << std::flush;
    mpi_abort(2);
  }
  mpi_finish();
  return 0;
}

int run_mpi(const DseRequest& r, std::ostream& out, std::ostream& err) {
  int rank = 0, processes = 1;
  mpi_start(rank, processes);
  std::unique_ptr<DseStore> store;
  RunSetup setup;
  std::unique_ptr<Evaluator> evaluator;  // rank 0's; refers to setup.spec
  std::string yaml, source, cost_db = r.cost_db;
  int status = 0;
  if (rank == 0) {
    try {
      check_new_space(r);
      store = std::make_unique<DseStore>(r.db);
      setup = open_run(r, *store, err, processes);
      evaluator = std::make_unique<Evaluator>(setup.spec, cost_db);  // before the workers start on the spec
      yaml = setup.spec.text;
      source = setup.spec.source;
    } catch (const std::exception& e) {
      err << "pesim dse: " << e.what() << "\n";
      if (setup.run.id != 0) mark_interrupted(*store, setup.run.id, err);
      status = 2;
    }
  }
  mpi_share_setup(yaml, source, cost_db);  // an empty spec tells the workers to stop
  if (yaml.empty()) {
    mpi_finish();
    return status;
  }
  if (rank != 0) return run_worker(rank, yaml, source, cost_db, err);
  {
    MpiPool pool(*evaluator, setup.spec, processes);
    status = drive(r, *store, setup, pool, out, err);
    if (!pool.idle()) {  // workers still evaluate designs whose results nobody will receive
      out << std::flush;
      err << std::flush;
      mpi_abort(status);
    }
  }  // stops the workers
  mpi_finish();
  return status;
}

// --validate-run: the held-out accuracy of the cost model on a stored run (e.g. an exhaustive grid).
int run_validation(const DseRequest& r, std::ostream& out, std::ostream& err) {
  try {
    DseStore store(r.db);
    const std::optional<RunInfo> run = store.run(r.validate_run);
    if (!run) throw std::invalid_argument(fmt::format("{}: --validate-run {}: no such run", r.db, r.validate_run));
    const SpaceSpec spec = store.stored_space(run->space_id);
    std::vector<Design> designs;
    std::vector<Evaluation> evaluations;
    for (const auto& [hash, stored] : store.run_evaluations(run->id)) {
      designs.push_back(spec.space.design_of_key(stored.design_key));
      evaluations.push_back(stored.evaluation);
    }
    const ModelData data = model_data(spec, designs, evaluations);
    std::unique_ptr<const DesignFeatures> features;
    if (r.features == "workload") {
      features = std::make_unique<const WorkloadFeatures>(spec);
    } else {
      features = std::make_unique<const ParameterFeatures>(spec.space);
    }
    nlohmann::ordered_json models = nlohmann::ordered_json::array();
    for (const std::string& metric : validated_metrics(spec)) {
      const DseStore::ModelRecord m = held_out_model(data, metric, r.cost_model, static_cast<size_t>(r.train),
                                                     static_cast<size_t>(r.test_limit), r.seed, *features);
      store.record_model(run->id, run->space_id, m);
      models.push_back({{"metric", metric},
                        {"regressor", m.regressor},
                        {"validation", m.validation},
                        {"train", m.training_designs},
                        {"test", m.test_designs},
                        {"rmse_relative", m.rmse_relative},
                        {"mape", m.mape},
                        {"spearman", m.spearman},
                        {"predict_seconds", m.predict_seconds},
                        {"predict_mean_seconds", m.predict_mean_seconds},
                        {"evaluate_seconds", m.evaluate_seconds},
                        {"evaluate_median_seconds", m.evaluate_median_seconds},
                        {"seed", r.seed}});
      if (r.format != "json")
        out << fmt::format(
            "{} {} ({}): trained on {}, tested on {}: RMSE {:.3g}% of the mean, MAPE {:.3g}%, "
            "Spearman {:.4f}; {:.3g} us per prediction with its uncertainty (batches), {:.3g} us for "
            "the mean alone; {:.3g} ms per evaluation (mean; median {:.3g} ms), {:.0f}x the mean "
            "alone\n",
            m.regressor, metric, m.validation, m.training_designs, m.test_designs, 100 * m.rmse_relative, 100 * m.mape,
            m.spearman, m.predict_seconds * 1e6, m.predict_mean_seconds * 1e6, m.evaluate_seconds * 1e3,
            m.evaluate_median_seconds * 1e3, m.evaluate_seconds / m.predict_mean_seconds);
    }
    if (r.format == "json") out << models.dump(2) << "\n";
  } catch (const std::exception& e) {
    err << "pesim dse: " << e.what() << "\n";
    return 2;
  }
  return 0;
}

}  // namespace

void add_dse_subcommand(CLI::App& app, DseRequest& r) {
  auto* cmd = app.add_subcommand("dse", "Explore a design space: ask/tell search, every evaluation stored in SQLite");
  auto* space =
      cmd->add_option("--space", r.space, "space spec .yaml (default: the built-in space; --print-space shows it)");
  auto* strategy = cmd->add_option("--strategy", r.strategy, "grid, random, nsga2 or model (cost-model guided)")
                       ->check(CLI::IsMember({"grid", "random", "nsga2", "model"}))
                       ->capture_default_str();
  auto* budget = cmd->add_option("--budget", r.budget,
                                 fmt::format("evaluations (default: grid the whole space, others {})", kDefaultBudget))
                     ->check(CLI::Range(int64_t{1}, int64_t{1} << 40));
  auto* seed = cmd->add_option("--seed", r.seed, "seed of the strategy (printed and stored)")->capture_default_str();
  auto* batch = cmd->add_option("--batch", r.batch, "designs per ask (default: model 20, nsga2 24, others 50)")
                    ->check(CLI::Range(int64_t{1}, int64_t{1} << 20));
  auto* cost_model = cmd->add_option("--cost-model", r.cost_model, "the model strategy's surrogate: gp or trees")
                         ->check(CLI::IsMember({"gp", "trees"}))
                         ->capture_default_str();
  cmd->add_option("--db", r.db, "SQLite store of the runs, designs and evaluations")->capture_default_str();
  cmd->add_option("--cost-db", r.cost_db, "SQLite cache of synthesis results")->capture_default_str();
  auto* resume = cmd->add_flag("--resume", r.resume,
                               "continue the newest unfinished run in --db with its own space, strategy, seed, "
                               "budget, batch and cost model, repeating no evaluation");
  // A resumed run keeps what it was started with: a different value on the command line would be dropped silently.
  for (CLI::Option* stored_with_the_run : {space, strategy, budget, seed, batch, cost_model}) {
    stored_with_the_run->excludes(resume);
  }
  cmd->add_flag("--mpi", r.mpi, "under mpirun: rank 0 hands out designs and writes the store, all ranks evaluate");
  cmd->add_flag("--print-space", r.print_space, "print the default space's YAML and exit");
  cmd->add_option("--validate-run", r.validate_run,
                  "held-out accuracy of --cost-model on a stored run: fit on --train designs, test on the others");
  cmd->add_option("--train", r.train, "--validate-run: designs to train on (drawn with --seed)");
  cmd->add_option("--test-limit", r.test_limit, "--validate-run: test on at most this many of the others")
      ->capture_default_str();
  cmd->add_option("--features", r.features,
                  "--validate-run: what the model sees of a design: workload (the parameters and whether the "
                  "workload's operand footprints fit the buffers, as runs use) or parameters")
      ->check(CLI::IsMember({"workload", "parameters"}))
      ->capture_default_str();
  cmd->add_option("--progress", r.progress, "auto (a bar on a terminal, else lines), bar, lines or none")
      ->check(CLI::IsMember({"auto", "bar", "lines", "none"}))
      ->capture_default_str();
  cmd->add_option("--format", r.format, "text or json (the Pareto front)")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
}

int run_dse(const DseRequest& r, std::ostream& out, std::ostream& err) {
  if (r.print_space) {
    out << default_space_yaml();
    return 0;
  }
  if (r.validate_run > 0) return run_validation(r, out, err);
  return r.mpi ? run_mpi(r, out, err) : run_single(r, out, err);
}

}  // namespace pesim::dse
