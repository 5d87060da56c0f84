// SPDX-License-Identifier: Apache-2.0
#include "sim/printed/printed_cost.h"

#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <stdexcept>

#include "models/cost/cell_library.h"
#include "models/cost/gate_netlist.h"
#include "models/cost/switching_activity.h"
#include "models/cost/synthesis.h"
#include "models/printed/verilog_generator.h"

namespace pesim::printed {
namespace {

namespace fs = std::filesystem;

constexpr const char* kTopModule = "printed_circuit";

// Read once per process; callers may cost circuits from several threads (map nodes stay put, so the reference
// outlives the lock).
const cost::CellLibrary& library_of(const cost::Technology& tech) {
  static std::mutex mutex;
  static std::map<std::string, cost::CellLibrary> libraries;
  const std::lock_guard<std::mutex> lock(mutex);
  auto it = libraries.find(tech.liberty_path);
  if (it == libraries.end())
    it = libraries.emplace(tech.liberty_path, cost::CellLibrary::read(tech.liberty_path)).first;
  return it->second;
}

// Drives the mapped netlist with every sample: the mean state-dependent leakage (nW) and the class mismatches.
void simulate_netlist(const BespokeCircuit& circuit, const cost::Technology& tech, const std::string& netlist_text,
                      const std::vector<std::vector<int>>& samples, PrintedCircuitCost& cost, double& leakage_nw) {
  const cost::GateNetlist netlist = cost::parse_netlist_text(netlist_text, "the mapped printed circuit");
  cost::GateSimulator simulator(netlist, library_of(tech));
  std::vector<int> inputs;
  for (int i = 0; i < circuit.mlp().input_count(); ++i) inputs.push_back(simulator.port_index(fmt::format("x{}", i)));
  const int class_port = simulator.port_index("class_index");
  simulator.clear_counts();
  for (const std::vector<int>& sample : samples) {
    for (size_t i = 0; i < inputs.size(); ++i) simulator.set_input(inputs[i], static_cast<uint64_t>(sample[i]));
    simulator.cycle();
    const int netlist_class = static_cast<int>(simulator.output(class_port)), model_class = circuit.classify(sample);
    if (netlist_class != model_class && cost.netlist_mismatches++ == 0)
      cost.first_mismatch = fmt::format("sample {}: mapped netlist {}, functional model {}", cost.checked_samples,
                                        netlist_class, model_class);
    ++cost.checked_samples;
  }
  const cost::ActivityCounts& counts = simulator.counts();
  leakage_nw = counts.cycles > 0 ? counts.leakage_state_nw_cycles / static_cast<double>(counts.cycles) : 0.0;
}

}  // namespace

PrintedCircuitCost cost_printed_circuit(const BespokeCircuit& circuit, const cost::Technology& tech,
                                        const std::vector<std::vector<int>>& samples, int timeout_seconds) {
  if (tech.kind != cost::TechKind::kPrinted)
    throw std::invalid_argument("technology " + tech.name + " is not a printed technology");
  const fs::path verilog = fs::temp_directory_path() / fmt::format("pesim_printed_{}.v", getpid());
  std::ofstream(verilog) << circuit_verilog(circuit, kTopModule);
  cost::SynthesisResult synthesis;
  try {
    synthesis = cost::synthesize_verilog(
        {{verilog.string()}, kTopModule, {}, "printed MLP " + circuit.mlp().topology()}, tech, timeout_seconds);
  } catch (...) {
    fs::remove(verilog);
    throw;
  }
  fs::remove(verilog);
  PrintedCircuitCost cost;
  cost.area_cm2 = synthesis.area_um2 * 1e-8;
  cost.delay_ms = synthesis.delay_ns * 1e-6;
  cost.cells = synthesis.cells;
  cost.cell_counts = synthesis.cell_counts;
  cost.synthesis_seconds = synthesis.synthesis_seconds;
  cost.tool_version = synthesis.tool_version;
  cost.average_leakage_power_mw = cost::total_power_mw(tech, synthesis.leakage_nw);
  double state_leakage_nw = synthesis.leakage_nw;
  if (!samples.empty()) simulate_netlist(circuit, tech, synthesis.netlist, samples, cost, state_leakage_nw);
  cost.power_mw = cost::total_power_mw(tech, state_leakage_nw);
  return cost;
}

const std::vector<PrintedBattery>& printed_batteries() {
  // The budgets the printed-classifier papers (MICRO 2020 onwards, ICCAD'23, DATE'24) commonly cite for printed
  // batteries, as digested in the project's papers notes; pesim could not check the vendors' data sheets (see
  // results/printed/README.md).
  static const std::vector<PrintedBattery> batteries{
      {"Blue Spark", 3.0, "printed zinc battery, ~3 mW as cited in the printed-MLP literature"},
      {"Molex", 30.0, "thin-film battery, ~30 mW as cited in the printed-MLP literature"},
  };
  return batteries;
}

std::string batteries_for(double power_mw) {
  std::string names;
  for (const PrintedBattery& battery : printed_batteries())
    if (power_mw <= battery.max_power_mw) names += (names.empty() ? "" : "; ") + battery.name;
  return names.empty() ? "none" : names;
}

}  // namespace pesim::printed
