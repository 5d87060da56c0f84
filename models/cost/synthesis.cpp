// SPDX-License-Identifier: Apache-2.0
#include "models/cost/synthesis.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>

#include "models/cost/gate_netlist.h"
#include "models/cost/liberty.h"
#include "pesim/version.h"

namespace pesim::cost {

namespace {

namespace fs = std::filesystem;

constexpr int64_t kMemoryLimitKib = 8 * 1024 * 1024;

// chparam reads negative numbers only as sized Verilog literals.
std::string verilog_literal(int64_t value) {
  if (value >= 0) return std::to_string(value);
  return fmt::format("32'sh{:08x}", static_cast<uint32_t>(static_cast<int32_t>(value)));
}

void replace_all(std::string& text, const std::string& from, const std::string& to) {
  for (size_t pos = text.find(from); pos != std::string::npos; pos = text.find(from, pos + to.size())) {
    text.replace(pos, from.size(), to);
  }
}

std::string yosys_script(const VerilogDesign& design, const Technology& tech) {
  std::string script = "read_verilog -sv";
  for (const auto& file : design.sources) script += " " + file;
  script += "\nchparam";
  for (const auto& [name, value] : design.parameters) script += " -set " + name + " " + verilog_literal(value);
  script += " " + design.top_module + "\n";
  std::string commands = tech.yosys_commands;
  replace_all(commands, "{top}", design.top_module);
  replace_all(commands, "{lib}", tech.liberty_path);
  return script + commands;
}

// The cell counts of the last `stat` in a Yosys log.
std::map<std::string, int64_t> last_stat_counts(const std::string& log) {
  std::map<std::string, int64_t> counts;
  const size_t stat_start = log.rfind("Number of cells:");
  if (stat_start == std::string::npos) return counts;
  const std::string stat = log.substr(stat_start);
  const std::regex count_re(R"(\n\s+([A-Za-z0-9_$\\]+)\s+([0-9]+)(?=\n))");
  for (auto it = std::sregex_iterator(stat.begin(), stat.end(), count_re); it != std::sregex_iterator(); ++it) {
    counts[(*it)[1]] += std::stoll((*it)[2]);
  }
  return counts;
}

bool starts_with(const std::string& text, const std::string& prefix) { return text.rfind(prefix, 0) == 0; }

}  // namespace

std::string last_lines(const std::string& text, int count) {
  size_t pos = text.size();
  for (int i = 0; i < count && pos > 0; ++i) pos = text.rfind('\n', pos - 1);
  return pos == std::string::npos ? text : text.substr(pos);
}

std::string read_text_file(const std::string& path) {
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

std::vector<std::string> rtl_sources(const pe::PeInstance& pe) {
  std::vector<std::string> files;
  for (const std::string& folder : {std::string("common"), pe.rtl.rtl_folder()}) {
    for (const auto& entry : fs::directory_iterator(fs::path(pesim::source_path("rtl")) / folder)) {
      if (entry.path().extension() == ".v") files.push_back(entry.path().string());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

CellCost cost_cells(const std::map<std::string, int64_t>& counts, const std::map<std::string, LibertyCell>& cells) {
  CellCost c;
  for (const auto& [name, count] : counts) {
    const auto found = cells.find(name);
    if (found == cells.end()) throw std::runtime_error("cell " + name + " is not in the liberty");
    c.area_um2 += static_cast<double>(count) * found->second.area_um2;
    c.leakage_nw += static_cast<double>(count) * found->second.leakage_nw;
    c.cells += count;
    if (found->second.is_flop) c.flops += count;
  }
  return c;
}

double total_power_mw(const Technology& tech, double leakage_nw) { return tech.power_per_leakage * leakage_nw * 1e-6; }

FpgaResources fpga_resources(const std::map<std::string, int64_t>& cell_counts) {
  // First matching prefix wins.
  static const std::vector<std::pair<std::string, int64_t FpgaResources::*>> kinds{
      {"LUT", &FpgaResources::lut},     {"SB_LUT4", &FpgaResources::lut},  {"FD", &FpgaResources::ff},
      {"SB_DFF", &FpgaResources::ff},   {"CARRY", &FpgaResources::carry},  {"SB_CARRY", &FpgaResources::carry},
      {"DSP48", &FpgaResources::dsp},   {"SB_MAC16", &FpgaResources::dsp}, {"RAMB", &FpgaResources::bram},
      {"SB_RAM", &FpgaResources::bram}, {"SRL", &FpgaResources::lutram},   {"RAM", &FpgaResources::lutram},
      {"MUXF", &FpgaResources::muxf}};
  FpgaResources r;
  for (const auto& [name, count] : cell_counts) {
    int64_t FpgaResources::*field = &FpgaResources::other;
    for (const auto& [prefix, kind] : kinds) {
      if (starts_with(name, prefix)) {
        field = kind;
        break;
      }
    }
    r.*field += count;
  }
  return r;
}

SynthesisResult parse_synthesis_log(const std::string& log, const std::string& top_module, const std::string& liberty) {
  SynthesisResult r;
  std::smatch m;
  if (std::regex_search(log, m, std::regex(R"(Yosys [0-9][^\n]*)"))) r.tool_version = m[0];
  // The last "Delay =" line of ABC's stime is the mapped circuit's critical path.
  const std::regex delay_re(R"(Delay =\s*([0-9.]+) ps)");
  for (auto it = std::sregex_iterator(log.begin(), log.end(), delay_re); it != std::sregex_iterator(); ++it) {
    r.delay_ns = std::stod((*it)[1]) / 1000.0;
  }
  if (std::regex_search(log, m, std::regex("Chip area for module '\\\\" + top_module + "': ([0-9.]+)"))) {
    r.area_um2 = std::stod(m[1]);
  } else if (const size_t last_stat = log.rfind("Number of cells:");
             last_stat == std::string::npos ||
             !std::regex_search(log.substr(last_stat, 64), std::regex(R"(^Number of cells:\s+0\n)"))) {
    // Yosys prints no chip area only for a design without cells (constant outputs): its area is 0.
    throw std::runtime_error("yosys log has no chip area for " + top_module);
  }
  const auto& cells = read_liberty_cells(liberty);
  for (const auto& [name, count] : last_stat_counts(log)) {
    if (cells.count(name)) r.cell_counts[name] = count;
  }
  const CellCost cost = cost_cells(r.cell_counts, cells);
  r.cells = cost.cells;
  r.flops = cost.flops;
  r.leakage_nw = cost.leakage_nw;
  return r;
}

SynthesisResult parse_fpga_log(const std::string& log) {
  SynthesisResult r;
  std::smatch m;
  if (std::regex_search(log, m, std::regex(R"(Yosys [0-9][^\n]*)"))) r.tool_version = m[0];
  r.cell_counts = last_stat_counts(log);
  if (r.cell_counts.empty()) throw std::runtime_error("yosys log has no cell counts");
  for (const auto& [name, count] : r.cell_counts) r.cells += count;
  r.flops = fpga_resources(r.cell_counts).ff;
  return r;
}

SynthesisResult synthesize(const pe::PeInstance& pe, const Technology& tech, int timeout_seconds) {
  VerilogDesign design{rtl_sources(pe), pe.rtl.top_module, pe.rtl.parameters, pe.kind + " " + pe.params_text()};
  for (const auto& [name, value] : pe.rtl.cost_parameters) design.parameters[name] = value;  // the cost's win
  return synthesize_verilog(design, tech, timeout_seconds);
}

SynthesisResult synthesize_verilog(const VerilogDesign& design, const Technology& tech, int timeout_seconds) {
  if (tech.kind != TechKind::kFpga && !fs::exists(tech.liberty_path)) {
    throw std::runtime_error("technology " + tech.name + ": liberty file " + tech.liberty_path +
                             " not found (scripts/install_deps.sh installs it)");
  }
  const fs::path dir = fs::temp_directory_path() / fmt::format("pesim_synth_{}_{}", getpid(), design.top_module);
  fs::create_directories(dir);
  // Cell technologies also write the mapped netlist, which the switching-activity power model simulates.
  const fs::path netlist_json = dir / "netlist.json";
  std::ofstream(dir / "flow.ys") << yosys_script(design, tech)
                                 << (tech.kind == TechKind::kFpga ? "" : "write_json " + netlist_json.string() + "\n");
  // Bounded in time and memory, so that a runaway synthesis fails instead of taking the machine down.
  const std::string command =
      fmt::format("ulimit -v {}; timeout {} yosys -q -l {} -s {} > /dev/null 2>&1", kMemoryLimitKib, timeout_seconds,
                  (dir / "yosys.log").string(), (dir / "flow.ys").string());
  const auto start = std::chrono::steady_clock::now();
  const int status = std::system(command.c_str());
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const std::string log = read_text_file((dir / "yosys.log").string());
  const std::string netlist_json_text = read_text_file(netlist_json.string());
  fs::remove_all(dir);
  if (status != 0) {
    throw std::runtime_error(fmt::format("yosys failed on {} (status {}{}):{}", design.label, status,
                                         seconds >= timeout_seconds ? ", timed out" : "", last_lines(log, 8)));
  }
  SynthesisResult r = tech.kind == TechKind::kFpga ? parse_fpga_log(log)
                                                   : parse_synthesis_log(log, design.top_module, tech.liberty_path);
  r.synthesis_seconds = seconds;
  if (tech.kind != TechKind::kFpga) {
    r.netlist =
        netlist_text(read_yosys_json(netlist_json_text, design.top_module, "yosys write_json of " + design.label));
  }
  return r;
}

}  // namespace pesim::cost
