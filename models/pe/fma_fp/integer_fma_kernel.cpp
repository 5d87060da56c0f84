// SPDX-License-Identifier: Apache-2.0
#include "models/pe/fma_fp/integer_fma_kernel.h"

#include <algorithm>
#include <bit>
#include <climits>

#include "models/num/rounding.h"

namespace pesim::pe {

namespace {

using u128 = unsigned __int128;
constexpr num::FpEnv kRne{};

int bit_width_u128(u128 v) {
  const auto high = static_cast<uint64_t>(v >> 64);
  return high != 0 ? 64 + std::bit_width(high) : std::bit_width(static_cast<uint64_t>(v));
}

bool is_ieee_style(const num::FloatFormat& f) { return f.has_inf && f.has_nan && f.has_subnormal && !f.saturate; }

}  // namespace

IntegerFmaKernel::Term IntegerFmaKernel::decode_ieee(uint64_t word, const num::FloatFormat& f) {
  Term t;
  t.negative = ((word >> (f.exp_bits + f.man_bits)) & 1) != 0;
  const uint64_t exp_field = (word >> f.man_bits) & f.exp_field_max();
  const uint64_t mantissa = word & f.man_mask();
  if (exp_field == f.exp_field_max()) {
    t.kind = mantissa == 0 ? Kind::infinite : Kind::nan;
    return t;
  }
  t.sig = exp_field != 0 ? mantissa | (uint64_t{1} << f.man_bits) : mantissa;
  t.kind = t.sig == 0 ? Kind::zero : Kind::finite;
  t.lsb_exp = static_cast<int32_t>(std::max<uint64_t>(exp_field, 1)) - f.bias - f.man_bits;
  return t;
}

std::optional<IntegerFmaKernel> IntegerFmaKernel::make(const num::FloatFormat& in, const num::FloatFormat& acc,
                                                       bool approximate, int window_bits) {
  if (in.width_bits() > 16 || acc.width_bits() > 32) return std::nullopt;
  if (!is_ieee_style(acc)) return std::nullopt;
  IntegerFmaKernel k;
  k.m_in = in;
  k.m_acc = acc;
  k.m_approximate = approximate;
  k.m_window_bits = window_bits;
  k.m_precision_bits = acc.man_bits + 1;
  k.m_product_slot_bits = 2 * (in.man_bits + 1);
  k.m_min_top = (1 - acc.bias - acc.man_bits) + k.m_precision_bits - 1;
  k.m_nan_word =
      approximate ? k.pack(false, acc.exp_field_max(), uint64_t{1} << (k.m_precision_bits - 2)) : acc.canonical_nan();
  k.m_operand_mask = (uint64_t{1} << in.width_bits()) - 1;
  // bf16, fp16: decoded from their fields (a 16-bit table would not stay in cache); other formats by a table.
  k.m_in_is_ieee_style = is_ieee_style(in) && in.width_bits() > 8;
  if (k.m_in_is_ieee_style) return k;
  k.m_operands.resize(size_t{1} << in.width_bits());
  for (uint64_t word = 0; word <= k.m_operand_mask; ++word) {
    const num::ExactValue v = num::decode_float(in, word, kRne);
    Term& t = k.m_operands[word];
    t.negative = v.negative;
    t.kind = v.is_nan() ? Kind::nan : v.is_inf() ? Kind::infinite : v.is_zero() ? Kind::zero : Kind::finite;
    if (t.kind == Kind::finite) {
      t.sig = static_cast<uint64_t>(v.sig);
      t.lsb_exp = v.exp;
    }
  }
  return k;
}

uint64_t IntegerFmaKernel::pack(bool negative, uint64_t exp_field, uint64_t sig) const {
  if (m_approximate) {  // [sign | exp field | P-bit significand, leading bit explicit]
    return (uint64_t{negative} << (m_acc.exp_bits + m_precision_bits)) | (exp_field << m_precision_bits) | sig;
  }
  return (negative ? m_acc.sign_mask() : 0) | (exp_field << m_acc.man_bits) | (sig & m_acc.man_mask());
}

IntegerFmaKernel::Term IntegerFmaKernel::partial_sum(uint64_t word) const {
  if (!m_approximate) return decode_ieee(word, m_acc);
  // The internal word: [sign | exp field | P-bit significand, leading bit explicit].
  Term t;
  const num::FloatFormat& f = m_acc;
  const int p = m_precision_bits;
  t.negative = ((word >> (f.exp_bits + p)) & 1) != 0;
  const uint64_t exp_field = (word >> p) & f.exp_field_max();
  t.sig = word & ((uint64_t{1} << p) - 1);
  if (exp_field == f.exp_field_max()) {
    t.kind = t.sig == 0 ? Kind::infinite : Kind::nan;
    return t;
  }
  t.kind = t.sig == 0 ? Kind::zero : Kind::finite;
  t.lsb_exp = static_cast<int32_t>(std::max<uint64_t>(exp_field, 1)) - f.bias - f.man_bits;
  return t;
}

// The numeric core's IEEE rules for an infinite or NaN operand or partial sum.
uint64_t IntegerFmaKernel::special(const Term& a, const Term& b, const Term& c) const {
  if (a.kind == Kind::nan || b.kind == Kind::nan || c.kind == Kind::nan) return m_nan_word;
  const bool product_infinite = a.kind == Kind::infinite || b.kind == Kind::infinite;
  const bool product_negative = a.negative != b.negative;
  if (product_infinite) {
    if (a.kind == Kind::zero || b.kind == Kind::zero) return m_nan_word;                // inf * 0
    if (c.kind == Kind::infinite && c.negative != product_negative) return m_nan_word;  // inf - inf
    return infinity(product_negative);
  }
  return infinity(c.negative);  // c infinite, the product finite
}

uint64_t IntegerFmaKernel::mac(uint64_t a_word, uint64_t b_word, uint64_t acc_word) const {
  const Term a = operand(a_word), b = operand(b_word);
  const Term c = partial_sum(acc_word);
  if (a.kind > Kind::finite || b.kind > Kind::finite || c.kind > Kind::finite) return special(a, b, c);
  const bool product_negative = a.negative != b.negative;
  const bool product_zero = a.kind == Kind::zero || b.kind == Kind::zero;
  if (product_zero && c.kind == Kind::zero) return zero(product_negative && c.negative);
  // The addends: (sig, lsb, sign); an absent (zero) one takes no part in the anchor either.
  const uint64_t product_sig = product_zero ? 0 : a.sig * b.sig;
  const int32_t product_lsb = a.lsb_exp + b.lsb_exp;
  const int32_t anchor = std::max(product_zero ? INT32_MIN : product_lsb + m_product_slot_bits - 1,
                                  c.kind == Kind::zero ? INT32_MIN : c.lsb_exp + m_precision_bits - 1);
  if (product_zero) return round_and_pack(c.negative, c.sig, c.lsb_exp, anchor);
  if (c.kind == Kind::zero) return round_and_pack(product_negative, product_sig, product_lsb, anchor);

  // Order the addends by MSB; `low` within reach of `high`'s LSB is added exactly, else as a one-unit sticky.
  struct Addend {
    uint64_t sig;
    int32_t lsb, msb;
    bool negative;
  };
  Addend high{product_sig, product_lsb, product_lsb + static_cast<int32_t>(std::bit_width(product_sig)) - 1,
              product_negative};
  Addend low{c.sig, c.lsb_exp, c.lsb_exp + static_cast<int32_t>(std::bit_width(c.sig)) - 1, c.negative};
  if (low.msb > high.msb) std::swap(high, low);
  const int32_t reach = m_precision_bits + 3;
  // Both addends as magnitudes in units of 2^sum_lsb, low's carrying the sign relative to high's (no data-dependent
  // branches: the signs and the gap are random in a cosim stimulus).
  const bool far = high.lsb - low.msb > reach;
  const int32_t sum_lsb = far ? high.lsb - reach : std::min(high.lsb, low.lsb);
  const __int128 h = static_cast<__int128>(high.sig) << (high.lsb - sum_lsb);
  const __int128 l_magnitude = far ? 1 : static_cast<__int128>(low.sig) << (low.lsb - sum_lsb);
  const __int128 sum = h + (high.negative == low.negative ? l_magnitude : -l_magnitude);
  // sum carries high's sign; a negative sum means low won (only when the MSBs tie).
  if (sum == 0) return zero(false);  // exact cancellation: +0 under round to nearest
  const bool negative = (sum < 0) != high.negative;
  const u128 magnitude = sum < 0 ? -static_cast<u128>(sum) : static_cast<u128>(sum);
  return round_and_pack(negative, magnitude, sum_lsb, anchor);
}

// |s| = magnitude * 2^lsb_exp (non-zero), rounded to the result's P bits at its top slot Q.
uint64_t IntegerFmaKernel::round_and_pack(bool negative, u128 magnitude, int32_t lsb_exp, int32_t anchor) const {
  // (The rounding below is num::round_increment's NearestEven rule written without branches.)
  const int p = m_precision_bits;
  const int32_t msb = lsb_exp + bit_width_u128(magnitude) - 1;
  int32_t top = msb;
  if (m_approximate && m_window_bits > 0 && msb <= anchor) top = std::max(msb, anchor - m_window_bits);
  top = std::max(top, m_min_top);
  const int32_t round_lsb = top - (p - 1);
  u128 sig = 0;
  if (round_lsb <= lsb_exp) {
    sig = magnitude << (lsb_exp - round_lsb);
  } else {
    const int dropped = round_lsb - lsb_exp;
    const int width = bit_width_u128(magnitude);
    bool half = false, below_half = false;
    if (dropped > width) {  // |s| below half an ULP
      below_half = true;
    } else if (dropped == width) {  // |s| in [ULP / 2, ULP)
      half = true;
      below_half = magnitude != (u128{1} << (width - 1));
    } else {
      sig = magnitude >> dropped;
      half = ((magnitude >> (dropped - 1)) & 1) != 0;
      below_half = dropped > 1 && (magnitude & ((u128{1} << (dropped - 1)) - 1)) != 0;
    }
    sig += static_cast<unsigned>(half & (below_half | ((sig & 1) != 0)));  // to nearest, ties to even
  }
  if (sig >> p) {
    sig >>= 1;
    ++top;
  }
  if (sig == 0) return zero(negative);
  const int64_t exp_field = int64_t{top} - (p - 1) + m_acc.bias + m_acc.man_bits;
  if (exp_field >= static_cast<int64_t>(m_acc.exp_field_max())) return infinity(negative);
  if (!m_approximate && top == m_min_top && (sig >> (p - 1)) == 0) return pack(negative, 0, static_cast<uint64_t>(sig));
  return pack(negative, static_cast<uint64_t>(exp_field), static_cast<uint64_t>(sig));
}

void IntegerFmaKernel::mac_n(const uint64_t* a, const uint64_t* b, const uint64_t* acc_in, uint64_t* acc_out,
                             size_t n) const {
  for (size_t i = 0; i < n; ++i) acc_out[i] = mac(a[i], b[i], acc_in[i]);
}

}  // namespace pesim::pe
