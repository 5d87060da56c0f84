// SPDX-License-Identifier: Apache-2.0
// The ask/tell loop and its store: every evaluation stored once, in order, and a run cut short at any evaluation
// continues (--resume) to the same designs and results as a run never interrupted, repeating no evaluation.
#include <catch2/catch.hpp>
#include <cmath>
#include <iostream>
#include <set>
#include <sstream>

#include "dse/sweep.h"
#include "tests/dse/dse_test_support.h"

using namespace pesim::dse;

namespace {

using pesim::dse::test::TempFile;

const std::string kSpace = "name: sweep-test\n" + pesim::dse::test::kSmallSpaceBody;

// Metrics as a smooth, conflicting function of the design, so that strategies have a front to find; no synthesis.
class SyntheticPool : public EvaluationPool {
 public:
  SyntheticPool(const SpaceSpec& spec, int64_t fail_after = -1) : m_spec(spec), m_fail_after(fail_after) {}
  void evaluate(const std::vector<Design>& designs, const Done& done) override {
    for (size_t i = 0; i < designs.size(); ++i) {
      if (m_fail_after >= 0 && evaluated >= m_fail_after) throw std::runtime_error("killed");
      const pesim::params::Settings s = m_spec.arch_settings(designs[i]);
      const double pes = std::stod(s.at("rows").value) * std::stod(s.at("cols").value);
      const double dataflow = static_cast<double>(designs[i][2]);
      Evaluation e;
      e.ok = true;
      e.metrics = {{"latency_ms", 1e4 / pes + dataflow},
                   {"energy_uj", pes * (1.0 + 0.1 * dataflow)},
                   {"area_mm2", pes / 1000.0}};
      ++evaluated;
      done(i, e, 0);
    }
  }
  int processes() const override { return 1; }
  std::string evaluator_name() const override { return "synthetic"; }
  int64_t evaluated = 0;

 private:
  const SpaceSpec& m_spec;
  int64_t m_fail_after;
};

RunInfo start(DseStore& store, const SpaceSpec& spec, const std::string& strategy, int64_t budget, int64_t batch) {
  RunInfo run;
  run.space_id = store.space_id(spec);
  run.strategy = strategy;
  run.cost_model = "gp";
  run.seed = 7;
  run.budget = budget;
  run.batch_size = batch;
  run.pesim_version = "test";
  store.start_run(run);
  return run;
}

SweepResult sweep(DseStore& store, const SpaceSpec& spec, const RunInfo& run, EvaluationPool& pool) {
  StrategyOptions options;
  options.seed = run.seed;
  options.budget = static_cast<uint64_t>(run.budget);
  auto strategy = make_strategy(run.strategy, spec.space, options);
  Progress quiet(std::cerr, Progress::Style::None, run.budget);
  return run_sweep(spec, run, *strategy, store, store.run_evaluations(run.id), pool, quiet);
}

}  // namespace

TEST_CASE("Every evaluation is stored once, in the run's order", "[dse][store]") {
  const SpaceSpec spec = parse_space(kSpace, "sweep.yaml");
  TempFile db("pesim_test_sweep_order.db");
  DseStore store(db.path);
  const RunInfo run = start(store, spec, "grid", 40, 7);
  SyntheticPool pool(spec);
  const SweepResult result = sweep(store, spec, run, pool);
  CHECK(result.observations.size() == 40);
  const auto stored = store.run_evaluations(run.id);
  REQUIRE(stored.size() == 40);
  std::set<int64_t> sequences;
  for (const auto& [hash, s] : stored) {
    sequences.insert(s.sequence);
    CHECK(s.evaluation.metrics.at("area_mm2") > 0);
  }
  CHECK(*sequences.begin() == 0);
  CHECK(*sequences.rbegin() == 39);
  // Infeasible designs (area over 3 mm2: 64x64) are stored as such and kept off the front.
  for (size_t i : pareto_front(result.observations)) CHECK(result.observations[i].feasible);
}

TEST_CASE("A run cut short continues to the uninterrupted run's designs and results", "[dse][store]") {
  const SpaceSpec spec = parse_space(kSpace, "sweep.yaml");
  for (const std::string strategy : {"random", "nsga2", "model"}) {
    for (int64_t cut : {0, 5, 13, 24}) {
      CAPTURE(strategy, cut);
      TempFile db("pesim_test_sweep_resume.db");
      DseStore store(db.path);
      const RunInfo reference_run = start(store, spec, strategy, 30, 6);
      SyntheticPool reference_pool(spec);
      const SweepResult reference = sweep(store, spec, reference_run, reference_pool);

      const RunInfo run = start(store, spec, strategy, 30, 6);
      SyntheticPool killed(spec, cut);
      CHECK_THROWS(sweep(store, spec, run, killed));
      CHECK(store.run_evaluations(run.id).size() == static_cast<size_t>(cut));

      SyntheticPool resumed_pool(spec);
      const SweepResult resumed = sweep(store, spec, run, resumed_pool);
      CHECK(resumed_pool.evaluated == 30 - cut);
      CHECK(resumed.reused == cut);
      CHECK(resumed.designs == reference.designs);
      CHECK(store.run_evaluations(run.id).size() == 30);
    }
  }
}

TEST_CASE("A replay that asks for other designs than the store holds stops before evaluating", "[dse][store]") {
  const SpaceSpec spec = parse_space(kSpace, "sweep.yaml");
  TempFile db("pesim_test_sweep_diverged.db");
  DseStore store(db.path);
  const RunInfo run = start(store, spec, "random", 30, 6);
  SyntheticPool killed(spec, 5);
  CHECK_THROWS(sweep(store, spec, run, killed));
  REQUIRE(store.run_evaluations(run.id).size() == 5);

  RunInfo other_seed = run;  // the same run, replayed by a strategy that draws other designs
  other_seed.seed = 8;
  SyntheticPool resumed_pool(spec);
  CHECK_THROWS_WITH(sweep(store, spec, other_seed, resumed_pool), Catch::Contains("the replay diverged"));
  CHECK(resumed_pool.evaluated == 0);
  CHECK(store.run_evaluations(run.id).size() == 5);
}

TEST_CASE("An evaluation is never stored twice", "[dse][store]") {
  const SpaceSpec spec = parse_space(kSpace, "sweep.yaml");
  TempFile db("pesim_test_sweep_twice.db");
  DseStore store(db.path);
  const RunInfo run = start(store, spec, "grid", 4, 4);
  Evaluation e;
  e.ok = true;
  e.metrics = {{"latency_ms", 1.0}};
  store.record_evaluation(run, spec, {0, 0, 0}, 0, 0, e, true, "synthetic", 0);
  CHECK_THROWS_AS(store.record_evaluation(run, spec, {0, 0, 0}, 1, 0, e, true, "synthetic", 0),
                  pesim::store::StoreError);
  CHECK_THROWS_AS(store.record_evaluation(run, spec, {1, 0, 0}, 0, 0, e, true, "synthetic", 0),
                  pesim::store::StoreError);
  CHECK(store.run_evaluations(run.id).size() == 1);
}

TEST_CASE("The progress ETA follows the rate of the last batches", "[dse][progress]") {
  std::ostringstream out;
  Progress progress(out, Progress::Style::Lines, 100);
  progress.update(10, 0, 3, 10.0);  // one update: the average so far, 1 s per evaluation
  CHECK_THAT(out.str(), Catch::Matchers::EndsWith("10/100 evaluations, front 3, ETA 0:01:30\n"));
  progress.update(20, 0, 4, 20.0);
  progress.update(30, 0, 4, 40.0);
  progress.update(40, 0, 5, 80.0);  // batches slow down: (80 - 10) s for the last 30 evaluations, 60 to go
  CHECK_THAT(out.str(), Catch::Matchers::EndsWith("40/100 evaluations, front 5, ETA 0:02:20\n"));
  for (int done = 50; done <= 90; done += 10) progress.update(done, 0, 5, 80.0 + 4.0 * (done - 40));
  // The window keeps five updates, (50, 120) the oldest: 4 s per evaluation, 10 to go.
  CHECK_THAT(out.str(), Catch::Matchers::EndsWith("90/100 evaluations, front 5, ETA 0:00:40\n"));
  // Designs taken from the store (--resume) cost nothing and are not counted in the rate.
  std::ostringstream resumed_out;
  Progress resumed(resumed_out, Progress::Style::Lines, 100);
  resumed.update(60, 50, 1, 20.0);
  CHECK_THAT(resumed_out.str(), Catch::Matchers::EndsWith("60/100 evaluations (50 resumed), front 1, ETA 0:01:20\n"));
}
