// SPDX-License-Identifier: Apache-2.0
// The generated Verilog of bespoke printed circuits, compiled by Verilator at run time and driven with samples: the
// RTL side of the printed flow's three-way check (functional model, SystemC model, RTL).
#pragma once
#include <string>
#include <vector>

#include "models/printed/bespoke_circuit.h"

namespace pesim::printed {

struct VerilatedRun {
  std::vector<std::vector<int>> classes;  // [circuit][sample]: the RTL's class_index
  std::string verilog;                    // the bank's Verilog: every circuit's module and the top
  std::string verilator_version;
  double build_seconds = 0, run_seconds = 0;
};

// One module per circuit (printed_circuit_K) and a top `printed_bank` that feeds them the same inputs, verilated
// with -Wall into `work_directory` (created; kept for inspection) and run over the samples. The circuits must share
// their input count and widths. Throws std::runtime_error with Verilator's or the compiler's last lines on failure.
VerilatedRun run_verilated(const std::vector<BespokeCircuit>& circuits, const std::vector<std::vector<int>>& samples,
                           const std::string& work_directory);

// The bank's Verilog alone (exposed for tests and for writing the circuits out).
std::string bank_verilog(const std::vector<BespokeCircuit>& circuits);

}  // namespace pesim::printed
