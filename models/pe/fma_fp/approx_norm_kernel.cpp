// SPDX-License-Identifier: Apache-2.0
#include "models/pe/fma_fp/approx_norm_kernel.h"

#include <algorithm>
#include <bit>
#include <climits>
#include <cmath>

#include "models/pe/host_float.h"

namespace pesim::pe {

namespace {

// A finite operand or partial sum: its value, and the exponent of its significand slot's least significant bit.
struct Slot {
  double value = 0;
  int32_t lsb_exp = 0;
  bool nonzero = false;
};

// An in-format word as decode_float reads it, or nothing for infinities and NaN.
std::optional<Slot> operand_slot(const num::FloatFormat& f, uint64_t word) {
  const bool negative = (word & f.sign_mask()) != 0;
  const uint64_t magnitude = word & (f.sign_mask() - 1);
  const uint64_t field = magnitude >> f.man_bits;
  const uint64_t mantissa = magnitude & f.man_mask();
  if (f.has_inf && field == f.exp_field_max()) return std::nullopt;
  if (!f.has_inf && f.has_nan && magnitude == f.max_finite_magnitude() + 1) return std::nullopt;
  uint64_t sig = 0;
  int32_t lsb_exp = 0;
  if (field == 0) {
    if (!f.has_subnormal) return Slot{negative ? -0.0 : 0.0, 0, false};
    sig = mantissa;
    lsb_exp = f.min_normal_exp() - f.man_bits;
  } else {
    sig = (uint64_t{1} << f.man_bits) | mantissa;
    lsb_exp = static_cast<int32_t>(field) - f.bias - f.man_bits;
  }
  const double magnitude_value = std::ldexp(static_cast<double>(sig), lsb_exp);
  return Slot{negative ? -magnitude_value : magnitude_value, lsb_exp, sig != 0};
}

// 2^e as a double, for e within the normal range (every exponent the kernel forms is far inside it).
inline double power_of_two(int32_t e) { return std::bit_cast<double>(static_cast<uint64_t>(e + 1023) << 52); }

// floor(log2 |x|) of a normal double.
inline int32_t exponent_of(double x) { return static_cast<int32_t>((std::bit_cast<uint64_t>(x) >> 52) & 0x7ff) - 1023; }

// x rounded to the nearest integer, ties to even, for 0 <= x < 2^52 in the default rounding mode: adding 2^52 leaves
// no fraction bits, so the addition rounds x as rint() does.
inline double round_to_integer(double x) {
  constexpr double kTwo52 = 4503599627370496.0;
  return (x + kTwo52) - kTwo52;
}

}  // namespace

std::optional<ApproxNormKernel> ApproxNormKernel::make(const num::FloatFormat& in, const num::FloatFormat& acc,
                                                       int window_bits) {
  // Operand significands of at most 11 bits keep the product within 22; a partial sum of at most 25 bits keeps every
  // value the step forms exact in a double's 53 (the sum's exactness is checked step by step).
  if (in.man_bits > 10 || in.width_bits() > 16 || acc.man_bits > 24 || acc.exp_bits > 10 || window_bits < 0) {
    return std::nullopt;
  }
  ApproxNormKernel kernel(in, acc, window_bits);
  kernel.m_operands.resize(size_t{1} << in.width_bits());
  for (uint64_t word = 0; word < kernel.m_operands.size(); ++word) {
    const std::optional<Slot> slot = operand_slot(in, word);
    kernel.m_operands[word] =
        slot ? Operand{slot->value, slot->lsb_exp, slot->nonzero, false} : Operand{0, 0, false, true};
  }
  return kernel;
}

std::optional<uint64_t> ApproxNormKernel::step(uint64_t a, uint64_t b, uint64_t word) const {
  const num::FloatFormat& f = m_acc;
  const int p = f.man_bits + 1;
  const Operand& x = m_operands[a & m_operand_mask];
  const Operand& y = m_operands[b & m_operand_mask];
  if (x.special || y.special) return std::nullopt;
  // The partial-sum word: [sign | exponent field | P-bit significand, leading bit explicit].
  const bool c_negative = ((word >> (f.exp_bits + p)) & 1) != 0;
  const uint64_t exp_field = (word >> p) & f.exp_field_max();
  const uint64_t c_sig = word & ((uint64_t{1} << p) - 1);
  if (exp_field == f.exp_field_max()) return std::nullopt;
  const int32_t c_lsb = static_cast<int32_t>(std::max<uint64_t>(exp_field, 1)) - f.bias - f.man_bits;
  const double c_magnitude = static_cast<double>(c_sig) * power_of_two(c_lsb);
  const double c = c_negative ? -c_magnitude : c_magnitude;

  const double product = x.value * y.value;  // exact: at most 22 significant bits
  const double sum = product + c;
  const double product_part = sum - c;  // TwoSum: the error of the addition is zero exactly when the sum is exact
  if ((product - product_part) + (c - (sum - product_part)) != 0) return std::nullopt;
  const auto pack = [&](bool negative, uint64_t field, uint64_t sig) {
    return (uint64_t{negative} << (f.exp_bits + p)) | (field << p) | sig;
  };
  if (sum == 0) return pack(std::signbit(sum), 0, 0);

  const int32_t product_slot_bits = 2 * (m_in.man_bits + 1);
  const int32_t product_top = x.nonzero && y.nonzero ? x.lsb_exp + y.lsb_exp + product_slot_bits - 1 : INT32_MIN;
  const int32_t c_top = c_sig != 0 ? c_lsb + p - 1 : INT32_MIN;
  const int32_t anchor = std::max(product_top, c_top);
  const int32_t msb = exponent_of(sum);
  int32_t top = msb;
  if (m_window_bits > 0 && msb <= anchor) top = std::max(msb, anchor - m_window_bits);
  top = std::max(top, (1 - f.bias - f.man_bits) + p - 1);

  auto sig = static_cast<uint64_t>(round_to_integer(std::fabs(sum) * power_of_two(-(top - (p - 1)))));
  if ((sig >> p) != 0) {
    sig >>= 1;
    ++top;
  }
  const bool negative = sum < 0;
  if (sig == 0) return pack(negative, 0, 0);
  const int64_t field = int64_t{top} - (p - 1) + f.bias + f.man_bits;
  if (field >= static_cast<int64_t>(f.exp_field_max())) return pack(negative, f.exp_field_max(), 0);
  return pack(negative, static_cast<uint64_t>(field), sig);
}

void ApproxNormKernel::run(const uint64_t* a, const uint64_t* b, const uint64_t* acc_in, uint64_t* acc_out, size_t n,
                           ReferenceMac reference, const void* context) const {
  if (!host_float_environment_is_default()) {
    for (size_t i = 0; i < n; ++i) acc_out[i] = reference(context, a[i], b[i], acc_in[i]);
    return;
  }
  for (size_t i = 0; i < n; ++i) {
    const std::optional<uint64_t> fast = step(a[i], b[i], acc_in[i]);
    acc_out[i] = fast ? *fast : reference(context, a[i], b[i], acc_in[i]);
  }
}

}  // namespace pesim::pe
