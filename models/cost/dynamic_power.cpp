// SPDX-License-Identifier: Apache-2.0
#include "models/cost/dynamic_power.h"

#include <optional>
#include <vector>

namespace pesim::cost {

namespace {

// Net loads (pF): sink pin capacitances plus the wire-load estimate.
struct NetLoads {
  std::vector<double> load_pf;
  std::string wire_load = "none";
};

NetLoads net_loads(const GateSimulator& sim, double design_area_um2) {
  NetLoads loads;
  loads.load_pf.assign(sim.nets(), 0.0);
  std::vector<int> fanout(sim.nets(), 0);
  for (const auto& inst : sim.instances()) {
    for (size_t p = 0; p < inst.model->pins.size(); ++p) {
      if (inst.model->pins[p].direction != PinDirection::kInput) continue;
      const int net = sim.pin_nets()[inst.first_pin + p];
      loads.load_pf[net] += inst.model->pins[p].capacitance_pf;
      ++fanout[net];
    }
  }
  const std::optional<WireLoadModel> wire = sim.library().wire_load_for_area(design_area_um2);
  if (wire) {
    loads.wire_load = wire->name;
    for (int n = GateNetlist::kConst1 + 1; n < sim.nets(); ++n) loads.load_pf[n] += wire->capacitance_pf(fanout[n]);
  }
  return loads;
}

// The load an instance's arcs are looked up at: its first output's net.
double instance_load_pf(const GateSimulator& sim, const GateSimulator::Instance& inst, const NetLoads& loads) {
  for (size_t p = 0; p < inst.model->pins.size(); ++p) {
    if (inst.model->pins[p].direction == PinDirection::kOutput)
      return loads.load_pf[sim.pin_nets()[inst.first_pin + p]];
  }
  return 0;
}

// Sum of arc events times arc energies; `events(instance, slot)` gives the count of slot 2 * arc + fall.
template <typename Events>
void add_internal(const GateSimulator& sim, const NetLoads& loads, DynamicEnergy& e, Events events) {
  const double t = e.transition_ns;
  for (size_t i = 0; i < sim.instances().size(); ++i) {
    const auto& inst = sim.instances()[i];
    const double load = instance_load_pf(sim, inst, loads);
    for (size_t k = 0; k < inst.model->arcs.size(); ++k) {
      const PowerArc& arc = inst.model->arcs[k];
      const double rise = events(i, 2 * k), fall = events(i, 2 * k + 1);
      if (rise == 0 && fall == 0) continue;
      const double pj = rise * arc.rise.at(t, load) + fall * arc.fall.at(t, load);
      e.internal_pj += pj;
      if (sim.clock_net() >= 0 && sim.pin_nets()[inst.first_pin + arc.pin] == sim.clock_net()) e.clock_pj += pj;
    }
  }
}

DynamicEnergy common(const GateSimulator& sim, const NetLoads& loads) {
  DynamicEnergy e;
  e.transition_ns = sim.library().representative_transition_ns();
  e.voltage_v = sim.library().voltage_v();
  e.wire_load = loads.wire_load;
  for (const auto& inst : sim.instances()) e.leakage_average_nw += inst.model->leakage_nw;
  return e;
}

bool is_data_net(const GateSimulator& sim, int net) { return net > GateNetlist::kConst1 && net != sim.clock_net(); }

}  // namespace

DynamicEnergy simulated_energy(const GateSimulator& sim, double design_area_um2) {
  const NetLoads loads = net_loads(sim, design_area_um2);
  const ActivityCounts& c = sim.counts();
  DynamicEnergy e = common(sim, loads);
  e.cycles = c.cycles;
  const double half_cv2 = 0.5 * sim.library().voltage_v() * sim.library().voltage_v();
  double data_transitions = 0;
  int data_nets = 0;
  for (int n = 0; n < sim.nets(); ++n) {
    const double transitions = static_cast<double>(c.net_rises[n] + c.net_falls[n]);
    const double pj = half_cv2 * loads.load_pf[n] * transitions;
    e.switching_pj += pj;
    if (n == sim.clock_net()) e.clock_pj += pj;
    if (is_data_net(sim, n)) data_transitions += transitions, ++data_nets;
  }
  add_internal(sim, loads, e, [&](size_t i, size_t slot) { return c.arc_events[sim.instances()[i].arc_base + slot]; });
  if (c.cycles > 0) {
    e.leakage_state_nw = c.leakage_state_nw_cycles / static_cast<double>(c.cycles);
    if (data_nets > 0) e.toggle_rate = data_transitions / data_nets / static_cast<double>(c.cycles);
  }
  return e;
}

DynamicEnergy constant_activity_energy(const GateSimulator& sim, double design_area_um2, double activity_factor,
                                       int64_t cycles) {
  const NetLoads loads = net_loads(sim, design_area_um2);
  DynamicEnergy e = common(sim, loads);
  e.constant_activity = true;
  e.cycles = cycles;
  e.toggle_rate = activity_factor;
  e.leakage_state_nw = e.leakage_average_nw;
  const double n = static_cast<double>(cycles);
  const double half_cv2 = 0.5 * sim.library().voltage_v() * sim.library().voltage_v();
  for (int net = 0; net < sim.nets(); ++net) {
    if (net == sim.clock_net()) {
      e.switching_pj += half_cv2 * loads.load_pf[net] * 2 * n;
      e.clock_pj += half_cv2 * loads.load_pf[net] * 2 * n;
    } else if (is_data_net(sim, net)) {
      e.switching_pj += half_cv2 * loads.load_pf[net] * activity_factor * n;
    }
  }
  // Each pin's transitions (clock pins: one rise and one fall a cycle) spread evenly over its arcs for that pin.
  add_internal(sim, loads, e, [&](size_t i, size_t slot) {
    const auto& inst = sim.instances()[i];
    const PowerArc& arc = inst.model->arcs[slot / 2];
    const bool clock_pin = sim.pin_nets()[inst.first_pin + arc.pin] == sim.clock_net();
    int alternatives = 0;
    for (const PowerArc& other : inst.model->arcs) alternatives += other.pin == arc.pin ? 1 : 0;
    const double per_cycle = clock_pin ? 1.0 : activity_factor / 2;
    return per_cycle * n / alternatives;
  });
  return e;
}

}  // namespace pesim::cost
