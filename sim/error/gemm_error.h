// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <cstdint>
#include <vector>

#include "models/num/number_format.h"

namespace pesim::error {

// Y = A * B with A (M x K) and B (K x N) row-major, values already in their number format (raw bits).
struct GemmOperands {
  int m = 0, n = 0, k = 0;
  std::vector<uint64_t> a_bits, b_bits;
};

// How far a computed Y lies from the exact Y (exact real sum of the same quantized products).
struct GemmErrorStats {
  double max_relative_error = 0;  // over outputs whose exact value is non-zero
  double mean_relative_error = 0;
  double frobenius_relative_error = 0;  // ||Y - Y_exact||_F / ||Y_exact||_F
  int64_t nonfinite_outputs = 0;        // inf or NaN in Y
  int64_t exact_outputs = 0;            // outputs equal to the exact value
};

// Y as a chain of fused multiply-adds in K order from +0, one rounding per step, accumulator in `acc_fmt`
// (the dataflow of one output-stationary PE). Returns Y as doubles (exact: acc_fmt is at most fp64).
std::vector<double> fma_chain_gemm(const GemmOperands& ops, const num::NumberFormat& in_fmt,
                                   const num::NumberFormat& acc_fmt, const num::FpEnv& env);

// Error statistics of each computed Y (one per configuration) against the exact Y, summed exactly with MPFR.
std::vector<GemmErrorStats> measure_errors(const GemmOperands& ops, const num::NumberFormat& in_fmt,
                                           const std::vector<std::vector<double>>& computed);

}  // namespace pesim::error
