// SPDX-License-Identifier: Apache-2.0
#include "models/pe/mixpe/mixpe_quantization.h"

#include <algorithm>
#include <cmath>

#include "models/num/arith.h"
#include "models/pe/mixpe/mixpe_core.h"

namespace pesim::pe {

namespace {

const num::FloatFormat kFp16 = num::FloatFormat::fp16();
const num::FloatFormat kFp32 = num::FloatFormat::fp32();

}  // namespace

double fp16_value(uint64_t word) { return num::to_double(num::decode_float(kFp16, word, {})); }

PeActivations quantize_activations(const std::vector<double>& a, int m, int k, bool fp16) {
  PeActivations act;
  act.words.resize(a.size());
  act.values.resize(a.size());
  act.row_scale.assign(static_cast<size_t>(m), 1.0);
  for (int row = 0; row < m; ++row) {
    double max_abs = 0;
    for (int col = 0; col < k; ++col) max_abs = std::max(max_abs, std::fabs(a[static_cast<size_t>(row) * k + col]));
    if (!fp16 && max_abs > 0) act.row_scale[row] = max_abs / 127;
    for (int col = 0; col < k; ++col) {
      const size_t i = static_cast<size_t>(row) * k + col;
      if (fp16) {
        act.words[i] = num::from_double(kFp16, a[i], {}).bits;
        act.values[i] = num::to_double(num::decode_float(kFp16, act.words[i], {}));
      } else {
        act.values[i] = std::clamp(std::nearbyint(a[i] / act.row_scale[row]), -128.0, 127.0);
        act.words[i] = static_cast<uint64_t>(static_cast<int64_t>(act.values[i])) & 0xff;
      }
    }
  }
  return act;
}

uint64_t group_activation_sum(const MixPeConfig& config, const PeActivations& act, size_t first, size_t last) {
  if (!config.act_fp16) {
    int64_t sum = 0;
    for (size_t i = first; i < last; ++i) sum += static_cast<int64_t>(act.values[i]);
    return static_cast<uint64_t>(sum) & ((uint64_t{1} << config.a_port_bits()) - 1);
  }
  uint64_t sum = 0;
  const uint64_t one = num::from_double(kFp16, 1.0, {}).bits;
  for (size_t i = first; i < last; ++i) sum = num::fma_mixed(kFp16, act.words[i], one, kFp32, sum, kFp32).bits;
  return sum;
}

GroupQuantizedWeights GroupQuantizedWeights::shaped(int k, int n, int group_size, int w_bits, bool w_signed) {
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

void GroupQuantizedWeights::quantize(const std::vector<double>& w) {
  for (int row = 0; row < k; ++row) {
    for (int col = 0; col < n; ++col) {
      const size_t group = group_index(row, col);
      const double s = fp16_value(scale[group]);
      const double ratio = s == 0 ? 0 : std::nearbyint(w[static_cast<size_t>(row) * n + col] / s);
      const double clamped = std::clamp(ratio + static_cast<double>(zero_point[group]), static_cast<double>(q_min()),
                                        static_cast<double>(q_max()));
      q[static_cast<size_t>(row) * n + col] = static_cast<int64_t>(clamped);
    }
  }
}

double GroupQuantizedWeights::dequantized(int row, int col) const {
  const size_t group = group_index(row, col);
  return static_cast<double>(q[static_cast<size_t>(row) * n + col] - zero_point[group]) * fp16_value(scale[group]);
}

GroupQuantizedWeights quantize_min_max(const std::vector<double>& w, int k, int n, int group_size, int w_bits,
                                       bool w_signed) {
  GroupQuantizedWeights g = GroupQuantizedWeights::shaped(k, n, group_size, w_bits, w_signed);
  for (int group = 0; group < g.groups(); ++group) {
    for (int col = 0; col < n; ++col) {
      double lo = 0, hi = 0;  // the range always holds 0, so that 0 is exact
      for (int row = group * group_size; row < std::min(k, (group + 1) * group_size); ++row) {
        lo = std::min(lo, w[static_cast<size_t>(row) * n + col]);
        hi = std::max(hi, w[static_cast<size_t>(row) * n + col]);
      }
      const double levels = static_cast<double>(g.q_max());  // steps from min to max (unsigned) or 0 to max|w|
      const double span = w_signed ? std::max(-lo, hi) : hi - lo;
      // The fp16 scale, kept within fp16's positive finite range (tiny groups get the smallest subnormal).
      const double wanted = span > 0 ? std::clamp(span / levels, 0x1p-24, 65504.0) : 1.0;
      const uint64_t s = num::from_double(kFp16, wanted, {}).bits;
      const size_t index = static_cast<size_t>(group) * n + col;
      g.scale[index] = s;
      g.zero_point[index] = w_signed ? 0 : std::clamp<int64_t>(std::llround(-lo / fp16_value(s)), 0, g.q_max());
    }
  }
  g.quantize(w);
  return g;
}

}  // namespace pesim::pe
