// SPDX-License-Identifier: Apache-2.0
#include "sim/analytical/vector_engine.h"

#include <algorithm>

namespace pesim::analytical {

namespace {

int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

}  // namespace

int64_t vector_passes(workloads::VectorKind kind) {
  switch (kind) {
    case workloads::VectorKind::RmsNorm:
      return 2;
    case workloads::VectorKind::LayerNorm:
    case workloads::VectorKind::Softmax:
      return 3;
    case workloads::VectorKind::Add:
    case workloads::VectorKind::Mul:
    case workloads::VectorKind::Relu:
    case workloads::VectorKind::Silu:
    case workloads::VectorKind::Gelu:
    case workloads::VectorKind::Rope:
      break;
  }
  return 1;
}

VectorResult analyze_vector_op(const array::ArchSpec& arch, const workloads::VectorOp& op) {
  VectorResult r;
  r.name = op.name;
  r.kind = op.kind;
  r.elements = op.elements;
  r.repeat = op.repeat;
  r.passes = vector_passes(op.kind);
  const int64_t beats = ceil_div(op.elements, arch.vector_lanes);
  r.compute_cycles = r.passes * beats;
  r.mapping_efficiency =
      static_cast<double>(op.elements) / (static_cast<double>(beats) * static_cast<double>(arch.vector_lanes));
  const int64_t inputs = workloads::vector_kind_info(op.kind).input_tensors;
  const int64_t tensor_bytes = ceil_div(op.elements * arch.vector_element_bits, 8);
  r.sram.ifmap_read_bytes = r.passes * inputs * tensor_bytes;
  r.sram.ofmap_write_bytes = tensor_bytes;
  r.dram.ifmap_read_bytes = inputs * tensor_bytes;
  r.dram.ofmap_write_bytes = tensor_bytes;
  const int64_t transfer_cycles = ceil_div(r.dram.total(), arch.dram_bytes_per_cycle);
  r.stall_cycles = std::max<int64_t>(0, transfer_cycles - r.compute_cycles);
  r.utilization = static_cast<double>(op.elements) * static_cast<double>(r.passes) /
                  (static_cast<double>(r.total_cycles()) * static_cast<double>(arch.vector_lanes));
  return r;
}

}  // namespace pesim::analytical
