// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "models/num/float_format.h"

namespace pesim::pe {

// The fast path of fma_fp with norm=approx (the approximate-normalization window, FmaFpCore's header): one step in
// host doubles and integers, for the steps where that is provably FmaFpCore::mac_approximate; the rest by the
// function run() is given (FmaFpCore gives IntegerFmaKernel, exact on every step but slower).
// - The operands (at most 16-bit formats: significands of at most 11 bits) and the partial sum (a significand of
//   P <= 25 bits) are exact doubles, and so is their product (at most 22 bits).
// - The sum s = a * b + c is the double sum when that is exact, which the error-free TwoSum decides (its error term
//   is zero); otherwise the step is left to the reference, as are every step with an infinite or NaN operand or
//   partial sum. An exact zero sum has IEEE's sign in both (+0 unless both addends are -0).
// - The anchor T, the window and the lower bound on the top slot Q are integer arithmetic on the operands' slots as
//   the reference computes them (each operand's significand slot starts at its format's LSB exponent, normal or not).
// - Rounding |s| to nearest-even at Q - P + 1 rounds |s| * 2^-(Q - P + 1) (exact scaling by a power of two, below
//   2^(P + 1)) to an integer by adding and subtracting 2^52, in the default rounding mode (checked on every call,
//   host_float.h); a carry to 2^P moves Q up one; an exponent
//   field beyond the largest finite one gives infinity.
class ApproxNormKernel {
 public:
  using ReferenceMac = uint64_t (*)(const void* context, uint64_t a, uint64_t b, uint64_t acc);

  // The kernel for operands in `in` accumulating into `acc` with a window of `window_bits` (0: full), or nothing.
  static std::optional<ApproxNormKernel> make(const num::FloatFormat& in, const num::FloatFormat& acc, int window_bits);

  void run(const uint64_t* a, const uint64_t* b, const uint64_t* acc_in, uint64_t* acc_out, size_t n,
           ReferenceMac reference, const void* context) const;

 private:
  ApproxNormKernel(const num::FloatFormat& in, const num::FloatFormat& acc, int window_bits)
      : m_in(in), m_acc(acc), m_window_bits(window_bits), m_operand_mask((uint64_t{1} << in.width_bits()) - 1) {}
  // One step, or nothing where the reference must take it.
  std::optional<uint64_t> step(uint64_t a, uint64_t b, uint64_t word) const;

  // An operand word's value and the exponent of its significand slot's LSB; special: infinity or NaN.
  struct Operand {
    double value;
    int32_t lsb_exp;
    bool nonzero, special;
  };

  num::FloatFormat m_in, m_acc;
  int m_window_bits;
  uint64_t m_operand_mask;
  std::vector<Operand> m_operands;  // by operand word
};

}  // namespace pesim::pe
