// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <cstdint>
#include <string>

#include "models/cost/switching_activity.h"

namespace pesim::cost {

// Energy of a simulated (or assumed) switching activity, from the liberty's cell energies and capacitances.
//
// - Internal energy: each counted internal-power event times its arc's rise_power or fall_power, looked up at the
//   library's representative input transition (CellLibrary::representative_transition_ns) and at the actual load of
//   the cell's output net (its first output's, for input-pin tables that have a load axis).
// - Net switching: 0.5 C V^2 per transition of a net, V the library's nom_voltage and C the net's load: the input
//   capacitance of the cell pins it drives plus the library's wire-load estimate for its fanout (wire_load model the
//   library selects for the design's area; none if it has none). Nets driven by input ports are counted (the PE's
//   input capacitance); output ports carry no external load (the next PE's input is counted in that PE).
// - The clock: the clock port's net switches twice a cycle, and its sinks' clock-pin arcs count each edge; both are
//   included above and also reported apart. There is no clock tree (a PE alone has none).
struct DynamicEnergy {
  int64_t cycles = 0;
  double internal_pj = 0;
  double switching_pj = 0;
  double clock_pj = 0;          // the part of internal_pj + switching_pj on the clock net and the clock pins it drives
  double leakage_state_nw = 0;  // mean over the cycles of the cells' state-dependent leakage
  double leakage_average_nw = 0;   // sum of the cells' cell_leakage_power (the state average)
  double toggle_rate = 0;          // transitions per net per cycle, nets neither constant nor the clock
  double transition_ns = 0;        // the representative input transition used
  double voltage_v = 0;            // the library's nom_voltage
  std::string wire_load;           // the wire-load model used, or "none"
  bool constant_activity = false;  // from an assumed activity factor, not simulation

  double energy_pj() const { return internal_pj + switching_pj; }
  double energy_per_cycle_pj() const { return cycles > 0 ? energy_pj() / static_cast<double>(cycles) : 0.0; }
  // Dynamic power at a clock: energy per cycle times cycles per second, uW (pJ x MHz = uW).
  double dynamic_power_uw(double clock_mhz) const { return energy_per_cycle_pj() * clock_mhz; }
};

// The energy of what the simulator counted since its counts were cleared. `design_area_um2` selects the wire-load
// model.
DynamicEnergy simulated_energy(const GateSimulator& sim, double design_area_um2);

// The documented fallback without a simulated stimulus: every net that is neither constant nor the clock makes
// `activity_factor` transitions per cycle (half rising), each cell output arc event as many, input-pin arcs likewise;
// the clock as simulated. `cycles` scales the totals.
DynamicEnergy constant_activity_energy(const GateSimulator& sim, double design_area_um2, double activity_factor,
                                       int64_t cycles);

}  // namespace pesim::cost
