// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <string>
#include <vector>

#include "models/pe/mixpe/mixpe_quantization.h"

namespace pesim::error {

// MixPE's operand quantization lives with the kind (models/pe/mixpe/mixpe_quantization.h); the error analysis uses
// it under these names.
using pe::group_activation_sum;
using pe::GroupQuantizedWeights;
using pe::PeActivations;
using pe::quantize_activations;
using pe::quantize_min_max;

// Quantization with user-given scales and zero points (.npy files, each groups x N: real scales, integer zero
// points); q as quantize_min_max's. Throws std::runtime_error naming the file on a shape mismatch or a zero point out
// of range.
GroupQuantizedWeights quantize_with(const std::vector<double>& w, int k, int n, int group_size, int w_bits,
                                    bool w_signed, const std::string& scale_path, const std::string& zero_path);

}  // namespace pesim::error
