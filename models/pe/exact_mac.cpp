// SPDX-License-Identifier: Apache-2.0
#include "models/pe/exact_mac.h"

#include <cmath>
#include <cstring>

#include "models/num/arith.h"

namespace pesim::pe {

namespace {

constexpr num::FpEnv kRne{};

// A copy of an integer or fixed format that rounds to nearest-even and saturates, for quantizing real values.
num::NumberFormat saturating(num::NumberFormat fmt) {
  if (auto* i = std::get_if<num::IntFormat>(&fmt)) i->saturate = true;
  if (auto* x = std::get_if<num::FixedFormat>(&fmt)) {
    x->quantization = num::Quantization::RndConv;
    x->overflow = num::Overflow::Sat;
  }
  return fmt;
}

}  // namespace

uint64_t quantize_saturating(const num::NumberFormat& fmt, double value) {
  return num::from_double(saturating(fmt), value, kRne).bits;
}

ExactMacCore::ExactMacCore(num::NumberFormat a_format, num::NumberFormat b_format, num::NumberFormat acc_format)
    : m_a_format(std::move(a_format)), m_b_format(std::move(b_format)), m_acc_format(std::move(acc_format)) {}

PortWidths ExactMacCore::widths() const {
  const int acc_bits = num::width_bits(m_acc_format);
  return {num::width_bits(m_a_format), num::width_bits(m_b_format), acc_bits, acc_bits};
}

uint64_t ExactMacCore::mac(uint64_t a, uint64_t b, uint64_t acc) const {
  bool invalid = false;
  const num::ExactValue product = num::exact_mul(a_value(a), b_value(b), invalid);
  const num::ExactValue sum =
      num::exact_add(product, num::decode(m_acc_format, acc, kRne), num::RoundRule::NearestEven, invalid);
  num::Flags flags = 0;
  return num::encode(m_acc_format, sum, kRne, flags);
}

uint64_t ExactMacCore::negate_acc(uint64_t acc) const {
  num::ExactValue v = num::decode(m_acc_format, acc, kRne);
  v.negative = !v.negative;
  num::Flags flags = 0;
  return num::encode(saturating(m_acc_format), v, kRne, flags);
}

uint64_t ExactMacCore::quantize_a(double value) const { return quantize_saturating(m_a_format, value); }
uint64_t ExactMacCore::quantize_b(double value) const { return quantize_saturating(m_b_format, value); }

num::ExactValue ExactMacCore::a_value(uint64_t a) const { return num::decode(m_a_format, a, kRne); }
num::ExactValue ExactMacCore::b_value(uint64_t b) const { return num::decode(m_b_format, b, kRne); }
num::ExactValue ExactMacCore::result_value(uint64_t result) const { return num::decode(m_acc_format, result, kRne); }

double ExactMacCore::result_ulp(double /*magnitude*/) const {
  if (const auto* x = std::get_if<num::FixedFormat>(&m_acc_format)) return std::ldexp(1.0, x->lsb_exp());
  return 1.0;
}

}  // namespace pesim::pe
