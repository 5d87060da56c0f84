// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace pesim::num {

// How a value that falls between two representable neighbours is resolved. The first five are the IEEE 754
// rounding-direction attributes; the rest exist for ap_fixed quantization (AP_RND, AP_RND_ZERO, AP_RND_MIN_INF).
enum class RoundRule : uint8_t {
  NearestEven,      // IEEE roundTiesToEven, AP_RND_CONV
  TowardZero,       // IEEE roundTowardZero, AP_TRN_ZERO
  Down,             // IEEE roundTowardNegative, AP_TRN
  Up,               // IEEE roundTowardPositive
  NearestAway,      // IEEE roundTiesToAway, AP_RND_INF
  NearestTiesUp,    // AP_RND: ties toward +infinity
  NearestTiesZero,  // AP_RND_ZERO: ties toward zero
  NearestTiesDown,  // AP_RND_MIN_INF: ties toward -infinity
};

// Exception flags, OR-ed into the Flags byte returned with every result (no global state).
enum Flag : uint8_t {
  kFlagInexact = 1,
  kFlagUnderflow = 2,
  kFlagOverflow = 4,
  kFlagDivByZero = 8,
  kFlagInvalid = 16,
};
using Flags = uint8_t;

// Floating-point environment of one operation. Tininess is detected after rounding (as on x86 and in MPFR).
struct FpEnv {
  RoundRule rounding = RoundRule::NearestEven;
  bool flush_subnormal_outputs = false;    // FTZ: a tiny result becomes a signed zero (underflow + inexact)
  bool subnormal_inputs_are_zero = false;  // DAZ: subnormal operands read as signed zeros
};

// Whether the magnitude `kept` (truncated) must be incremented by one unit, given the first dropped bit
// (`half`), whether any lower dropped bit is set (`below_half`) and the sign of the value.
inline bool round_increment(RoundRule rule, bool negative, bool kept_is_odd, bool half, bool below_half) {
  const bool inexact = half || below_half;
  switch (rule) {
    case RoundRule::NearestEven:
      return half && (below_half || kept_is_odd);
    case RoundRule::TowardZero:
      return false;
    case RoundRule::Down:
      return negative && inexact;
    case RoundRule::Up:
      return !negative && inexact;
    case RoundRule::NearestAway:
      return half;
    case RoundRule::NearestTiesUp:
      return half && (below_half || !negative);
    case RoundRule::NearestTiesZero:
      return half && below_half;
    case RoundRule::NearestTiesDown:
      return half && (below_half || negative);
  }
  return false;
}

// Short names used on the command line: rne, rtz, rdn, rup, rmm (IEEE modes only).
bool parse_ieee_rounding(std::string_view name, RoundRule& rule);
std::string flags_to_string(Flags flags);  // TestFloat order "vuoxi"-style letters, e.g. "ix"; "-" when none

}  // namespace pesim::num
