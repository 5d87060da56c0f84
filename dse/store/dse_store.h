// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "dse/eval/evaluator.h"
#include "dse/space/space_spec.h"
#include "sim/store/database.h"

namespace pesim::dse {

// How a sweep was started; stored with the run so that --resume replays it exactly.
struct RunInfo {
  int64_t id = 0;
  int64_t space_id = 0;
  std::string strategy;
  std::string cost_model;
  uint64_t seed = 1;
  int64_t budget = 0;
  int64_t batch_size = 1;
  int64_t processes = 1;
  std::string pesim_version;
  std::string command_line;
  std::string status;  // running, finished, interrupted
};

// One stored evaluation of a run.
struct StoredEvaluation {
  int64_t evaluation_id = 0;
  int64_t sequence = 0;  // 0-based order of the design in its run (batch * batch size + position)
  std::string design_hash;
  std::string design_key;  // DesignSpace::key
  Evaluation evaluation;
  bool feasible = false;
};

// The DSE's tables (prefix dse_, schema version kDseSchemaVersion) in a results file that `pesim sim --db` may share:
// spaces (the spec's YAML by its hash), runs, designs (canonical key, hash and parameters as JSON, one row per
// space and hash), evaluations (status, evaluator, wall time, order in the run) with their metrics and units, and
// the cost models fitted on a run with their cross-validated accuracy and held-out predictions. Every write is its
// own transaction: a process killed at any moment leaves every finished evaluation and nothing half-written.
class DseStore {
 public:
  static constexpr int64_t kDseSchemaVersion = 1;
  // The dse_runs columns a RunInfo holds, in the order read_run_row() reads them: a query of its own (`pesim
  // report`'s) selects these first and may select more after them, from column kRunColumnCount on.
  static constexpr const char* kRunColumns =
      "id, space_id, strategy, cost_model, seed, budget, batch_size, processes, pesim_version, command_line, status";
  static constexpr int kRunColumnCount = 11;
  // The RunInfo of a row whose first columns are kRunColumns.
  static RunInfo read_run_row(const store::Statement& row);

  // Opens or creates the file and its tables; throws store::StoreError naming the file.
  explicit DseStore(const std::string& path);
  store::Database& database() { return m_db; }

  int64_t space_id(const SpaceSpec& spec);  // inserted once per spec text
  // The space as stored: its YAML read as if from the spec's file (stored as an absolute path), so that a workload
  // file named relative to the spec is found when a run is resumed or validated from any directory. Throws
  // StoreError for an unknown space, SpaceError if the stored YAML no longer parses.
  SpaceSpec stored_space(int64_t space_id);
  int64_t start_run(RunInfo& run);  // sets run.id
  void set_run_status(int64_t run_id, const std::string& status);
  // The newest run with status running or interrupted (a sweep that did not finish), if any.
  std::optional<RunInfo> latest_unfinished_run();
  std::optional<RunInfo> run(int64_t run_id);
  std::vector<RunInfo> runs();

  // Records one evaluation, its design and its metrics in one transaction. Throws StoreError when the run already
  // holds that design or that sequence number (an evaluation is never stored twice).
  void record_evaluation(const RunInfo& run, const SpaceSpec& spec, const Design& design, int64_t sequence,
                         int64_t batch, const Evaluation& evaluation, bool feasible, const std::string& evaluator,
                         int rank);
  // Every evaluation of a run, by design hash.
  std::map<std::string, StoredEvaluation> run_evaluations(int64_t run_id);

  // A cost model fitted on a run's evaluations: its accuracy and held-out predictions (design hash, predicted,
  // actual).
  struct ModelRecord {
    std::string objective, regressor;
    int64_t training_designs = 0, test_designs = 0;
    std::string validation;  // "5-fold cross-validation" or "held out"
    double rmse = 0, rmse_relative = 0, mape = 0, spearman = 0;
    double predict_seconds = 0, evaluate_seconds = 0;
    // Not stored: the mean alone per design, one design at a time (held-out validation only, else 0); the median
    // evaluation (an evaluation whose PE synthesis was cached).
    double predict_mean_seconds = 0, evaluate_median_seconds = 0;
    std::string hyperparameters;  // JSON
    std::vector<std::tuple<std::string, double, double>> predictions;
  };
  void record_model(int64_t run_id, int64_t space_id, const ModelRecord& model);

 private:
  int64_t design_id(int64_t space_id, const SpaceSpec& spec, const Design& design);
  store::Database m_db;
};

}  // namespace pesim::dse
