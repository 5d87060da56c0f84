// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "models/cost/boolean_function.h"

namespace pesim::cost {

// A Liberty lookup table in pesim units (internal_power energies in pJ per transition, transition times in ns) over
// input transition time (ns) and output load (pF); either axis may be absent (scalar or one-dimensional tables).
struct LookupTable {
  std::vector<double> transition_ns, load_pf;
  std::vector<double> values;  // [transition][load], row-major; one value for a scalar table
  // Bilinear interpolation inside the table, linear extrapolation beyond its last index (as STA tools do).
  double at(double transition_ns_value, double load_pf_value) const;
};

// One internal_power group. Variables of `when` and of every function of a cell: its pins in order, then its state
// variables (an ff's or latch's IQ and IQN).
struct PowerArc {
  int pin = -1;          // the pin the group belongs to
  int related_pin = -1;  // output arcs: the input whose transition causes the output's; -1 on input pins
  std::optional<TruthTable> when;
  LookupTable rise, fall;  // energy when `pin` rises / falls
};

enum class PinDirection { kInput, kOutput, kInternal };

struct LibertyPin {
  std::string name;
  PinDirection direction = PinDirection::kInput;
  double capacitance_pf = 0;
  std::optional<TruthTable> function;  // outputs
};

// The storage element of a sequential cell (Liberty `ff` or `latch` group), its functions over the cell's variables.
struct StorageSpec {
  enum class Kind { kNone, kFlop, kLatch } kind = Kind::kNone;
  TruthTable clock;  // ff: clocked_on (state loads on its rising edge); latch: enable (transparent while true)
  TruthTable next;   // ff: next_state; latch: data_in
  std::optional<TruthTable> clear, preset;                // asynchronous, active when true
  char clear_preset_var1 = 'L', clear_preset_var2 = 'H';  // IQ, IQN when clear and preset are both active
};

struct LibertyCellModel {
  std::string name;
  double area_um2 = 0;
  double leakage_nw = 0;  // cell_leakage_power (the state average)
  bool dont_use = false;
  std::vector<LibertyPin> pins;
  std::vector<std::string> state_variables;  // IQ, IQN of the ff or latch group; empty for combinational cells
  StorageSpec storage;
  std::vector<PowerArc> arcs;
  // Leakage (nW) by assignment of the cell's variables, from its state-dependent leakage_power groups (the
  // average cell_leakage_power where none applies).
  std::vector<double> leakage_by_state_nw;

  int variables() const { return static_cast<int>(pins.size() + state_variables.size()); }
  int pin_index(const std::string& pin_name) const;  // -1 if none
};

// A wire-load model: the estimated capacitance of a net from its fanout (Liberty wire_load group).
struct WireLoadModel {
  std::string name;
  double capacitance_pf_per_length = 0;
  double slope = 0;  // length per fanout beyond the table
  std::vector<std::pair<int, double>> fanout_length;
  double capacitance_pf(int fanout) const;
};

// What the switching-activity power model needs of a liberty: cells with their logic functions, pin capacitances
// and internal energies, the supply voltage, and wire-load models.
class CellLibrary {
 public:
  // Throws std::runtime_error naming the file, line and field of anything it cannot read.
  static CellLibrary read(const std::string& path);

  const LibertyCellModel* find(const std::string& cell_name) const;
  const std::string& path() const { return m_path; }
  double voltage_v() const { return m_voltage_v; }  // nom_voltage
  // The wire-load model the library selects for a design of this cell area (wire_load_selection, or
  // default_wire_load); none when the library has no wire-load models.
  std::optional<WireLoadModel> wire_load_for_area(double area_um2) const;
  // The input transition time internal energies are looked up at: the output transition of the library's smallest
  // inverter driving four copies of itself (a fan-out-of-4 slew), ns; 0 if the library has no inverter.
  double representative_transition_ns() const { return m_representative_transition_ns; }

 private:
  std::string m_path;
  double m_voltage_v = 0;
  double m_representative_transition_ns = 0;
  std::map<std::string, LibertyCellModel> m_cells;
  std::map<std::string, WireLoadModel> m_wire_loads;
  std::vector<std::pair<double, std::string>> m_wire_load_by_area;  // lower area bound, model
  std::string m_default_wire_load;
  friend class CellLibraryReader;
};

}  // namespace pesim::cost
