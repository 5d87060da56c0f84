// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "models/cost/cell_library.h"
#include "models/cost/gate_netlist.h"

namespace pesim::cost {

// What a gate-level simulation counted since its counts were last cleared.
struct ActivityCounts {
  int64_t cycles = 0;
  std::vector<uint64_t> net_rises, net_falls;  // per net
  // Internal-power events per cell instance and arc: [arc_base(instance) + 2 * arc + (0 rise, 1 fall)]; fractional
  // never, but kept as double so a constant-activity estimate can use the same layout.
  std::vector<double> arc_events;
  double leakage_state_nw_cycles = 0;  // sum over cycles of the cells' state-dependent leakage, nW x cycles
};

// A zero-delay, cycle-based simulator of a mapped netlist that counts transitions. Each liberty cell is evaluated
// from its `function`s; flops and latches from their ff/latch groups (clocked_on, next_state, enable, data_in,
// asynchronous clear and preset). Combinational cells are levelized once and evaluated event-driven, level by level,
// over plain arrays.
//
// One cycle (cycle()): the inputs set since the last cycle propagate; the clock port rises, flops whose clocked_on
// rose load next_state (all sampled before any loads) and the logic settles; the clock falls, likewise. Every net
// transition is counted (so a net that goes 0-1-0 within the cycle counts two), and with it the cell internal-power
// event it causes: on an output, the arc related to the cell input that changed last (zero delay cannot tell which
// input of several caused it), on an input, the pin's own (state-dependent `when`) arc. Glitches, which need gate
// delays, are not counted.
class GateSimulator {
 public:
  // Throws std::runtime_error naming the cell on a cell not in the library, a pin the cell does not have, a net with
  // two drivers or a combinational loop. `clock_port`: the input that clock() toggles (may be absent).
  GateSimulator(const GateNetlist& netlist, const CellLibrary& library, const std::string& clock_port = "clk");

  int port_index(const std::string& name) const;  // throws std::invalid_argument naming the ports
  void set_input(int port, uint64_t value);       // bits beyond the port's width are ignored
  uint64_t output(int port) const;                // the port's bits (LSB first), up to 64
  void cycle();

  const ActivityCounts& counts() const { return m_counts; }
  void clear_counts();

  // The compiled netlist, for the power model.
  struct Instance {
    const LibertyCellModel* model = nullptr;
    int first_pin = 0;    // into pin_nets()
    int first_state = 0;  // into the state bits
    int arc_base = 0;     // into ActivityCounts::arc_events
    int level = 0;
  };
  const std::vector<Instance>& instances() const { return m_instances; }
  const std::vector<int>& pin_nets() const { return m_pin_nets; }
  int nets() const { return static_cast<int>(m_value.size()); }
  int clock_net() const { return m_clock_net; }  // -1 without a clock port
  const GateNetlist& netlist() const { return m_netlist; }
  const CellLibrary& library() const { return m_library; }

 private:
  struct Sink {
    int instance, pin;
    bool combinational;  // some output function of the cell depends on this pin
  };
  void compile_cells();
  void levelize();
  void build_sinks();
  uint32_t assignment(int instance) const;
  void set_net(int net, bool value);
  void evaluate(int instance);
  void propagate();
  bool load_storage();  // true if any state changed
  void settle();
  void count_input_event(int instance, int pin, bool rise);
  void count_output_event(int instance, int pin, bool rise);
  int select_arc(const Instance& inst, int pin, int related, uint32_t state) const;

  const GateNetlist& m_netlist;
  const CellLibrary& m_library;
  std::vector<Instance> m_instances;
  std::vector<int> m_pin_nets;
  std::vector<uint8_t> m_value, m_state, m_clock_level, m_dirty;
  std::vector<int8_t> m_last_input;                  // per instance: the input pin that changed last
  std::vector<int> m_driver_instance, m_driver_pin;  // per net, -1 if driven by a port or a constant
  std::vector<int> m_sink_start;                     // per net + 1, into m_sinks
  std::vector<Sink> m_sinks;
  std::vector<std::vector<int>> m_buckets;  // dirty instances by level
  std::vector<int> m_storage;               // instances with an ff or latch
  int m_clock_net = -1;
  bool m_counting = false;
  ActivityCounts m_counts;
};

}  // namespace pesim::cost
