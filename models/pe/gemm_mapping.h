// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace pesim::pe {

// A GEMM Y = A * B (A: m x k, B: k x n, real values, row-major) as a PE kind runs it, for kinds where that is more
// than one rounded product per operation (IPeCore::map_gemm; MixPE: weights quantized per group, activations per
// token, a DEQUANT operation after each group's MACs). Every output is the chain of `ops` operations
// acc = mac(a_words[row * ops + op], b_words[op * n + col], acc) from zero_acc(), finished by finish().
struct GemmMapping {
  int64_t ops = 0;
  std::vector<uint64_t> a_words;  // m x ops
  std::vector<uint64_t> b_words;  // ops x n
  std::vector<int> macs_per_op;   // ops: the multiply-accumulates each operation carries (0: a DEQUANT)
  std::vector<double> a_values;   // m x k: the quantized operands' values, whose exact product the result
  std::vector<double> b_values;   // k x n:   approximates (in the result's units)
  std::vector<double> row_scale;  // m: real units per result unit (per-token activation scales; else 1)
  std::string layout;             // how the reduction is laid out, e.g. "K = 256 in groups of 128 (a DEQUANT ...)"
  std::string quantization;       // how the real operands were quantized

  // Whether operation `op` begins a group (the first, or the one after a DEQUANT).
  bool starts_group(int64_t op) const { return op == 0 || macs_per_op[static_cast<size_t>(op - 1)] == 0; }
};

}  // namespace pesim::pe
