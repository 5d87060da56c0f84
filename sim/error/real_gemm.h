// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <string>
#include <vector>

#include "sim/error/error_command.h"

namespace pesim::error {

// The real-valued operands of Y = A * B that `pesim error` runs through a PE: A (M x K) and B (K x N) row-major,
// drawn from --dist/--scale/--seed in the --gemm or --zoo shape, or read from --npy files.
struct RealGemm {
  int m = 0, k = 0, n = 0;
  std::vector<double> a, b;
  std::string source;     // "normal (sd 1), seed 1" or the .npy paths
  std::string zoo_layer;  // the zoo layer the GEMM samples, if any
};

// Throws params::ParamError or workloads::NpyError (naming the option or file) on bad input.
RealGemm real_gemm_operands(const ErrorRequest& request);

}  // namespace pesim::error
