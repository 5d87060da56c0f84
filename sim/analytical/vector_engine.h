// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <cstdint>
#include <string>

#include "models/array/arch.h"
#include "sim/analytical/analytical_engine.h"
#include "workloads/graph/operator_graph.h"

namespace pesim::analytical {

struct VectorResult {
  std::string name;
  workloads::VectorKind kind = workloads::VectorKind::Add;
  int64_t elements = 0;
  int64_t repeat = 1;
  int64_t passes = 0;
  int64_t compute_cycles = 0, stall_cycles = 0;
  double utilization = 0;         // element-passes / (total cycles * lanes)
  double mapping_efficiency = 0;  // elements / (ceil(elements / lanes) * lanes): lanes busy per beat
  Traffic sram, dram;             // inputs as ifmap reads, outputs as ofmap writes
  int64_t total_cycles() const { return compute_cycles + stall_cycles; }
};

// Passes over the data that each kind takes (one element per lane per cycle each pass; exp, sigmoid, tanh and rsqrt
// come from a pipelined special-function unit per lane, so they cost no extra pass):
//   add, mul, relu, silu, gelu, rope: 1 (RoPE's sin/cos tables, shared by all heads, are not counted);
//   rmsnorm: 2 (sum of squares of the row; scale by its rsqrt and the weight);
//   layernorm: 3 (mean; variance about it; normalize and apply weight and bias);
//   softmax: 3 (row maximum; sum of exp(x - max); exp(x - max) / sum, recomputed rather than stored).
int64_t vector_passes(workloads::VectorKind kind);

// One vector op, timing only:
//   compute cycles = passes * ceil(elements / vector_lanes);
//   SRAM: every pass reads each input tensor (add and mul read two), the last pass writes the output;
//   DRAM: each input tensor is read once and the output written once: the passes run row by row (a row is the hidden
//     size or the attention length, a few KiB), so a row stays in SRAM across them;
//   stall cycles: as for array layers, the DRAM transfer time (bytes / dram_bytes_per_cycle) beyond the compute.
// Elements are vector_element_bits wide. The vector unit and the array do not overlap: ops run one at a time in the
// graph's schedule, so a workload's cycles are the sum over its ops.
VectorResult analyze_vector_op(const array::ArchSpec& arch, const workloads::VectorOp& op);

}  // namespace pesim::analytical
