// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "models/num/float_format.h"

namespace pesim::pe {

// fma_fp's step in host integers, every input included (no fallback): norm=exact into any IEEE-style accumulator
// (fp32, bf16, fp16: infinities, NaN and subnormals, no saturation), and norm=approx (the approximate-normalization
// window, FmaFpCore's header) into the internal word. It is the same function as FmaFpCore::mac, bit for bit:
// - Operands (formats of at most 16 bits) are decoded into {sign, integer significand, LSB exponent, kind}: 8-bit and
//   non-IEEE formats once, word by word, by the numeric core's decode_float; IEEE-style ones (bf16, fp16) and the
//   partial sum from their fields, as decode_float and FmaFpCore::internal_value read them.
// - Specials as the numeric core: any NaN, inf * 0 and inf - inf give the canonical NaN word, other infinities
//   propagate with their sign.
// - The exact sum s = a * b + c as a signed 128-bit integer times 2^e: exactly, when the smaller addend reaches within
//   P + 3 bits below the larger one's LSB (at most ~80 bits); else the smaller addend is replaced by one unit, of its
//   sign, P + 3 bits below the larger one's LSB. Both lie strictly between the same two neighbouring multiples of
//   half the result's ULP (the result's LSB is at most P + 1 bits below the larger addend's MSB, and the larger addend
//   is a multiple of its own LSB), so rounding to nearest-even, the leading-one position and the window's decision
//   are the same for both. An exact zero sum is +0 unless both addends are -0 (round to nearest).
// - The result's top slot Q: the leading one of s, not below the smallest normal's slot; under norm=approx, the
//   anchor and window rules on the addends' slots, as FmaFpCore::mac_approximate computes them. Rounding to
//   nearest-even at Q - P + 1 in integers; a carry moves Q up one; an exponent past the largest finite one is
//   infinity; a result that rounds to 0 is the zero of s's sign.
class IntegerFmaKernel {
 public:
  // norm=exact (approximate false) or approx with `window_bits` (0: full). Nothing when the formats are outside
  // the above (operands over 16 bits, an accumulator over 32 bits or not IEEE-style, in either mode).
  static std::optional<IntegerFmaKernel> make(const num::FloatFormat& in, const num::FloatFormat& acc, bool approximate,
                                              int window_bits);

  uint64_t mac(uint64_t a, uint64_t b, uint64_t acc) const;
  void mac_n(const uint64_t* a, const uint64_t* b, const uint64_t* acc_in, uint64_t* acc_out, size_t n) const;

 private:
  enum class Kind : uint8_t { zero, finite, infinite, nan };
  struct Term {  // (-1)^negative * sig * 2^lsb_exp
    Kind kind = Kind::zero;
    bool negative = false;
    uint64_t sig = 0;
    int32_t lsb_exp = 0;
  };

  IntegerFmaKernel() = default;
  static Term decode_ieee(uint64_t word, const num::FloatFormat& f);  // infinities, NaN, subnormals
  Term operand(uint64_t word) const {
    return m_in_is_ieee_style ? decode_ieee(word & m_operand_mask, m_in) : m_operands[word & m_operand_mask];
  }
  Term partial_sum(uint64_t word) const;
  uint64_t special(const Term& a, const Term& b, const Term& c) const;
  uint64_t round_and_pack(bool negative, unsigned __int128 magnitude, int32_t lsb_exp, int32_t anchor) const;
  uint64_t pack(bool negative, uint64_t exp_field, uint64_t sig) const;
  uint64_t zero(bool negative) const { return pack(negative, 0, 0); }
  uint64_t infinity(bool negative) const { return pack(negative, m_acc.exp_field_max(), 0); }

  num::FloatFormat m_in, m_acc;
  bool m_in_is_ieee_style = false;  // operands decoded from their fields, else by m_operands
  bool m_approximate = false;
  int m_window_bits = 0;
  int m_precision_bits = 0;     // P: the acc format's significand bits
  int m_product_slot_bits = 0;  // 2 * (in mantissa + 1): the product's significand slot (norm=approx anchor)
  int32_t m_min_top = 0;        // the smallest normal's top slot
  uint64_t m_nan_word = 0;
  uint64_t m_operand_mask = 0;
  std::vector<Term> m_operands;  // by operand word (8-bit and non-IEEE formats)
};

}  // namespace pesim::pe
