// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <map>
#include <string>

namespace pesim::cost {

// What the cost flow needs of a liberty cell.
struct LibertyCell {
  double area_um2 = 0;
  double leakage_nw = 0;  // cell_leakage_power, converted from the library's leakage_power_unit
  bool is_flop = false;   // has an ff group (latches are not flops)
};

// Cells of a liberty file by name. Reads only `leakage_power_unit`, `cell (NAME)`, `area` and
// `cell_leakage_power` and
// whether a cell has an `ff` group; throws std::runtime_error naming the file and line of anything it cannot read.
// Each file is parsed once per process; the map lives as long as the process (a DSE costs thousands of arrays
// against one liberty).
const std::map<std::string, LibertyCell>& read_liberty_cells(const std::string& path);

}  // namespace pesim::cost
