// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <CLI/CLI.hpp>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <string>

#include "models/cost/dynamic_power.h"
#include "models/cost/synthesis.h"
#include "models/cost/technology.h"
#include "models/pe/pe.h"
#include "sim/cost/power_stimulus.h"

namespace pesim::cost {

// `pesim cost`'s dynamic-power options: the stimulus, the clock, or the constant-activity fallback.
struct PowerOptions {
  StimulusOptions stimulus;
  double clock_mhz = 0;        // 0: report at the PE's maximum clock only
  double activity_factor = 0;  // > 0: the documented fallback, no simulation
  bool skip = false;           // --no-power
};

void add_power_options(CLI::App& cost_command, PowerOptions& options);

// Dynamic power of one PE configuration from its mapped netlist (SynthesisResult::netlist).
struct PowerEstimate {
  DynamicEnergy energy;
  PortStimulus stimulus;                        // its summary (cycles cleared)
  int64_t checked_outputs = 0, mismatches = 0;  // the netlist's out_acc against the core's mac(), in order
  std::string check;                            // how the netlist was checked, or why it was not
  double max_clock_mhz = 0, clock_mhz = 0;
  double energy_per_op_pj = 0, energy_per_mac_pj = 0;
  double simulation_seconds = 0;
  int64_t simulated_cycles = 0;
};

// Throws StimulusError on bad options or stimulus files, std::runtime_error on a bad netlist or liberty.
PowerEstimate estimate_power(const pe::PeInstance& pe, const Technology& tech, const SynthesisResult& synthesis,
                             const PowerOptions& options);

// Dynamic energy of a unit the PE shares with others (SharedUnit), from its own mapped netlist driven by the unit's
// part of the PE's operand stream (SharedUnit::operation): the PE stimulus is lengthened until the unit gets at least
// options.stimulus.operations operations or the stream reaches kMaxUnitStimulusOperations PE operations, and its
// operations reach the unit back to back, as from the PEs that share it. energy_per_op_pj is per unit operation,
// energy_per_mac_pj 0; the netlist's output is checked against the core's result of every operation. Nothing when
// the stream never uses the unit (e.g. a vector file of MACs only). Throws as estimate_power, and
// std::invalid_argument for a unit without an operation.
std::optional<PowerEstimate> estimate_unit_power(const pe::PeInstance& pe, const pe::SharedUnit& unit,
                                                 const Technology& tech, const SynthesisResult& unit_synthesis,
                                                 const PowerOptions& options);
constexpr int64_t kMaxUnitStimulusOperations = 1 << 20;

// Why a technology has no dynamic power, or empty if it has one.
std::string power_not_applicable(const Technology& tech);

void print_power_text(const PowerEstimate& p, const Technology& tech, std::ostream& out);
nlohmann::json power_json(const PowerEstimate& p, const Technology& tech);

}  // namespace pesim::cost
