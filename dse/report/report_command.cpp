// SPDX-License-Identifier: Apache-2.0
#include "dse/report/report_command.h"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "dse/eval/metrics.h"
#include "dse/report/html_report.h"
#include "pesim/version.h"

namespace pesim::dse {
namespace {

using Json = nlohmann::ordered_json;

// A parameter's level as CSV text: strings bare, numbers and booleans as JSON writes them.
std::string level_text(const Json& level) {
  if (level.is_string()) return level.get<std::string>();
  if (level.is_null()) return "";
  return level.dump();
}

// Every parameter of the selected evaluations, in the order the designs name them.
std::vector<std::string> parameter_columns(const ReportData& data) {
  std::vector<std::string> names;
  for (const SpaceRecord& space : data.spaces)
    for (const RunRecord& run : space.runs)
      for (const EvaluationRecord& e : run.evaluations)
        for (const auto& item : e.parameters.items())
          if (std::find(names.begin(), names.end(), item.key()) == names.end()) names.push_back(item.key());
  return names;
}

// Every metric of the selected evaluations: the catalog's in its order, then any other by name.
std::vector<std::string> metric_columns(const ReportData& data) {
  std::set<std::string> present;
  for (const SpaceRecord& space : data.spaces)
    for (const RunRecord& run : space.runs)
      for (const EvaluationRecord& e : run.evaluations)
        for (const auto& [name, metric] : e.metrics) present.insert(name);
  std::vector<std::string> names;
  for (const MetricInfo& metric : metric_catalog())
    if (present.erase(metric.name)) names.push_back(metric.name);
  names.insert(names.end(), present.begin(), present.end());
  return names;
}

void write_csv_row(const std::vector<std::string>& fields, std::ostream& out) {
  for (size_t i = 0; i < fields.size(); ++i) out << (i ? "," : "") << csv_field(fields[i]);
  out << "\n";
}

std::vector<std::string> csv_row(const RunRecord& run, const EvaluationRecord& e,
                                 const std::vector<std::string>& parameters, const std::vector<std::string>& metrics) {
  std::vector<std::string> row{std::to_string(run.id), run.strategy, std::to_string(run.seed),
                               std::to_string(e.sequence), e.design_hash};
  for (const std::string& name : parameters)
    row.push_back(e.parameters.contains(name) ? level_text(e.parameters[name]) : "");
  row.insert(row.end(), {e.ok ? "ok" : "failed", e.feasible ? "1" : "0", e.error, fmt::format("{}", e.wall_seconds)});
  for (const std::string& name : metrics) {
    const auto metric = e.metrics.find(name);
    row.push_back(metric == e.metrics.end() ? "" : fmt::format("{}", metric->second.value));
  }
  return row;
}

Json evaluation_json(const EvaluationRecord& e) {
  Json metrics = Json::object();
  for (const auto& [name, metric] : e.metrics) metrics[name] = {{"value", metric.value}, {"unit", metric.unit}};
  Json j = {{"sequence", e.sequence},
            {"batch", e.batch},
            {"design_hash", e.design_hash},
            {"parameters", e.parameters},
            {"status", e.ok ? "ok" : "failed"},
            {"feasible", e.feasible},
            {"evaluator", e.evaluator},
            {"wall_seconds", e.wall_seconds},
            {"metrics", metrics}};
  if (!e.ok) j["error"] = e.error;
  return j;
}

Json model_json(const ModelRecord& m) {
  Json predictions = Json::array();
  for (const ModelRecord::Prediction& p : m.predictions)
    predictions.push_back({{"design_hash", p.design_hash}, {"predicted", p.predicted}, {"actual", p.actual}});
  Json hyperparameters = Json::parse(m.hyperparameters, nullptr, false);
  if (hyperparameters.is_discarded()) hyperparameters = m.hyperparameters;  // kept as written
  return {{"id", m.id},
          {"objective", m.objective},
          {"regressor", m.regressor},
          {"validation", m.validation},
          {"training_designs", m.training_designs},
          {"test_designs", m.test_designs},
          {"rmse", m.rmse},
          {"rmse_relative", m.rmse_relative},
          {"mape", m.mape},
          {"spearman", m.spearman},
          {"predict_seconds", m.predict_seconds},
          {"evaluate_seconds", m.evaluate_seconds},
          {"hyperparameters", hyperparameters},
          {"predictions", predictions}};
}

Json run_json(const RunRecord& run) {
  Json front = Json::array(), curve = Json::array(), evaluations = Json::array(), models = Json::array();
  for (size_t i : run.front) front.push_back(run.evaluations[i].design_hash);
  for (const HypervolumePoint& point : run.hypervolume) curve.push_back(point.hypervolume);
  for (const EvaluationRecord& e : run.evaluations) evaluations.push_back(evaluation_json(e));
  for (const ModelRecord& m : run.models) models.push_back(model_json(m));
  return {{"id", run.id},
          {"space_id", run.space_id},
          {"strategy", run.strategy},
          {"cost_model", run.cost_model},
          {"seed", run.seed},
          {"budget", run.budget},
          {"batch_size", run.batch_size},
          {"processes", run.processes},
          {"status", run.status},
          {"pesim_version", run.pesim_version},
          {"command_line", run.command_line},
          {"started_at", run.started_at},
          {"updated_at", run.updated_at},
          {"evaluation_count", run.evaluations.size()},
          {"failed", run.failed},
          {"infeasible", run.infeasible},
          {"pareto_front", front},
          {"final_hypervolume", run.final_hypervolume()},
          {"hypervolume_curve", curve},
          {"evaluations", evaluations},
          {"models", models}};
}

// The scale's best and worst points in the metrics' own values and signs.
Json scale_json(const SpaceRecord& space) {
  Json best = Json::object(), worst = Json::object();
  for (size_t i = 0; i < space.scale.objectives() && i < space.objectives.size(); ++i) {
    const double sign = space.objectives[i].maximize ? -1 : 1;
    best[space.objectives[i].metric] = sign * space.scale.best[i];
    worst[space.objectives[i].metric] = sign * space.scale.worst[i];
  }
  return {{"best", best}, {"worst", worst}, {"reference_margin", ObjectiveScale::kReferenceMargin}};
}

Json space_json(const SpaceRecord& space) {
  Json objectives = Json::array(), constraints = Json::array();
  for (const Objective& o : space.objectives)
    objectives.push_back(
        {{"metric", o.metric}, {"unit", space.unit(o.metric)}, {"goal", o.maximize ? "maximize" : "minimize"}});
  for (const Constraint& c : space.constraints)
    constraints.push_back({{"metric", c.metric}, {"operator", c.upper ? "<=" : ">="}, {"bound", c.bound}});
  return {{"id", space.id},           {"name", space.name},         {"source", space.source},
          {"objectives", objectives}, {"constraints", constraints}, {"hypervolume_scale", scale_json(space)},
          {"spec_yaml", space.yaml}};
}

// The whole report in memory first, so that a failure leaves no partial output file.
std::string render(const ReportData& data, const std::string& format) {
  std::ostringstream text;
  if (format == "csv") {
    write_csv(data, text);
  } else if (format == "json") {
    write_json(data, text);
  } else {
    write_html(data, text);
  }
  return text.str();
}

}  // namespace

std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

void write_csv(const ReportData& data, std::ostream& out) {
  const std::vector<std::string> parameters = parameter_columns(data), metrics = metric_columns(data);
  std::vector<std::string> header{"run_id", "strategy", "seed", "sequence", "design_hash"};
  header.insert(header.end(), parameters.begin(), parameters.end());
  header.insert(header.end(), {"status", "feasible", "error", "wall_seconds"});
  header.insert(header.end(), metrics.begin(), metrics.end());
  write_csv_row(header, out);
  for (const SpaceRecord& space : data.spaces)
    for (const RunRecord& run : space.runs)
      for (const EvaluationRecord& e : run.evaluations) write_csv_row(csv_row(run, e, parameters, metrics), out);
}

void write_json(const ReportData& data, std::ostream& out) {
  Json spaces = Json::array(), runs = Json::array();
  for (const SpaceRecord& space : data.spaces) {
    spaces.push_back(space_json(space));
    for (const RunRecord& run : space.runs) runs.push_back(run_json(run));
  }
  const Json j = {{"database", data.database},
                  {"pesim_version", fmt::format("{} ({})", kVersion, kGitDescribe)},
                  {"spaces", spaces},
                  {"runs", runs}};
  out << j.dump(1) << "\n";
}

void add_report_subcommand(CLI::App& app, ReportRequest& request) {
  auto* cmd = app.add_subcommand(
      "report",
      "Report the runs of a DSE database: Pareto fronts, hypervolume against evaluations, cost-model "
      "accuracy (one self-contained HTML page), or every evaluation as CSV or JSON");
  cmd->add_option("db,--db", request.db, "the SQLite file of pesim dse --db")->required();
  cmd->add_option("--run", request.run, "report this run only (0: every run)")
      ->check(CLI::Range(int64_t{0}, INT64_MAX))
      ->capture_default_str();
  cmd->add_option("--format", request.format, "html, csv or json")
      ->check(CLI::IsMember({"html", "csv", "json"}))
      ->capture_default_str();
  cmd->add_option("-o,--out", request.out, "write to this file instead of stdout");
}

int run_report(const ReportRequest& request, std::ostream& out, std::ostream& err) {
  if (request.format != "html" && request.format != "csv" && request.format != "json") {
    err << "pesim report: --format " << request.format << ": expected html, csv or json\n";
    return 2;
  }
  ReportData data;
  try {
    data = load_report_data(request.db, request.run);
  } catch (const ReportError& e) {
    err << "pesim report: " << e.what() << "\n";
    return 2;
  }
  for (const std::string& warning : data.warnings) err << "pesim report: " << request.db << ": " << warning << "\n";
  const std::string text = render(data, request.format);
  if (request.out.empty()) {
    out << text;
    return 0;
  }
  std::ofstream file(request.out, std::ios::binary);
  file << text;
  file.close();
  if (!file) {
    err << "pesim report: " << request.out << ": cannot write the report\n";
    return 2;
  }
  err << fmt::format("pesim report: wrote {} ({}, {} run{})\n", request.out, request.format, data.run_count(),
                     data.run_count() == 1 ? "" : "s");
  return 0;
}

}  // namespace pesim::dse
