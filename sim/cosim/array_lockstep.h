// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "models/array/arch.h"
#include "rtl/rtl_array.h"
#include "sim/cycle/systolic_engine.h"

namespace pesim::cosim {

// The cycle engine and a Verilated RTL array run in lockstep: on every clock edge of the engine the RTL array takes
// the same fold's inputs at its edges (the memories' side: the stationary words, the streamed rows and the partial
// sums it produced itself on the previous fold), and the outputs both produce on that edge are compared, word and
// cycle.
struct ArrayLockstepReport {
  int64_t cycles = 0;  // clock edges, equal for both
  int64_t folds = 0;
  int64_t outputs_expected = 0;               // ws, is: M x N per fold along K; os: M x N
  int64_t outputs_compared = 0;               // outputs the engine produced (all folds)
  int64_t value_mismatches = 0;               // same output on the same edge, different words
  int64_t cycle_mismatches = 0;               // an output on an edge where the other side had none (or another one)
  int64_t chain_mismatches = 0;               // engine results that differ from the functional chains (pe_chain_gemm)
  std::vector<std::string> first_mismatches;  // up to kMaxReportedMismatches, in order
  double seconds = 0;
  bool passed() const {
    return outputs_compared == outputs_expected && value_mismatches == 0 && cycle_mismatches == 0 &&
           chain_mismatches == 0;
  }
};

inline constexpr size_t kMaxReportedMismatches = 10;

// The array's RTL parameters as pesim derives them from the architecture (what rtl/verilated_arrays.txt must state).
std::string array_top_module(const array::ArchSpec& arch);
std::map<std::string, int64_t> array_rtl_parameters(const array::ArchSpec& arch);

// The verilated array of this architecture. Throws std::invalid_argument naming the architecture and the arrays the
// build has when there is none.
const rtl::VerilatedArrayConfig& find_array_rtl(const array::ArchSpec& arch);

// Runs the GEMM's operation words through the engine with `rtl` in lockstep.
ArrayLockstepReport run_array_lockstep(const array::ArchSpec& arch, const rtl::VerilatedArrayConfig& rtl,
                                       const cycle::GemmWords& gemm);

}  // namespace pesim::cosim
