// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace pesim::pe {

struct MixPeConfig;

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
uint64_t group_activation_sum(const MixPeConfig& config, const PeActivations& act, size_t first, size_t last);

// Weights W (K x N) quantized per group of G consecutive rows along K, per column: w ~ (q - z) * s, with q and z
// w_bits-bit integers and s an fp16 word (as MixPE and GPU W4A16 kernels store them).
struct GroupQuantizedWeights {
  int k = 0, n = 0, group_size = 128, w_bits = 4;
  bool w_signed = false;
  std::vector<int64_t> q;           // K x N
  std::vector<uint64_t> scale;      // groups x N, fp16 words
  std::vector<int64_t> zero_point;  // groups x N

  // Weights of this shape, every q, scale and zero point 0.
  static GroupQuantizedWeights shaped(int k, int n, int group_size, int w_bits, bool w_signed);
  int groups() const { return (k + group_size - 1) / group_size; }
  size_t group_index(int row, int col) const { return static_cast<size_t>(row / group_size) * n + col; }
  int64_t q_min() const { return w_signed ? -(int64_t{1} << (w_bits - 1)) : 0; }
  int64_t q_max() const { return w_signed ? (int64_t{1} << (w_bits - 1)) - 1 : (int64_t{1} << w_bits) - 1; }
  double dequantized(int row, int col) const;  // (q - z) * s, exact in a double
  // q = clamp(round(w / s) + z) for every weight, from the scales and zero points already set.
  void quantize(const std::vector<double>& w);
};

// Min-max quantization: unsigned weights take s = (max - min) / (2^w - 1) and z = round(-min / s) over each group;
// signed weights are symmetric, s = max|w| / (2^(w-1) - 1), z = 0. s is rounded to fp16 first, then
// q = clamp(round(w / s) + z).
GroupQuantizedWeights quantize_min_max(const std::vector<double>& w, int k, int n, int group_size, int w_bits,
                                       bool w_signed);

// The fp16 word's value.
double fp16_value(uint64_t word);

}  // namespace pesim::pe
