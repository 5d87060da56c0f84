// SPDX-License-Identifier: Apache-2.0
#include "sim/error/mixpe_operands.h"

#include <algorithm>
#include <cmath>

#include "models/num/arith.h"

namespace pesim::error {

namespace {
const num::FloatFormat kFp16 = num::FloatFormat::fp16();
const num::FloatFormat kFp32 = num::FloatFormat::fp32();
}  // namespace

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

uint64_t group_activation_sum(const pe::MixPeConfig& config, const PeActivations& act, size_t first, size_t last) {
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

}  // namespace pesim::error
