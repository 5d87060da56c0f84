// SPDX-License-Identifier: Apache-2.0
#include "models/cost/switching_activity.h"

#include <algorithm>
#include <map>
#include <stdexcept>

namespace pesim::cost {

namespace {

constexpr int kMaxSettleRounds = 64;  // latch and asynchronous clear/preset rounds per clock phase

// Per cell type: which pins some output function depends on (a combinational path through the cell).
std::vector<bool> combinational_pins(const LibertyCellModel& model) {
  std::vector<bool> comb(model.pins.size(), false);
  for (const LibertyPin& out : model.pins) {
    if (!out.function) continue;
    for (size_t p = 0; p < model.pins.size(); ++p) comb[p] = comb[p] || out.function->depends_on(static_cast<int>(p));
  }
  return comb;
}

}  // namespace

GateSimulator::GateSimulator(const GateNetlist& netlist, const CellLibrary& library, const std::string& clock_port)
    : m_netlist(netlist), m_library(library) {
  m_value.assign(netlist.nets, 0);
  m_value[GateNetlist::kConst1] = 1;
  compile_cells();
  build_sinks();
  levelize();
  if (const GateNetlist::Port* clk = netlist.port(clock_port); clk && clk->is_input && clk->bits.size() == 1) {
    m_clock_net = clk->bits[0];
  }
  // Initial state: every flop and latch holds 0; evaluate everything once, uncounted.
  m_dirty.assign(m_instances.size(), 1);
  for (size_t i = 0; i < m_instances.size(); ++i) m_buckets[m_instances[i].level].push_back(static_cast<int>(i));
  propagate();
  for (int i : m_storage) m_clock_level[i] = m_instances[i].model->storage.clock.at(assignment(i));
  m_counting = true;
  clear_counts();
}

void GateSimulator::compile_cells() {
  m_clock_level.assign(m_netlist.cells.size(), 0);
  m_last_input.assign(m_netlist.cells.size(), -1);
  int arcs = 0;
  for (const GateNetlist::Cell& cell : m_netlist.cells) {
    const LibertyCellModel* model = m_library.find(cell.type);
    if (!model) throw std::runtime_error("netlist cell type " + cell.type + " is not in " + m_library.path());
    Instance inst;
    inst.model = model;
    inst.first_pin = static_cast<int>(m_pin_nets.size());
    inst.first_state = static_cast<int>(m_state.size());
    inst.arc_base = arcs;
    arcs += 2 * static_cast<int>(model->arcs.size());
    std::vector<int> nets(model->pins.size(), -1);
    for (const auto& [pin, net] : cell.pins) {
      const int index = model->pin_index(pin);
      if (index < 0) throw std::runtime_error("netlist cell " + cell.type + " has no pin " + pin);
      nets[index] = net;
    }
    for (size_t p = 0; p < nets.size(); ++p) {
      if (nets[p] >= 0) continue;
      // Unconnected: an input reads 0, an output drives a net of its own.
      if (model->pins[p].direction == PinDirection::kOutput) {
        nets[p] = static_cast<int>(m_value.size());
        m_value.push_back(0);
      } else {
        nets[p] = GateNetlist::kConst0;
      }
    }
    m_pin_nets.insert(m_pin_nets.end(), nets.begin(), nets.end());
    for (size_t s = 0; s < model->state_variables.size(); ++s) m_state.push_back(s == 1 ? 1 : 0);  // IQ=0, IQN=1
    if (model->storage.kind != StorageSpec::Kind::kNone) m_storage.push_back(static_cast<int>(m_instances.size()));
    m_instances.push_back(inst);
  }
  m_counts.arc_events.assign(arcs, 0.0);
}

void GateSimulator::build_sinks() {
  const int nets = static_cast<int>(m_value.size());
  m_driver_instance.assign(nets, -1);
  m_driver_pin.assign(nets, -1);
  m_sink_start.assign(nets + 1, 0);
  std::map<const LibertyCellModel*, std::vector<bool>> comb_by_model;
  std::vector<std::vector<Sink>> sinks(nets);
  for (size_t i = 0; i < m_instances.size(); ++i) {
    const LibertyCellModel& model = *m_instances[i].model;
    auto found = comb_by_model.find(&model);
    if (found == comb_by_model.end()) found = comb_by_model.emplace(&model, combinational_pins(model)).first;
    for (size_t p = 0; p < model.pins.size(); ++p) {
      const int net = m_pin_nets[m_instances[i].first_pin + p];
      if (model.pins[p].direction == PinDirection::kOutput) {
        if (net <= GateNetlist::kConst1 || m_driver_instance[net] >= 0) {
          throw std::runtime_error("net " + std::to_string(net) + " has more than one driver (cell " + model.name +
                                   ")");
        }
        m_driver_instance[net] = static_cast<int>(i);
        m_driver_pin[net] = static_cast<int>(p);
      } else if (model.pins[p].direction == PinDirection::kInput) {
        sinks[net].push_back(Sink{static_cast<int>(i), static_cast<int>(p), found->second[p]});
      }
    }
  }
  for (const GateNetlist::Port& port : m_netlist.ports) {
    for (int net : port.bits) {
      if (port.is_input && net > GateNetlist::kConst1 && m_driver_instance[net] >= 0) {
        throw std::runtime_error("input port " + port.name + " drives a net a cell drives too");
      }
    }
  }
  for (int n = 0; n < nets; ++n) {
    m_sink_start[n + 1] = m_sink_start[n] + static_cast<int>(sinks[n].size());
    m_sinks.insert(m_sinks.end(), sinks[n].begin(), sinks[n].end());
  }
}

// Kahn's algorithm over the combinational edges (driver output -> sink pin an output depends on).
void GateSimulator::levelize() {
  std::vector<int> pending(m_instances.size(), 0);
  for (const Sink& s : m_sinks) {
    const int net = m_pin_nets[m_instances[s.instance].first_pin + s.pin];
    if (s.combinational && m_driver_instance[net] >= 0) ++pending[s.instance];
  }
  std::vector<int> ready;
  for (size_t i = 0; i < pending.size(); ++i) {
    if (pending[i] == 0) ready.push_back(static_cast<int>(i));
  }
  size_t done = 0;
  int max_level = 0;
  while (!ready.empty()) {
    const int i = ready.back();
    ready.pop_back();
    ++done;
    const Instance& inst = m_instances[i];
    max_level = std::max(max_level, inst.level);
    for (size_t p = 0; p < inst.model->pins.size(); ++p) {
      if (inst.model->pins[p].direction != PinDirection::kOutput) continue;
      const int net = m_pin_nets[inst.first_pin + p];
      for (int k = m_sink_start[net]; k < m_sink_start[net + 1]; ++k) {
        const Sink& s = m_sinks[k];
        if (!s.combinational) continue;
        m_instances[s.instance].level = std::max(m_instances[s.instance].level, inst.level + 1);
        if (--pending[s.instance] == 0) ready.push_back(s.instance);
      }
    }
  }
  if (done != m_instances.size()) {
    for (size_t i = 0; i < pending.size(); ++i) {
      if (pending[i] > 0)
        throw std::runtime_error("combinational loop through a " + m_instances[i].model->name + " cell");
    }
  }
  m_buckets.assign(max_level + 1, {});
}

int GateSimulator::port_index(const std::string& name) const {
  std::string names;
  for (size_t p = 0; p < m_netlist.ports.size(); ++p) {
    if (m_netlist.ports[p].name == name) return static_cast<int>(p);
    names += (names.empty() ? "" : ", ") + m_netlist.ports[p].name;
  }
  throw std::invalid_argument("netlist " + m_netlist.top + " has no port '" + name + "' (ports: " + names + ")");
}

void GateSimulator::set_input(int port, uint64_t value) {
  const GateNetlist::Port& p = m_netlist.ports[port];
  for (size_t b = 0; b < p.bits.size(); ++b) {
    const int net = p.bits[b];
    if (net > GateNetlist::kConst1) set_net(net, b < 64 && ((value >> b) & 1));
  }
}

uint64_t GateSimulator::output(int port) const {
  const GateNetlist::Port& p = m_netlist.ports[port];
  uint64_t v = 0;
  for (size_t b = 0; b < p.bits.size() && b < 64; ++b) v |= uint64_t{m_value[p.bits[b]]} << b;
  return v;
}

uint32_t GateSimulator::assignment(int instance) const {
  const Instance& inst = m_instances[instance];
  const size_t pins = inst.model->pins.size();
  uint32_t a = 0;
  for (size_t p = 0; p < pins; ++p) a |= uint32_t{m_value[m_pin_nets[inst.first_pin + p]]} << p;
  for (size_t s = 0; s < inst.model->state_variables.size(); ++s)
    a |= uint32_t{m_state[inst.first_state + s]} << (pins + s);
  return a;
}

void GateSimulator::set_net(int net, bool value) {
  if (m_value[net] == value) return;
  m_value[net] = value;
  if (m_counting) (value ? m_counts.net_rises : m_counts.net_falls)[net]++;
  for (int k = m_sink_start[net]; k < m_sink_start[net + 1]; ++k) {
    const Sink& s = m_sinks[k];
    m_last_input[s.instance] = static_cast<int8_t>(s.pin);
    if (m_counting) count_input_event(s.instance, s.pin, value);
    if (s.combinational && !m_dirty[s.instance]) {
      m_dirty[s.instance] = 1;
      m_buckets[m_instances[s.instance].level].push_back(s.instance);
    }
  }
  if (m_counting && m_driver_instance[net] >= 0) count_output_event(m_driver_instance[net], m_driver_pin[net], value);
}

void GateSimulator::evaluate(int instance) {
  const Instance& inst = m_instances[instance];
  const uint32_t a = assignment(instance);
  for (size_t p = 0; p < inst.model->pins.size(); ++p) {
    const auto& f = inst.model->pins[p].function;
    if (f && inst.model->pins[p].direction == PinDirection::kOutput) set_net(m_pin_nets[inst.first_pin + p], f->at(a));
  }
}

void GateSimulator::propagate() {
  for (auto& bucket : m_buckets) {
    // Evaluating an instance only adds instances of higher levels, so this bucket does not grow meanwhile.
    for (size_t k = 0; k < bucket.size(); ++k) {
      m_dirty[bucket[k]] = 0;
      evaluate(bucket[k]);
    }
    bucket.clear();
  }
}

// New states of every flop whose clock rose, every transparent latch and every cleared or preset cell, all computed
// from the values before any of them changes.
bool GateSimulator::load_storage() {
  std::vector<std::pair<int, uint8_t>> loads;
  for (int i : m_storage) {
    const StorageSpec& s = m_instances[i].model->storage;
    const uint32_t a = assignment(i);
    const bool clock = s.clock.at(a);
    const uint8_t iq = m_state[m_instances[i].first_state];
    int next = -1;
    if (s.kind == StorageSpec::Kind::kFlop ? clock && !m_clock_level[i] : clock) next = s.next.at(a);
    m_clock_level[i] = clock;
    const bool clear = s.clear && s.clear->at(a), preset = s.preset && s.preset->at(a);
    if (clear && preset) {
      const char v = s.clear_preset_var1;
      next = v == 'H' ? 1 : v == 'N' ? iq : v == 'T' ? !iq : 0;
    } else if (clear || preset) {
      next = preset ? 1 : 0;
    }
    if (next >= 0 && next != iq) loads.emplace_back(i, static_cast<uint8_t>(next));
  }
  for (const auto& [i, v] : loads) {
    const Instance& inst = m_instances[i];
    m_state[inst.first_state] = v;
    if (inst.model->state_variables.size() > 1) m_state[inst.first_state + 1] = !v;
    evaluate(i);
  }
  return !loads.empty();
}

void GateSimulator::settle() {
  propagate();
  for (int round = 0; load_storage(); ++round) {
    if (round == kMaxSettleRounds) throw std::runtime_error("latches or asynchronous clear/preset do not settle");
    propagate();
  }
}

void GateSimulator::cycle() {
  settle();
  if (m_clock_net >= 0) {
    set_net(m_clock_net, true);
    settle();
    set_net(m_clock_net, false);
    settle();
  }
  double leakage_nw = 0;
  for (size_t i = 0; i < m_instances.size(); ++i)
    leakage_nw += m_instances[i].model->leakage_by_state_nw[assignment(static_cast<int>(i))];
  m_counts.leakage_state_nw_cycles += leakage_nw;
  ++m_counts.cycles;
}

void GateSimulator::clear_counts() {
  const std::vector<double>::size_type arcs = m_counts.arc_events.size();
  m_counts = ActivityCounts{};
  m_counts.net_rises.assign(m_value.size(), 0);
  m_counts.net_falls.assign(m_value.size(), 0);
  m_counts.arc_events.assign(arcs, 0.0);
}

// The arc of `pin` (related to `related`, or an input pin's own with related = -1) whose `when` holds in `state`,
// else the one without `when`; -1 if none.
int GateSimulator::select_arc(const Instance& inst, int pin, int related, uint32_t state) const {
  int unconditional = -1;
  const auto& arcs = inst.model->arcs;
  for (size_t k = 0; k < arcs.size(); ++k) {
    if (arcs[k].pin != pin || arcs[k].related_pin != related) continue;
    if (!arcs[k].when) {
      if (unconditional < 0) unconditional = static_cast<int>(k);
    } else if (arcs[k].when->at(state)) {
      return static_cast<int>(k);
    }
  }
  return unconditional;
}

void GateSimulator::count_input_event(int instance, int pin, bool rise) {
  const Instance& inst = m_instances[instance];
  const int arc = select_arc(inst, pin, -1, assignment(instance));
  if (arc >= 0) m_counts.arc_events[inst.arc_base + 2 * arc + (rise ? 0 : 1)] += 1;
}

void GateSimulator::count_output_event(int instance, int pin, bool rise) {
  const Instance& inst = m_instances[instance];
  const uint32_t state = assignment(instance);
  int arc = m_last_input[instance] >= 0 ? select_arc(inst, pin, m_last_input[instance], state) : -1;
  // The last input change has no arc to this output (e.g. a state change): the first related input that has one.
  for (int related = 0; arc < 0 && related < static_cast<int>(inst.model->pins.size()); ++related) {
    arc = select_arc(inst, pin, related, state);
  }
  if (arc >= 0) m_counts.arc_events[inst.arc_base + 2 * arc + (rise ? 0 : 1)] += 1;
}

}  // namespace pesim::cost
