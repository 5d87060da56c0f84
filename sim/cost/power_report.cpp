// SPDX-License-Identifier: Apache-2.0
#include "sim/cost/power_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <deque>
#include <optional>

#include "models/cost/cell_library.h"
#include "models/cost/gate_netlist.h"
#include "models/cost/switching_activity.h"
#include "sim/cli/number_checks.h"

namespace pesim::cost {

namespace {

constexpr const char* kFpgaNoEnergy =
    "not applicable: Yosys's FPGA cell libraries carry no per-primitive energies, so neither simulated toggles nor a "
    "constant activity factor can be turned into power";
constexpr const char* kPrintedNote =
    "the EGFET liberty has no internal_power tables and placeholder 1 pF pin capacitances: simulated switching is "
    "reported, but power_mw (1.05 x leakage, calibrated against PrimeTime) remains the printed power figure";

// The PE's ports in the netlist.
struct PortIndices {
  int rst, valid, a, b, c, out_valid, out_acc;
};

PortIndices port_indices(const GateSimulator& sim) {
  return {sim.port_index("rst"),  sim.port_index("in_valid"),  sim.port_index("in_a"),   sim.port_index("in_b"),
          sim.port_index("in_c"), sim.port_index("out_valid"), sim.port_index("out_acc")};
}

// Drives the stimulus; counts from the first cycle after reset. Compares out_acc with the core's mac() of each
// operation in order when the costed netlist is the verilated one (no cost-only parameters).
void simulate(const pe::PeInstance& pe, GateSimulator& sim, const PortStimulus& stimulus, PowerEstimate& p) {
  const PortIndices ports = port_indices(sim);
  const bool check = pe.rtl.cost_parameters.empty();
  p.check = check ? "out_acc of every operation against the functional core's mac()"
                  : "not checked: the costed netlist leaves out a shared unit the core includes";
  std::deque<uint64_t> expected;
  for (size_t t = 0; t < stimulus.cycles.size(); ++t) {
    const rtl::PeInputs& in = stimulus.cycles[t];
    if (static_cast<int64_t>(t) == stimulus.reset_cycles) sim.clear_counts();
    sim.set_input(ports.rst, in.rst);
    sim.set_input(ports.valid, in.valid);
    sim.set_input(ports.a, in.a);
    sim.set_input(ports.b, in.b);
    sim.set_input(ports.c, in.c);
    sim.cycle();
    if (in.valid && check) expected.push_back(pe.core->mac(in.a, in.b, in.c));
    if (sim.output(ports.out_valid) && !expected.empty()) {
      ++p.checked_outputs;
      p.mismatches += sim.output(ports.out_acc) != expected.front() ? 1 : 0;
      expected.pop_front();
    }
  }
  p.simulated_cycles = static_cast<int64_t>(stimulus.cycles.size());
}

// The PE's stream, long enough to give the unit `wanted` operations (or capped), reduced to the unit's operations.
std::vector<pe::UnitOperation> unit_operations(const pe::PeInstance& pe, const pe::SharedUnit& unit,
                                               StimulusOptions options, PortStimulus& stimulus) {
  const int64_t wanted = options.operations;
  std::vector<pe::UnitOperation> operations;
  for (int64_t previous_length = -1;; previous_length = stimulus.operations) {
    stimulus = make_port_stimulus(pe, options);
    if (stimulus.operations == previous_length) break;  // a vector file: the stream cannot grow
    operations.clear();
    for (const rtl::PeInputs& in : stimulus.cycles)
      if (in.valid && !in.rst)
        if (std::optional<pe::UnitOperation> op = unit.operation(in.a, in.b, in.c)) operations.push_back(*op);
    const auto found = static_cast<int64_t>(operations.size());
    if (found >= wanted || options.operations >= kMaxUnitStimulusOperations) break;
    // Scale the PE's stream by the unit's share of it, with a margin for the rounding of groups.
    const int64_t scaled =
        found > 0 ? options.operations * wanted / found + options.operations / 8 + 1 : options.operations * 16;
    options.operations = std::min(kMaxUnitStimulusOperations, scaled);
  }
  return operations;
}

// Drives the unit's operations back to back and checks its output `latency_cycles` edges after each one's inputs.
// Counts from the first operation whose output is checked (the registers hold a real operation by then).
void simulate_unit(const pe::SharedUnit& unit, GateSimulator& sim, const std::vector<pe::UnitOperation>& operations,
                   PowerEstimate& p) {
  std::vector<int> inputs;
  for (const auto& [port, value] : operations.front().inputs) inputs.push_back(sim.port_index(port));
  const int output = sim.port_index(operations.front().output_port);
  const size_t warm_up = static_cast<size_t>(std::max(unit.latency_cycles - 1, 0));
  p.check = unit.name + "'s " + operations.front().output_port + " of every operation against the functional core's";
  std::deque<uint64_t> expected;
  for (size_t k = 0; k < operations.size(); ++k) {
    if (k == warm_up) sim.clear_counts();
    for (size_t i = 0; i < inputs.size(); ++i) sim.set_input(inputs[i], operations[k].inputs[i].second);
    sim.cycle();
    expected.push_back(operations[k].output);
    if (expected.size() > warm_up) {
      ++p.checked_outputs;
      p.mismatches += sim.output(output) != expected.front() ? 1 : 0;
      expected.pop_front();
    }
  }
  p.simulated_cycles = static_cast<int64_t>(operations.size());
}

// The clocks and the wall time of an estimate that started at `start`.
void finish_estimate(PowerEstimate& p, const SynthesisResult& r, const PowerOptions& o,
                     std::chrono::steady_clock::time_point start) {
  p.max_clock_mhz = r.delay_ns > 0 ? 1000.0 / r.delay_ns : 0.0;
  p.clock_mhz = o.clock_mhz > 0 ? o.clock_mhz : p.max_clock_mhz;
  p.simulation_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void check_options(const PowerOptions& o) {
  // Checked by the options too; these hold for a PowerOptions built in code. (Negated comparisons refuse NaN.)
  if (!(o.clock_mhz >= 0) || std::isinf(o.clock_mhz)) throw StimulusError("--clock-mhz must be positive");
  if (!(o.activity_factor >= 0 && o.activity_factor <= 2)) throw StimulusError("--activity-factor must be in [0, 2]");
}

}  // namespace

void add_power_options(CLI::App& cmd, PowerOptions& o) {
  StimulusOptions& s = o.stimulus;
  cmd.add_option("--activity", s.vector_file, "dynamic power from a vector file of port words (a b c hex per line)");
  cmd.add_option("--workload", s.zoo, "dynamic power on a zoo layer's GEMM shape MODEL:PHASE:LAYER (pesim list zoo)");
  cmd.add_option("--gemm", s.gemm, "dynamic power on a synthetic MxKxN GEMM");
  cmd.add_option("--npy", s.npy, "dynamic power on the operands A.npy B.npy")->expected(2);
  cmd.add_option("--dist", s.distribution, "synthetic operand distribution: normal, laplace, uniform, outliers")
      ->capture_default_str();
  cmd.add_option("--scale", s.scale, "standard deviation of the synthetic operands")
      ->check(cli::positive_finite())
      ->capture_default_str();
  cmd.add_option("--seed", s.seed, "seed of the synthetic operands")->capture_default_str();
  cmd.add_option("--vectors", s.operations, "operations simulated on the gate netlist")->capture_default_str();
  cmd.add_option("--pe-row", s.pe_row, "weight-stationary: rows above the PE in its column (its partial sum's depth)")
      ->capture_default_str();
  cmd.add_option("--batch", s.batch, "--workload: sequences per pass")->capture_default_str();
  cmd.add_option("--seq", s.sequence_length, "--workload: tokens per sequence in prefill")->capture_default_str();
  cmd.add_option("--clock-mhz", o.clock_mhz, "also report dynamic power at this clock (MHz)")
      ->check(cli::positive_finite());
  cmd.add_option("--activity-factor", o.activity_factor,
                 "fallback: assume this many transitions per net per cycle instead of simulating")
      ->check(cli::finite_in_range(0, 2));
  cmd.add_flag("--no-power", o.skip, "skip the switching-activity simulation");
}

std::string power_not_applicable(const Technology& tech) { return tech.kind == TechKind::kFpga ? kFpgaNoEnergy : ""; }

PowerEstimate estimate_power(const pe::PeInstance& pe, const Technology& tech, const SynthesisResult& r,
                             const PowerOptions& o) {
  check_options(o);
  const auto start = std::chrono::steady_clock::now();
  const CellLibrary library = CellLibrary::read(tech.liberty_path);
  const GateNetlist netlist = parse_netlist_text(r.netlist, "cached netlist of " + pe.kind + " " + pe.params_text());
  GateSimulator sim(netlist, library);
  PowerEstimate p;
  const double cycles_per_op = pe.timing.initiation_interval_cycles;
  if (o.activity_factor > 0) {
    p.energy = constant_activity_energy(sim, r.area_um2, o.activity_factor, 1);
    p.check = "not simulated (constant activity factor)";
    p.energy_per_op_pj = p.energy.energy_per_cycle_pj() * cycles_per_op;
    p.energy_per_mac_pj = p.energy.energy_per_cycle_pj() * pe::cycles_per_mac(pe.timing, pe.core->widths());
  } else {
    p.stimulus = make_port_stimulus(pe, o.stimulus);
    simulate(pe, sim, p.stimulus, p);
    p.energy = simulated_energy(sim, r.area_um2);
    p.energy_per_op_pj = p.energy.energy_pj() / static_cast<double>(p.stimulus.operations);
    p.energy_per_mac_pj = p.stimulus.macs > 0 ? p.energy.energy_pj() / p.stimulus.macs : 0.0;
    p.stimulus.cycles.clear();
  }
  finish_estimate(p, r, o, start);
  return p;
}

std::optional<PowerEstimate> estimate_unit_power(const pe::PeInstance& pe, const pe::SharedUnit& unit,
                                                 const Technology& tech, const SynthesisResult& r,
                                                 const PowerOptions& o) {
  if (!unit.operation) throw std::invalid_argument("shared unit " + unit.name + " has no operand stream");
  check_options(o);
  const auto start = std::chrono::steady_clock::now();
  PowerEstimate p;
  const std::vector<pe::UnitOperation> operations = unit_operations(pe, unit, o.stimulus, p.stimulus);
  if (operations.empty()) return std::nullopt;
  const CellLibrary library = CellLibrary::read(tech.liberty_path);
  const GateNetlist netlist = parse_netlist_text(r.netlist, "cached netlist of " + pe.kind + "." + unit.name);
  GateSimulator sim(netlist, library);
  simulate_unit(unit, sim, operations, p);
  p.energy = simulated_energy(sim, r.area_um2);
  const int64_t counted = std::max<int64_t>(1, p.energy.cycles);
  p.energy_per_op_pj = p.energy.energy_pj() / static_cast<double>(counted);
  p.stimulus.operations = counted;
  p.stimulus.macs = 0;
  p.stimulus.cycles.clear();
  finish_estimate(p, r, o, start);
  return p;
}

void print_power_text(const PowerEstimate& p, const Technology& tech, std::ostream& out) {
  const DynamicEnergy& e = p.energy;
  const bool printed = tech.kind == TechKind::kPrinted;
  if (e.constant_activity) {
    out << fmt::format("activity    constant factor {:.3f} transitions per net per cycle (fallback, not simulated)\n",
                       e.toggle_rate);
  } else {
    out << fmt::format("activity    {} operations ({} MACs) in {} cycles after {} reset cycles; {}; {}\n",
                       p.stimulus.operations, p.stimulus.macs, e.cycles, p.stimulus.reset_cycles, p.stimulus.dataflow,
                       p.stimulus.source);
    out << fmt::format(
        "            toggle rate {:.4f} per net per cycle; netlist check: {} outputs, {} mismatches "
        "({})\n",
        e.toggle_rate, p.checked_outputs, p.mismatches, p.check);
  }
  out << fmt::format(
      "energy      {:.4f} pJ per cycle ({:.4f} internal, {:.4f} net switching; clock {:.4f}); "
      "{:.4f} pJ per operation, {:.4f} pJ per MAC\n",
      e.energy_per_cycle_pj(), e.internal_pj / std::max<int64_t>(e.cycles, 1),
      e.switching_pj / std::max<int64_t>(e.cycles, 1), e.clock_pj / std::max<int64_t>(e.cycles, 1), p.energy_per_op_pj,
      p.energy_per_mac_pj);
  if (printed) {
    out << fmt::format("dynamic     {:.4g} uW at the maximum clock {:.2f} Hz; {}\n",
                       e.dynamic_power_uw(p.max_clock_mhz), p.max_clock_mhz * 1e6, kPrintedNote);
  } else {
    out << fmt::format("dynamic     {:.3f} uW at the maximum clock {:.1f} MHz", e.dynamic_power_uw(p.max_clock_mhz),
                       p.max_clock_mhz);
    if (p.clock_mhz != p.max_clock_mhz)
      out << fmt::format(", {:.3f} uW at {:.1f} MHz", e.dynamic_power_uw(p.clock_mhz), p.clock_mhz);
    out << fmt::format("; leakage in the simulated states {:.3f} uW\n", e.leakage_state_nw / 1000.0);
  }
  out << fmt::format(
      "power model liberty internal_power at a {:.4g} ns input transition and each net's load; "
      "0.5 C V^2 per net transition at {} V, wire load {}; zero-delay simulation (no glitches), "
      "no clock tree; {:.2f} s\n",
      e.transition_ns, e.voltage_v, e.wire_load, p.simulation_seconds);
}

nlohmann::json power_json(const PowerEstimate& p, const Technology& tech) {
  const DynamicEnergy& e = p.energy;
  nlohmann::json j{{"dynamic_power_uw", e.dynamic_power_uw(p.clock_mhz)},
                   {"dynamic_power_max_clock_uw", e.dynamic_power_uw(p.max_clock_mhz)},
                   {"clock_mhz", p.clock_mhz},
                   {"max_clock_mhz", p.max_clock_mhz},
                   {"energy_per_op_pj", p.energy_per_op_pj},
                   {"energy_per_mac_pj", p.energy_per_mac_pj},
                   {"energy_per_cycle_pj", e.energy_per_cycle_pj()},
                   {"internal_energy_pj", e.internal_pj},
                   {"switching_energy_pj", e.switching_pj},
                   {"clock_energy_pj", e.clock_pj},
                   {"toggle_rate", e.toggle_rate},
                   {"leakage_state_uw", e.leakage_state_nw / 1000.0},
                   {"total_power_uw", e.dynamic_power_uw(p.clock_mhz) + e.leakage_state_nw / 1000.0},
                   {"activity_cycles", e.cycles},
                   {"constant_activity", e.constant_activity},
                   {"transition_ns", e.transition_ns},
                   {"wire_load", e.wire_load},
                   {"power_simulation_s", p.simulation_seconds}};
  if (!e.constant_activity) {
    j.update({{"operations", p.stimulus.operations},
              {"macs", p.stimulus.macs},
              {"dataflow", p.stimulus.dataflow},
              {"stimulus", p.stimulus.source},
              {"netlist_checked_outputs", p.checked_outputs},
              {"netlist_mismatches", p.mismatches},
              {"netlist_check", p.check}});
  }
  j["dynamic_power_model"] =
      e.constant_activity ? "fallback: constant activity factor; liberty internal_power and 0.5 C V^2 net switching"
                          : "zero-delay gate-level simulation of the mapped netlist; liberty internal_power and 0.5 C "
                            "V^2 net switching (pin capacitance + wire load); no glitches, no clock tree";
  if (tech.kind == TechKind::kPrinted) j["power_note"] = kPrintedNote;
  return j;
}

}  // namespace pesim::cost
