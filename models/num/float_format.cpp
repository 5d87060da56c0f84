// SPDX-License-Identifier: Apache-2.0
#include "models/num/float_format.h"

#include <algorithm>
#include <cmath>

namespace pesim::num {

namespace {

// Bit pattern and flags of a finite result that exceeded the largest finite value.
uint64_t overflow_result(const FloatFormat& fmt, bool negative, RoundRule rule, Flags& flags) {
  flags |= kFlagOverflow | kFlagInexact;
  const uint64_t sign = negative ? fmt.sign_mask() : 0;
  const bool toward_zero =
      rule == RoundRule::TowardZero || (rule == RoundRule::Up && negative) || (rule == RoundRule::Down && !negative);
  if (fmt.saturate || toward_zero) return sign | fmt.max_finite_magnitude();
  return fmt.has_inf ? sign | fmt.infinity_magnitude() : fmt.canonical_nan();
}

// IEEE tininess after rounding: the value, rounded to the format's precision with an unbounded exponent range,
// is below the smallest normal.
bool is_tiny_after_rounding(const FloatFormat& fmt, const ExactValue& v, int32_t value_exp, RoundRule rule) {
  const int32_t emin = fmt.min_normal_exp();
  if (value_exp >= emin) return false;
  if (value_exp < emin - 1) return true;
  const RoundedMagnitude r = round_magnitude(v, value_exp - fmt.man_bits, rule);
  return (r.kept >> (fmt.man_bits + 1)) == 0;
}

// A tiny value in a format without subnormals: the representable neighbours are 0 and the smallest normal.
uint64_t round_tiny_without_subnormals(const FloatFormat& fmt, const ExactValue& v, RoundRule rule) {
  const int32_t emin = fmt.min_normal_exp();
  const RoundedMagnitude r = round_magnitude(v, emin, rule);
  return r.kept == 0 ? 0 : uint64_t{1} << fmt.man_bits;
}

uint64_t encode_finite(const FloatFormat& fmt, const ExactValue& v, const FpEnv& env, Flags& flags) {
  const uint64_t sign = v.negative ? fmt.sign_mask() : 0;
  const int32_t value_exp = msb_index(v.sig) + v.exp;
  const int32_t emin = fmt.min_normal_exp();
  const bool tiny = is_tiny_after_rounding(fmt, v, value_exp, env.rounding);
  if (tiny && (env.flush_subnormal_outputs || !fmt.has_subnormal)) {
    flags |= kFlagUnderflow | kFlagInexact;
    if (env.flush_subnormal_outputs) return sign;
    return sign | round_tiny_without_subnormals(fmt, v, env.rounding);
  }
  int32_t lsb_exp = (value_exp > emin ? value_exp : emin) - fmt.man_bits;
  RoundedMagnitude r = round_magnitude(v, lsb_exp, env.rounding);
  if (r.inexact) flags |= kFlagInexact;
  if (tiny && r.inexact) flags |= kFlagUnderflow;
  if ((r.kept >> (fmt.man_bits + 1)) != 0) {  // the rounding carried into a new binade
    r.kept >>= 1;
    ++lsb_exp;
  }
  const u128 hidden = u128{1} << fmt.man_bits;
  const int64_t field = r.kept >= hidden ? int64_t{lsb_exp} + fmt.man_bits + fmt.bias : 0;
  if (field > static_cast<int64_t>(fmt.exp_field_max())) return overflow_result(fmt, v.negative, env.rounding, flags);
  const uint64_t magnitude =
      (static_cast<uint64_t>(field) << fmt.man_bits) | static_cast<uint64_t>(r.kept & (hidden - 1));
  if (magnitude > fmt.max_finite_magnitude()) return overflow_result(fmt, v.negative, env.rounding, flags);
  return sign | magnitude;
}

}  // namespace

FloatFormat FloatFormat::ieee(const std::string& name, int exp_bits, int man_bits) {
  FloatFormat f;
  f.name = name;
  f.exp_bits = exp_bits;
  f.man_bits = man_bits;
  f.bias = (int32_t{1} << (exp_bits - 1)) - 1;
  return f;
}

FloatFormat FloatFormat::e4m3() {
  FloatFormat f = ieee("e4m3", 4, 3);
  f.has_inf = false;
  f.saturate = true;
  return f;
}

std::string FloatFormat::validate() const {
  if (exp_bits < 1 || exp_bits > 11) return "exp_bits must be in 1..11";
  if (man_bits < 0 || man_bits > 52) return "man_bits must be in 0..52";
  if (has_inf && !has_nan) return "has_inf requires has_nan (the top exponent field holds both)";
  if (has_inf && (man_bits < 1 || exp_bits < 2)) return "has_inf needs exp_bits >= 2 and man_bits >= 1";
  if (!has_inf && has_nan && exp_bits + man_bits < 2) return "a NaN encoding needs exp_bits + man_bits >= 2";
  if (!has_inf && !has_nan && !saturate) return "a format without infinity and NaN must saturate";
  if (bias < -4096 || bias > 4096) return "bias must be in -4096..4096";
  return {};
}

uint64_t FloatFormat::max_finite_magnitude() const {
  const uint64_t all_ones = (uint64_t{1} << (exp_bits + man_bits)) - 1;
  if (has_inf) return infinity_magnitude() - 1;
  return has_nan ? all_ones - 1 : all_ones;
}

uint64_t FloatFormat::canonical_nan() const {
  if (has_inf) return infinity_magnitude() | (uint64_t{1} << (man_bits - 1));
  return has_nan ? (uint64_t{1} << (exp_bits + man_bits)) - 1 : 0;
}

ExactValue decode_float(const FloatFormat& fmt, uint64_t bits, const FpEnv& env) {
  const bool negative = (bits & fmt.sign_mask()) != 0;
  const uint64_t magnitude = bits & (fmt.sign_mask() - 1);
  const uint64_t field = magnitude >> fmt.man_bits;
  const uint64_t mantissa = magnitude & fmt.man_mask();
  if (fmt.has_inf && field == fmt.exp_field_max()) {
    if (mantissa == 0) return ExactValue::infinity(negative);
    return ExactValue::nan(((mantissa >> (fmt.man_bits - 1)) & 1) == 0);
  }
  if (!fmt.has_inf && fmt.has_nan && magnitude == fmt.max_finite_magnitude() + 1) return ExactValue::nan();
  if (field == 0) {
    if (!fmt.has_subnormal || env.subnormal_inputs_are_zero) return ExactValue::zero(negative);
    return ExactValue::finite(negative, mantissa, fmt.min_normal_exp() - fmt.man_bits);
  }
  const int32_t exp = static_cast<int32_t>(field) - fmt.bias - fmt.man_bits;
  return ExactValue::finite(negative, (u128{1} << fmt.man_bits) | mantissa, exp);
}

uint64_t encode_float(const FloatFormat& fmt, const ExactValue& v, const FpEnv& env, Flags& flags) {
  switch (v.kind) {
    case ExactValue::Kind::NaN:
      if (!fmt.has_nan) flags |= kFlagInvalid;
      return fmt.canonical_nan();
    case ExactValue::Kind::Infinite:
      if (fmt.has_inf) return (v.negative ? fmt.sign_mask() : 0) | fmt.infinity_magnitude();
      flags |= kFlagInvalid;
      if (!fmt.saturate) return fmt.canonical_nan();
      return (v.negative ? fmt.sign_mask() : 0) | fmt.max_finite_magnitude();
    case ExactValue::Kind::Zero:
      return v.negative ? fmt.sign_mask() : 0;
    case ExactValue::Kind::Finite:
      break;
  }
  return encode_finite(fmt, v, env, flags);
}

}  // namespace pesim::num

namespace pesim::num {

double ulp_at(const FloatFormat& fmt, double magnitude) {
  const int min_exp = fmt.min_normal_exp();
  const int exp = magnitude > 0 ? std::max(std::ilogb(magnitude), min_exp) : min_exp;
  return std::ldexp(1.0, exp - fmt.man_bits);
}

}  // namespace pesim::num
