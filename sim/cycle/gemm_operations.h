// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <cstdint>
#include <vector>

#include "models/pe/pe.h"
#include "sim/cycle/systolic_engine.h"
#include "sim/error/pe_error.h"

namespace pesim::cycle {

// A real GEMM Y = A * B as the array's PE runs it.
struct GemmOperations {
  GemmWords words;                // operation words: each output is a chain of words.k operations
  error::GemmValues values;       // the quantized operands' values (in the PE's result units), for the exact reference
  std::vector<double> row_scale;  // real units per result unit, per row of Y (int8 activation scales; else 1)
};

// Operation words of Y = A * B (A: m x k, B: k x n, real values, row-major) for the PE:
//   one product per operation: A and B rounded to nearest into a and b words; words.k = k.
//   `lanes` products per operation (bitfusion): lanes consecutive reduction steps packed into each word, the last
//     word zero-padded; words.k = ceil(k / lanes).
//   a kind with its own mapping (IPeCore::map_gemm, e.g. MixPE's per-group DEQUANT operations): that mapping;
//     words.k = its operations per output.
// `threads` quantize rows side by side (the result does not depend on it).
GemmOperations gemm_operations(const pe::PeInstance& pe, const std::vector<double>& a, const std::vector<double>& b,
                               int64_t m, int64_t n, int64_t k, int threads = 1);

// Real operand values for a GEMM that has no tensors of its own: A (m x k) drawn from `seed`, B (k x n) from
// seed + 1, both normal with sd 1, row-major. `pesim sim --engine cycle` and the DSE's cycle evaluator draw layer i's
// from seed + 2 i, so the two run the same values. `threads` turn the generator's words into values side by side (the
// values do not depend on it).
struct RealOperands {
  std::vector<double> a, b;
};
RealOperands normal_operands(int64_t m, int64_t n, int64_t k, uint64_t seed, int threads = 1);
// The seed of layer `layer_index`'s operands in a run seeded with `run_seed` (the rule above, in one place).
constexpr uint64_t layer_operand_seed(uint64_t run_seed, size_t layer_index) { return run_seed + 2 * layer_index; }

}  // namespace pesim::cycle
