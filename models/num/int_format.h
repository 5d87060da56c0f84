// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <cstdint>
#include <string>

#include "models/num/exact_value.h"
#include "models/num/rounding.h"

namespace pesim::num {

// An N-bit two's-complement (signed) or unsigned integer. Results out of range wrap modulo 2^N (as in Verilog and
// C) unless `saturate`; either way kFlagOverflow is raised. Non-integral values (from a float) round by the env's
// rule, raising inexact. NaN becomes 0 and infinities the extreme values, raising invalid.
struct IntFormat {
  std::string name;
  int width_bits = 8;
  bool is_signed = true;
  bool saturate = false;

  static IntFormat make(int width_bits, bool is_signed);  // named intN / uintN
  std::string validate() const;                           // empty when usable: 1 <= width_bits <= 62
};

ExactValue decode_int(const IntFormat& fmt, uint64_t bits);
uint64_t encode_int(const IntFormat& fmt, const ExactValue& v, const FpEnv& env, Flags& flags);

// Shared by integer and fixed-point encoders: the low `width_bits` of the two's complement of +-kept.
uint64_t wrap_twos_complement(u128 kept, bool negative, int width_bits);

}  // namespace pesim::num
