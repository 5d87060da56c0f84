// SPDX-License-Identifier: Apache-2.0
// Area, delay and power of a bespoke printed circuit: its generated Verilog synthesized onto the printed technology's
// cells (models/cost), and its power from the cells' state-dependent leakage while the mapped netlist classifies the
// samples (printed circuits at a few hertz burn ~95% of their power in leakage). The netlist's class is checked
// against the functional model's on every sample.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "models/cost/technology.h"
#include "models/printed/bespoke_circuit.h"

namespace pesim::printed {

struct PrintedCircuitCost {
  double area_cm2 = 0;
  double delay_ms = 0;  // ABC's mapped critical path
  double power_mw = 0;  // Technology::power_per_leakage x the mean state-dependent leakage over the samples
  double average_leakage_power_mw = 0;  // the same from the cells' state-average leakage (no samples needed)
  int64_t cells = 0;
  std::map<std::string, int64_t> cell_counts;
  int64_t checked_samples = 0, netlist_mismatches = 0;  // the mapped netlist's class against classify()
  std::string first_mismatch;                           // the first mismatching sample and both classes, or empty
  double synthesis_seconds = 0;
  std::string tool_version;
};

// Throws std::runtime_error when synthesis fails or times out, std::invalid_argument for a non-printed technology.
PrintedCircuitCost cost_printed_circuit(const BespokeCircuit& circuit, const cost::Technology& tech,
                                        const std::vector<std::vector<int>>& samples, int timeout_seconds = 600);

// A printed battery and the power it can supply continuously.
struct PrintedBattery {
  std::string name;
  double max_power_mw = 0;
  std::string source;
};
// The budgets pesim checks designs against, smallest first.
const std::vector<PrintedBattery>& printed_batteries();
// The names of the batteries that can power `power_mw` ("none" when none can), separated by "; ".
std::string batteries_for(double power_mw);

}  // namespace pesim::printed
