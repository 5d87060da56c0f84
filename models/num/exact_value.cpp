// SPDX-License-Identifier: Apache-2.0
#include "models/num/exact_value.h"

#include <cmath>
#include <limits>
#include <utility>

namespace pesim::num {

namespace {

constexpr int kAlignedMsb = 125;  // exact_add aligns the larger operand's MSB here, leaving room for a carry

u128 low_mask(int bits) { return bits >= 128 ? ~u128{0} : (u128{1} << bits) - 1; }

ExactValue nan_result(bool& invalid, bool raise) {
  invalid = invalid || raise;
  return ExactValue::nan();
}

int32_t top_exponent(const ExactValue& v) { return msb_index(v.sig) + v.exp; }

// Both operands finite and non-zero, sig < 2^125, no sticky.
ExactValue add_finite(const ExactValue& a, const ExactValue& b, RoundRule rule) {
  const ExactValue* x = &a;
  const ExactValue* y = &b;
  if (top_exponent(b) > top_exponent(a)) std::swap(x, y);
  const int x_shift = kAlignedMsb - msb_index(x->sig);
  const u128 xs = x->sig << x_shift;
  const int32_t exp = x->exp - x_shift;
  const int64_t gap = int64_t{exp} - y->exp;  // y is shifted right by gap (left if negative)
  u128 ys = 0;
  bool tail = false;
  if (gap <= 0) {
    ys = y->sig << -gap;  // y's top is not above x's, so this stays below 2^126
  } else if (gap >= 128) {
    tail = true;
  } else {
    ys = y->sig >> gap;
    tail = (y->sig & low_mask(static_cast<int>(gap))) != 0;
  }
  ExactValue r;
  r.kind = ExactValue::Kind::Finite;
  r.exp = exp;
  r.sticky = tail;
  if (x->negative == y->negative) {
    r.negative = x->negative;
    r.sig = xs + ys;
  } else if (tail) {
    // |y| lies strictly between ys and ys + 1 units, and |x| > |y| by at least 2^124 units: borrow one unit.
    r.negative = x->negative;
    r.sig = xs - ys - 1;
  } else if (xs >= ys) {
    r.negative = x->negative;
    r.sig = xs - ys;
  } else {
    r.negative = y->negative;
    r.sig = ys - xs;
  }
  if (r.sig == 0 && !r.sticky) return ExactValue::zero(rule == RoundRule::Down);
  return r;
}

}  // namespace

ExactValue ExactValue::zero(bool negative) {
  ExactValue v;
  v.negative = negative;
  return v;
}

ExactValue ExactValue::infinity(bool negative) {
  ExactValue v;
  v.kind = Kind::Infinite;
  v.negative = negative;
  return v;
}

ExactValue ExactValue::nan(bool signaling) {
  ExactValue v;
  v.kind = Kind::NaN;
  v.signaling = signaling;
  return v;
}

ExactValue ExactValue::finite(bool negative, u128 sig, int32_t exp) {
  if (sig == 0) return zero(negative);
  ExactValue v;
  v.kind = Kind::Finite;
  v.negative = negative;
  v.sig = sig;
  v.exp = exp;
  return v;
}

int msb_index(u128 v) {
  const auto high = static_cast<uint64_t>(v >> 64);
  if (high != 0) return 127 - __builtin_clzll(high);
  return 63 - __builtin_clzll(static_cast<uint64_t>(v));
}

RoundedMagnitude round_magnitude(const ExactValue& v, int32_t lsb_exp, RoundRule rule) {
  RoundedMagnitude r;
  const int64_t dropped = int64_t{lsb_exp} - v.exp;  // number of low bits of sig below the new unit
  bool half = false;
  bool below_half = v.sticky;
  if (dropped <= 0) {
    // A sticky tail above lsb_exp only occurs for values far outside the destination's range (see exact_add);
    // it is treated as lying just below the first kept bit.
    const int64_t shift = -dropped;
    r.overflowed_u128 = shift >= 128 || (shift > 0 && msb_index(v.sig) + shift >= 128);
    r.kept = shift >= 128 ? 0 : v.sig << shift;
  } else if (dropped > 128) {
    below_half = true;
  } else {
    const int d = static_cast<int>(dropped);
    r.kept = d == 128 ? 0 : v.sig >> d;
    half = ((v.sig >> (d - 1)) & 1) != 0;
    below_half = below_half || (v.sig & low_mask(d - 1)) != 0;
  }
  r.inexact = half || below_half;
  if (round_increment(rule, v.negative, (r.kept & 1) != 0, half, below_half)) ++r.kept;
  return r;
}

ExactValue exact_mul(const ExactValue& a, const ExactValue& b, bool& invalid) {
  if (a.is_nan() || b.is_nan()) return nan_result(invalid, a.signaling || b.signaling);
  const bool negative = a.negative != b.negative;
  if ((a.is_inf() && b.is_zero()) || (a.is_zero() && b.is_inf())) return nan_result(invalid, true);
  if (a.is_inf() || b.is_inf()) return ExactValue::infinity(negative);
  if (a.is_zero() || b.is_zero()) return ExactValue::zero(negative);
  return ExactValue::finite(negative, a.sig * b.sig, a.exp + b.exp);
}

ExactValue exact_add(const ExactValue& a, const ExactValue& b, RoundRule rule, bool& invalid) {
  if (a.is_nan() || b.is_nan()) return nan_result(invalid, a.signaling || b.signaling);
  if (a.is_inf() && b.is_inf() && a.negative != b.negative) return nan_result(invalid, true);
  if (a.is_inf()) return a;
  if (b.is_inf()) return b;
  if (a.is_zero() && b.is_zero()) {
    return ExactValue::zero(a.negative == b.negative ? a.negative : rule == RoundRule::Down);
  }
  if (a.is_zero()) return b;
  if (b.is_zero()) return a;
  return add_finite(a, b, rule);
}

ExactValue exact_fma(const ExactValue& a, const ExactValue& b, const ExactValue& c, RoundRule rule, bool& invalid) {
  // IEEE 754 leaves 0 * inf + quiet NaN's invalid flag to the implementation: pesim does as x86 does and raises
  // it only for signaling NaNs (RISC-V raises it always).
  if (a.is_nan() || b.is_nan() || c.is_nan()) return nan_result(invalid, a.signaling || b.signaling || c.signaling);
  const ExactValue product = exact_mul(a, b, invalid);
  if (product.is_nan()) return product;
  return exact_add(product, c, rule, invalid);
}

double to_double(const ExactValue& v) {
  if (v.is_nan()) return std::numeric_limits<double>::quiet_NaN();
  if (v.is_inf())
    return v.negative ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity();
  if (v.is_zero()) return v.negative ? -0.0 : 0.0;
  const double magnitude = std::ldexp(static_cast<double>(v.sig), v.exp);
  return v.negative ? -magnitude : magnitude;
}

}  // namespace pesim::num
