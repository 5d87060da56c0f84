// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <cstdint>
#include <string>

#include "models/array/arch.h"
#include "workloads/topology/topology.h"

namespace pesim::analytical {

// Whose conventions the counts follow. ScaleSim: SCALE-Sim v2's compute cycles, output-size rule for strided layers
// and utilization, so numbers compare one to one with its COMPUTE_REPORT (stall-free runs). Pesim: pesim's own
// schedule (below), which also accounts for the PE's timing.
enum class Convention : uint8_t { Pesim, ScaleSim };

// Bytes moved, by memory and operand.
struct Traffic {
  int64_t ifmap_read_bytes = 0, filter_read_bytes = 0, ofmap_read_bytes = 0, ofmap_write_bytes = 0;
  int64_t total() const { return ifmap_read_bytes + filter_read_bytes + ofmap_read_bytes + ofmap_write_bytes; }
};

struct LayerResult {
  std::string name;
  workloads::GemmDims dims;
  int64_t repeat = 1;
  int64_t folds = 0;  // ceil(Sr / R) * ceil(Sc / C)
  int64_t compute_cycles = 0, stall_cycles = 0;
  double utilization = 0;         // MACs / (total cycles * R * C)
  double mapping_efficiency = 0;  // Sr * Sc / (ceil(Sr/R) R * ceil(Sc/C) C): PEs holding work in a fold
  Traffic sram, dram;
  int64_t total_cycles() const { return compute_cycles + stall_cycles; }
};

// Bits per element the memories hold, per operand (a W4A8 array moves half-bytes of weights; a lane-packed PE's
// operand word holds several elements).
struct ElementBits {
  double activation = 8, weight = 8, output = 32;
};
ElementBits element_bits(const pe::PeInstance& pe);

// The engine's on-chip rule: `elements` of `element_bits` each (ceil to bytes) fit half of an SRAM of `sram_bytes`
// (the other half prefetches the next slice).
bool fits_half_sram(double elements, double element_bits, int64_t sram_bytes);

// One layer on the array, timing only (no values).
//
// Mapping: the layer's GEMM (M x K by K x N) puts two dimensions on the array and streams the third:
//   os: Sr = M rows, Sc = N columns, T = K;  ws: Sr = K, Sc = N, T = M;  is: Sr = K, Sc = M, T = N.
// Each of the ceil(Sr/R) * ceil(Sc/C) folds costs the same (a partial fold is a full one with idle PEs).
// ScaleSim: per fold 2R + C + T - 2 cycles (ws, is: R to load the stationary operand, then T streamed with the
//   skew over R and C) or R + C + T - 2 (os), and one cycle less over the layer: SCALE-Sim counts its last cycle's
//   index. These equal SCALE-Sim v2's Total Cycles when its run has no stall cycles.
// Pesim: the same mapping with the PE's timing. The reduction takes K' = ceil(K * (operations per MAC) / lanes)
//   operations (a lane-packed PE folds K fewer times; MixPE's DEQUANT adds one per group), streamed operands enter
//   II cycles apart, and L is the PE's latency. ws, is: R + R L + C_f + (T - 1) II - 1 cycles per fold (C_f the
//   columns the fold uses: a last, partial column fold ends earlier). os: (K' - 1) max(II, L) + R_f + C_f - 2 + L
//   (a PE accumulating in place waits for its pipeline). The cycle engine reproduces both edge for edge for the PEs
//   it maps (one MAC per operation, II = 1; os with L = 1). The layer's count is of cycles, not of the last cycle's
//   index.
// SRAM traffic: each fold reads its stationary operand once and streams the others; partial sums of a reduction
// split over several row folds (ws, is) are written and read back per fold. DRAM: of the two loop orders over the
// folds, the one that moves fewer bytes: an operand is read once when the slice the inner folds share fits half its
// SRAM (the other half prefetches), else as often as the SRAM reads it; partial sums spill when they do not fit.
LayerResult analyze_layer(const array::ArchSpec& arch, const workloads::LayerSpec& layer, Convention convention);

}  // namespace pesim::analytical
