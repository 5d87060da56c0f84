// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "models/cost/liberty.h"
#include "models/cost/technology.h"
#include "models/pe/pe.h"

namespace pesim::cost {

// Area, delay and leakage of one PE configuration mapped onto a technology's cells, or its FPGA primitives.
struct SynthesisResult {
  double area_um2 = 0;    // total cell area (Yosys stat -liberty); 0 on FPGAs
  double delay_ns = 0;    // ABC's mapped critical path between registers (flop clk-to-q and setup excluded); 0 on FPGAs
  double leakage_nw = 0;  // sum of the mapped cells' cell_leakage_power; 0 on FPGAs
  int64_t cells = 0;
  int64_t flops = 0;
  std::map<std::string, int64_t> cell_counts;  // mapped cells (FPGA primitives) by type
  double synthesis_seconds = 0;
  std::string tool_version;  // "Yosys 0.23 (git sha1 ...)"
  // The mapped gate netlist (gate_netlist.h's text form) for the switching-activity power model; empty on FPGAs and
  // in results cached before netlists were kept.
  std::string netlist;
};

// Area and leakage of a count of cells of a liberty (cells not in it are an error).
struct CellCost {
  double area_um2 = 0;
  double leakage_nw = 0;
  int64_t cells = 0;
  int64_t flops = 0;
};
CellCost cost_cells(const std::map<std::string, int64_t>& counts, const std::map<std::string, LibertyCell>& cells);

// A printed technology's total power from its cells' leakage (Technology::power_per_leakage), mW.
double total_power_mw(const Technology& tech, double leakage_nw);

// FPGA primitives by what they are, from the mapped cell counts (Xilinx 7-series and iCE40 names).
struct FpgaResources {
  int64_t lut = 0;     // logic LUTs (LUT1..LUT6, SB_LUT4)
  int64_t ff = 0;      // flip-flops (FD*, SB_DFF*)
  int64_t carry = 0;   // carry-chain cells (CARRY4, SB_CARRY)
  int64_t dsp = 0;     // DSP blocks (DSP48E1, SB_MAC16)
  int64_t bram = 0;    // block RAMs (RAMB18E1/RAMB36E1 each one, SB_RAM40_4K)
  int64_t lutram = 0;  // LUTs as memory (SRL16E, SRLC32E, RAM32M, ...)
  int64_t muxf = 0;    // wide-function multiplexers (MUXF7, MUXF8)
  int64_t other = 0;   // anything else (INV, constants)
};
FpgaResources fpga_resources(const std::map<std::string, int64_t>& cell_counts);

// The Verilog files of a PE's RTL top (its folder and rtl/common), sorted.
std::vector<std::string> rtl_sources(const pe::PeInstance& pe);

// Verilog to synthesize: its files, top module and parameter overrides; `label` names it in errors.
struct VerilogDesign {
  std::vector<std::string> sources;
  std::string top_module;
  std::map<std::string, int64_t> parameters;
  std::string label;
};

// Synthesizes a design with a technology's flow. Throws std::runtime_error with Yosys's last lines when synthesis
// fails, takes longer than `timeout_seconds` or needs more than 8 GiB.
SynthesisResult synthesize_verilog(const VerilogDesign& design, const Technology& tech, int timeout_seconds = 600);

// Synthesizes the PE's RTL with its Verilog parameters (synthesize_verilog). Throws std::runtime_error with Yosys's
// last lines when synthesis fails, takes longer than `timeout_seconds` or needs more than 8 GiB.
SynthesisResult synthesize(const pe::PeInstance& pe, const Technology& tech, int timeout_seconds = 600);

// The whole text of a file ("" when it cannot be read).
std::string read_text_file(const std::string& path);
// The last `count` lines of a tool's log (each with its leading newline), for error messages.
std::string last_lines(const std::string& text, int count);

// Parses a Yosys log of a cell technology's flow (exposed for tests).
SynthesisResult parse_synthesis_log(const std::string& log, const std::string& top_module, const std::string& liberty);

// Parses a Yosys log of an FPGA flow: the last `stat`'s cell counts (exposed for tests). Throws when it has none.
SynthesisResult parse_fpga_log(const std::string& log);

}  // namespace pesim::cost
