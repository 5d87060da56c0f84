// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <string>
#include <utility>
#include <vector>

namespace pesim::cost {

// A flat gate-level netlist of library cells, as Yosys maps a PE. Nets are numbered densely; net 0 is constant 0
// and net 1 constant 1 (undriven x and z bits read as 0).
struct GateNetlist {
  static constexpr int kConst0 = 0, kConst1 = 1;
  struct Port {
    std::string name;
    bool is_input = true;
    std::vector<int> bits;  // LSB first
  };
  struct Cell {
    std::string type;                               // a liberty cell name
    std::vector<std::pair<std::string, int>> pins;  // pin name, net
  };
  std::string top;
  int nets = 2;
  std::vector<Port> ports;
  std::vector<Cell> cells;

  const Port* port(const std::string& name) const;  // or null
};

// The module `top` of a Yosys `write_json` netlist after technology mapping (every cell a liberty cell, one bit per
// pin). Throws std::runtime_error naming `where` and the field at fault.
GateNetlist read_yosys_json(const std::string& json_text, const std::string& top, const std::string& where);

// A compact text form, for the cost cache: "pesim-netlist 1", "top NAME NETS", one "port in|out NAME BITS..." line
// per port and one "cell TYPE PIN=NET..." line per cell.
std::string netlist_text(const GateNetlist& netlist);
// Throws std::runtime_error naming `where` and the line at fault.
GateNetlist parse_netlist_text(const std::string& text, const std::string& where);

}  // namespace pesim::cost
