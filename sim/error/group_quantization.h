// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace pesim::error {

// Weights W (K x N) quantized per group of G consecutive rows along K, per column: w ~ (q - z) * s, with q and z
// w_bits-bit integers and s an fp16 word (as MixPE and GPU W4A16 kernels store them).
struct GroupQuantizedWeights {
  int k = 0, n = 0, group_size = 128, w_bits = 4;
  bool w_signed = false;
  std::vector<int64_t> q;           // K x N
  std::vector<uint64_t> scale;      // groups x N, fp16 words
  std::vector<int64_t> zero_point;  // groups x N

  int groups() const { return (k + group_size - 1) / group_size; }
  size_t group_index(int row, int col) const { return static_cast<size_t>(row / group_size) * n + col; }
  double dequantized(int row, int col) const;  // (q - z) * s, exact in a double
};

// Min-max quantization: unsigned weights take s = (max - min) / (2^w - 1) and z = round(-min / s) over each group;
// signed weights are symmetric, s = max|w| / (2^(w-1) - 1), z = 0. s is rounded to fp16 first, then
// q = clamp(round(w / s) + z).
GroupQuantizedWeights quantize_min_max(const std::vector<double>& w, int k, int n, int group_size, int w_bits,
                                       bool w_signed);

// Quantization with user-given scales and zero points (each groups x N: real scales, integer zero points); q as
// above. Throws std::runtime_error naming the file on a shape mismatch or a zero point out of range.
GroupQuantizedWeights quantize_with(const std::vector<double>& w, int k, int n, int group_size, int w_bits,
                                    bool w_signed, const std::string& scale_path, const std::string& zero_path);

}  // namespace pesim::error
