// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "models/pe/mixpe/mixpe_core.h"

namespace pesim::error {

// Activations as MixPE takes them. int8 (W4A8): per-token (row) symmetric quantization, a ~ a_int * row_scale;
// fp16 (W4A16): the nearest fp16 value, row_scale 1. `values` are the PE's activation values (integers or fp16).
struct PeActivations {
  std::vector<uint64_t> words;
  std::vector<double> values;
  std::vector<double> row_scale;
};

// A (m x k, row-major) quantized row by row.
PeActivations quantize_activations(const std::vector<double>& a, int m, int k, bool fp16);

// The group unit's A for activations [first, last) of `act`: an exact integer sum in the a port's width (int8), or
// fp32 additions in K order (fp16).
uint64_t group_activation_sum(const pe::MixPeConfig& config, const PeActivations& act, size_t first, size_t last);

}  // namespace pesim::error
