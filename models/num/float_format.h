// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <cstdint>
#include <string>

#include "models/num/exact_value.h"
#include "models/num/rounding.h"

namespace pesim::num {

// A binary floating-point format on raw bit patterns: sign, exp_bits exponent field, man_bits fraction field.
//
// Encodings of the top exponent field:
//   has_inf (IEEE style): mantissa 0 is infinity, any other mantissa is NaN (quiet when its MSB is set).
//   !has_inf && has_nan (OCP E4M3 style): only S.1...1.1...1 is NaN; the rest of the top binade is finite.
//   !has_inf && !has_nan: every encoding is finite; the format must saturate.
// has_subnormal == false: exponent field 0 encodes only +-0 (its mantissa is ignored on input), and results below
// the smallest normal round correctly to 0 or to the smallest normal.
// saturate: a finite result beyond the largest finite value becomes the largest finite value (also infinities
// converted into a format without infinity). Without it, overflow gives infinity, or NaN when there is none.
struct FloatFormat {
  std::string name;
  int exp_bits = 8;
  int man_bits = 23;
  int32_t bias = 127;
  bool has_inf = true;
  bool has_nan = true;
  bool has_subnormal = true;
  bool saturate = false;

  // IEEE 754-style format with the default bias 2^(e-1) - 1.
  static FloatFormat ieee(const std::string& name, int exp_bits, int man_bits);
  static FloatFormat fp64() { return ieee("fp64", 11, 52); }
  static FloatFormat fp32() { return ieee("fp32", 8, 23); }
  static FloatFormat fp16() { return ieee("fp16", 5, 10); }
  static FloatFormat bf16() { return ieee("bf16", 8, 7); }
  static FloatFormat e5m2() { return ieee("e5m2", 5, 2); }
  static FloatFormat e4m3();  // OCP FP8 E4M3: bias 7, no infinity, NaN only S.1111.111, saturating

  // Empty when the parameters describe a format pesim can compute with, else the reason.
  std::string validate() const;

  int width_bits() const { return 1 + exp_bits + man_bits; }
  int32_t min_normal_exp() const { return 1 - bias; }  // unbiased exponent of the smallest normal
  uint64_t sign_mask() const { return uint64_t{1} << (exp_bits + man_bits); }
  uint64_t exp_field_max() const { return (uint64_t{1} << exp_bits) - 1; }
  uint64_t man_mask() const { return (uint64_t{1} << man_bits) - 1; }
  uint64_t max_finite_magnitude() const;  // bit pattern (without sign) of the largest finite value
  uint64_t canonical_nan() const;         // quiet NaN, sign clear; largest-magnitude zero pattern when !has_nan
  uint64_t infinity_magnitude() const { return exp_field_max() << man_bits; }
};

// Bit pattern -> exact value. DAZ from env applies.
ExactValue decode_float(const FloatFormat& fmt, uint64_t bits, const FpEnv& env);

// Exact value -> bit pattern with one rounding; flags describe that rounding.
uint64_t encode_float(const FloatFormat& fmt, const ExactValue& v, const FpEnv& env, Flags& flags);

// The unit in the last place of `fmt` at a value of this magnitude (the subnormal spacing below the normals).
double ulp_at(const FloatFormat& fmt, double magnitude);

}  // namespace pesim::num
