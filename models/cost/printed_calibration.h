// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "models/cost/technology.h"

namespace pesim::cost {

// One published printed design: its Design Compiler area and PrimeTime power, the reference a printed
// technology's cell table and power model are checked against.
struct PublishedDesign {
  std::string name;
  std::optional<std::map<std::string, int64_t>> counts;  // cells by type; none where no gate netlist was published
  double dc_area_um2 = 0;
  double pt_total_mw = 0;  // PrimeTime PX total (its report is in W)
  double pt_leakage_mw = 0;
  double reported_mw = 0;  // the reports.txt figure, 10x below PrimeTime's
};

// Reads egfet_design_reports.json; throws std::runtime_error naming the file on anything missing.
std::vector<PublishedDesign> read_published_designs(const std::string& path);

// A published design re-costed from its gate counts with a technology's cell table and power model.
struct RecostedDesign {
  double area_um2 = 0;
  double power_mw = 0;
  double area_error = 0;   // pesim / DC - 1
  double power_error = 0;  // pesim / PrimeTime - 1
};
RecostedDesign recost(const PublishedDesign& design, const Technology& tech);

// The technology's calibration against its published designs as a Markdown table, one row per design, and a
// summary line. Throws std::invalid_argument when the technology has no published designs.
std::string calibration_table(const Technology& tech);

}  // namespace pesim::cost
