// SPDX-License-Identifier: Apache-2.0
#include "models/cost/gate_netlist.h"

#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

namespace pesim::cost {

namespace {

// Yosys bit ids (integers from 2) to dense net numbers; "0", "1", "x", "z" to the constants.
class NetNumbering {
 public:
  explicit NetNumbering(GateNetlist& netlist) : m_netlist(netlist) {}
  int net(const nlohmann::json& bit, const std::string& where) {
    if (bit.is_string()) {
      const std::string s = bit.get<std::string>();
      if (s == "1") return GateNetlist::kConst1;
      if (s == "0" || s == "x" || s == "z") return GateNetlist::kConst0;
      throw std::runtime_error(where + ": unknown constant bit '" + s + "'");
    }
    if (!bit.is_number_integer()) throw std::runtime_error(where + ": a bit is neither a net nor a constant");
    const auto [it, added] = m_ids.emplace(bit.get<int64_t>(), m_netlist.nets);
    if (added) ++m_netlist.nets;
    return it->second;
  }

 private:
  GateNetlist& m_netlist;
  std::map<int64_t, int> m_ids;
};

}  // namespace

const GateNetlist::Port* GateNetlist::port(const std::string& name) const {
  for (const Port& p : ports) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

GateNetlist read_yosys_json(const std::string& json_text, const std::string& top, const std::string& where) {
  GateNetlist netlist;
  netlist.top = top;
  NetNumbering numbering(netlist);
  try {
    const nlohmann::json doc = nlohmann::json::parse(json_text);
    const nlohmann::json& module = doc.at("modules").at(top);
    for (const auto& [name, port] : module.at("ports").items()) {
      GateNetlist::Port p;
      p.name = name;
      const std::string direction = port.at("direction").get<std::string>();
      if (direction != "input" && direction != "output")
        throw std::runtime_error(where + ": port " + name + " is " + direction);
      p.is_input = direction == "input";
      for (const auto& bit : port.at("bits")) p.bits.push_back(numbering.net(bit, where + ": port " + name));
      netlist.ports.push_back(std::move(p));
    }
    for (const auto& [name, cell] : module.at("cells").items()) {
      GateNetlist::Cell c;
      c.type = cell.at("type").get<std::string>();
      for (const auto& [pin, bits] : cell.at("connections").items()) {
        if (bits.size() != 1)
          throw std::runtime_error(where + ": cell " + name + " (" + c.type + ") pin " + pin + " has " +
                                   std::to_string(bits.size()) + " bits, not 1");
        c.pins.emplace_back(pin, numbering.net(bits[0], where + ": cell " + name));
      }
      netlist.cells.push_back(std::move(c));
    }
  } catch (const nlohmann::json::exception& e) {
    throw std::runtime_error(where + ": " + e.what());
  }
  return netlist;
}

std::string netlist_text(const GateNetlist& netlist) {
  std::ostringstream out;
  out << "pesim-netlist 1\ntop " << netlist.top << " " << netlist.nets << "\n";
  for (const auto& p : netlist.ports) {
    out << "port " << (p.is_input ? "in " : "out ") << p.name;
    for (int bit : p.bits) out << " " << bit;
    out << "\n";
  }
  for (const auto& c : netlist.cells) {
    out << "cell " << c.type;
    for (const auto& [pin, net] : c.pins) out << " " << pin << "=" << net;
    out << "\n";
  }
  return out.str();
}

GateNetlist parse_netlist_text(const std::string& text, const std::string& where) {
  GateNetlist netlist;
  std::istringstream in(text);
  std::string line;
  int number = 0;
  auto fail = [&](const std::string& message) {
    throw std::runtime_error(where + ":" + std::to_string(number) + ": " + message);
  };
  auto net = [&](const std::string& s) {
    try {
      size_t used = 0;
      const int n = std::stoi(s, &used);
      if (used == s.size() && n >= 0 && n < netlist.nets) return n;
    } catch (const std::exception&) {
    }
    fail("bad net '" + s + "'");
    return -1;
  };
  while (std::getline(in, line)) {
    ++number;
    std::istringstream fields(line);
    std::string kind;
    fields >> kind;
    if (number == 1) {
      if (line != "pesim-netlist 1") fail("not a pesim netlist (expected 'pesim-netlist 1')");
    } else if (kind == "top") {
      if (!(fields >> netlist.top >> netlist.nets) || netlist.nets < 2) fail("expected 'top NAME NETS'");
    } else if (kind == "port") {
      GateNetlist::Port p;
      std::string direction;
      fields >> direction >> p.name;
      if ((direction != "in" && direction != "out") || p.name.empty()) fail("expected 'port in|out NAME BITS...'");
      p.is_input = direction == "in";
      for (std::string bit; fields >> bit;) p.bits.push_back(net(bit));
      netlist.ports.push_back(std::move(p));
    } else if (kind == "cell") {
      GateNetlist::Cell c;
      if (!(fields >> c.type)) fail("expected 'cell TYPE PIN=NET...'");
      for (std::string pin; fields >> pin;) {
        const size_t eq = pin.find('=');
        if (eq == std::string::npos) fail("expected PIN=NET, not '" + pin + "'");
        c.pins.emplace_back(pin.substr(0, eq), net(pin.substr(eq + 1)));
      }
      netlist.cells.push_back(std::move(c));
    } else if (!kind.empty()) {
      fail("unknown line kind '" + kind + "'");
    }
  }
  if (number == 0) fail("empty netlist");
  return netlist;
}

}  // namespace pesim::cost
