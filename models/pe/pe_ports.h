// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <cstdint>

namespace pesim::pe {

// Values on a PE's ports, the same for every kind (models/pe/pe.h; rtl/common/pe_pipeline.v): what the SystemC model
// (PePipeline) and the Verilated RTL (rtl::IRtlPe) take and give each clock edge.
struct PeInputs {
  bool rst = false;
  bool valid = false;
  uint64_t a = 0, b = 0, c = 0;
};
struct PeOutputs {
  bool valid = false;
  uint64_t acc = 0, result = 0;
  bool operator==(const PeOutputs&) const = default;
};

}  // namespace pesim::pe
