// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <cstdint>
#include <optional>

#include "models/num/float_format.h"
#include "models/pe/fma_fp/approx_norm_kernel.h"
#include "models/pe/fma_fp/fp32_fma_kernel.h"
#include "models/pe/fma_fp/integer_fma_kernel.h"
#include "models/pe/pe.h"

namespace pesim::pe {

// fma_fp: the floating-point multiply-add PE of a systolic matrix engine, acc + a * b.
//
// norm=exact: the partial sum is an acc-format word and each step is an IEEE fused multiply-add with one
// round-to-nearest-even, bit for bit the numeric core's fma_mixed(in, a, b, acc, c, acc).
//
// norm=approx (approximate normalization): the partial sum is kept in an internal word with an explicit leading bit,
//   [sign | ef: acc exponent field (E bits, acc bias) | sig: P = acc mantissa + 1 bits, leading bit explicit],
// value (-1)^sign * sig * 2^(max(ef, 1) - bias - acc_mantissa_bits); ef all ones is infinity (sig 0) or NaN.
// One step, for finite operands:
//   1. The exact sum s = a * b + c is formed (product exact, as in a fused datapath).
//   2. T, the anchor, is the top significand slot of the larger operand: the product's slot is the MSB of its
//      2 * (in mantissa + 1)-bit significand, c's is the MSB of sig (whether or not c is normalized). Zero operands
//      do not take part.
//   3. The leading one of s is searched only in the window_bits bits below the carry slot: the result's top slot is
//      Q = T + 1 on a carry, else max(msb(s), T - window_bits), and never below the smallest normal's slot. A leading
//      one deeper than the window leaves the result un-normalized, and the low bits below Q - P + 1 are lost.
//   4. s is rounded to nearest-even at Q - P + 1 (a carry out of rounding moves Q up one); an exponent above the
//      largest finite one gives infinity; a result that rounds to 0 is the +-0 word (sign of s).
// window_bits=0 means full: then Q = msb(s) and each step equals the exact variant bit for bit. The edge unit
// (finish) normalizes the word exactly into the acc format: it only shifts left, so it never rounds.
// Specials follow the numeric core: any NaN, 0 * inf or inf - inf gives the canonical NaN word.
struct FmaFpConfig {
  num::FloatFormat in_format = num::FloatFormat::bf16();
  num::FloatFormat acc_format = num::FloatFormat::fp32();
  bool approximate = false;
  int window_bits = 0;  // leading-one search window and maximum left shift, bits; 0 = full
};

class FmaFpCore final : public IPeCore {
 public:
  explicit FmaFpCore(const FmaFpConfig& config);

  PortWidths widths() const override;
  uint64_t mac(uint64_t a, uint64_t b, uint64_t acc) const override;
  // norm=exact into fp32: the host's fused multiply-add (Fp32FmaKernel); norm=approx: host doubles where the sum is
  // exact (ApproxNormKernel); the rest, and norm=exact into other formats, host integers (IntegerFmaKernel). Each is
  // the same function as mac(); where none applies, mac() step by step.
  void mac_n(const uint64_t* a, const uint64_t* b, const uint64_t* acc_in, uint64_t* acc_out, size_t n) const override;
  bool has_fast_kernel() const {
    return m_fp32_kernel.has_value() || m_approx_kernel.has_value() || m_integer_kernel.has_value();
  }
  uint64_t finish(uint64_t acc) const override;
  bool finish_is_identity() const override { return !m_config.approximate; }
  uint64_t zero_acc() const override { return 0; }
  uint64_t negate_acc(uint64_t acc) const override { return acc ^ (uint64_t{1} << (acc_word_bits() - 1)); }
  uint64_t quantize_a(double value) const override;
  uint64_t quantize_b(double value) const override { return quantize_a(value); }
  num::ExactValue a_value(uint64_t a) const override;
  num::ExactValue b_value(uint64_t b) const override { return a_value(b); }
  num::ExactValue result_value(uint64_t result) const override;
  double result_ulp(double magnitude) const override;

  // The internal partial-sum word (norm=approx) and its exact value.
  num::ExactValue internal_value(uint64_t word) const;
  uint64_t internal_from_acc(uint64_t acc_bits) const;  // exact conversion of an acc-format word

 private:
  int acc_word_bits() const;
  int significand_bits() const { return m_config.acc_format.man_bits + 1; }  // P
  uint64_t mac_approximate(uint64_t a, uint64_t b, uint64_t word) const;
  uint64_t pack(bool negative, uint64_t exp_field, uint64_t sig) const;
  uint64_t nan_word() const;

  FmaFpConfig m_config;
  std::optional<Fp32FmaKernel> m_fp32_kernel;
  std::optional<ApproxNormKernel> m_approx_kernel;
  std::optional<IntegerFmaKernel> m_integer_kernel;
};

}  // namespace pesim::pe
