// SPDX-License-Identifier: Apache-2.0
// Seeded operand generators in the spirit of TestFloat: random patterns mixed with the encodings where
// arithmetic goes wrong (zeros, subnormals, the largest values, NaN and infinity, all-ones mantissas) and
// operands whose exponents are close enough to cancel.
#pragma once
#include <cstdint>
#include <random>

#include "models/num/float_format.h"

namespace pesim::test {

class FloatVectorGenerator {
 public:
  FloatVectorGenerator(const num::FloatFormat& fmt, uint64_t seed) : m_fmt(fmt), m_rng(seed) {}

  uint64_t any() {
    switch (m_rng() % 4) {
      case 0:
        return random_bits();
      default:
        return structured();
    }
  }
  // An operand whose exponent is within +-3 of `near`'s, for cancellation in add and fma.
  uint64_t near(uint64_t near_bits) {
    const int64_t field = static_cast<int64_t>((near_bits >> m_fmt.man_bits) & m_fmt.exp_field_max());
    int64_t f = field + static_cast<int64_t>(m_rng() % 7) - 3;
    f = std::clamp<int64_t>(f, 0, static_cast<int64_t>(m_fmt.exp_field_max()));
    return pack(m_rng() & 1, static_cast<uint64_t>(f), mantissa());
  }
  // For fma: an addend near the product a * b in magnitude.
  uint64_t near_product(uint64_t a, uint64_t b) {
    const int64_t ea = static_cast<int64_t>((a >> m_fmt.man_bits) & m_fmt.exp_field_max()) - m_fmt.bias;
    const int64_t eb = static_cast<int64_t>((b >> m_fmt.man_bits) & m_fmt.exp_field_max()) - m_fmt.bias;
    int64_t f = ea + eb + m_fmt.bias + static_cast<int64_t>(m_rng() % 5) - 2;
    f = std::clamp<int64_t>(f, 0, static_cast<int64_t>(m_fmt.exp_field_max()));
    return pack(m_rng() & 1, static_cast<uint64_t>(f), mantissa());
  }
  uint64_t next_u64() { return m_rng(); }

 private:
  uint64_t random_bits() { return m_rng() & ((m_fmt.sign_mask() << 1) - 1); }
  uint64_t mantissa() {
    const uint64_t mask = m_fmt.man_mask();
    switch (m_rng() % 8) {
      case 0:
        return 0;
      case 1:
        return mask;
      case 2:
        return 1;
      case 3:
        return mask == 0 ? 0 : uint64_t{1} << (m_fmt.man_bits - 1);
      case 4:
        return mask & ~uint64_t{1};
      default:
        return m_rng() & mask;
    }
  }
  uint64_t structured() {
    const uint64_t top = m_fmt.exp_field_max();
    uint64_t field = 0;
    switch (m_rng() % 8) {
      case 0:
        field = 0;
        break;
      case 1:
        field = 1;
        break;
      case 2:
        field = top;
        break;
      case 3:
        field = top - 1;
        break;
      case 4:
        field = static_cast<uint64_t>(m_fmt.bias) & top;
        break;
      default:
        field = m_rng() & top;
        break;
    }
    return pack(m_rng() & 1, field, mantissa());
  }
  uint64_t pack(bool negative, uint64_t field, uint64_t mant) const {
    return (negative ? m_fmt.sign_mask() : 0) | (field << m_fmt.man_bits) | mant;
  }

  num::FloatFormat m_fmt;
  std::mt19937_64 m_rng;
};

}  // namespace pesim::test
