// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <cstdint>
#include <string>

#include "models/cost/technology.h"

namespace pesim::cost {

// An on-chip memory to cost: capacity, the width of one access and the number of independent banks (each bank holds
// capacity / banks and is reached by its own port; one access uses one bank).
struct SramRequest {
  int64_t capacity_bytes = 0;  // > 0; rounded up to whole words
  int word_bits = 64;          // bits per access, > 0
  int banks = 1;               // >= 1
};

// What the memory costs in a technology. Every figure's origin is models/cost/README.md's "SRAM model".
struct SramCost {
  bool viable = true;          // false: the technology has no SRAM (printed EGFET); the figures are the register
                               // file it would take instead (see `note`)
  double area_um2 = 0;         // macros (or cells) of all banks
  double read_energy_pj = 0;   // one access of word_bits, routing included; 0 where not modeled (`note`)
  double write_energy_pj = 0;  // likewise
  double leakage_nw = 0;       // whole memory
  int64_t macros = 0;          // CMOS: compiled macros instantiated (banks x deep x wide)
  int macro_words = 0;         // CMOS: words of one macro
  int macro_bits = 0;          // CMOS: bits per word of one macro
  double route_energy_pj = 0;  // CMOS: the part of each access spent on the wires between macros (in the energies)
  // FPGA block RAMs (all other figures 0): Xilinx RAMB36E1/RAMB18E1 or iCE40 SB_RAM40_4K.
  int64_t bram36 = 0, bram18 = 0, ice40_ebr = 0;
  std::string model;  // the model and its source, one line
  std::string note;   // why something is not applicable, or a warning
};

// The memory in a technology. Throws std::invalid_argument on a capacity, word width or bank count out of range
// (naming it) and for a technology without a memory model.
SramCost sram_cost(const SramRequest& request, const Technology& tech);

// DRAM access energy per byte moved, technology-independent (off chip): 1.3 nJ per 64-bit access, the low end of
// Horowitz's 1.3-2.6 nJ (M. Horowitz, "Computing's energy problem (and what we can do about it)", ISSCC 2014,
// pp. 10-14), i.e. 20.3 pJ/bit.
constexpr double kDramEnergyPerByte_pj = 1300.0 / 8.0;

// Capacitance of an on-chip wire per um (repeated global/semi-global wires stay near 0.2 fF/um across nodes: R. Ho,
// K. Mai, M. Horowitz, "The future of wires", Proc. IEEE 89(4), 2001). Used for the wires between SRAM macros and
// between neighbouring PEs.
constexpr double kWireCapacitance_ff_per_um = 0.2;

// One compiled macro of a CMOS technology, words x bits with a column mux (rows = words / mux, columns = bits x
// mux): the fitted model itself, for checking it against the published macros. Throws std::invalid_argument for
// non-CMOS technologies or non-positive sizes.
struct SramMacro {
  double area_um2 = 0, write_through_pj = 0, read_pj = 0, write_pj = 0, leakage_nw = 0;
};
SramMacro sram_macro(const Technology& tech, int words, int bits, int column_mux);

// Supply voltage of a CMOS technology (its liberty's nom_voltage), volts; 0 for others.
double supply_voltage_v(const Technology& tech);

}  // namespace pesim::cost
