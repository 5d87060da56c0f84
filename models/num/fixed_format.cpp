// SPDX-License-Identifier: Apache-2.0
#include "models/num/fixed_format.h"

#include <array>
#include <cctype>

#include "models/num/int_format.h"

namespace pesim::num {

namespace {

struct QuantizationInfo {
  Quantization mode;
  const char* name;
  RoundRule rule;
};
constexpr std::array<QuantizationInfo, 7> kQuantizations{{
    {Quantization::Rnd, "AP_RND", RoundRule::NearestTiesUp},
    {Quantization::RndZero, "AP_RND_ZERO", RoundRule::NearestTiesZero},
    {Quantization::RndMinInf, "AP_RND_MIN_INF", RoundRule::NearestTiesDown},
    {Quantization::RndInf, "AP_RND_INF", RoundRule::NearestAway},
    {Quantization::RndConv, "AP_RND_CONV", RoundRule::NearestEven},
    {Quantization::Trn, "AP_TRN", RoundRule::Down},
    {Quantization::TrnZero, "AP_TRN_ZERO", RoundRule::TowardZero},
}};

struct OverflowInfo {
  Overflow mode;
  const char* name;
};
constexpr std::array<OverflowInfo, 5> kOverflows{{
    {Overflow::Sat, "AP_SAT"},
    {Overflow::SatZero, "AP_SAT_ZERO"},
    {Overflow::SatSym, "AP_SAT_SYM"},
    {Overflow::Wrap, "AP_WRAP"},
    {Overflow::WrapSm, "AP_WRAP_SM"},
}};

// "rnd_zero" and "AP_RND_ZERO" both name AP_RND_ZERO.
bool names_match(const std::string& given, const char* canonical) {
  std::string upper;
  for (char c : given) upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return upper == canonical || "AP_" + upper == canonical;
}

uint64_t width_mask(int bits) { return (uint64_t{1} << bits) - 1; }

uint64_t max_raw(const FixedFormat& f) { return f.is_signed ? width_mask(f.width_bits - 1) : width_mask(f.width_bits); }
uint64_t min_raw(const FixedFormat& f) { return f.is_signed ? uint64_t{1} << (f.width_bits - 1) : 0; }

// AP_WRAP_SM (as the HLS library does it): wrap like AP_WRAP; then, when the kept sign bit differs from lD, the
// bit just above the kept MSB in floor(x * 2^F) (taken before rounding), invert the kept bits and set the sign
// bit to lD.
uint64_t wrap_sign_magnitude(const FixedFormat& f, const ExactValue& v, uint64_t wrapped) {
  const int msb = f.width_bits - 1;
  const RoundedMagnitude floor_magnitude = round_magnitude(v, f.lsb_exp(), RoundRule::Down);
  const uint64_t floor_bits = wrap_twos_complement(floor_magnitude.kept, v.negative, f.width_bits + 1);
  const uint64_t deleted_bit = (floor_bits >> f.width_bits) & 1;
  const uint64_t kept_sign = (wrapped >> msb) & 1;
  if (kept_sign == deleted_bit) return wrapped;
  return (~wrapped & width_mask(msb)) | (deleted_bit << msb);
}

// The raw value of a quantized magnitude `kept` (of sign `negative`) that lies outside the format's range.
uint64_t apply_overflow(const FixedFormat& f, const ExactValue& v, u128 kept, bool negative, Flags& flags) {
  flags |= kFlagOverflow;
  const uint64_t wrapped = wrap_twos_complement(kept, negative, f.width_bits);
  switch (f.overflow) {
    case Overflow::Sat:
      return negative ? min_raw(f) : max_raw(f);
    case Overflow::SatZero:
      return 0;
    case Overflow::SatSym:
      if (!f.is_signed) return negative ? 0 : max_raw(f);
      return negative ? wrap_twos_complement(max_raw(f), true, f.width_bits) : max_raw(f);
    case Overflow::Wrap:
      return wrapped;
    case Overflow::WrapSm:
      return wrap_sign_magnitude(f, v, wrapped);
  }
  return wrapped;
}

// Magnitude of the most negative value in range: 2^(W-1), or 2^(W-1) - 1 under AP_SAT_SYM (which also maps the
// exact minimum code to -max, as the HLS library does); 0 when unsigned.
u128 max_negative_magnitude(const FixedFormat& f) {
  if (!f.is_signed) return 0;
  return f.overflow == Overflow::SatSym ? max_raw(f) : min_raw(f);
}

}  // namespace

std::string FixedFormat::validate() const {
  if (width_bits < 1 || width_bits > 62) return "W must be in 1..62 bits";
  if (int_bits < -1024 || int_bits > 1024) return "I must be in -1024..1024 bits";
  if (is_signed && width_bits < 2 && (overflow == Overflow::SatSym || overflow == Overflow::WrapSm)) {
    return "AP_SAT_SYM and AP_WRAP_SM need W >= 2 when signed";
  }
  if (!is_signed && overflow == Overflow::WrapSm) return "AP_WRAP_SM is defined for signed ap_fixed only";
  return {};
}

std::string FixedFormat::name() const {
  return std::string(is_signed ? "ap_fixed<" : "ap_ufixed<") + std::to_string(width_bits) + "," +
         std::to_string(int_bits) + "," + quantization_name(quantization) + "," + overflow_name(overflow) + ">";
}

RoundRule rounding_rule(Quantization q) {
  for (const auto& info : kQuantizations) {
    if (info.mode == q) return info.rule;
  }
  return RoundRule::Down;
}

const char* quantization_name(Quantization q) {
  for (const auto& info : kQuantizations) {
    if (info.mode == q) return info.name;
  }
  return "?";
}

const char* overflow_name(Overflow o) {
  for (const auto& info : kOverflows) {
    if (info.mode == o) return info.name;
  }
  return "?";
}

bool parse_quantization(const std::string& name, Quantization& q) {
  for (const auto& info : kQuantizations) {
    if (names_match(name, info.name)) {
      q = info.mode;
      return true;
    }
  }
  return false;
}

bool parse_overflow(const std::string& name, Overflow& o) {
  for (const auto& info : kOverflows) {
    if (names_match(name, info.name)) {
      o = info.mode;
      return true;
    }
  }
  return false;
}

ExactValue decode_fixed(const FixedFormat& fmt, uint64_t raw) {
  raw &= width_mask(fmt.width_bits);
  const bool negative = fmt.is_signed && ((raw >> (fmt.width_bits - 1)) & 1) != 0;
  const uint64_t magnitude = negative ? ((~raw + 1) & width_mask(fmt.width_bits)) : raw;
  return ExactValue::finite(negative, magnitude, fmt.lsb_exp());
}

uint64_t encode_fixed(const FixedFormat& fmt, const ExactValue& v, Flags& flags) {
  switch (v.kind) {
    case ExactValue::Kind::NaN:
      flags |= kFlagInvalid;
      return 0;
    case ExactValue::Kind::Infinite:  // saturates whatever the overflow mode: there are no bits to wrap
      flags |= kFlagInvalid;
      return v.negative ? min_raw(fmt) : max_raw(fmt);
    case ExactValue::Kind::Zero:
      return 0;
    case ExactValue::Kind::Finite:
      break;
  }
  const RoundedMagnitude r = round_magnitude(v, fmt.lsb_exp(), rounding_rule(fmt.quantization));
  if (r.inexact) flags |= kFlagInexact;
  const bool negative = v.negative && r.kept != 0;
  const bool in_range = !r.overflowed_u128 && r.kept <= (negative ? max_negative_magnitude(fmt) : u128{max_raw(fmt)});
  if (in_range) return wrap_twos_complement(r.kept, negative, fmt.width_bits);
  return apply_overflow(fmt, v, r.kept, negative, flags);
}

}  // namespace pesim::num
