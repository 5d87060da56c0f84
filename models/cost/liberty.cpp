// SPDX-License-Identifier: Apache-2.0
#include "models/cost/liberty.h"

#include <fstream>
#include <mutex>
#include <regex>
#include <stdexcept>

namespace pesim::cost {

namespace {

double leakage_unit_in_nw(const std::string& unit, const std::string& where) {
  if (unit == "1pW") return 1e-3;
  if (unit == "1nW") return 1.0;
  if (unit == "1uW") return 1e3;
  if (unit == "1mW") return 1e6;
  throw std::runtime_error(where + ": leakage_power_unit \"" + unit + "\" is not one of 1pW 1nW 1uW 1mW");
}

std::map<std::string, LibertyCell> parse_liberty_cells(const std::string& path) {
  std::ifstream file(path);
  if (!file) throw std::runtime_error(path + ": cannot open liberty file");
  static const std::regex unit_re(R"re(^\s*leakage_power_unit\s*:\s*"?([0-9a-zA-Z]+)"?\s*;)re");
  static const std::regex cell_re(R"re(^\s*cell\s*\(\s*"?([A-Za-z0-9_]+)"?\s*\))re");
  static const std::regex area_re(R"re(^\s*area\s*:\s*([0-9.eE+-]+)\s*;)re");
  static const std::regex leak_re(R"re(^\s*cell_leakage_power\s*:\s*([0-9.eE+-]+)\s*;)re");
  static const std::regex ff_re(R"re(^\s*ff\s*\()re");
  std::map<std::string, LibertyCell> cells;
  double unit_nw = 1.0;
  std::string current;
  std::string line;
  std::smatch m;
  for (int number = 1; std::getline(file, line); ++number) {
    const std::string where = path + ":" + std::to_string(number);
    try {
      if (std::regex_search(line, m, unit_re)) {
        unit_nw = leakage_unit_in_nw(m[1], where);
      } else if (std::regex_search(line, m, cell_re)) {
        current = m[1];
        cells[current] = {};
      } else if (!current.empty() && std::regex_search(line, m, area_re)) {
        cells[current].area_um2 = std::stod(m[1]);
      } else if (!current.empty() && std::regex_search(line, m, leak_re)) {
        cells[current].leakage_nw = std::stod(m[1]) * unit_nw;
      } else if (!current.empty() && std::regex_search(line, ff_re)) {
        cells[current].is_flop = true;
      }
    } catch (const std::invalid_argument&) {
      throw std::runtime_error(where + ": unreadable number in: " + line);
    } catch (const std::out_of_range&) {
      throw std::runtime_error(where + ": number out of range in: " + line);
    }
  }
  if (cells.empty()) throw std::runtime_error(path + ": no cells");
  return cells;
}

}  // namespace

const std::map<std::string, LibertyCell>& read_liberty_cells(const std::string& path) {
  // Parsed once per file and process: a DSE costs thousands of arrays against one liberty, and parsing it with
  // regular expressions takes about 0.1 s.
  static std::mutex mutex;
  static std::map<std::string, std::map<std::string, LibertyCell>> parsed;
  const std::lock_guard<std::mutex> lock(mutex);
  auto found = parsed.find(path);
  if (found == parsed.end()) found = parsed.emplace(path, parse_liberty_cells(path)).first;
  return found->second;
}

}  // namespace pesim::cost
