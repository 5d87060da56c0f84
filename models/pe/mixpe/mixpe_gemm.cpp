// SPDX-License-Identifier: Apache-2.0
// MixPE's GEMM mapping: activations per token, weights min-max per group of G along K, and after each group's MACs
// its DEQUANT operation (the activation-edge group unit's sum of the group's activations in a, {1, s, z} in b).
#include <algorithm>
#include <string>

#include "models/pe/mixpe/mixpe_core.h"
#include "models/pe/mixpe/mixpe_quantization.h"

namespace pesim::pe {

std::optional<GemmMapping> MixPeCore::map_gemm(const std::vector<double>& a, const std::vector<double>& b, int64_t m,
                                               int64_t n, int64_t k) const {
  const MixPeConfig& c = m_config;
  const PeActivations act = quantize_activations(a, static_cast<int>(m), static_cast<int>(k), c.act_fp16);
  const GroupQuantizedWeights w =
      quantize_min_max(b, static_cast<int>(k), static_cast<int>(n), c.group_size, c.w_bits, c.w_signed);
  const int64_t groups = w.groups();
  GemmMapping g;
  g.ops = k + groups;
  g.a_words.resize(static_cast<size_t>(m * g.ops));
  g.b_words.resize(static_cast<size_t>(g.ops * n));
  g.macs_per_op.assign(static_cast<size_t>(g.ops), 1);
  g.a_values = act.values;
  g.b_values.resize(b.size());
  g.row_scale = act.row_scale;
  g.layout = "K = " + std::to_string(k) + " in groups of " + std::to_string(c.group_size) +
             " (a DEQUANT operation after each)";
  g.quantization = "weights min-max per group, activations per token";
  for (int64_t group = 0; group < groups; ++group) {
    const int64_t first = group * c.group_size, last = std::min(k, first + c.group_size);
    const int64_t dequant_op = last + group;  // after the group's MACs and the earlier groups' DEQUANTs
    g.macs_per_op[static_cast<size_t>(dequant_op)] = 0;
    for (int64_t row = 0; row < m; ++row) {
      for (int64_t p = first; p < last; ++p) {
        g.a_words[static_cast<size_t>(row * g.ops + p + group)] = act.words[static_cast<size_t>(row * k + p)];
      }
      g.a_words[static_cast<size_t>(row * g.ops + dequant_op)] =
          group_activation_sum(c, act, static_cast<size_t>(row * k + first), static_cast<size_t>(row * k + last));
    }
    for (int64_t col = 0; col < n; ++col) {
      for (int64_t p = first; p < last; ++p) {
        const size_t i = static_cast<size_t>(p * n + col);
        g.b_words[static_cast<size_t>((p + group) * n + col)] = mac_b(static_cast<uint64_t>(w.q[i]));
        g.b_values[i] = w.dequantized(static_cast<int>(p), static_cast<int>(col));
      }
      const size_t gi = w.group_index(static_cast<int>(first), static_cast<int>(col));
      g.b_words[static_cast<size_t>(dequant_op * n + col)] =
          dequant_b(w.scale[gi], static_cast<uint64_t>(w.zero_point[gi]));
    }
  }
  return g;
}

}  // namespace pesim::pe
