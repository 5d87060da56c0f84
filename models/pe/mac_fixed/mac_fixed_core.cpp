// SPDX-License-Identifier: Apache-2.0
#include "models/pe/mac_fixed/mac_fixed_core.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace pesim::pe {

MacFixedCore::MacFixedCore(const MacFixedConfig& config)
    : ExactMacCore(config.a_format, config.b_format, config.acc_format), m_config(config) {
  if (m_config.khot_terms > 0) m_khot_codes = enumerate_khot_codes();
  m_kernel = FixedMacKernel::make(config.a_format, config.b_format, config.acc_format, config.khot_terms,
                                  config.khot_terms > 0 ? khot_exp_bits() : 0);
}

uint64_t MacFixedCore::mac(uint64_t a, uint64_t b, uint64_t acc) const {
  return m_kernel ? m_kernel->mac(a, b, acc) : ExactMacCore::mac(a, b, acc);
}

void MacFixedCore::mac_n(const uint64_t* a, const uint64_t* b, const uint64_t* acc_in, uint64_t* acc_out,
                         size_t n) const {
  if (m_kernel && kernel_path() == KernelPath::fast) return m_kernel->mac_n(a, b, acc_in, acc_out, n);
  for (size_t i = 0; i < n; ++i) acc_out[i] = ExactMacCore::mac(a[i], b[i], acc_in[i]);
}

int MacFixedCore::khot_exp_bits() const {
  int bits = 1;
  while ((1 << bits) < m_config.b_format.width_bits) ++bits;
  return bits;
}

PortWidths MacFixedCore::widths() const {
  PortWidths w = ExactMacCore::widths();
  if (m_config.khot_terms > 0) w.b_bits = m_config.khot_terms * khot_term_bits();
  return w;
}

num::ExactValue MacFixedCore::b_value(uint64_t b) const {
  if (m_config.khot_terms == 0) return ExactMacCore::b_value(b);
  const int term_bits = khot_term_bits();
  const int exp_bits = khot_exp_bits();
  int64_t weight = 0;  // units of 2^-F_b; |weight| < K * 2^(2^exp_bits) fits: exp_bits <= 6 for W <= 62
  for (int k = 0; k < m_config.khot_terms; ++k) {
    const uint64_t term = b >> (k * term_bits);
    if (((term >> (exp_bits + 1)) & 1) == 0) continue;
    const int64_t power = int64_t{1} << (term & ((uint64_t{1} << exp_bits) - 1));
    weight += ((term >> exp_bits) & 1) ? -power : power;
  }
  const int32_t lsb_exp = m_config.b_format.lsb_exp();
  return num::ExactValue::finite(weight < 0, static_cast<num::u128>(weight < 0 ? -weight : weight), lsb_exp);
}

// Every weight of at most K terms, each value with its fewest-term encoding, sorted by value.
std::vector<MacFixedCore::KhotCode> MacFixedCore::enumerate_khot_codes() const {
  const int exp_bits = khot_exp_bits();
  const int exp_count = 1 << exp_bits;
  std::map<int64_t, uint64_t> codes{{0, 0}};
  std::vector<KhotCode> frontier{{0, 0}};
  for (int k = 0; k < m_config.khot_terms; ++k) {
    std::vector<KhotCode> next;
    for (const KhotCode& base : frontier) {
      for (int e = 0; e < std::min(exp_count, 40); ++e) {
        for (int negative = 0; negative < 2; ++negative) {
          const int64_t power = int64_t{1} << e;
          const int64_t value = base.value_lsbs + (negative ? -power : power);
          const uint64_t term = (uint64_t{1} << (exp_bits + 1)) | (uint64_t(negative) << exp_bits) | uint64_t(e);
          const uint64_t word = base.word | (term << (k * khot_term_bits()));
          if (codes.emplace(value, word).second) next.push_back({value, word});
        }
      }
    }
    frontier = std::move(next);
  }
  std::vector<KhotCode> sorted;
  for (const auto& [value, word] : codes) sorted.push_back({value, word});
  return sorted;
}

uint64_t MacFixedCore::quantize_b(double value) const {
  if (m_config.khot_terms == 0) return ExactMacCore::quantize_b(value);
  const double target = std::ldexp(value, -m_config.b_format.lsb_exp());  // in units of 2^-F_b
  auto above = std::lower_bound(m_khot_codes.begin(), m_khot_codes.end(), target,
                                [](const KhotCode& c, double t) { return static_cast<double>(c.value_lsbs) < t; });
  if (above == m_khot_codes.end()) return m_khot_codes.back().word;
  if (above == m_khot_codes.begin()) return above->word;
  const auto below = std::prev(above);
  // Ties go to the smaller magnitude.
  const double up = static_cast<double>(above->value_lsbs) - target;
  const double down = target - static_cast<double>(below->value_lsbs);
  if (up < down) return above->word;
  if (down < up) return below->word;
  return std::llabs(above->value_lsbs) < std::llabs(below->value_lsbs) ? above->word : below->word;
}

}  // namespace pesim::pe
