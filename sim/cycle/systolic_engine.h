// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <cstdint>
#include <vector>

#include "models/array/arch.h"

namespace pesim::cycle {

// Operand words of one GEMM Y = A * B for the array's PE: A (M x K) activations in a words, B (K x N) weights in b
// words, both row-major.
struct GemmWords {
  int64_t m = 0, n = 0, k = 0;
  std::vector<uint64_t> a, b;
};

struct CycleRun {
  std::vector<uint64_t> y;  // M x N result words (the PE's finish() of each output's chain)
  int64_t cycles = 0;       // clock edges from the first weight load to the last output written
  int64_t folds = 0;
  int64_t mac_operations = 0;  // PE operations that computed (padding rows and columns excluded)
  double seconds = 0;          // wall time of the clock process
};

// The cycle-level engine: an R x C systolic array of the architecture's PE, clocked by SystemC with one process per
// rising edge over plain data (registers of all PEs in arrays, not a signal per PE), moving real operand words.
//
// ws (is): the stationary operand, B (A transposed), is loaded in R cycles per fold (a shift down the columns); the
// streamed operand enters row r skewed by r * L cycles (L = the PE's latency) and moves one column right per cycle;
// partial sums enter the top row from the output buffer (zero_acc() in the first row fold), pass down one PE per L
// cycles through each PE's pipeline and are written back from the bottom row. A row beyond K passes its partial sum
// on unchanged. Each output is thus a chain of K mac() steps in K order, exactly pe_chain_gemm's. A fold ends when
// its last output is written: R + R * L + C + T - 2 cycles (T streamed rows), equal to the analytical engine's
// count. Folds run one after another; the result words are finish() of the final partial sums.
// os: each PE keeps one output's partial sum (from zero_acc()) and takes reduction step k at k + r + c, a from the
// left, b from above; a fold ends with its last MAC, after R_f + C_f + K - 2 edges (R_f, C_f the rows and columns
// it uses), and its outputs are finish() of the accumulators. os needs a one-cycle PE (stages=1).
// The PE must do one MAC per operation with an initiation interval of 1 (mac_int, mac_fixed, fma_fp, dequant_fma,
// bitfusion with one lane): MixPE's group operations and multi-lane PEs are not mapped yet.
// Throws std::invalid_argument for an unsupported PE, or a pipelined PE in an os array.
CycleRun run_cycle_engine(const array::ArchSpec& arch, const GemmWords& gemm);

}  // namespace pesim::cycle
