// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <cstdint>
#include <vector>

#include "models/array/arch.h"
#include "sim/cycle/array_observer.h"

namespace pesim::cycle {

// Operation words of one GEMM Y = A * B for the array's PE: each output is a chain of k operations, the i-th taking
// a word i of its row of `a` (M x k) and word i of its column of `b` (k x N), both row-major. For a PE doing one
// product per operation these are A's and B's operand words and k is the GEMM's K; gemm_operations() builds them
// for multi-lane PEs and MixPE (whose chains interleave DEQUANT operations).
struct GemmWords {
  int64_t m = 0, n = 0, k = 0;
  std::vector<uint64_t> a, b;
};

struct CycleRun {
  std::vector<uint64_t> y;   // M x N result words (the PE's finish() of each output's chain)
  int64_t cycles = 0;        // compute: clock edges of the folds, from each first weight load to its last output
  int64_t stall_cycles = 0;  // edges the array waited for DRAM (CycleOptions::dram_bytes)
  int64_t folds = 0;
  int64_t mac_operations = 0;  // PE operations that computed (padding rows and columns excluded)
  double seconds = 0;          // wall time of the folds' simulation (clock process and SystemC kernel)
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
// The PE must take an operation every cycle (initiation interval 1: MixPE's serial datapath is not mapped).
// Throws std::invalid_argument for an unsupported PE, or a pipelined PE in an os array.
struct CycleOptions {
  IArrayObserver* observer = nullptr;  // sees every fold and every clock edge
  // The layer's DRAM traffic (bytes, both directions). It streams at the architecture's dram_bytes_per_cycle, an
  // equal share per fold, into the double-buffered SRAMs; a fold starts when its share has arrived and the previous
  // fold has ended, the array idling meanwhile (those cycles are counted, not clocked: nothing happens on them). 0:
  // operands are on chip, no stalls. Against the analytical engine's stalls, which assume the whole layer's transfer
  // overlaps its compute (max(0, transfer - compute)), this adds the wait for the first fold's share and any fold whose
  // share takes longer than the fold before it computes: never fewer cycles in total, at most one share's transfer time
  // plus the longest fold more.
  int64_t dram_bytes = 0;
  // Threads for ws/is arrays: that many independent column blocks run side by side (StationaryArray's lanes). Every
  // result is the one-thread run's; an observer runs one. os arrays run on one.
  int threads = 1;
};
// The largest layer (MACs) that `pesim sim --engine cycle` and the DSE's cycle evaluator run unless told otherwise:
// the engine's run time grows with a layer's MACs (results/bench/engines.md: 5e8 MACs per second on a 32x32 int8
// array, 2e7 on an fp16 one; smaller arrays simulate fewer MACs per second).
constexpr int64_t kDefaultMaxLayerMacs = int64_t{1} << 28;

// What the engine's run time grows with besides MACs: it clocks every PE of the array on every edge, so a small layer
// on a huge array (64^3 MACs on 4096 x 4096 PEs: 2e11 PE steps) costs as much as a huge layer. A layer is refused
// when either its MACs or rows x cols x its compute cycles pass the limit; the message says which and why.
// Empty when the layer is within `max_pe_steps`.
std::string cycle_engine_refusal(const std::string& layer, int64_t macs, int64_t rows, int64_t cols,
                                 int64_t compute_cycles, int64_t max_pe_steps);

CycleRun run_cycle_engine(const array::ArchSpec& arch, const GemmWords& gemm, const CycleOptions& options = {});

}  // namespace pesim::cycle
