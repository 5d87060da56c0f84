// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>

#include "models/num/fixed_format.h"
#include "models/num/rounding.h"

namespace pesim::pe {

// mac_fixed's datapath on host integers: acc = ap_fixed<acc>(c + a * b), the same function as ExactMacCore::mac on
// the same formats (the reference, which the tests hold it to on every quantization and overflow mode).
//
// Why it is the same: a, b and c are integers times powers of two (raw * 2^lsb_exp). With e the smaller of the
// product's and c's LSB exponents, x = a*b * 2^(e_ab - e) + c * 2^(e_c - e) is the exact sum in units of 2^e, held
// in a signed 128-bit integer; make() refuses formats where x could need more than 126 bits, and the core then
// keeps its reference path. The accumulator conversion is then the reference's own steps on x: the magnitude
// rounded to the accumulator's LSB by its quantization rule (num::round_increment on the dropped bits), the range
// test on the rounded magnitude, and the overflow mode (AP_WRAP_SM from floor(x / 2^d), which two's-complement
// arithmetic shift gives directly). A zero sum encodes as 0 in both. Where the rounded sum is in range, the kernel
// rounds in two's complement instead (each rule as a function of the value, e.g. ties up: floor((x + half) / 2^d)),
// which gives the same value and so the same word.
class FixedMacKernel {
 public:
  // The kernel for these formats; `khot_terms` > 0: b is K-hot (see MacFixedConfig) with `khot_exp_bits`.
  // Nothing when the exact sum could exceed 126 bits.
  static std::optional<FixedMacKernel> make(const num::FixedFormat& a, const num::FixedFormat& b,
                                            const num::FixedFormat& acc, int khot_terms, int khot_exp_bits);

  uint64_t mac(uint64_t a, uint64_t b, uint64_t acc) const;
  void mac_n(const uint64_t* a, const uint64_t* b, const uint64_t* acc_in, uint64_t* acc_out, size_t n) const;

 private:
  FixedMacKernel() = default;
  int64_t b_raw(uint64_t b) const;  // b's value in units of 2^lsb_exp(b)
  template <typename Int>
  uint64_t mac_in(uint64_t a, uint64_t b, uint64_t acc) const;  // the exact sum in Int (int64_t or __int128)
  template <typename Int>
  Int round_twos_complement(Int x) const;  // x / 2^(acc LSB shift), rounded by the quantization rule
  template <typename Int>
  uint64_t convert(Int x) const;

  int m_a_bits = 0, m_b_bits = 0;
  bool m_a_signed = true, m_b_signed = true;
  int m_khot_terms = 0, m_khot_exp_bits = 0;
  num::FixedFormat m_acc;
  num::RoundRule m_rule = num::RoundRule::Down;              // the accumulator's quantization
  bool m_sum_fits_int64 = false;                             // the exact sum needs at most 62 magnitude bits
  int m_product_shift = 0;                                   // e_ab - e
  int m_acc_shift = 0;                                       // e_c - e: also the bits dropped by the conversion
  unsigned __int128 m_max_positive = 0, m_max_negative = 0;  // rounded magnitudes in range
};

}  // namespace pesim::pe
