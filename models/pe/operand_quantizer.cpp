// SPDX-License-Identifier: Apache-2.0
#include "models/pe/operand_quantizer.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace pesim::pe {

namespace {

// A key whose unsigned order is the doubles' order (-0 just below +0): the sign bit set for positives, all bits
// flipped for negatives.
uint64_t order_key(double v) {
  const auto bits = std::bit_cast<uint64_t>(v);
  return (bits >> 63) != 0 ? ~bits : bits | (uint64_t{1} << 63);
}

constexpr int kBucketShift = 48;  // 2^16 buckets: sign, exponent and the top 4 fraction bits

}  // namespace

std::optional<OperandQuantizer> OperandQuantizer::make(const IPeCore& core, Port port, int word_bits) {
  if (word_bits < 1 || word_bits > 16) return std::nullopt;
  return OperandQuantizer(core, port, word_bits);
}

OperandQuantizer::OperandQuantizer(const IPeCore& core, Port port, int word_bits)
    : m_port(port), m_mask((uint64_t{1} << word_bits) - 1), m_values(size_t{1} << word_bits) {
  std::vector<std::pair<double, uint64_t>> finite;
  for (uint64_t word = 0; word < m_values.size(); ++word) {
    m_values[word] = num::to_double(port == Port::a ? core.a_value(word) : core.b_value(word));
    if (std::isfinite(m_values[word])) finite.emplace_back(m_values[word], word);
  }
  std::sort(finite.begin(), finite.end());
  for (const auto& [value, word] : finite) {
    if (!m_sorted.empty() && m_sorted.back() == value) {  // -0 and +0 compare equal too
      m_shared.back() = 1;
      continue;
    }
    m_sorted.push_back(value);
    m_word.push_back(word);
    m_shared.push_back(0);
  }
  // m_bucket_start[b]: how many sorted values have a key below bucket b's first key.
  m_bucket_start.resize((size_t{1} << (64 - kBucketShift)) + 1);
  size_t index = 0;
  for (size_t bucket = 0; bucket + 1 < m_bucket_start.size(); ++bucket) {
    while (index < m_sorted.size() && (order_key(m_sorted[index]) >> kBucketShift) < bucket) ++index;
    m_bucket_start[bucket] = static_cast<uint32_t>(index);
  }
  m_bucket_start.back() = static_cast<uint32_t>(m_sorted.size());
}

uint64_t OperandQuantizer::reference(double value, const IPeCore& core) const {
  return m_port == Port::a ? core.quantize_a(value) : core.quantize_b(value);
}

uint64_t OperandQuantizer::quantize(double value, const IPeCore& core) const {
  // Strictly inside the finite range (NaN fails both comparisons).
  // Zero too: its two keys straddle a bucket boundary.
  if (m_sorted.size() < 2 || !(value > m_sorted.front() && value < m_sorted.back()) || value == 0) {
    return reference(value, core);
  }
  // The values of keys below the value's bucket are below it and those from the next bucket on above it, so the
  // first value above it is within its bucket's range or is the next bucket's first.
  const uint64_t bucket = order_key(value) >> kBucketShift;
  const auto first = m_sorted.begin() + m_bucket_start[bucket], last = m_sorted.begin() + m_bucket_start[bucket + 1];
  const auto above = static_cast<size_t>(std::upper_bound(first, last, value) - m_sorted.begin());
  const size_t below = above - 1;
  const double midpoint = m_sorted[below] + (m_sorted[above] - m_sorted[below]) / 2;
  if (value == m_sorted[below] || value == midpoint) return reference(value, core);
  const size_t nearest = value < midpoint ? below : above;
  return m_shared[nearest] != 0 ? reference(value, core) : m_word[nearest];
}

}  // namespace pesim::pe
