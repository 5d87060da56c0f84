// SPDX-License-Identifier: Apache-2.0
#include "dse/report/report_data.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <set>
#include <sstream>

#include "dse/eval/metrics.h"
#include "dse/store/dse_store.h"
#include "sim/store/database.h"

namespace pesim::dse {
namespace {

const std::vector<std::string> kDseTables{"dse_spaces",  "dse_runs",   "dse_designs",    "dse_evaluations",
                                          "dse_metrics", "dse_models", "dse_predictions"};

// Refuses files that are not pesim DSE databases of this schema version, before reading any row.
void check_dse_file(store::Database& db) {
  auto tables = db.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?");
  for (const std::string& table : kDseTables) {
    tables.bind(1, table);
    tables.step();
    const bool present = tables.column_int(0) == 1;
    tables.reset();
    if (!present)
      throw ReportError(
          fmt::format("{}: not a pesim DSE database (no table {}; pesim dse --db writes them)", db.path(), table));
  }
  auto version = db.prepare("SELECT version FROM schema_versions WHERE component = 'dse'");
  if (!version.step()) throw ReportError(db.path() + ": not a pesim DSE database (no dse schema version)");
  if (version.column_int(0) != DseStore::kDseSchemaVersion)
    throw ReportError(fmt::format("{}: its dse tables are schema version {}; this pesim reads version {}", db.path(),
                                  version.column_int(0), DseStore::kDseSchemaVersion));
}

RunRecord read_run(const store::Statement& row) {
  RunRecord run;
  static_cast<RunInfo&>(run) = DseStore::read_run_row(row);
  run.started_at = row.column_text(DseStore::kRunColumnCount);
  run.updated_at = row.column_text(DseStore::kRunColumnCount + 1);
  return run;
}

std::vector<RunRecord> read_runs(store::Database& db, const std::string& where, int64_t value) {
  auto rows = db.prepare(fmt::format("SELECT {}, started_at, updated_at FROM dse_runs WHERE {} ORDER BY id",
                                     DseStore::kRunColumns, where));
  rows.bind(1, value);
  std::vector<RunRecord> runs;
  while (rows.step()) runs.push_back(read_run(rows));
  return runs;
}

std::string run_ids_text(store::Database& db) {
  auto rows = db.prepare("SELECT id FROM dse_runs ORDER BY id");
  std::string ids;
  while (rows.step()) ids += (ids.empty() ? "" : ", ") + std::to_string(rows.column_int(0));
  return ids;
}

// The runs asked for: one by id, or every run.
std::vector<RunRecord> selected_runs(store::Database& db, int64_t run) {
  std::vector<RunRecord> runs = run == 0 ? read_runs(db, "id > ?", 0) : read_runs(db, "id = ?", run);
  if (runs.empty() && run == 0) throw ReportError(db.path() + ": holds no DSE runs");
  if (runs.empty()) throw ReportError(fmt::format("{}: no run {} (its runs: {})", db.path(), run, run_ids_text(db)));
  return runs;
}

nlohmann::ordered_json parse_parameters(const std::string& text, const std::string& hash, const std::string& path) {
  nlohmann::ordered_json parameters = nlohmann::ordered_json::parse(text, nullptr, false);
  if (parameters.is_discarded() || !parameters.is_object())
    throw ReportError(fmt::format("{}: design {}: its parameters are not a JSON object", path, hash));
  return parameters;
}

void read_evaluations(store::Database& db, RunRecord& run) {
  auto rows = db.prepare(
      "SELECT e.id, e.sequence, e.batch, d.hash, d.parameters, e.status, e.feasible, e.error, e.evaluator, "
      "e.wall_seconds FROM dse_evaluations e JOIN dse_designs d ON d.id = e.design_id WHERE e.run_id = ? "
      "ORDER BY e.sequence");
  rows.bind(1, run.id);
  std::map<int64_t, size_t> index_of;  // evaluation id -> index
  while (rows.step()) {
    EvaluationRecord e;
    e.id = rows.column_int(0);
    e.sequence = rows.column_int(1);
    e.batch = rows.column_int(2);
    e.design_hash = rows.column_text(3);
    e.parameters = parse_parameters(rows.column_text(4), e.design_hash, db.path());
    e.ok = rows.column_text(5) == "ok";
    e.feasible = rows.column_int(6) != 0;
    e.error = rows.column_text(7);
    e.evaluator = rows.column_text(8);
    e.wall_seconds = rows.column_double(9);
    index_of[e.id] = run.evaluations.size();
    run.evaluations.push_back(std::move(e));
  }
  auto metrics = db.prepare(
      "SELECT m.evaluation_id, m.name, m.value, m.unit FROM dse_metrics m JOIN dse_evaluations e ON "
      "e.id = m.evaluation_id WHERE e.run_id = ?");
  metrics.bind(1, run.id);
  while (metrics.step()) {
    EvaluationRecord& e = run.evaluations[index_of.at(metrics.column_int(0))];
    e.metrics[metrics.column_text(1)] = {metrics.column_double(2), metrics.column_text(3)};
  }
}

ModelRecord read_model(const store::Statement& row) {
  ModelRecord m;
  m.id = row.column_int(0);
  m.objective = row.column_text(1);
  m.regressor = row.column_text(2);
  m.validation = row.column_text(3);
  m.training_designs = row.column_int(4);
  m.test_designs = row.column_int(5);
  m.rmse = row.column_double(6);
  m.rmse_relative = row.column_double(7);
  m.mape = row.column_double(8);
  m.spearman = row.column_double(9);
  m.predict_seconds = row.column_double(10);
  m.evaluate_seconds = row.column_double(11);
  m.hyperparameters = row.column_text(12);
  return m;
}

void read_models(store::Database& db, RunRecord& run) {
  auto rows = db.prepare(
      "SELECT id, objective, regressor, validation, training_designs, test_designs, rmse, rmse_relative, mape, "
      "spearman, predict_seconds, evaluate_seconds, hyperparameters FROM dse_models WHERE run_id = ? ORDER BY id");
  rows.bind(1, run.id);
  std::map<int64_t, size_t> index_of;  // model id -> index
  while (rows.step()) {
    index_of[rows.column_int(0)] = run.models.size();
    run.models.push_back(read_model(rows));
  }
  auto predictions = db.prepare(
      "SELECT p.model_id, d.hash, p.predicted, p.actual FROM dse_predictions p JOIN dse_models m ON m.id = "
      "p.model_id JOIN dse_designs d ON d.id = p.design_id WHERE m.run_id = ? ORDER BY p.model_id, p.design_id");
  predictions.bind(1, run.id);
  while (predictions.step()) {
    run.models[index_of.at(predictions.column_int(0))].predictions.push_back(
        {predictions.column_text(1), predictions.column_double(2), predictions.column_double(3)});
  }
}

// The objectives and constraints of a stored spec this pesim no longer accepts (an architecture key renamed since
// the run, say), from the YAML alone: the spec was checked when the run started, so its goals are well formed.
void read_goals_leniently(const std::string& yaml, SpaceRecord& space) {
  const YAML::Node root = YAML::Load(yaml);
  if (root["objectives"]) {
    for (const YAML::Node& entry : root["objectives"])
      for (const auto& item : entry)
        space.objectives.push_back({item.second.as<std::string>(), item.first.as<std::string>() == "maximize", ""});
  }
  if (root["constraints"]) {
    for (const YAML::Node& node : root["constraints"]) {
      std::istringstream text(node.as<std::string>());
      Constraint c;
      std::string op;
      text >> c.metric >> op >> c.bound;
      c.upper = op == "<=";
      space.constraints.push_back(c);
    }
  }
}

SpaceRecord read_space(store::Database& db, int64_t space_id, std::vector<std::string>& warnings) {
  auto row = db.prepare("SELECT name, source, spec_yaml FROM dse_spaces WHERE id = ?");
  row.bind(1, space_id);
  if (!row.step()) throw ReportError(fmt::format("{}: no space {}, which a run refers to", db.path(), space_id));
  SpaceRecord space;
  space.id = space_id;
  space.name = row.column_text(0);
  space.source = row.column_text(1);
  space.yaml = row.column_text(2);
  try {
    const SpaceSpec spec = parse_space(space.yaml, fmt::format("{}: space {}", db.path(), space_id));
    space.objectives = spec.objectives;
    space.constraints = spec.constraints;
  } catch (const SpaceError& e) {
    warnings.push_back(fmt::format("this pesim refuses the stored space {} ({}); its objectives are read as written",
                                   space_id, e.what()));
    try {
      read_goals_leniently(space.yaml, space);
    } catch (const YAML::Exception& yaml_error) {
      throw ReportError(fmt::format("{}: space {}: {}", db.path(), space_id, yaml_error.what()));
    }
  }
  return space;
}

// Counts, front and hypervolume curve of a run, on the space's common scale.
void derive(RunRecord& run, const std::vector<Objective>& objectives, const ObjectiveScale& scale) {
  std::vector<std::optional<ObjectivePoint>> points;
  std::vector<ObjectivePoint> feasible;
  std::vector<size_t> feasible_index;
  for (size_t i = 0; i < run.evaluations.size(); ++i) {
    const EvaluationRecord& e = run.evaluations[i];
    run.failed += e.ok ? 0 : 1;
    run.infeasible += e.ok && !e.feasible ? 1 : 0;
    points.push_back(objective_point(e, objectives));
    if (!points.back()) continue;
    feasible.push_back(*points.back());
    feasible_index.push_back(i);
  }
  run.front.clear();
  for (size_t k : non_dominated(feasible)) run.front.push_back(feasible_index[k]);
  run.hypervolume = hypervolume_curve(points, scale);
}

// The scale spans the best front known (the non-dominated feasible points of every run of the space): its ideal
// point maps to 0 and its nadir to 1. Scaling by the worst design instead would let any front near the ideal score
// close to 1 and hide how much of the best front a run found.
ObjectiveScale scale_over(const std::vector<RunRecord>& runs, const std::vector<Objective>& objectives) {
  std::vector<ObjectivePoint> points;
  for (const RunRecord& run : runs)
    for (const EvaluationRecord& e : run.evaluations)
      if (std::optional<ObjectivePoint> point = objective_point(e, objectives)) points.push_back(std::move(*point));
  std::vector<ObjectivePoint> front;
  for (size_t i : non_dominated(points)) front.push_back(points[i]);
  return ObjectiveScale::over(front);
}

// The space with every one of its runs read (for the common scale), keeping the selected ones.
SpaceRecord read_space_runs(store::Database& db, int64_t space_id, const std::set<int64_t>& selected,
                            std::vector<std::string>& warnings) {
  SpaceRecord space = read_space(db, space_id, warnings);
  std::vector<RunRecord> all = read_runs(db, "space_id = ?", space_id);
  for (RunRecord& run : all) read_evaluations(db, run);
  space.scale = scale_over(all, space.objectives);
  for (RunRecord& run : all) {
    for (const EvaluationRecord& e : run.evaluations)
      for (const auto& [name, metric] : e.metrics) space.units.emplace(name, metric.unit);
    if (!selected.contains(run.id)) continue;
    derive(run, space.objectives, space.scale);
    read_models(db, run);
    space.runs.push_back(std::move(run));
  }
  return space;
}

}  // namespace

std::string SpaceRecord::unit(const std::string& metric) const {
  if (const auto stored = units.find(metric); stored != units.end()) return stored->second;
  const MetricInfo* info = find_metric(metric);
  return info ? info->unit : "";
}

std::string SpaceRecord::labelled(const std::string& metric) const {
  const std::string u = unit(metric);
  return u.empty() ? metric : fmt::format("{} ({})", metric, u);
}

size_t ReportData::run_count() const {
  size_t count = 0;
  for (const SpaceRecord& space : spaces) count += space.runs.size();
  return count;
}

std::optional<ObjectivePoint> objective_point(const EvaluationRecord& evaluation,
                                              const std::vector<Objective>& objectives) {
  if (!evaluation.ok || !evaluation.feasible || objectives.empty()) return std::nullopt;
  ObjectivePoint point;
  for (const Objective& objective : objectives) {
    const auto metric = evaluation.metrics.find(objective.metric);
    if (metric == evaluation.metrics.end() || !std::isfinite(metric->second.value)) return std::nullopt;
    point.push_back(objective.maximize ? -metric->second.value : metric->second.value);
  }
  return point;
}

ReportData load_report_data(const std::string& database_path, int64_t run) {
  // Database creates missing files; a report must not.
  std::error_code error;
  if (!std::filesystem::exists(database_path, error)) throw ReportError(database_path + ": no such file");
  if (std::filesystem::is_directory(database_path, error)) throw ReportError(database_path + ": is a directory");
  try {
    store::Database db(database_path);
    check_dse_file(db);
    // One read transaction: a snapshot, so that a sweep writing meanwhile (WAL) cannot show the report an
    // evaluation without its metrics.
    db.exec("BEGIN");
    ReportData data;
    data.database = database_path;
    const std::vector<RunRecord> selected = selected_runs(db, run);
    std::set<int64_t> selected_ids, space_ids;
    for (const RunRecord& r : selected) {
      selected_ids.insert(r.id);
      space_ids.insert(r.space_id);
    }
    for (int64_t space_id : space_ids)
      data.spaces.push_back(read_space_runs(db, space_id, selected_ids, data.warnings));
    db.exec("COMMIT");
    return data;
  } catch (const store::StoreError& e) {
    throw ReportError(e.what());  // the message names the file
  }
}

}  // namespace pesim::dse
