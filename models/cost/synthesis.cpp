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

#include "models/cost/liberty.h"

namespace pesim::cost {

namespace {

namespace fs = std::filesystem;

constexpr int64_t kMemoryLimitKib = 8 * 1024 * 1024;

// chparam reads negative numbers only as sized Verilog literals.
std::string verilog_literal(int64_t value) {
  if (value >= 0) return std::to_string(value);
  return fmt::format("32'sh{:08x}", static_cast<uint32_t>(static_cast<int32_t>(value)));
}

std::string yosys_script(const pe::PeInstance& pe, const Technology& tech) {
  std::string script = "read_verilog -sv";
  for (const auto& file : rtl_sources(pe)) script += " " + file;
  script += "\nchparam";
  for (const auto& [name, value] : pe.rtl.parameters) script += " -set " + name + " " + verilog_literal(value);
  for (const auto& [name, value] : pe.rtl.cost_parameters) script += " -set " + name + " " + verilog_literal(value);
  script += " " + pe.rtl.top_module + "\n";
  const std::string& lib = tech.liberty_path;
  // -noshare: Yosys 0.23's SAT-based resource sharing ran out of 24 GB on fma_fp's flattened datapath.
  script += "synth -flatten -noshare -top " + pe.rtl.top_module + "\n";
  script += "dfflibmap -liberty " + lib + "\n";
  script += "abc -liberty " + lib +
            " -D 2000 -script +strash;ifraig;scorr;dc2;dretime;strash;&get,-n;&dch,-f;&nf,{D};&put;buffer;"
            "upsize,{D};dnsize,{D};stime,-p\n";
  script += "opt_clean\nstat -liberty " + lib + "\n";
  return script;
}

std::string last_lines(const std::string& text, int count) {
  size_t pos = text.size();
  for (int i = 0; i < count && pos > 0; ++i) pos = text.rfind('\n', pos - 1);
  return pos == std::string::npos ? text : text.substr(pos);
}

}  // namespace

std::string read_text_file(const std::string& path) {
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

std::vector<std::string> rtl_sources(const pe::PeInstance& pe) {
  std::vector<std::string> files;
  for (const std::string folder : {std::string("common"), pe.rtl.rtl_folder()}) {
    for (const auto& entry : fs::directory_iterator(fs::path(PESIM_SOURCE_DIR) / "rtl" / folder)) {
      if (entry.path().extension() == ".v") files.push_back(entry.path().string());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
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
  if (!std::regex_search(log, m, std::regex("Chip area for module '\\\\" + top_module + "': ([0-9.]+)"))) {
    throw std::runtime_error("yosys log has no chip area for " + top_module);
  }
  r.area_um2 = std::stod(m[1]);
  const auto cells = read_liberty_cells(liberty);
  const size_t stat_start = log.rfind("Number of cells:");
  const std::regex count_re(R"(\n\s+([A-Za-z0-9_]+)\s+([0-9]+)(?=\n))");
  const std::string stat = stat_start == std::string::npos ? "" : log.substr(stat_start);
  for (auto it = std::sregex_iterator(stat.begin(), stat.end(), count_re); it != std::sregex_iterator(); ++it) {
    const std::string cell = (*it)[1];
    const auto found = cells.find(cell);
    if (found == cells.end()) continue;
    const int64_t count = std::stoll((*it)[2]);
    r.cell_counts[cell] = count;
    r.cells += count;
    r.leakage_nw += static_cast<double>(count) * found->second.leakage_nw;
    if (cell.find("dff") != std::string::npos || cell.find("dfr") != std::string::npos) r.flops += count;
  }
  return r;
}

SynthesisResult synthesize(const pe::PeInstance& pe, const Technology& tech, int timeout_seconds) {
  const fs::path dir = fs::temp_directory_path() / fmt::format("pesim_synth_{}_{}", getpid(), pe.rtl.top_module);
  fs::create_directories(dir);
  std::ofstream(dir / "flow.ys") << yosys_script(pe, tech);
  // Bounded in time and memory, so that a runaway synthesis fails instead of taking the machine down.
  const std::string command =
      fmt::format("ulimit -v {}; timeout {} yosys -q -l {} -s {} > /dev/null 2>&1", kMemoryLimitKib, timeout_seconds,
                  (dir / "yosys.log").string(), (dir / "flow.ys").string());
  const auto start = std::chrono::steady_clock::now();
  const int status = std::system(command.c_str());
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const std::string log = read_text_file((dir / "yosys.log").string());
  fs::remove_all(dir);
  if (status != 0) {
    throw std::runtime_error(fmt::format("yosys failed on {} {} (status {}{}):{}", pe.kind, pe.params_text(), status,
                                         seconds >= timeout_seconds ? ", timed out" : "", last_lines(log, 8)));
  }
  SynthesisResult r = parse_synthesis_log(log, pe.rtl.top_module, tech.liberty_path);
  r.synthesis_seconds = seconds;
  return r;
}

}  // namespace pesim::cost
