// SPDX-License-Identifier: Apache-2.0
#include "models/cost/cell_library.h"

#include <algorithm>
#include <limits>
#include <stdexcept>

#include "models/cost/liberty_groups.h"
#include "models/cost/synthesis.h"

namespace pesim::cost {

namespace {

// Linear interpolation weight of x on an axis: the lower index and the fraction towards the next one (outside the
// axis: the end segment, extrapolated).
std::pair<size_t, double> axis_position(const std::vector<double>& axis, double x) {
  if (axis.size() < 2) return {0, 0.0};
  size_t i = 0;
  while (i + 2 < axis.size() && x > axis[i + 1]) ++i;
  const double span = axis[i + 1] - axis[i];
  return {i, span == 0 ? 0.0 : (x - axis[i]) / span};
}

double unit_scale(const std::string& unit, const std::vector<std::pair<std::string, double>>& suffixes,
                  const std::string& where) {
  for (const auto& [suffix, scale] : suffixes) {
    if (unit.size() > suffix.size() && unit.compare(unit.size() - suffix.size(), suffix.size(), suffix) == 0) {
      return std::stod(unit.substr(0, unit.size() - suffix.size())) * scale;
    }
  }
  throw std::runtime_error(where + ": unit \"" + unit + "\" not understood");
}

}  // namespace

double LookupTable::at(double transition, double load) const {
  const auto [ti, tf] = axis_position(transition_ns, transition);
  const auto [li, lf] = axis_position(load_pf, load);
  const size_t columns = std::max<size_t>(load_pf.size(), 1);
  auto v = [&](size_t t, size_t l) { return values[t * columns + l]; };
  const size_t t1 = transition_ns.size() < 2 ? ti : ti + 1;
  const size_t l1 = load_pf.size() < 2 ? li : li + 1;
  const double low = v(ti, li) + lf * (v(ti, l1) - v(ti, li));
  const double high = v(t1, li) + lf * (v(t1, l1) - v(t1, li));
  return low + tf * (high - low);
}

double WireLoadModel::capacitance_pf(int fanout) const {
  if (fanout <= 0) return 0;
  double length = 0;
  if (fanout_length.empty()) {
    length = slope * fanout;
  } else if (fanout >= fanout_length.back().first) {
    length = fanout_length.back().second + slope * (fanout - fanout_length.back().first);
  } else {
    auto hi = std::find_if(fanout_length.begin(), fanout_length.end(), [&](auto& p) { return p.first >= fanout; });
    if (hi == fanout_length.begin() || hi->first == fanout) {
      length = hi->second * (hi == fanout_length.begin() && hi->first != fanout ? double(fanout) / hi->first : 1.0);
    } else {
      const auto lo = hi - 1;
      length = lo->second + (hi->second - lo->second) * (fanout - lo->first) / double(hi->first - lo->first);
    }
  }
  return length * capacitance_pf_per_length;
}

int LibertyCellModel::pin_index(const std::string& pin_name) const {
  for (size_t i = 0; i < pins.size(); ++i) {
    if (pins[i].name == pin_name) return static_cast<int>(i);
  }
  return -1;
}

// Reads a parsed liberty into a CellLibrary; one function per kind of group.
class CellLibraryReader {
 public:
  CellLibraryReader(const LibertyGroup& root, const std::string& path) : m_root(root), m_path(path) {}

  CellLibrary read() {
    CellLibrary lib;
    lib.m_path = m_path;
    read_units();
    read_templates();
    const std::string* voltage = m_root.attribute("nom_voltage");
    if (!voltage) throw std::runtime_error(m_path + ": library has no nom_voltage");
    lib.m_voltage_v = number(*voltage, m_root.line, "nom_voltage") * m_voltage_scale_v;
    for (const LibertyGroup* cell : m_root.children("cell")) {
      LibertyCellModel model = read_cell(*cell);
      lib.m_cells[model.name] = std::move(model);
    }
    read_wire_loads(lib);
    lib.m_representative_transition_ns = fo4_transition(lib);
    return lib;
  }

 private:
  std::string where(int line) const { return m_path + ":" + std::to_string(line); }
  double number(const std::string& text, int line, const std::string& field) const {
    try {
      size_t used = 0;
      const double v = std::stod(text, &used);
      if (used == text.size()) return v;
    } catch (const std::exception&) {
    }
    throw std::runtime_error(where(line) + ": " + field + ": not a number: '" + text + "'");
  }

  void read_units() {
    const std::string here = where(m_root.line);
    if (const auto* cap = m_root.complex_attribute("capacitive_load_unit")) {
      if (cap->size() != 2) throw std::runtime_error(here + ": capacitive_load_unit needs (value, unit)");
      std::string unit = (*cap)[1];
      std::transform(unit.begin(), unit.end(), unit.begin(), ::tolower);
      const double value = number((*cap)[0], m_root.line, "capacitive_load_unit");
      if (unit == "pf")
        m_cap_scale_pf = value;
      else if (unit == "ff")
        m_cap_scale_pf = value * 1e-3;
      else
        throw std::runtime_error(here + ": capacitive_load_unit unit '" + (*cap)[1] + "' is not pf or ff");
    }
    if (const auto* t = m_root.attribute("time_unit"))
      m_time_scale_ns = unit_scale(*t, {{"ns", 1}, {"ps", 1e-3}, {"us", 1e3}}, here);
    if (const auto* v = m_root.attribute("voltage_unit"))
      m_voltage_scale_v = unit_scale(*v, {{"mV", 1e-3}, {"V", 1}}, here);
    if (const auto* l = m_root.attribute("leakage_power_unit")) {
      m_leakage_scale_nw = unit_scale(*l, {{"pW", 1e-3}, {"nW", 1}, {"uW", 1e3}, {"mW", 1e6}, {"W", 1e9}}, here);
    }
  }

  void read_templates() {
    for (const LibertyGroup& g : m_root.groups) {
      if (g.type != "lu_table_template" && g.type != "power_lut_template") continue;
      Template t;
      for (int axis = 0; axis < 2; ++axis) {
        const std::string suffix = std::to_string(axis + 1);
        if (const auto* v = g.attribute("variable_" + suffix)) t.variables[axis] = *v;
        if (const auto* index = g.complex_attribute("index_" + suffix))
          t.index[axis] = liberty_numbers(*index, where(g.line));
      }
      m_templates[g.name()] = t;
    }
  }

  // A table group (rise_power, fall_power, rise_transition, ...) in pesim units: values times `value_scale`.
  LookupTable read_table(const LibertyGroup& g, double value_scale) const {
    const std::string here = where(g.line) + ": " + g.type;
    Template t;
    if (g.name() != "scalar") {
      const auto found = m_templates.find(g.name());
      if (found == m_templates.end()) throw std::runtime_error(here + ": unknown template '" + g.name() + "'");
      t = found->second;
    }
    for (int axis = 0; axis < 2; ++axis) {
      if (const auto* index = g.complex_attribute("index_" + std::to_string(axis + 1)))
        t.index[axis] = liberty_numbers(*index, here);
    }
    const auto* values = g.complex_attribute("values");
    if (!values) throw std::runtime_error(here + ": no values");
    std::vector<double> raw = liberty_numbers(*values, here);
    const size_t n1 = std::max<size_t>(t.index[0].size(), 1), n2 = std::max<size_t>(t.index[1].size(), 1);
    if (raw.size() != n1 * n2)
      throw std::runtime_error(here + ": " + std::to_string(raw.size()) + " values for a " + std::to_string(n1) + "x" +
                               std::to_string(n2) + " table");
    LookupTable table;
    // Axis of each template variable: transition (ns) or load (pF); anything else is an error.
    int transition_axis = -1, load_axis = -1;
    for (int axis = 0; axis < 2; ++axis) {
      const std::string& v = t.variables[axis];
      if (v.empty() || t.index[axis].empty()) continue;
      if (v.find("transition") != std::string::npos)
        transition_axis = axis;
      else if (v.find("capacitance") != std::string::npos)
        load_axis = axis;
      else
        throw std::runtime_error(here + ": table variable '" + v + "' is not a transition or a load");
    }
    if (transition_axis >= 0)
      for (double x : t.index[transition_axis]) table.transition_ns.push_back(x * m_time_scale_ns);
    if (load_axis >= 0)
      for (double x : t.index[load_axis]) table.load_pf.push_back(x * m_cap_scale_pf);
    const size_t nt = std::max<size_t>(table.transition_ns.size(), 1), nl = std::max<size_t>(table.load_pf.size(), 1);
    table.values.assign(nt * nl, 0.0);
    for (size_t i = 0; i < n1; ++i) {
      for (size_t j = 0; j < n2; ++j) {
        const size_t ti = transition_axis == 0 ? i : transition_axis == 1 ? j : 0;
        const size_t li = load_axis == 0 ? i : load_axis == 1 ? j : 0;
        table.values[ti * nl + li] = raw[i * n2 + j] * value_scale;
      }
    }
    return table;
  }

  // Pins and state variables first: every function of the cell is over them.
  LibertyCellModel read_cell(const LibertyGroup& cell) const {
    LibertyCellModel m;
    m.name = cell.name();
    if (const auto* a = cell.attribute("area")) m.area_um2 = number(*a, cell.line, "area");
    if (const auto* l = cell.attribute("cell_leakage_power"))
      m.leakage_nw = number(*l, cell.line, "cell_leakage_power") * m_leakage_scale_nw;
    if (const auto* d = cell.attribute("dont_use")) m.dont_use = *d == "true";
    const LibertyGroup* storage = cell.child("ff");
    if (!storage) storage = cell.child("latch");
    if (storage) m.state_variables = storage->args;
    for (const LibertyGroup* pin : cell.children("pin")) {
      for (const std::string& name : pin->args)
        m.pins.push_back(LibertyPin{name, direction(*pin), pin_capacitance(*pin), std::nullopt});
    }
    std::vector<std::string> variables;
    for (const LibertyPin& p : m.pins) variables.push_back(p.name);
    for (const std::string& s : m.state_variables) variables.push_back(s);
    if (static_cast<int>(variables.size()) > TruthTable::kMaxVariables) {
      if (m.dont_use) return m;
      throw std::runtime_error(where(cell.line) + ": cell " + m.name + " has too many pins");
    }
    for (const LibertyGroup* pin : cell.children("pin")) read_pin_functions(*pin, variables, m);
    if (storage) m.storage = read_storage(*storage, variables);
    read_leakage_states(cell, variables, m);
    return m;
  }

  PinDirection direction(const LibertyGroup& pin) const {
    const std::string* d = pin.attribute("direction");
    if (!d) throw std::runtime_error(where(pin.line) + ": pin " + pin.name() + " has no direction");
    if (*d == "input") return PinDirection::kInput;
    if (*d == "output" || *d == "inout") return PinDirection::kOutput;
    return PinDirection::kInternal;
  }
  double pin_capacitance(const LibertyGroup& pin) const {
    const std::string* c = pin.attribute("capacitance");
    return c ? number(*c, pin.line, "capacitance") * m_cap_scale_pf : 0.0;
  }

  void read_pin_functions(const LibertyGroup& pin, const std::vector<std::string>& variables,
                          LibertyCellModel& m) const {
    const std::string here = where(pin.line) + ": cell " + m.name + " pin " + pin.name();
    for (const std::string& name : pin.args) {
      const int index = m.pin_index(name);
      if (const auto* f = pin.attribute("function"))
        m.pins[index].function = parse_boolean_function(*f, variables, here);
      for (const LibertyGroup* group : pin.children("internal_power")) {
        PowerArc arc;
        arc.pin = index;
        if (const auto* related = group->attribute("related_pin")) {
          arc.related_pin = m.pin_index(*related);
          if (arc.related_pin < 0) continue;  // a bus or a pin list: not modelled, and not in the libraries used
        }
        if (const auto* when = group->attribute("when"))
          arc.when = parse_boolean_function(*when, variables, where(group->line));
        if (const auto* rise = group->child("rise_power"))
          arc.rise = read_table(*rise, m_cap_scale_pf * m_voltage_scale_v * m_voltage_scale_v);
        if (const auto* fall = group->child("fall_power"))
          arc.fall = read_table(*fall, m_cap_scale_pf * m_voltage_scale_v * m_voltage_scale_v);
        if (const auto* power = group->child("power"))
          arc.rise = arc.fall = read_table(*power, m_cap_scale_pf * m_voltage_scale_v * m_voltage_scale_v);
        if (arc.rise.values.empty()) arc.rise.values = {0.0};
        if (arc.fall.values.empty()) arc.fall.values = {0.0};
        m.arcs.push_back(std::move(arc));
      }
    }
  }

  StorageSpec read_storage(const LibertyGroup& g, const std::vector<std::string>& variables) const {
    const std::string here = where(g.line) + ": " + g.type;
    StorageSpec s;
    const bool flop = g.type == "ff";
    s.kind = flop ? StorageSpec::Kind::kFlop : StorageSpec::Kind::kLatch;
    const std::string* clock = g.attribute(flop ? "clocked_on" : "enable");
    const std::string* next = g.attribute(flop ? "next_state" : "data_in");
    if (!clock || !next)
      throw std::runtime_error(here + ": needs " + (flop ? "clocked_on and next_state" : "enable and data_in"));
    s.clock = parse_boolean_function(*clock, variables, here);
    s.next = parse_boolean_function(*next, variables, here);
    if (const auto* c = g.attribute("clear")) s.clear = parse_boolean_function(*c, variables, here);
    if (const auto* p = g.attribute("preset")) s.preset = parse_boolean_function(*p, variables, here);
    if (const auto* v = g.attribute("clear_preset_var1")) s.clear_preset_var1 = v->empty() ? 'L' : (*v)[0];
    if (const auto* v = g.attribute("clear_preset_var2")) s.clear_preset_var2 = v->empty() ? 'H' : (*v)[0];
    return s;
  }

  void read_leakage_states(const LibertyGroup& cell, const std::vector<std::string>& variables,
                           LibertyCellModel& m) const {
    m.leakage_by_state_nw.assign(size_t{1} << variables.size(), m.leakage_nw);
    std::vector<bool> set(m.leakage_by_state_nw.size(), false);
    for (const LibertyGroup* g : cell.children("leakage_power")) {
      const std::string* value = g->attribute("value");
      if (!value) continue;
      const double nw = number(*value, g->line, "value") * m_leakage_scale_nw;
      const std::string* when = g->attribute("when");
      const TruthTable condition = when ? parse_boolean_function(*when, variables, where(g->line))
                                        : TruthTable::constant(static_cast<int>(variables.size()), true);
      for (uint32_t a = 0; a < set.size(); ++a) {
        if (!set[a] && condition.at(a)) m.leakage_by_state_nw[a] = nw, set[a] = true;
      }
    }
  }

  void read_wire_loads(CellLibrary& lib) const {
    for (const LibertyGroup* g : m_root.children("wire_load")) {
      WireLoadModel w;
      w.name = g->name();
      if (const auto* c = g->attribute("capacitance"))
        w.capacitance_pf_per_length = number(*c, g->line, "capacitance") * m_cap_scale_pf;
      if (const auto* s = g->attribute("slope")) w.slope = number(*s, g->line, "slope");
      for (const auto& [name, args] : g->complex) {
        if (name != "fanout_length" || args.size() != 2) continue;
        w.fanout_length.emplace_back(static_cast<int>(number(args[0], g->line, "fanout_length")),
                                     number(args[1], g->line, "fanout_length"));
      }
      std::sort(w.fanout_length.begin(), w.fanout_length.end());
      lib.m_wire_loads[w.name] = w;
    }
    if (const auto* d = m_root.attribute("default_wire_load")) lib.m_default_wire_load = *d;
    const std::string* selection_name = m_root.attribute("default_wire_load_selection");
    for (const LibertyGroup* g : m_root.children("wire_load_selection")) {
      if (selection_name && g->name() != *selection_name) continue;
      for (const auto& [name, args] : g->complex) {
        if (name == "wire_load_from_area" && args.size() == 3)
          lib.m_wire_load_by_area.emplace_back(number(args[0], g->line, name), args[2]);
      }
    }
    std::sort(lib.m_wire_load_by_area.begin(), lib.m_wire_load_by_area.end());
  }

  // The FO4 output transition of the smallest inverter, from its own timing tables at their smallest input slew.
  double fo4_transition(const CellLibrary& lib) const {
    const LibertyCellModel* inverter = nullptr;
    for (const auto& [name, cell] : lib.m_cells) {
      if (cell.dont_use || cell.pins.size() != 2 || !cell.state_variables.empty()) continue;
      const int out = cell.pins[1].direction == PinDirection::kOutput ? 1 : 0;
      if (cell.pins[out].direction != PinDirection::kOutput || !cell.pins[out].function) continue;
      const TruthTable& f = *cell.pins[out].function;  // over (pin 0, pin 1); the input is bit 1 - out
      const bool inverts = f.at(0) && !f.at(1u << (1 - out));
      if (inverts && (!inverter || cell.area_um2 < inverter->area_um2)) inverter = &cell;
    }
    if (!inverter) return 0;
    const LibertyGroup* cell_group = nullptr;
    for (const LibertyGroup* g : m_root.children("cell")) {
      if (g->name() == inverter->name) cell_group = g;
    }
    const int out = inverter->pins[1].direction == PinDirection::kOutput ? 1 : 0;
    const double load_pf = 4 * inverter->pins[1 - out].capacitance_pf;
    double sum = 0;
    int count = 0;
    for (const LibertyGroup* pin : cell_group->children("pin")) {
      for (const LibertyGroup* timing : pin->children("timing")) {
        for (const char* kind : {"rise_transition", "fall_transition"}) {
          if (const auto* t = timing->child(kind)) {
            const LookupTable table = read_table(*t, m_time_scale_ns);
            sum += table.at(table.transition_ns.empty() ? 0 : table.transition_ns.front(), load_pf);
            ++count;
          }
        }
      }
    }
    return count ? sum / count : 0;
  }

  struct Template {
    std::string variables[2];
    std::vector<double> index[2];
  };
  const LibertyGroup& m_root;
  const std::string& m_path;
  std::map<std::string, Template> m_templates;
  double m_cap_scale_pf = 1, m_time_scale_ns = 1, m_voltage_scale_v = 1, m_leakage_scale_nw = 1;
};

CellLibrary CellLibrary::read(const std::string& path) {
  const std::string text = read_text_file(path);
  if (text.empty()) throw std::runtime_error(path + ": cannot read liberty file");
  return CellLibraryReader(parse_liberty(text, path), path).read();
}

const LibertyCellModel* CellLibrary::find(const std::string& cell_name) const {
  const auto it = m_cells.find(cell_name);
  return it == m_cells.end() ? nullptr : &it->second;
}

std::optional<WireLoadModel> CellLibrary::wire_load_for_area(double area_um2) const {
  std::string name = m_default_wire_load;
  for (const auto& [lower_um2, model] : m_wire_load_by_area) {
    if (area_um2 >= lower_um2) name = model;
  }
  const auto it = m_wire_loads.find(name);
  if (it == m_wire_loads.end()) return std::nullopt;
  return it->second;
}

}  // namespace pesim::cost
