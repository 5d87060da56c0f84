// SPDX-License-Identifier: Apache-2.0
// The printed EGFET technology against its published references: the 12 ESL'24 printed MLPs' Design Compiler areas
// and PrimeTime powers, and the Yosys flows' areas against Design Compiler's, read here from the committed copies of
// the source files (models/cost/tech/egfet/), never from pesim's output.
#include <catch2/catch.hpp>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "models/cost/liberty.h"
#include "models/cost/synthesis.h"
#include "models/cost/technology.h"
#include "pesim/version.h"

namespace {

const std::string kEgfetDir = pesim::source_path("models/cost/tech/egfet") + "/";

nlohmann::json published_designs() {
  std::ifstream file(kEgfetDir + "egfet_design_reports.json");
  REQUIRE(file);
  return nlohmann::json::parse(file);
}

// Rows of a CSV file without quoted fields, as header -> value maps.
std::vector<std::map<std::string, std::string>> read_csv(const std::string& path) {
  std::ifstream file(path);
  REQUIRE(file);
  auto split = [](const std::string& line) {
    std::vector<std::string> fields;
    std::istringstream in(line);
    for (std::string field; std::getline(in, field, ',');) fields.push_back(field);
    return fields;
  };
  std::string line;
  std::getline(file, line);
  const auto header = split(line);
  std::vector<std::map<std::string, std::string>> rows;
  while (std::getline(file, line)) {
    const auto fields = split(line);
    std::map<std::string, std::string> row;
    for (size_t i = 0; i < header.size() && i < fields.size(); ++i) row[header[i]] = fields[i];
    rows.push_back(row);
  }
  return rows;
}

std::map<std::string, int64_t> counts_of(const nlohmann::json& design) {
  return design.at("counts").get<std::map<std::string, int64_t>>();
}

}  // namespace

TEST_CASE("egfet: the cell table re-costs the published gate counts to Design Compiler's area exactly", "[cost]") {
  const auto& tech = pesim::cost::find_technology("egfet");
  const auto cells = pesim::cost::read_liberty_cells(tech.liberty_path);
  const auto designs = published_designs();
  REQUIRE(designs.size() == 12);
  std::set<std::string> without_counts;
  for (const auto& d : designs) {
    const std::string name = d.at("design");
    if (d.at("counts").is_null()) {
      without_counts.insert(name);
      continue;
    }
    INFO(name);
    CHECK(pesim::cost::cost_cells(counts_of(d), cells).area_um2 == d.at("dc_area").get<double>());
  }
  // The one design without a published netlist; its reports are the same as Vertebral_Column_3C/1's.
  CHECK(without_counts == std::set<std::string>{"Vertebral_Column_3C/2"});
}

TEST_CASE("egfet: the power model reproduces PrimeTime's totals within 10%", "[cost]") {
  const auto& tech = pesim::cost::find_technology("egfet");
  const auto cells = pesim::cost::read_liberty_cells(tech.liberty_path);
  int checked = 0;
  for (const auto& d : published_designs()) {
    const double pt_total_mw = d.at("pt_total").get<double>() * 1e3;  // PrimeTime reports watts
    // reports.txt (and the paper) give a tenth of PrimeTime's total; pesim compares against PrimeTime.
    CHECK(d.at("rep_power_mW").get<double>() * 10 == Approx(pt_total_mw).epsilon(0.01));
    if (d.at("counts").is_null()) continue;
    INFO(d.at("design").get<std::string>());
    const double leakage_nw = pesim::cost::cost_cells(counts_of(d), cells).leakage_nw;
    CHECK(std::abs(pesim::cost::total_power_mw(tech, leakage_nw) / pt_total_mw - 1) < 0.10);
    ++checked;
  }
  CHECK(checked == 11);
}

TEST_CASE("egfet: the liberty agrees with the cell CSV, total/leakage and flow calibration with the sources",
          "[cost]") {
  const auto& tech = pesim::cost::find_technology("egfet");
  const auto cells = pesim::cost::read_liberty_cells(tech.liberty_path);
  for (const auto& row : read_csv(kEgfetDir + "egfet_cells.csv")) {
    INFO(row.at("cell"));
    REQUIRE(cells.count(row.at("cell")) == 1);
    CHECK(cells.at(row.at("cell")).area_um2 == std::stod(row.at("area_um2")));
    CHECK(cells.at(row.at("cell")).leakage_nw == Approx(std::stod(row.at("leakage_W")) * 1e9).epsilon(1e-5));
  }
  CHECK(cells.at("DFFNRX1").is_flop);
  CHECK_FALSE(cells.at("NAND2X1").is_flop);

  double ratio_sum = 0;
  const auto designs = published_designs();
  for (const auto& d : designs) ratio_sum += d.at("pt_total").get<double>() / d.at("pt_leak").get<double>();
  CHECK(tech.power_per_leakage == Approx(ratio_sum / designs.size()).margin(0.01));

  // The nf flow on the distinct ESL'24 designs (Vertebral_Column_3C/2 and /5 repeat /1 and /0).
  std::set<std::string> seen;
  std::vector<double> ratios;
  for (const auto& row : read_csv(kEgfetDir + "yosys_vs_dc.csv")) {
    if (row.at("source") != "ESL24" || row.at("flow") != "nf") continue;
    if (!seen.insert(row.at("area_um2") + "/" + row.at("dc_area_cm2")).second) continue;
    ratios.push_back(std::stod(row.at("area_ratio_vs_dc")));
  }
  double mean = 0, variance = 0;
  for (double r : ratios) mean += r / ratios.size();
  for (double r : ratios) variance += (r - mean) * (r - mean) / ratios.size();
  REQUIRE(tech.calibration.has_value());
  CHECK(tech.calibration->designs == static_cast<int>(ratios.size()));
  CHECK(tech.calibration->area_ratio == Approx(mean).margin(0.005));
  CHECK(tech.calibration->area_ratio_sd == Approx(std::sqrt(variance)).margin(0.005));
}
