// SPDX-License-Identifier: Apache-2.0
#include "models/cost/printed_calibration.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "models/cost/liberty.h"
#include "models/cost/synthesis.h"

namespace pesim::cost {

std::vector<PublishedDesign> read_published_designs(const std::string& path) {
  std::ifstream file(path);
  if (!file) throw std::runtime_error(path + ": cannot open the published designs");
  std::vector<PublishedDesign> designs;
  try {
    for (const auto& j : nlohmann::json::parse(file)) {
      PublishedDesign d;
      d.name = j.at("design").get<std::string>();
      if (!j.at("counts").is_null()) d.counts = j.at("counts").get<std::map<std::string, int64_t>>();
      d.dc_area_um2 = j.at("dc_area").get<double>();
      d.pt_total_mw = j.at("pt_total").get<double>() * 1e3;  // PrimeTime reports watts
      d.pt_leakage_mw = j.at("pt_leak").get<double>() * 1e3;
      d.reported_mw = j.at("rep_power_mW").get<double>();
      designs.push_back(std::move(d));
    }
  } catch (const nlohmann::json::exception& e) {
    throw std::runtime_error(path + ": " + e.what());
  }
  return designs;
}

RecostedDesign recost(const PublishedDesign& design, const Technology& tech) {
  if (!design.counts) throw std::invalid_argument(design.name + " has no published gate counts");
  const CellCost cost = cost_cells(*design.counts, read_liberty_cells(tech.liberty_path));
  RecostedDesign r;
  r.area_um2 = cost.area_um2;
  r.power_mw = total_power_mw(tech, cost.leakage_nw);
  r.area_error = r.area_um2 / design.dc_area_um2 - 1;
  r.power_error = r.power_mw / design.pt_total_mw - 1;
  return r;
}

std::string calibration_table(const Technology& tech) {
  if (tech.reference_designs_path.empty()) {
    throw std::invalid_argument("technology '" + tech.name + "' has no published designs to calibrate against");
  }
  std::string out =
      "| design | cells | DC area um2 | pesim area um2 | area | PrimeTime total mW | pesim power mW | power error | "
      "reports.txt mW |\n|---|---:|---:|---:|---|---:|---:|---:|---:|\n";
  int exact = 0, recosted = 0;
  double max_error = 0, sum_error = 0;
  const auto designs = read_published_designs(tech.reference_designs_path);
  for (const PublishedDesign& d : designs) {
    if (!d.counts) {
      out += fmt::format("| {} | - | {:.0f} | - | no netlist published | {:.3f} | - | - | {:.2f} |\n", d.name,
                         d.dc_area_um2, d.pt_total_mw, d.reported_mw);
      continue;
    }
    const RecostedDesign r = recost(d, tech);
    int64_t cells = 0;
    for (const auto& [name, count] : *d.counts) cells += count;
    const bool same = r.area_um2 == d.dc_area_um2;
    exact += same;
    ++recosted;
    max_error = std::max(max_error, std::abs(r.power_error));
    sum_error += std::abs(r.power_error);
    out += fmt::format("| {} | {} | {:.0f} | {:.0f} | {} | {:.3f} | {:.3f} | {:+.1f}% | {:.2f} |\n", d.name, cells,
                       d.dc_area_um2, r.area_um2, same ? "exact" : fmt::format("{:+.2e}", r.area_error), d.pt_total_mw,
                       r.power_mw, 100 * r.power_error, d.reported_mw);
  }
  out += fmt::format(
      "\nArea exact for {} of {} designs with published gate counts ({} designs in all); power |error| max {:.1f}%, "
      "mean {:.1f}%.\n",
      exact, recosted, designs.size(), 100 * max_error, 100 * sum_error / std::max(recosted, 1));
  return out;
}

}  // namespace pesim::cost
