// SPDX-License-Identifier: Apache-2.0
#include "models/pe/fma_fp/fma_fp_core.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstring>

#include "models/num/arith.h"

namespace pesim::pe {

namespace {

constexpr num::FpEnv kRne{};

int32_t top_slot_or_min(const num::ExactValue& v, int slot_bits) {
  return v.is_finite_nonzero() ? v.exp + slot_bits - 1 : INT32_MIN;
}

}  // namespace

FmaFpCore::FmaFpCore(const FmaFpConfig& config)
    : m_config(config),
      m_fp32_kernel(config.approximate ? std::nullopt : Fp32FmaKernel::make(config.in_format, config.acc_format)),
      m_approx_kernel(config.approximate
                          ? ApproxNormKernel::make(config.in_format, config.acc_format, config.window_bits)
                          : std::nullopt),
      m_integer_kernel(m_fp32_kernel ? std::nullopt
                                     : IntegerFmaKernel::make(config.in_format, config.acc_format, config.approximate,
                                                              config.window_bits)) {}

void FmaFpCore::mac_n(const uint64_t* a, const uint64_t* b, const uint64_t* acc_in, uint64_t* acc_out, size_t n) const {
  if (!has_fast_kernel() || kernel_path() == KernelPath::reference) return IPeCore::mac_n(a, b, acc_in, acc_out, n);
  // The steps the host-float kernels leave: IntegerFmaKernel where there is one (it does not depend on the host's
  // floating-point environment), else mac().
  const auto other_step = [](const void* core, uint64_t x, uint64_t y, uint64_t acc) {
    const auto* self = static_cast<const FmaFpCore*>(core);
    return self->m_integer_kernel ? self->m_integer_kernel->mac(x, y, acc) : self->mac(x, y, acc);
  };
  if (m_fp32_kernel) return m_fp32_kernel->run(a, b, acc_in, acc_out, n, other_step, this);
  // A few steps (a single clocked PE): the integer kernel directly; the double path's per-call check of the host's
  // floating-point environment only pays off over a batch.
  constexpr size_t kMinBatchForHostFloat = 8;
  if (m_approx_kernel && (n >= kMinBatchForHostFloat || !m_integer_kernel))
    return m_approx_kernel->run(a, b, acc_in, acc_out, n, other_step, this);
  m_integer_kernel->mac_n(a, b, acc_in, acc_out, n);
}

int FmaFpCore::acc_word_bits() const { return m_config.acc_format.width_bits() + (m_config.approximate ? 1 : 0); }

PortWidths FmaFpCore::widths() const {
  const int in_bits = m_config.in_format.width_bits();
  return {in_bits, in_bits, acc_word_bits(), m_config.acc_format.width_bits()};
}

uint64_t FmaFpCore::pack(bool negative, uint64_t exp_field, uint64_t sig) const {
  const int p = significand_bits();
  return (uint64_t{negative} << (m_config.acc_format.exp_bits + p)) | (exp_field << p) | sig;
}

uint64_t FmaFpCore::nan_word() const {
  return pack(false, m_config.acc_format.exp_field_max(), uint64_t{1} << (significand_bits() - 2));
}

num::ExactValue FmaFpCore::internal_value(uint64_t word) const {
  const num::FloatFormat& f = m_config.acc_format;
  const int p = significand_bits();
  const bool negative = ((word >> (f.exp_bits + p)) & 1) != 0;
  const uint64_t exp_field = (word >> p) & f.exp_field_max();
  const uint64_t sig = word & ((uint64_t{1} << p) - 1);
  if (exp_field == f.exp_field_max()) return sig == 0 ? num::ExactValue::infinity(negative) : num::ExactValue::nan();
  const int32_t lsb_exp = static_cast<int32_t>(std::max<uint64_t>(exp_field, 1)) - f.bias - f.man_bits;
  return num::ExactValue::finite(negative, sig, lsb_exp);
}

uint64_t FmaFpCore::internal_from_acc(uint64_t acc_bits) const {
  const num::FloatFormat& f = m_config.acc_format;
  const bool negative = (acc_bits & f.sign_mask()) != 0;
  const uint64_t exp_field = (acc_bits >> f.man_bits) & f.exp_field_max();
  const uint64_t mantissa = acc_bits & f.man_mask();
  if (exp_field == f.exp_field_max()) return mantissa == 0 ? pack(negative, exp_field, 0) : nan_word();
  if (exp_field == 0) return pack(negative, mantissa == 0 ? 0 : 1, mantissa);
  return pack(negative, exp_field, (uint64_t{1} << f.man_bits) | mantissa);
}

uint64_t FmaFpCore::mac(uint64_t a, uint64_t b, uint64_t acc) const {
  if (!m_config.approximate) {
    return num::fma_mixed(m_config.in_format, a, b, m_config.acc_format, acc, m_config.acc_format, kRne).bits;
  }
  return mac_approximate(a, b, acc);
}

uint64_t FmaFpCore::mac_approximate(uint64_t a, uint64_t b, uint64_t word) const {
  const num::FloatFormat& f = m_config.acc_format;
  const int p = significand_bits();
  const num::ExactValue va = num::decode_float(m_config.in_format, a, kRne);
  const num::ExactValue vb = num::decode_float(m_config.in_format, b, kRne);
  const num::ExactValue vc = internal_value(word);
  bool invalid = false;
  const num::ExactValue product = num::exact_mul(va, vb, invalid);
  const num::ExactValue sum = num::exact_add(product, vc, num::RoundRule::NearestEven, invalid);
  if (sum.is_nan()) return nan_word();
  if (sum.is_inf()) return pack(sum.negative, f.exp_field_max(), 0);
  if (sum.is_zero()) return pack(sum.negative, 0, 0);

  const int product_slot_bits = 2 * (m_config.in_format.man_bits + 1);
  const int32_t anchor = std::max(top_slot_or_min(product, product_slot_bits), top_slot_or_min(vc, p));
  const int32_t msb = num::msb_index(sum.sig) + sum.exp;
  int32_t top = msb;
  if (m_config.window_bits > 0 && msb <= anchor) top = std::max(msb, anchor - m_config.window_bits);
  const int32_t min_top = (1 - f.bias - f.man_bits) + p - 1;
  top = std::max(top, min_top);

  const num::RoundedMagnitude rounded = num::round_magnitude(sum, top - (p - 1), num::RoundRule::NearestEven);
  num::u128 sig = rounded.kept;
  if (sig >> p) {
    sig >>= 1;
    ++top;
  }
  if (sig == 0) return pack(sum.negative, 0, 0);
  const int64_t exp_field = int64_t{top} - (p - 1) + f.bias + f.man_bits;
  if (exp_field >= static_cast<int64_t>(f.exp_field_max())) return pack(sum.negative, f.exp_field_max(), 0);
  return pack(sum.negative, static_cast<uint64_t>(exp_field), static_cast<uint64_t>(sig));
}

uint64_t FmaFpCore::finish(uint64_t acc) const {
  if (!m_config.approximate) return acc;
  num::Flags flags = 0;
  return num::encode_float(m_config.acc_format, internal_value(acc), kRne, flags);
}

uint64_t FmaFpCore::quantize_a(double value) const { return num::from_double(m_config.in_format, value, kRne).bits; }

num::ExactValue FmaFpCore::a_value(uint64_t a) const { return num::decode_float(m_config.in_format, a, kRne); }

num::ExactValue FmaFpCore::result_value(uint64_t result) const {
  return num::decode_float(m_config.acc_format, result, kRne);
}

double FmaFpCore::result_ulp(double magnitude) const { return num::ulp_at(m_config.acc_format, magnitude); }

}  // namespace pesim::pe
