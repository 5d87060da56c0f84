// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <cstdint>
#include <string>

#include "models/num/exact_value.h"
#include "models/num/rounding.h"

namespace pesim::num {

// HLS quantization modes: how bits below the LSB are resolved (applied first).
enum class Quantization : uint8_t { Rnd, RndZero, RndMinInf, RndInf, RndConv, Trn, TrnZero };
// HLS overflow modes: what a quantized value outside the range becomes (applied second).
enum class Overflow : uint8_t { Sat, SatZero, SatSym, Wrap, WrapSm };

// ap_fixed<W, I, Q, O> (signed) and ap_ufixed<W, I, Q, O> (unsigned): a W-bit two's-complement raw value r
// representing r * 2^(I - W). I counts the sign bit and may be negative or exceed W. The saturation-bit count N of
// the HLS template is 0. Conversion into the format follows the HLS library: quantize the exact value (one
// rounding), then apply the overflow mode to the quantized value. AP_SAT_SYM maps the minimum code itself to -max;
// AP_WRAP_SM (signed only) inverts the wrapped bits when the wrapped sign differs from the bit above the kept MSB.
struct FixedFormat {
  int width_bits = 16;  // W
  int int_bits = 8;     // I
  bool is_signed = true;
  Quantization quantization = Quantization::Trn;
  Overflow overflow = Overflow::Wrap;

  std::string validate() const;  // empty when usable: 1 <= W <= 62, |I| <= 1024, signed W >= 2 for SAT_SYM/WRAP_SM
  std::string name() const;      // e.g. "ap_fixed<8,4,AP_RND,AP_SAT>"
  int32_t lsb_exp() const { return int_bits - width_bits; }
};

RoundRule rounding_rule(Quantization q);
const char* quantization_name(Quantization q);
const char* overflow_name(Overflow o);
bool parse_quantization(const std::string& name, Quantization& q);  // "AP_RND" or "rnd"
bool parse_overflow(const std::string& name, Overflow& o);          // "AP_SAT" or "sat"

ExactValue decode_fixed(const FixedFormat& fmt, uint64_t raw);
// NaN becomes 0 and infinities saturate (both raise invalid); out-of-range values raise kFlagOverflow.
uint64_t encode_fixed(const FixedFormat& fmt, const ExactValue& v, Flags& flags);

}  // namespace pesim::num
