// SPDX-License-Identifier: Apache-2.0
// What `pesim report` reads from a DSE database and what it derives: per space, its objectives and runs; per run,
// its evaluations, cost models, Pareto front and hypervolume curve.
#pragma once
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "dse/report/hypervolume_curve.h"
#include "dse/space/space_spec.h"
#include "dse/store/dse_store.h"

namespace pesim::dse {

// The database cannot be reported: missing, not a pesim DSE file, or no such run. The message names the file.
class ReportError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct MetricValue {
  double value = 0;
  std::string unit;
};

// One row of dse_evaluations with its design and metrics.
struct EvaluationRecord {
  int64_t id = 0;
  int64_t sequence = 0;  // 0-based order in its run
  int64_t batch = 0;
  std::string design_hash;
  nlohmann::ordered_json parameters;  // the design's active parameters as stored: name -> level
  bool ok = false;                    // status 'ok' (else 'failed', with `error`)
  bool feasible = false;
  std::string error;
  std::string evaluator;
  double wall_seconds = 0;
  std::map<std::string, MetricValue> metrics;  // by metric name
};

// One row of dse_models with its held-out predictions.
struct ModelRecord {
  struct Prediction {
    std::string design_hash;
    double predicted = 0, actual = 0;
  };
  int64_t id = 0;
  std::string objective;  // the metric it predicts
  std::string regressor, validation;
  int64_t training_designs = 0, test_designs = 0;
  double rmse = 0;           // in the metric's unit
  double rmse_relative = 0;  // rmse / |mean actual|, a fraction
  double mape = 0;           // a fraction
  double spearman = 0;
  double predict_seconds = 0, evaluate_seconds = 0;
  std::string hyperparameters;  // JSON text
  std::vector<Prediction> predictions;
};

// One row of dse_runs (what DseStore reads of it, and its times), its evaluations in sequence order, its models, and
// what the report derives from them.
struct RunRecord : RunInfo {
  std::string started_at, updated_at;  // ISO 8601, UTC
  std::vector<EvaluationRecord> evaluations;
  std::vector<ModelRecord> models;

  int64_t failed = 0;                         // evaluations with status 'failed'
  int64_t infeasible = 0;                     // evaluated, but violating a constraint
  std::vector<size_t> front;                  // indices into evaluations: the non-dominated feasible ones, ascending
  std::vector<HypervolumePoint> hypervolume;  // after each evaluation, normalized by the space's scale
  double final_hypervolume() const { return hypervolume.empty() ? 0.0 : hypervolume.back().hypervolume; }
};

// One row of dse_spaces with its objectives, and the selected runs of that space.
struct SpaceRecord {
  int64_t id = 0;
  std::string name, source, yaml;
  std::vector<Objective> objectives;
  std::vector<Constraint> constraints;
  std::vector<RunRecord> runs;               // the selected runs of this space, by id
  std::map<std::string, std::string> units;  // metric -> unit, as stored with the space's metrics
  // Over every run of the space in the file, selected or not, so that a run's hypervolume does not depend on which
  // runs a report shows.
  ObjectiveScale scale;

  // The unit of a metric: the one stored with it, else the catalog's ("" for a dimensionless or unknown metric).
  std::string unit(const std::string& metric) const;
  // "latency_ms (ms)", or the name alone for a dimensionless metric.
  std::string labelled(const std::string& metric) const;
};

struct ReportData {
  std::string database;
  std::vector<SpaceRecord> spaces;    // those holding a selected run, by id
  std::vector<std::string> warnings;  // for stderr: what the report had to work around
  size_t run_count() const;
};

// Reads the runs (`run` 0: every run) of a pesim DSE database and derives their fronts and hypervolume curves.
// Throws ReportError (naming the file) for a missing file, a file that is not SQLite or holds no DSE tables (or
// another version of them), no runs, or an unknown run. Opens the file read-write (pesim's Database) but writes
// nothing to it.
ReportData load_report_data(const std::string& database_path, int64_t run);

// The evaluation's objective vector with every objective minimized (maximized ones negated), or nothing when the
// evaluation failed, is infeasible or lacks a finite value of some objective.
std::optional<ObjectivePoint> objective_point(const EvaluationRecord& evaluation,
                                              const std::vector<Objective>& objectives);

}  // namespace pesim::dse
