// SPDX-License-Identifier: Apache-2.0
// The printed flow's result files: summary.md, designs.csv, designs.json, front.svg and circuits.v.
#include <fmt/format.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <sstream>

#include "dse/printed/printed_flow.h"
#include "dse/report/svg_plot.h"
#include "pesim/version.h"
#include "sim/printed/verilated_check.h"

namespace pesim::printed {
namespace {

namespace fs = std::filesystem;

const PrintedDesign& exact_design(const PrintedOutcome& o) { return o.designs.front(); }

// Accuracy loss against the exact design, in percentage points of test accuracy.
double loss_points(const PrintedOutcome& o, const PrintedDesign& d) {
  return 100 * (exact_design(o).test_accuracy - d.test_accuracy);
}

std::string optional_number(bool present, double value, const char* format) {
  return present ? fmt::format(fmt::runtime(format), value) : "-";
}

std::string utc_date() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%d", std::gmtime(&now));
  return text;
}

void write_header(const PrintedOutcome& o, std::ostream& out) {
  const Dataset& data = o.dataset;
  const TrainingOptions& t = o.training_options;
  out << fmt::format("# pesim printed: {}\n\n", data.name);
  out << fmt::format(
      "pesim {} ({}), {}. Data: `{}`, {} training and {} test samples, {} features, {} classes; "
      "min-max scaled on the training split to [0, 0.9], inputs {}-bit unsigned fractions.\n\n",
      kVersion, kGitDescribe, utc_date(), data.origin, data.train.labels.size(), data.test.labels.size(),
      data.feature_count(), data.class_count(), t.input_bits);
  out << fmt::format(
      "- **Training:** {} MLP, seed {}, {} epochs, quantization-aware to {}-term power-of-two weights "
      "(8-bit), {}-bit ReLU. Float test accuracy {:.4f}; quantized (exact bespoke) {:.4f}; always answering the "
      "most frequent class: {:.4f}; {:.1f} s.\n",
      o.training.mlp.topology(), t.seed, o.training.epochs_run, t.weight_terms, t.activation_bits,
      o.training.float_test_accuracy, o.training.quantized_test_accuracy, o.majority_test_accuracy, o.training_seconds);
  out << fmt::format(
      "- **Search:** NSGA-II, seed {}, population {}, {} approximations evaluated on the training split "
      "(objectives: 1 - training accuracy, FA-equivalents of the adders); {} front designs within {} "
      "points of the exact training accuracy kept; {:.1f} s.\n",
      o.search_options.seed, o.search_options.population, o.evaluated_approximations, o.designs.size() - 1,
      100 * o.max_accuracy_loss, o.search_seconds);
  const ThreeWayCheck& c = o.check;
  out << fmt::format(
      "- **Check:** {} designs x {} test samples, functional model vs SystemC model (registered I/O "
      "at the printed clock) vs Verilated RTL ({}): {} SystemC and {} RTL mismatches. Mapped netlists "
      "(gate-level simulation): {} mismatches.{}\n",
      c.designs, c.samples, c.verilator_version, c.systemc_mismatches, c.rtl_mismatches, c.netlist_mismatches,
      c.first_mismatch.empty() ? "" : " First: " + c.first_mismatch + ".");
  if (!o.tech_name.empty())
    out << fmt::format(
        "- **Cost:** technology {}, flow: {}; {}. Power: 1.05 x the cells' state-dependent leakage "
        "while classifying the test split (printed circuits at ~5 Hz are leakage-dominated); "
        "combinational core only, as the published designs. {:.1f} s of synthesis.\n",
        o.tech_name, o.tech_flow, o.calibration_note, o.synthesis_seconds);
  out << "\n";
}

void write_design_table(const PrintedOutcome& o, std::ostream& out) {
  const PrintedDesign& exact = exact_design(o);
  out << "| design | train acc | test acc | loss (pp) | FA-eq | area cm2 | area / exact | power mW | delay ms | "
         "batteries | test front |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|\n";
  for (const PrintedDesign& d : o.designs) {
    const bool costed = d.cost.has_value() && exact.cost.has_value();
    out << fmt::format("| {} | {:.4f} | {:.4f} | {:.2f} | {:.1f} | {} | {} | {} | {} | {} | {} |\n", d.id,
                       d.train_accuracy, d.test_accuracy, loss_points(o, d), d.equivalent_full_adders,
                       optional_number(d.cost.has_value(), d.cost ? d.cost->area_cm2 : 0, "{:.4f}"),
                       optional_number(costed, costed ? d.cost->area_cm2 / exact.cost->area_cm2 : 0, "{:.3f}"),
                       optional_number(d.cost.has_value(), d.cost ? d.cost->power_mw : 0, "{:.3f}"),
                       optional_number(d.cost.has_value(), d.cost ? d.cost->delay_ms : 0, "{:.1f}"),
                       d.cost ? batteries_for(d.cost->power_mw) : "-",
                       d.cost && d.cost->cells == 0 ? "constant class"
                       : d.on_test_front            ? "yes"
                                                    : "");
  }
  out << "\n";
}

void write_reductions(const PrintedOutcome& o, std::ostream& out) {
  const PrintedDesign& exact = exact_design(o);
  if (!exact.cost) return;
  out << "## Smallest design within an accuracy loss\n\nDesigns that synthesize to no cells (a constant class) are "
         "left "
         "out.\n\n| loss at most (pp) | design | test acc | area cm2 | area "
         "reduction | power mW | power reduction |\n|---:|---|---:|---:|---:|---:|---:|\n";
  for (double loss : {0.5, 1.0, 2.0, 5.0, 10.0}) {
    const PrintedDesign* best = &exact;
    for (const PrintedDesign& d : o.designs)
      if (d.cost && d.cost->cells > 0 && loss_points(o, d) <= loss && d.cost->area_cm2 < best->cost->area_cm2)
        best = &d;
    out << fmt::format("| {} | {} | {:.4f} | {:.4f} | {:.2f}x | {:.3f} | {:.2f}x |\n", loss, best->id,
                       best->test_accuracy, best->cost->area_cm2, exact.cost->area_cm2 / best->cost->area_cm2,
                       best->cost->power_mw, exact.cost->power_mw / best->cost->power_mw);
  }
  out << "\n";
}

void write_summary(const PrintedOutcome& o, std::ostream& out) {
  write_header(o, out);
  out << "## Designs\n\nThe exact bespoke design, then the search's front by ascending FA-equivalents; `-`: not "
         "synthesized (the costed designs are spread over the front). Loss: exact test accuracy minus the design's, in "
         "percentage points.\n\n";
  write_design_table(o, out);
  write_reductions(o, out);
  if (o.calibration)
    out << fmt::format(
        "## Area proxy\n\narea_cm2 ~= {:.3g} x FA-eq ^ {:.3f}, fitted on the logarithms over {} "
        "synthesized designs: R^2 {:.3f} (of the logarithms), median relative error {:.1f}%; Spearman "
        "rank correlation of FA-eq and area {:.3f} (the search needs the order, not the value).\n\n",
        o.calibration->cm2_at_one_fa, o.calibration->exponent, o.calibration->designs, o.calibration->r_squared_log,
        100 * o.calibration->median_relative_error, o.calibration->rank_correlation);
  out << "![area against test accuracy](front.svg)\n";
}

void write_csv(const PrintedOutcome& o, std::ostream& out) {
  out << "design,train_accuracy,test_accuracy,equivalent_full_adders,area_cm2,power_mw,delay_ms,cells,batteries,"
         "on_test_front\n";
  for (const PrintedDesign& d : o.designs)
    out << fmt::format("{},{:.6f},{:.6f},{:.2f},{},{},{},{},{},{}\n", d.id, d.train_accuracy, d.test_accuracy,
                       d.equivalent_full_adders, d.cost ? fmt::format("{:.6f}", d.cost->area_cm2) : "",
                       d.cost ? fmt::format("{:.6f}", d.cost->power_mw) : "",
                       d.cost ? fmt::format("{:.3f}", d.cost->delay_ms) : "",
                       d.cost ? std::to_string(d.cost->cells) : "", d.cost ? batteries_for(d.cost->power_mw) : "",
                       d.on_test_front ? 1 : 0);
}

nlohmann::json design_json(const PrintedDesign& d) {
  const Approximation& a = d.approximation;
  nlohmann::json j = {{"design", d.id},
                      {"train_accuracy", d.train_accuracy},
                      {"test_accuracy", d.test_accuracy},
                      {"equivalent_full_adders", d.equivalent_full_adders},
                      {"on_test_front", d.on_test_front},
                      {"approximation",
                       {{"kept_terms", a.kept_terms},
                        {"masked_low_bits", a.masked_low_bits},
                        {"pruned_columns", a.pruned_columns},
                        {"relu_kept_bits", a.relu_kept_bits},
                        {"argmax_msbs", a.argmax_msbs}}}};
  if (d.cost)
    j["cost"] = {{"area_cm2", d.cost->area_cm2},
                 {"power_mw", d.cost->power_mw},
                 {"delay_ms", d.cost->delay_ms},
                 {"cells", d.cost->cells},
                 {"cell_counts", d.cost->cell_counts},
                 {"netlist_mismatches", d.cost->netlist_mismatches},
                 {"synthesis_s", d.cost->synthesis_seconds}};
  return j;
}

void write_json(const PrintedOutcome& o, std::ostream& out) {
  nlohmann::json j = {{"dataset", o.dataset.name},
                      {"pesim_version", std::string(kVersion) + " (" + kGitDescribe + ")"},
                      {"topology", o.training.mlp.topology()},
                      {"training_seed", o.training_options.seed},
                      {"search_seed", o.search_options.seed},
                      {"evaluated_approximations", o.evaluated_approximations},
                      {"float_test_accuracy", o.training.float_test_accuracy},
                      {"quantized_test_accuracy", o.training.quantized_test_accuracy},
                      {"majority_class_test_accuracy", o.majority_test_accuracy},
                      {"check",
                       {{"designs", o.check.designs},
                        {"samples", o.check.samples},
                        {"rtl_mismatches", o.check.rtl_mismatches},
                        {"systemc_mismatches", o.check.systemc_mismatches},
                        {"netlist_mismatches", o.check.netlist_mismatches}}},
                      {"technology", o.tech_name},
                      {"designs", nlohmann::json::array()}};
  const PrintedDesign& exact = exact_design(o);
  if (exact.cost) j["exact_batteries"] = batteries_for(exact.cost->power_mw);
  if (o.calibration)
    j["proxy_calibration"] = {{"cm2_at_one_fa", o.calibration->cm2_at_one_fa},
                              {"exponent", o.calibration->exponent},
                              {"r_squared_log", o.calibration->r_squared_log},
                              {"median_relative_error", o.calibration->median_relative_error},
                              {"rank_correlation", o.calibration->rank_correlation},
                              {"designs", o.calibration->designs}};
  for (const PrintedDesign& d : o.designs) j["designs"].push_back(design_json(d));
  out << j.dump(1) << "\n";
}

std::string front_plot(const PrintedOutcome& o) {
  std::vector<dse::svg::DataPoint> costed, front, exact;
  std::vector<double> xs, ys;
  for (const PrintedDesign& d : o.designs) {
    if (!d.cost) continue;
    const dse::svg::DataPoint p{100 * d.test_accuracy, d.cost->area_cm2,
                                fmt::format("{}: {:.2f}%, {:.3f} cm2, {:.3f} mW", d.id, 100 * d.test_accuracy,
                                            d.cost->area_cm2, d.cost->power_mw)};
    (d.id == "exact" ? exact : costed).push_back(p);
    if (d.on_test_front) front.push_back(p);
    xs.push_back(p.x);
    ys.push_back(p.y);
  }
  std::sort(front.begin(), front.end(), [](const auto& a, const auto& b) { return a.x < b.x; });
  dse::svg::Plot plot(dse::svg::fit_axis("test accuracy (%)", xs, false), dse::svg::fit_axis("area (cm2)", ys));
  plot.add_line(front, "#1f77b4", 1.5);
  plot.add_points(costed, {"#1f77b4", dse::svg::Marker::Circle, 3.5, 0.9, false});
  plot.add_points(exact, {"#d62728", dse::svg::Marker::Diamond, 5, 1, true});
  plot.add_legend_entry({"approximate", {"#1f77b4", dse::svg::Marker::Circle}});
  plot.add_legend_entry({"exact bespoke", {"#d62728", dse::svg::Marker::Diamond, 5, 1, true}});
  plot.add_legend_entry({"front (test)", {"#1f77b4"}, true});
  return plot.render(o.dataset.name + ": area against test accuracy of the synthesized designs");
}

// Writes a file whole: into NAME.tmp, then renamed over NAME, so that no reader sees half of it. Throws
// std::runtime_error naming the file when it cannot be written.
void write_whole_file(const fs::path& path, const std::function<void(std::ostream&)>& write) {
  const fs::path partial = path.string() + ".tmp";
  {
    std::ofstream out(partial);
    write(out);
    out.flush();
    if (!out) throw std::runtime_error("cannot write " + partial.string());
  }
  fs::rename(partial, path);
}

}  // namespace

void write_printed_results(const PrintedOutcome& o, const std::string& directory) {
  fs::create_directories(directory);
  const fs::path dir(directory);
  write_whole_file(dir / "summary.md", [&](std::ostream& out) { write_summary(o, out); });
  write_whole_file(dir / "designs.csv", [&](std::ostream& out) { write_csv(o, out); });
  write_whole_file(dir / "designs.json", [&](std::ostream& out) { write_json(o, out); });
  write_whole_file(dir / "front.svg", [&](std::ostream& out) { out << front_plot(o) << "\n"; });
  std::vector<BespokeCircuit> circuits;
  for (const PrintedDesign& d : o.designs) circuits.emplace_back(o.training.mlp, d.approximation);
  write_whole_file(dir / "circuits.v", [&](std::ostream& out) {
    out << "// " << o.dataset.name << ": printed_circuit_K is design K of designs.csv.\n" << bank_verilog(circuits);
  });
}

}  // namespace pesim::printed
