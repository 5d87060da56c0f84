// SPDX-License-Identifier: Apache-2.0
#include "dse/store/dse_store.h"

#include <fmt/format.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "dse/eval/metrics.h"

namespace pesim::dse {
namespace {

const char* kDseTables = R"sql(
CREATE TABLE IF NOT EXISTS dse_spaces (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL,
  spec_hash TEXT NOT NULL UNIQUE,
  spec_yaml TEXT NOT NULL,
  source TEXT NOT NULL,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')));
CREATE TABLE IF NOT EXISTS dse_runs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  space_id INTEGER NOT NULL REFERENCES dse_spaces(id),
  strategy TEXT NOT NULL,
  cost_model TEXT NOT NULL,
  seed INTEGER NOT NULL,
  budget INTEGER NOT NULL,
  batch_size INTEGER NOT NULL,
  processes INTEGER NOT NULL,
  pesim_version TEXT NOT NULL,
  command_line TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('running', 'finished', 'interrupted')),
  started_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')));
CREATE TABLE IF NOT EXISTS dse_designs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  space_id INTEGER NOT NULL REFERENCES dse_spaces(id),
  hash TEXT NOT NULL,
  key TEXT NOT NULL,
  parameters TEXT NOT NULL,
  UNIQUE (space_id, hash));
CREATE TABLE IF NOT EXISTS dse_evaluations (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  run_id INTEGER NOT NULL REFERENCES dse_runs(id),
  design_id INTEGER NOT NULL REFERENCES dse_designs(id),
  sequence INTEGER NOT NULL,
  batch INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('ok', 'failed')),
  feasible INTEGER NOT NULL,
  error TEXT,
  evaluator TEXT NOT NULL,
  wall_seconds REAL NOT NULL,
  rank INTEGER NOT NULL,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  UNIQUE (run_id, design_id),
  UNIQUE (run_id, sequence));
CREATE TABLE IF NOT EXISTS dse_metrics (
  evaluation_id INTEGER NOT NULL REFERENCES dse_evaluations(id),
  name TEXT NOT NULL,
  value REAL NOT NULL,
  unit TEXT NOT NULL,
  PRIMARY KEY (evaluation_id, name));
CREATE TABLE IF NOT EXISTS dse_models (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  run_id INTEGER NOT NULL REFERENCES dse_runs(id),
  objective TEXT NOT NULL,
  regressor TEXT NOT NULL,
  validation TEXT NOT NULL,
  training_designs INTEGER NOT NULL,
  test_designs INTEGER NOT NULL,
  rmse REAL NOT NULL,
  rmse_relative REAL NOT NULL,
  mape REAL NOT NULL,
  spearman REAL NOT NULL,
  predict_seconds REAL NOT NULL,
  evaluate_seconds REAL NOT NULL,
  hyperparameters TEXT NOT NULL,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')));
CREATE TABLE IF NOT EXISTS dse_predictions (
  model_id INTEGER NOT NULL REFERENCES dse_models(id),
  design_id INTEGER NOT NULL REFERENCES dse_designs(id),
  predicted REAL NOT NULL,
  actual REAL NOT NULL,
  PRIMARY KEY (model_id, design_id));
)sql";

std::string metric_unit(const std::string& name) {
  const MetricInfo* metric = find_metric(name);
  return metric ? metric->unit : "";
}

}  // namespace

RunInfo DseStore::read_run_row(const store::Statement& row) {
  RunInfo run;
  run.id = row.column_int(0);
  run.space_id = row.column_int(1);
  run.strategy = row.column_text(2);
  run.cost_model = row.column_text(3);
  run.seed = static_cast<uint64_t>(row.column_int(4));
  run.budget = row.column_int(5);
  run.batch_size = row.column_int(6);
  run.processes = row.column_int(7);
  run.pesim_version = row.column_text(8);
  run.command_line = row.column_text(9);
  run.status = row.column_text(10);
  return run;
}

DseStore::DseStore(const std::string& path) : m_db(path) {
  m_db.transaction([&] { m_db.ensure_schema("dse", kDseSchemaVersion, kDseTables); });
}

namespace {

// A spec read from a file is stored with the file's absolute path; "<default>" and the like as they are.
std::string absolute_source(const std::string& source) {
  if (source.empty() || source.front() == '<') return source;
  return std::filesystem::absolute(source).lexically_normal().string();
}

}  // namespace

int64_t DseStore::space_id(const SpaceSpec& spec) {
  const std::string hash = fmt::format("{:016x}", fnv1a(spec.text));
  int64_t id = 0;
  m_db.transaction([&] {
    m_db.prepare("INSERT OR IGNORE INTO dse_spaces (name, spec_hash, spec_yaml, source) VALUES (?, ?, ?, ?)")
        .bind(1, spec.name)
        .bind(2, hash)
        .bind(3, spec.text)
        .bind(4, absolute_source(spec.source))
        .run();
    auto find = m_db.prepare("SELECT id FROM dse_spaces WHERE spec_hash = ?");
    find.bind(1, hash);
    find.step();
    id = find.column_int(0);
  });
  return id;
}

SpaceSpec DseStore::stored_space(int64_t space_id) {
  auto find = m_db.prepare("SELECT spec_yaml, source FROM dse_spaces WHERE id = ?");
  find.bind(1, space_id);
  if (!find.step()) throw store::StoreError(fmt::format("{}: no space {}", m_db.path(), space_id));
  const std::string source = find.column_text(1);
  return parse_space(find.column_text(0), source.empty() ? fmt::format("<space {}>", space_id) : source);
}

int64_t DseStore::start_run(RunInfo& run) {
  m_db.transaction([&] {
    m_db.prepare(
            "INSERT INTO dse_runs (space_id, strategy, cost_model, seed, budget, batch_size, processes, "
            "pesim_version, command_line, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'running')")
        .bind(1, run.space_id)
        .bind(2, run.strategy)
        .bind(3, run.cost_model)
        .bind(4, static_cast<int64_t>(run.seed))
        .bind(5, run.budget)
        .bind(6, run.batch_size)
        .bind(7, run.processes)
        .bind(8, run.pesim_version)
        .bind(9, run.command_line)
        .run();
    run.id = m_db.last_insert_id();
  });
  run.status = "running";
  return run.id;
}

void DseStore::set_run_status(int64_t run_id, const std::string& status) {
  m_db.transaction([&] {
    m_db.prepare("UPDATE dse_runs SET status = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?")
        .bind(1, status)
        .bind(2, run_id)
        .run();
  });
}

std::optional<RunInfo> DseStore::latest_unfinished_run() {
  auto find = m_db.prepare(fmt::format(
      "SELECT {} FROM dse_runs WHERE status IN ('running', 'interrupted') ORDER BY id DESC LIMIT 1", kRunColumns));
  if (!find.step()) return std::nullopt;
  return read_run_row(find);
}

std::optional<RunInfo> DseStore::run(int64_t run_id) {
  auto find = m_db.prepare(fmt::format("SELECT {} FROM dse_runs WHERE id = ?", kRunColumns));
  find.bind(1, run_id);
  if (!find.step()) return std::nullopt;
  return read_run_row(find);
}

std::vector<RunInfo> DseStore::runs() {
  auto find = m_db.prepare(fmt::format("SELECT {} FROM dse_runs ORDER BY id", kRunColumns));
  std::vector<RunInfo> result;
  while (find.step()) result.push_back(read_run_row(find));
  return result;
}

int64_t DseStore::design_id(int64_t space_id, const SpaceSpec& spec, const Design& design) {
  nlohmann::ordered_json parameters = nlohmann::ordered_json::object();
  const Design canonical = spec.space.canonical(design);
  for (size_t i = 0; i < spec.space.dimensions(); ++i) {
    if (!spec.space.is_active(canonical, i)) continue;
    const Parameter& p = spec.space.parameters()[i];
    parameters[p.name] = p.levels[canonical[i]];
  }
  const std::string hash = spec.space.hash(design);
  m_db.prepare("INSERT OR IGNORE INTO dse_designs (space_id, hash, key, parameters) VALUES (?, ?, ?, ?)")
      .bind(1, space_id)
      .bind(2, hash)
      .bind(3, spec.space.key(design))
      .bind(4, parameters.dump())
      .run();
  auto find = m_db.prepare("SELECT id FROM dse_designs WHERE space_id = ? AND hash = ?");
  find.bind(1, space_id).bind(2, hash);
  find.step();
  return find.column_int(0);
}

void DseStore::record_evaluation(const RunInfo& run, const SpaceSpec& spec, const Design& design, int64_t sequence,
                                 int64_t batch, const Evaluation& evaluation, bool feasible,
                                 const std::string& evaluator, int rank) {
  m_db.transaction([&] {
    const int64_t stored_design = design_id(run.space_id, spec, design);
    auto insert = m_db.prepare(
        "INSERT INTO dse_evaluations (run_id, design_id, sequence, batch, status, feasible, error, evaluator, "
        "wall_seconds, rank) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    insert.bind(1, run.id).bind(2, stored_design).bind(3, sequence).bind(4, batch);
    insert.bind(5, std::string(evaluation.ok ? "ok" : "failed")).bind(6, int64_t{feasible ? 1 : 0});
    if (evaluation.ok) {
      insert.bind_null(7);
    } else {
      insert.bind(7, evaluation.error);
    }
    insert.bind(8, evaluator).bind(9, evaluation.wall_seconds).bind(10, int64_t{rank});
    insert.run();
    const int64_t evaluation_id = m_db.last_insert_id();
    auto metric = m_db.prepare("INSERT INTO dse_metrics (evaluation_id, name, value, unit) VALUES (?, ?, ?, ?)");
    for (const auto& [name, value] : evaluation.metrics) {
      metric.bind(1, evaluation_id).bind(2, name).bind(3, value).bind(4, metric_unit(name));
      metric.run();
      metric.reset();
    }
  });
}

std::map<std::string, StoredEvaluation> DseStore::run_evaluations(int64_t run_id) {
  std::map<std::string, StoredEvaluation> result;
  std::map<int64_t, std::string> hash_of;
  auto find = m_db.prepare(
      "SELECT e.id, e.sequence, d.hash, e.status, e.feasible, e.error, e.wall_seconds, d.key FROM dse_evaluations e "
      "JOIN dse_designs d ON d.id = e.design_id WHERE e.run_id = ? ORDER BY e.sequence");
  find.bind(1, run_id);
  while (find.step()) {
    StoredEvaluation stored;
    stored.evaluation_id = find.column_int(0);
    stored.sequence = find.column_int(1);
    stored.design_hash = find.column_text(2);
    stored.evaluation.ok = find.column_text(3) == "ok";
    stored.feasible = find.column_int(4) != 0;
    stored.evaluation.error = find.column_text(5);
    stored.evaluation.wall_seconds = find.column_double(6);
    stored.design_key = find.column_text(7);
    hash_of[stored.evaluation_id] = stored.design_hash;
    result[stored.design_hash] = stored;
  }
  auto metrics = m_db.prepare(
      "SELECT m.evaluation_id, m.name, m.value FROM dse_metrics m JOIN dse_evaluations e ON e.id = m.evaluation_id "
      "WHERE e.run_id = ?");
  metrics.bind(1, run_id);
  while (metrics.step())
    result[hash_of[metrics.column_int(0)]].evaluation.metrics[metrics.column_text(1)] = metrics.column_double(2);
  return result;
}

void DseStore::record_model(int64_t run_id, int64_t space_id, const ModelRecord& model) {
  m_db.transaction([&] {
    m_db.prepare(
            "INSERT INTO dse_models (run_id, objective, regressor, validation, training_designs, test_designs, rmse, "
            "rmse_relative, mape, spearman, predict_seconds, evaluate_seconds, hyperparameters) VALUES (?, ?, ?, ?, "
            "?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .bind(1, run_id)
        .bind(2, model.objective)
        .bind(3, model.regressor)
        .bind(4, model.validation)
        .bind(5, model.training_designs)
        .bind(6, model.test_designs)
        .bind(7, model.rmse)
        .bind(8, model.rmse_relative)
        .bind(9, model.mape)
        .bind(10, model.spearman)
        .bind(11, model.predict_seconds)
        .bind(12, model.evaluate_seconds)
        .bind(13, model.hyperparameters)
        .run();
    const int64_t model_id = m_db.last_insert_id();
    auto insert = m_db.prepare(
        "INSERT OR IGNORE INTO dse_predictions (model_id, design_id, predicted, actual) SELECT ?, id, ?, ? FROM "
        "dse_designs WHERE space_id = ? AND hash = ?");
    for (const auto& [hash, predicted, actual] : model.predictions) {
      insert.bind(1, model_id).bind(2, predicted).bind(3, actual).bind(4, space_id).bind(5, hash);
      insert.run();
      insert.reset();
    }
  });
}

}  // namespace pesim::dse
