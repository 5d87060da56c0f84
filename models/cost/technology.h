// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <optional>
#include <string>
#include <vector>

namespace pesim::cost {

// What a technology's figures are, which decides how they are reported.
enum class TechKind {
  kCmos,     // standard cells: area um2, register-to-register delay ns, leakage uW
  kPrinted,  // printed EGFET cells: area cm2, delay ms, power mW (at a few hertz, ~95% of it leakage)
  kFpga,     // FPGA primitives: LUT, FF, carry, DSP and BRAM counts; cell area and leakage do not apply
};

// A synthesis flow's area against a reference tool's on the same RTL: the factor to quote with its figures.
struct FlowCalibration {
  double area_ratio = 0;     // mean of (this flow's area / reference area)
  double area_ratio_sd = 0;  // population standard deviation of that ratio over the designs
  int designs = 0;
  std::string reference;  // the reference tool and the designs
  std::string source;     // the file the ratios come from
};

// A technology the cost flow maps designs onto and the Yosys flow that does it.
struct Technology {
  std::string name;
  std::string description;
  TechKind kind = TechKind::kCmos;
  std::string liberty_path;  // cell technologies; empty for FPGAs
  std::string flow;          // the flow in words, printed with every figure
  // Yosys commands after the design is read and its parameters set; "{top}" and "{lib}" are substituted. Part of
  // the cache key with `flow`, so results of different technologies or flows never collide.
  std::string yosys_commands;
  std::optional<FlowCalibration> calibration;
  // Published designs (gate counts, reference area and power) its cell table and power model are checked against;
  // empty if none.
  std::string reference_designs_path;
  // Total power / sum of the cells' leakage at the technology's clock (printed: leakage-dominated); 0 where only
  // leakage is reported.
  double power_per_leakage = 0;
};

const std::vector<Technology>& technologies();

// Throws std::invalid_argument naming the unknown technology and the known ones.
const Technology& find_technology(const std::string& name);

// The technologies' names, comma-separated, in table order.
std::string technology_names();

}  // namespace pesim::cost
