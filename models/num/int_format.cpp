// SPDX-License-Identifier: Apache-2.0
#include "models/num/int_format.h"

namespace pesim::num {

namespace {

struct IntRange {
  u128 max_positive;  // largest value
  u128 max_negative;  // magnitude of the smallest value (0 when unsigned)
};

IntRange range_of(const IntFormat& fmt) {
  if (fmt.is_signed) return {(u128{1} << (fmt.width_bits - 1)) - 1, u128{1} << (fmt.width_bits - 1)};
  return {(u128{1} << fmt.width_bits) - 1, 0};
}

uint64_t extreme(const IntFormat& fmt, bool negative) {
  const IntRange range = range_of(fmt);
  return negative ? wrap_twos_complement(range.max_negative, true, fmt.width_bits)
                  : static_cast<uint64_t>(range.max_positive);
}

}  // namespace

IntFormat IntFormat::make(int width_bits, bool is_signed) {
  IntFormat f;
  f.name = (is_signed ? "int" : "uint") + std::to_string(width_bits);
  f.width_bits = width_bits;
  f.is_signed = is_signed;
  return f;
}

std::string IntFormat::validate() const {
  if (width_bits < 1 || width_bits > 62) return "integer width must be in 1..62 bits";
  return {};
}

uint64_t wrap_twos_complement(u128 kept, bool negative, int width_bits) {
  const u128 twos = negative ? ~kept + 1 : kept;
  return static_cast<uint64_t>(twos & ((u128{1} << width_bits) - 1));
}

ExactValue decode_int(const IntFormat& fmt, uint64_t bits) {
  const uint64_t mask = (uint64_t{1} << fmt.width_bits) - 1;
  bits &= mask;
  const bool negative = fmt.is_signed && ((bits >> (fmt.width_bits - 1)) & 1) != 0;
  const uint64_t magnitude = negative ? ((~bits + 1) & mask) : bits;
  return ExactValue::finite(negative, magnitude, 0);
}

uint64_t encode_int(const IntFormat& fmt, const ExactValue& v, const FpEnv& env, Flags& flags) {
  switch (v.kind) {
    case ExactValue::Kind::NaN:
      flags |= kFlagInvalid;
      return 0;
    case ExactValue::Kind::Infinite:
      flags |= kFlagInvalid;
      return extreme(fmt, v.negative);
    case ExactValue::Kind::Zero:
      return 0;
    case ExactValue::Kind::Finite:
      break;
  }
  const RoundedMagnitude r = round_magnitude(v, 0, env.rounding);
  if (r.inexact) flags |= kFlagInexact;
  const IntRange range = range_of(fmt);
  const bool out_of_range = r.overflowed_u128 || r.kept > (v.negative ? range.max_negative : range.max_positive);
  if (!out_of_range) return wrap_twos_complement(r.kept, v.negative, fmt.width_bits);
  flags |= kFlagOverflow;
  if (fmt.saturate) return extreme(fmt, v.negative && r.kept != 0);
  return wrap_twos_complement(r.kept, v.negative, fmt.width_bits);
}

}  // namespace pesim::num
