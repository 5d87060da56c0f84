// SPDX-License-Identifier: Apache-2.0
#include "models/pe/mac_fixed/fixed_mac_kernel.h"

#include <algorithm>
#include <bit>
#include <type_traits>

#include "models/num/rounding.h"

namespace pesim::pe {

namespace {

using u128 = unsigned __int128;

uint64_t width_mask(int bits) { return bits >= 64 ? ~uint64_t{0} : (uint64_t{1} << bits) - 1; }

int64_t extend(uint64_t word, int bits, bool is_signed) {
  const int unused = 64 - bits;
  return is_signed ? static_cast<int64_t>(word << unused) >> unused : static_cast<int64_t>(word & width_mask(bits));
}

// Two's complement of (negative ? -magnitude : magnitude) in `bits` bits, as num::wrap_twos_complement.
uint64_t wrap(u128 magnitude, bool negative, int bits) {
  const uint64_t low = static_cast<uint64_t>(magnitude);
  return (negative ? ~low + 1 : low) & width_mask(bits);
}

}  // namespace

std::optional<FixedMacKernel> FixedMacKernel::make(const num::FixedFormat& a, const num::FixedFormat& b,
                                                   const num::FixedFormat& acc, int khot_terms, int khot_exp_bits) {
  FixedMacKernel k;
  k.m_a_bits = a.width_bits;
  k.m_b_bits = b.width_bits;
  k.m_a_signed = a.is_signed;
  k.m_b_signed = b.is_signed;
  k.m_khot_terms = khot_terms;
  k.m_khot_exp_bits = khot_exp_bits;
  k.m_acc = acc;
  // Magnitude bits of |a|, |b| (a K-hot weight: K * 2^(2^exp_bits - 1)) and |c|.
  const int a_magnitude_bits = a.width_bits;
  int b_magnitude_bits = b.width_bits;
  if (khot_terms > 0) {  // |weight| <= K * 2^(2^exp_bits - 1), summed in int64
    if (khot_exp_bits > 5 || khot_terms > 64) return std::nullopt;
    b_magnitude_bits = (1 << khot_exp_bits) + std::bit_width(static_cast<unsigned>(khot_terms));
  }
  const int product_lsb = a.lsb_exp() + b.lsb_exp();
  const int lsb = std::min(product_lsb, acc.lsb_exp());
  k.m_product_shift = product_lsb - lsb;
  k.m_acc_shift = acc.lsb_exp() - lsb;
  const int product_bits = a_magnitude_bits + b_magnitude_bits + k.m_product_shift;
  const int acc_bits = acc.width_bits + k.m_acc_shift;
  const int sum_bits = std::max(product_bits, acc_bits) + 1;  // magnitude bits of the exact sum
  if (sum_bits > 126 || acc.width_bits > 62) return std::nullopt;
  k.m_sum_fits_int64 = sum_bits <= 62;
  k.m_rule = num::rounding_rule(acc.quantization);
  k.m_max_positive = acc.is_signed ? width_mask(acc.width_bits - 1) : width_mask(acc.width_bits);
  k.m_max_negative = !acc.is_signed                          ? 0
                     : acc.overflow == num::Overflow::SatSym ? k.m_max_positive
                                                             : u128{1} << (acc.width_bits - 1);
  return k;
}

int64_t FixedMacKernel::b_raw(uint64_t b) const {
  if (m_khot_terms == 0) return extend(b, m_b_bits, m_b_signed);
  const int term_bits = 2 + m_khot_exp_bits;
  const uint64_t exp_mask = width_mask(m_khot_exp_bits);
  int64_t weight = 0;
  for (int k = 0; k < m_khot_terms; ++k) {  // branch-free: the enable and sign bits are data
    const uint64_t term = b >> (k * term_bits);
    const int64_t enabled = -static_cast<int64_t>((term >> (m_khot_exp_bits + 1)) & 1);  // all ones or 0
    const int64_t negative = -static_cast<int64_t>((term >> m_khot_exp_bits) & 1);
    const int64_t power = int64_t{1} << (term & exp_mask);
    weight += ((power ^ negative) - negative) & enabled;
  }
  return weight;
}

template <typename Int>
Int FixedMacKernel::round_twos_complement(Int x) const {
  const int d = m_acc_shift;
  if (d == 0) return x;
  const Int half = Int{1} << (d - 1);
  const Int floor = x >> d;  // arithmetic shift: toward -infinity
  const Int rest = x & ((Int{1} << d) - 1);
  const Int negative = x < 0;  // 0 or 1; the sign is data-dependent, so no branches on it
  switch (m_rule) {
    case num::RoundRule::Down:
      return floor;
    case num::RoundRule::Up:
      return floor + (rest != 0);
    case num::RoundRule::TowardZero:
      return floor + (negative & (rest != 0));
    case num::RoundRule::NearestTiesUp:
      return (x + half) >> d;
    case num::RoundRule::NearestTiesDown:
      return (x + half - 1) >> d;
    case num::RoundRule::NearestAway:
      return (x + half - negative) >> d;
    case num::RoundRule::NearestTiesZero:
      return (x + half - 1 + negative) >> d;
    case num::RoundRule::NearestEven:
      return floor + ((rest > half) | ((rest == half) & (floor & 1)));
  }
  return floor;
}

template <typename Int>
uint64_t FixedMacKernel::convert(Int x) const {
  using Unsigned = std::conditional_t<std::is_same_v<Int, int64_t>, uint64_t, u128>;
  // The common case first: the sum rounded in two's complement (each rule as a value function, the same value the
  // sign-magnitude steps below give); in range, the raw word is its low bits. Out of range: the general steps.
  const Int rounded = round_twos_complement(x);
  if (rounded >= -static_cast<Int>(m_max_negative) && rounded <= static_cast<Int>(m_max_positive)) {
    return static_cast<uint64_t>(rounded) & width_mask(m_acc.width_bits);
  }
  const bool x_negative = x < 0;
  const Unsigned magnitude = x_negative ? Unsigned{0} - static_cast<Unsigned>(x) : static_cast<Unsigned>(x);
  const int d = m_acc_shift;
  Unsigned kept = magnitude >> d;
  if (d > 0) {
    const Unsigned dropped = magnitude & ((Unsigned{1} << d) - 1);
    const bool half = ((dropped >> (d - 1)) & 1) != 0;
    const bool below_half = (dropped & ((Unsigned{1} << (d - 1)) - 1)) != 0;
    if (num::round_increment(m_rule, x_negative, (kept & 1) != 0, half, below_half)) ++kept;
  }
  const bool negative = x_negative && kept != 0;
  if (kept <= (negative ? m_max_negative : m_max_positive))
    return wrap(static_cast<u128>(kept), negative, m_acc.width_bits);
  const int w = m_acc.width_bits;
  switch (m_acc.overflow) {
    case num::Overflow::Sat:
      return negative ? (m_acc.is_signed ? uint64_t{1} << (w - 1) : 0) : static_cast<uint64_t>(m_max_positive);
    case num::Overflow::SatZero:
      return 0;
    case num::Overflow::SatSym:
      if (!m_acc.is_signed) return negative ? 0 : static_cast<uint64_t>(m_max_positive);
      return negative ? wrap(m_max_positive, true, w) : static_cast<uint64_t>(m_max_positive);
    case num::Overflow::Wrap:
      return wrap(static_cast<u128>(kept), negative, w);
    case num::Overflow::WrapSm: {
      const uint64_t wrapped = wrap(kept, negative, w);
      const uint64_t deleted_bit = static_cast<uint64_t>(x >> d >> w) & 1;  // bit W of floor(x / 2^d)
      const uint64_t kept_sign = (wrapped >> (w - 1)) & 1;
      if (kept_sign == deleted_bit) return wrapped;
      return (~wrapped & width_mask(w - 1)) | (deleted_bit << (w - 1));
    }
  }
  return wrap(static_cast<u128>(kept), negative, w);
}

template <typename Int>
uint64_t FixedMacKernel::mac_in(uint64_t a, uint64_t b, uint64_t acc) const {
  const Int product = static_cast<Int>(extend(a, m_a_bits, m_a_signed)) * static_cast<Int>(b_raw(b));
  const Int c = extend(acc, m_acc.width_bits, m_acc.is_signed);
  // Left shifts of negative values are multiplications by 2^shift (C++20), exact by make()'s bound.
  return convert<Int>((product << m_product_shift) + (c << m_acc_shift));
}

uint64_t FixedMacKernel::mac(uint64_t a, uint64_t b, uint64_t acc) const {
  return m_sum_fits_int64 ? mac_in<int64_t>(a, b, acc) : mac_in<__int128>(a, b, acc);
}

void FixedMacKernel::mac_n(const uint64_t* a, const uint64_t* b, const uint64_t* acc_in, uint64_t* acc_out,
                           size_t n) const {
  if (m_sum_fits_int64) {
    for (size_t i = 0; i < n; ++i) acc_out[i] = mac_in<int64_t>(a[i], b[i], acc_in[i]);
  } else {
    for (size_t i = 0; i < n; ++i) acc_out[i] = mac_in<__int128>(a[i], b[i], acc_in[i]);
  }
}

}  // namespace pesim::pe
