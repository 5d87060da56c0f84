// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "models/cost/technology.h"
#include "models/pe/pe.h"

namespace pesim::cost {

// Area, delay and leakage of one PE configuration mapped onto a technology's standard cells.
struct SynthesisResult {
  double area_um2 = 0;    // total cell area (Yosys stat -liberty)
  double delay_ns = 0;    // ABC's mapped critical path between registers (flop clk-to-q and setup excluded)
  double leakage_nw = 0;  // sum of the mapped cells' cell_leakage_power
  int64_t cells = 0;
  int64_t flops = 0;
  std::map<std::string, int64_t> cell_counts;
  double synthesis_seconds = 0;
  std::string tool_version;  // "Yosys 0.23 (git sha1 ...)"
};

// The flow, stated once: what the numbers mean.
constexpr const char* kCmosFlow =
    "yosys: synth -flatten -noshare; dfflibmap -liberty; abc -liberty -D 2000 (&nf mapping, buffer/upsize/dnsize, "
    "stime); "
    "stat -liberty";

// The Verilog files of a PE's RTL top (its folder and rtl/common), sorted.
std::vector<std::string> rtl_sources(const pe::PeInstance& pe);

// Synthesizes the PE's RTL with its Verilog parameters. Throws std::runtime_error with Yosys's last lines when
// synthesis fails, takes longer than `timeout_seconds` or needs more than 8 GiB.
SynthesisResult synthesize(const pe::PeInstance& pe, const Technology& tech, int timeout_seconds = 600);

// The whole text of a file ("" when it cannot be read).
std::string read_text_file(const std::string& path);

// Parses a Yosys log of that flow (exposed for tests).
SynthesisResult parse_synthesis_log(const std::string& log, const std::string& top_module, const std::string& liberty);

}  // namespace pesim::cost
