// SPDX-License-Identifier: Apache-2.0
// `pesim report` over a small, hand-computed database: two runs of one space, a failed and an infeasible evaluation,
// a stored cost model. The fronts and hypervolumes are worked out below; refused files exit 2 naming the file.
#include <fmt/format.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "dse/report/hypervolume_curve.h"
#include "dse/report/report_command.h"
#include "dse/report/svg_plot.h"
#include "dse/store/dse_store.h"
#include "tests/dse/dse_test_support.h"

using namespace pesim::dse;
using Catch::Matchers::Contains;

namespace {

using pesim::dse::test::TempFile;

// The name holds markup, so that the HTML must escape it.
const std::string kSpace = "name: \"report <test> & co\"\n" + pesim::dse::test::kSmallSpaceBody;

const std::string kFailure = "the PE refuses, \"quoted\", <b>";

Evaluation ok(double latency_ms, double energy_uj, double area_mm2 = 1) {
  Evaluation e;
  e.ok = true;
  e.metrics = {{"latency_ms", latency_ms}, {"energy_uj", energy_uj}, {"area_mm2", area_mm2}};
  e.wall_seconds = 0.5;
  return e;
}

Evaluation failed() {
  Evaluation e;
  e.error = kFailure;
  return e;
}

RunInfo start(DseStore& store, const SpaceSpec& spec, const std::string& strategy, uint64_t seed) {
  RunInfo run;
  run.space_id = store.space_id(spec);
  run.strategy = strategy;
  run.cost_model = "gp";
  run.seed = seed;
  run.budget = 10;
  run.batch_size = 1;
  run.pesim_version = "0.1.0 (test)";
  run.command_line = "pesim dse --db x";
  store.start_run(run);
  return run;
}

// Designs by name; (latency_ms, energy_uj) below, all minimized.
const Design kA{0, 0, 0}, kB{1, 0, 0}, kC{2, 0, 0}, kD{3, 0, 0}, kE{0, 1, 0}, kF{0, 0, 1};

// Run 1 (random): A (4, 1), B (2, 2), C (3, 3) dominated by B, D failed, E (1, 4) infeasible (area 5 > 3).
// Run 2 (nsga2): F (1, 3), then A again. The scale over both runs: best (1, 1), worst (4, 3).
void fill(const std::string& path, const SpaceSpec& spec) {
  DseStore store(path);
  const RunInfo first = start(store, spec, "random", 1);
  store.record_evaluation(first, spec, kA, 0, 0, ok(4, 1), true, "synthetic", 0);
  store.record_evaluation(first, spec, kB, 1, 1, ok(2, 2), true, "synthetic", 0);
  store.record_evaluation(first, spec, kC, 2, 2, ok(3, 3), true, "synthetic", 0);
  store.record_evaluation(first, spec, kD, 3, 3, failed(), false, "synthetic", 0);
  store.record_evaluation(first, spec, kE, 4, 4, ok(1, 4, 5), false, "synthetic", 0);
  store.set_run_status(first.id, "finished");
  DseStore::ModelRecord model;
  model.objective = "energy_uj";
  model.regressor = "gp";
  model.validation = "5-fold cross-validation";
  model.training_designs = 3;
  model.test_designs = 3;
  model.rmse = 0.2;
  model.rmse_relative = 0.1;
  model.mape = 0.08;
  model.spearman = 1;
  model.hyperparameters = R"({"length_scales": [0.5, 2]})";
  model.predictions = {{spec.space.hash(kA), 1.1, 1}, {spec.space.hash(kB), 1.8, 2}, {spec.space.hash(kC), 3.3, 3}};
  store.record_model(first.id, first.space_id, model);
  const RunInfo second = start(store, spec, "nsga2", 7);
  store.record_evaluation(second, spec, kF, 0, 0, ok(1, 3), true, "synthetic", 0);
  store.record_evaluation(second, spec, kA, 1, 1, ok(4, 1), true, "synthetic", 0);
}

// Normalized by the scale: A (1, 0), B (1/3, 1/2), F (0, 1); reference 1.1, box 1.1^2.
const double kBox = 1.1 * 1.1;
const double kRun1AfterA = 0.1 * 1.1 / kBox;
const double kRun1Final = ((1.1 - 1.0 / 3) * (1.1 - 0.5) + (1.1 - 1) * 0.5) / kBox;
const double kRun2Final = (1.1 * 0.1 + 0.1 * 1) / kBox;

struct Output {
  int status = 0;
  std::string out, err;
};

Output report(const std::string& db, const std::string& format, int64_t run = 0, const std::string& file = "") {
  std::ostringstream out, err;
  const int status = run_report({db, run, format, file}, out, err);
  return {status, out.str(), err.str()};
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

size_t count_of(const std::string& text, const std::string& part) {
  size_t count = 0;
  for (size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + part.size())) ++count;
  return count;
}

std::set<std::string> as_set(const nlohmann::json& array) {
  std::set<std::string> set;
  for (const auto& item : array) set.insert(item.get<std::string>());
  return set;
}

}  // namespace

TEST_CASE("report csv: one row per evaluation, parameters and metrics as columns, RFC 4180 quoting", "[dse][report]") {
  const SpaceSpec spec = parse_space(kSpace, "report.yaml");
  TempFile db("pesim_test_report_csv.db");
  fill(db.path, spec);
  const Output csv = report(db.path, "csv");
  REQUIRE(csv.status == 0);
  const std::vector<std::string> lines = lines_of(csv.out);
  REQUIRE(lines.size() == 1 + 7);
  CHECK(lines[0] ==
        "run_id,strategy,seed,sequence,design_hash,rows,cols,dataflow,status,feasible,error,wall_seconds,latency_ms,"
        "energy_uj,area_mm2");
  CHECK(lines[1] == "1,random,1,0," + spec.space.hash(kA) + ",8,8,ws,ok,1,,0.5,4,1,1");
  CHECK(lines[4] ==
        "1,random,1,3," + spec.space.hash(kD) + ",64,8,ws,failed,0,\"the PE refuses, \"\"quoted\"\", <b>\",0,,,");
  CHECK(lines[5] == "1,random,1,4," + spec.space.hash(kE) + ",8,16,ws,ok,0,,0.5,1,4,5");
  CHECK(lines[6] == "2,nsga2,7,0," + spec.space.hash(kF) + ",8,8,os,ok,1,,0.5,1,3,1");

  const Output second = report(db.path, "csv", 2);
  CHECK(lines_of(second.out).size() == 1 + 2);
}

TEST_CASE("report json: runs with evaluations, fronts, hypervolume on the space's scale and models", "[dse][report]") {
  const SpaceSpec spec = parse_space(kSpace, "report.yaml");
  TempFile db("pesim_test_report_json.db");
  fill(db.path, spec);
  const Output out = report(db.path, "json");
  REQUIRE(out.status == 0);
  const nlohmann::json j = nlohmann::json::parse(out.out);
  REQUIRE(j["runs"].size() == 2);
  const nlohmann::json& first = j["runs"][0];
  CHECK(first["strategy"] == "random");
  CHECK(first["evaluation_count"] == 5);
  CHECK(first["failed"] == 1);
  CHECK(first["infeasible"] == 1);
  CHECK(as_set(first["pareto_front"]) == std::set<std::string>{spec.space.hash(kA), spec.space.hash(kB)});
  CHECK(as_set(j["runs"][1]["pareto_front"]) == std::set<std::string>{spec.space.hash(kA), spec.space.hash(kF)});
  const nlohmann::json& curve = first["hypervolume_curve"];
  REQUIRE(curve.size() == 5);
  CHECK(curve[0].get<double>() == Approx(kRun1AfterA));
  for (size_t k = 1; k < 5; ++k) CHECK(curve[k].get<double>() == Approx(kRun1Final));
  CHECK(first["final_hypervolume"].get<double>() == Approx(kRun1Final));
  CHECK(j["runs"][1]["final_hypervolume"].get<double>() == Approx(kRun2Final));
  const nlohmann::json& failed_one = first["evaluations"][3];
  CHECK(failed_one["status"] == "failed");
  CHECK(failed_one["error"] == kFailure);
  CHECK(first["evaluations"][0]["metrics"]["latency_ms"]["unit"] == "ms");
  CHECK(first["evaluations"][0]["parameters"]["dataflow"] == "ws");
  REQUIRE(first["models"].size() == 1);
  CHECK(first["models"][0]["predictions"].size() == 3);
  CHECK(first["models"][0]["hyperparameters"]["length_scales"][1] == 2);
  CHECK(j["runs"][1]["models"].empty());
  CHECK(j["spaces"][0]["hypervolume_scale"]["worst"]["latency_ms"] == 4);

  // Run 2 alone keeps the scale of every run of its space: the same hypervolume.
  const nlohmann::json alone = nlohmann::json::parse(report(db.path, "json", 2).out);
  REQUIRE(alone["runs"].size() == 1);
  CHECK(alone["runs"][0]["final_hypervolume"].get<double>() == Approx(kRun2Final));
}

TEST_CASE("report html: one self-contained page with escaped text and every figure", "[dse][report]") {
  const SpaceSpec spec = parse_space(kSpace, "report.yaml");
  TempFile db("pesim_test_report_html.db");
  fill(db.path, spec);
  const Output html = report(db.path, "html");
  REQUIRE(html.status == 0);
  const std::string& page = html.out;
  CHECK_THAT(page, Contains("<!DOCTYPE html>"));
  CHECK_THAT(page, Contains("report &lt;test&gt; &amp; co"));
  CHECK(page.find("<test>") == std::string::npos);
  CHECK(page.find("<script") == std::string::npos);
  CHECK(page.find("href=") == std::string::npos);
  CHECK(page.find("src=") == std::string::npos);
  // One projection (two objectives), the hypervolume plot, one cost model.
  CHECK(count_of(page, "<svg ") == 3);
  CHECK(count_of(page, "</svg>") == 3);
  CHECK_THAT(page, Contains("latency_ms (ms)"));
  CHECK_THAT(page, Contains("energy_uj (uJ)"));
  // Run 2 reaches 0.21 / 0.51 of run 1's final hypervolume.
  CHECK_THAT(page, Contains(fmt::format("{:.1f}%", 100 * kRun2Final / kRun1Final)));
  CHECK_THAT(page, Contains(fmt::format("{:.4f}", kRun1Final)));
  // A, B and F are the front over both runs; C (dominated), D (failed) and E (infeasible) are not.
  CHECK_THAT(page, Contains("Pareto-optimal designs (3)"));
  const size_t front_table = page.find("Pareto-optimal designs");
  for (const Design& d : {kA, kB, kF}) CHECK(page.find(spec.space.hash(d), front_table) != std::string::npos);
  for (const Design& d : {kC, kD, kE}) CHECK(page.find(spec.space.hash(d), front_table) == std::string::npos);
  CHECK_THAT(page, Contains("MAPE 8.0%"));
}

TEST_CASE("report writes --out files and refuses what it cannot report with exit 2", "[dse][report]") {
  const SpaceSpec spec = parse_space(kSpace, "report.yaml");
  TempFile db("pesim_test_report_refuse.db");
  fill(db.path, spec);

  TempFile out_file("pesim_test_report_out.html");
  const Output written = report(db.path, "html", 0, out_file.path);
  CHECK(written.status == 0);
  CHECK(written.out.empty());
  CHECK(std::filesystem::file_size(out_file.path) > 1000);

  const Output unknown = report(db.path, "csv", 9);
  CHECK(unknown.status == 2);
  CHECK_THAT(unknown.err, Contains(db.path) && Contains("no run 9") && Contains("1, 2"));
  CHECK(unknown.out.empty());

  TempFile missing("pesim_test_report_missing.db");
  const Output absent = report(missing.path, "html");
  CHECK(absent.status == 2);
  CHECK_THAT(absent.err, Contains(missing.path));
  CHECK_FALSE(std::filesystem::exists(missing.path));  // not created by the attempt

  TempFile text("pesim_test_report_text.db");
  std::ofstream(text.path) << "name,value\nnot,sqlite\n";
  const Output not_sqlite = report(text.path, "json");
  CHECK(not_sqlite.status == 2);
  CHECK_THAT(not_sqlite.err, Contains(text.path));

  TempFile other("pesim_test_report_other.db");
  {
    pesim::store::Database sim_store(other.path);  // a pesim store with `pesim sim --db` runs only
    sim_store.transaction([&] { sim_store.ensure_schema("sim", 1, "CREATE TABLE sim_runs (id INTEGER)"); });
  }
  const Output not_dse = report(other.path, "json");
  CHECK(not_dse.status == 2);
  CHECK_THAT(not_dse.err, Contains(other.path) && Contains("not a pesim DSE database"));

  TempFile empty("pesim_test_report_empty.db");
  DseStore{empty.path};
  const Output no_runs = report(empty.path, "csv");
  CHECK(no_runs.status == 2);
  CHECK_THAT(no_runs.err, Contains("no DSE runs"));
}

TEST_CASE("report command line: the database as argument or --db, --run, --format, --out", "[dse][report]") {
  CLI::App app;
  ReportRequest request;
  add_report_subcommand(app, request);
  app.parse("report results.db --run 3 --format csv -o runs.csv", false);
  CHECK(request.db == "results.db");
  CHECK(request.run == 3);
  CHECK(request.format == "csv");
  CHECK(request.out == "runs.csv");
  ReportRequest named;
  CLI::App other;
  add_report_subcommand(other, named);
  other.parse("report --db named.db", false);
  CHECK(named.db == "named.db");
  CHECK(named.format == "html");
  CHECK_THROWS_AS(other.parse("report --db x.db --format pdf", false), CLI::ValidationError);
}

TEST_CASE("csv fields are quoted only when they must be", "[dse][report]") {
  CHECK(csv_field("plain") == "plain");
  CHECK(csv_field("") == "");
  CHECK(csv_field("a,b") == "\"a,b\"");
  CHECK(csv_field("say \"hi\"") == "\"say \"\"hi\"\"\"");
  CHECK(csv_field("two\nlines") == "\"two\nlines\"");
}

TEST_CASE("hypervolume curve: non-decreasing, flat on failures and dominated points, in [0, 1]", "[dse][report]") {
  const std::vector<std::optional<ObjectivePoint>> points{ObjectivePoint{4, 1}, std::nullopt, ObjectivePoint{3, 3},
                                                          ObjectivePoint{2, 2}, ObjectivePoint{1, 3}};
  std::vector<ObjectivePoint> feasible;
  for (const auto& p : points)
    if (p) feasible.push_back(*p);
  const ObjectiveScale scale = ObjectiveScale::over(feasible);
  CHECK(scale.best == ObjectivePoint{1, 1});
  CHECK(scale.worst == ObjectivePoint{4, 3});
  const std::vector<HypervolumePoint> curve = hypervolume_curve(points, scale);
  REQUIRE(curve.size() == 5);
  CHECK(curve[0].hypervolume == Approx(0.1 * 1.1 / kBox));
  CHECK(curve[1].hypervolume == curve[0].hypervolume);  // failed
  // (3, 3) normalizes to (2/3, 1): it adds the strip (1.1 - 2/3) x (1.1 - 1).
  CHECK(curve[2].hypervolume == Approx((0.1 * 1.1 + (1 - 2.0 / 3) * 0.1) / kBox));
  const double all = hypervolume({{1, 0}, {1.0 / 3, 0.5}, {2.0 / 3, 1}, {0, 1}}, {1.1, 1.1}) / kBox;
  CHECK(curve[4].hypervolume == Approx(all));
  CHECK(curve[4].evaluations == 5);
  for (size_t k = 1; k < curve.size(); ++k) CHECK(curve[k].hypervolume >= curve[k - 1].hypervolume);
  CHECK(curve[4].hypervolume <= 1);
  CHECK(evaluations_to_reach(curve, curve[2].hypervolume) == 3);
  CHECK_FALSE(evaluations_to_reach(curve, 1.0));
  CHECK(hypervolume_curve(points, ObjectiveScale{}).back().hypervolume == 0);  // no scale: nothing feasible
}

TEST_CASE("svg axes: log beyond a decade, readable ticks, escaped text", "[dse][report]") {
  const svg::Axis linear = svg::fit_axis("x", {1, 2, 9});
  CHECK_FALSE(linear.log);
  CHECK(linear.low < 1);
  CHECK(linear.high > 9);
  const svg::Axis log = svg::fit_axis("x", {1, 2, 500});
  CHECK(log.log);
  CHECK(svg::axis_ticks(log) == std::vector<double>{1, 10, 100});
  CHECK(svg::tick_label(2e6, {"x", 1, 1e7, true}) == "2e6");
  const svg::Axis unit{"x", 0, 1, false};
  std::vector<std::string> labels;
  for (double tick : svg::axis_ticks(unit)) labels.push_back(svg::tick_label(tick, unit));
  CHECK(labels == std::vector<std::string>{"0", "0.2", "0.4", "0.6", "0.8", "1.0"});  // steps of 0.2: one decimal
  CHECK_FALSE(svg::fit_axis("x", {-1, 100}).log);                                     // not all positive
  CHECK(svg::escape("<a href='x'>&\"") == "&lt;a href=&#39;x&#39;&gt;&amp;&quot;");
  svg::Plot plot({"a<b", 0, 1, false}, {"y", 0, 1, false});
  plot.add_points({{0.5, 0.5, "t<1>"}}, {});
  const std::string text = plot.render("d&d");
  CHECK_THAT(text, Contains("a&lt;b") && Contains("<title>t&lt;1&gt;</title>") && Contains("<title>d&amp;d</title>"));
}
