// SPDX-License-Identifier: Apache-2.0
#include "sim/error/group_quantization.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "models/num/arith.h"
#include "workloads/tensors/npy.h"

namespace pesim::error {

namespace {

const num::FloatFormat kFp16 = num::FloatFormat::fp16();

double fp16_value(uint64_t word) { return num::to_double(num::decode_float(kFp16, word, {})); }

int64_t q_min(const GroupQuantizedWeights& g) { return g.w_signed ? -(int64_t{1} << (g.w_bits - 1)) : 0; }
int64_t q_max(const GroupQuantizedWeights& g) {
  return g.w_signed ? (int64_t{1} << (g.w_bits - 1)) - 1 : (int64_t{1} << g.w_bits) - 1;
}

GroupQuantizedWeights shape(int k, int n, int group_size, int w_bits, bool w_signed) {
  GroupQuantizedWeights g;
  g.k = k;
  g.n = n;
  g.group_size = group_size;
  g.w_bits = w_bits;
  g.w_signed = w_signed;
  g.q.resize(static_cast<size_t>(k) * n);
  g.scale.resize(static_cast<size_t>(g.groups()) * n);
  g.zero_point.resize(g.scale.size());
  return g;
}

void quantize_values(const std::vector<double>& w, GroupQuantizedWeights& g) {
  for (int row = 0; row < g.k; ++row) {
    for (int col = 0; col < g.n; ++col) {
      const size_t group = g.group_index(row, col);
      const double s = fp16_value(g.scale[group]);
      const double ratio = s == 0 ? 0 : std::nearbyint(w[static_cast<size_t>(row) * g.n + col] / s);
      const double q = std::clamp(ratio + static_cast<double>(g.zero_point[group]), static_cast<double>(q_min(g)),
                                  static_cast<double>(q_max(g)));
      g.q[static_cast<size_t>(row) * g.n + col] = static_cast<int64_t>(q);
    }
  }
}

}  // namespace

double GroupQuantizedWeights::dequantized(int row, int col) const {
  const size_t group = group_index(row, col);
  return static_cast<double>(q[static_cast<size_t>(row) * n + col] - zero_point[group]) * fp16_value(scale[group]);
}

GroupQuantizedWeights quantize_min_max(const std::vector<double>& w, int k, int n, int group_size, int w_bits,
                                       bool w_signed) {
  GroupQuantizedWeights g = shape(k, n, group_size, w_bits, w_signed);
  for (int group = 0; group < g.groups(); ++group) {
    for (int col = 0; col < n; ++col) {
      double lo = 0, hi = 0;  // the range always holds 0, so that 0 is exact
      for (int row = group * group_size; row < std::min(k, (group + 1) * group_size); ++row) {
        lo = std::min(lo, w[static_cast<size_t>(row) * n + col]);
        hi = std::max(hi, w[static_cast<size_t>(row) * n + col]);
      }
      const double levels = static_cast<double>(q_max(g));  // steps from min to max (unsigned) or 0 to max|w|
      const double span = w_signed ? std::max(-lo, hi) : hi - lo;
      // The fp16 scale, kept within fp16's positive finite range (tiny groups get the smallest subnormal).
      const double wanted = span > 0 ? std::clamp(span / levels, 0x1p-24, 65504.0) : 1.0;
      const uint64_t s = num::from_double(kFp16, wanted, {}).bits;
      const size_t index = static_cast<size_t>(group) * n + col;
      g.scale[index] = s;
      g.zero_point[index] = w_signed ? 0 : std::clamp<int64_t>(std::llround(-lo / fp16_value(s)), 0, q_max(g));
    }
  }
  quantize_values(w, g);
  return g;
}

GroupQuantizedWeights quantize_with(const std::vector<double>& w, int k, int n, int group_size, int w_bits,
                                    bool w_signed, const std::string& scale_path, const std::string& zero_path) {
  GroupQuantizedWeights g = shape(k, n, group_size, w_bits, w_signed);
  const workloads::Tensor2d scales = workloads::read_npy(scale_path);
  const workloads::Tensor2d zeros = workloads::read_npy(zero_path);
  for (const auto& [tensor, path] : {std::pair{&scales, &scale_path}, std::pair{&zeros, &zero_path}}) {
    if (tensor->rows != g.groups() || tensor->cols != n) {
      throw std::runtime_error(fmt::format("{}: shape {}x{}, expected {}x{} (groups of {} along K={}, N={})", *path,
                                           tensor->rows, tensor->cols, g.groups(), n, group_size, k, n));
    }
  }
  for (size_t i = 0; i < g.scale.size(); ++i) {
    g.scale[i] = num::from_double(kFp16, scales.values[i], {}).bits;
    const double s = fp16_value(g.scale[i]);
    if (!(scales.values[i] > 0) || !std::isfinite(s) || s == 0) {
      throw std::runtime_error(
          fmt::format("{}: element {} (row {}, column {}): scale {} is not a positive value that "
                      "fp16 holds (6.0e-8 .. 65504)",
                      scale_path, i, i / n, i % n, scales.values[i]));
    }
    const double z = zeros.values[i];
    if (z != std::nearbyint(z) || z < static_cast<double>(q_min(g)) || z > static_cast<double>(q_max(g))) {
      throw std::runtime_error(
          fmt::format("{}: element {} (row {}, column {}): zero point {} is not an integer in [{}, {}]", zero_path, i,
                      i / n, i % n, z, q_min(g), q_max(g)));
    }
    g.zero_point[i] = static_cast<int64_t>(z);
  }
  quantize_values(w, g);
  return g;
}

}  // namespace pesim::error
