// SPDX-License-Identifier: Apache-2.0
#include "models/pe/mixpe/mixpe_core.h"

#include <bit>

#include "models/num/arith.h"
#include "models/pe/exact_mac.h"
#include "models/pe/mixpe/mixpe_bits.h"

namespace pesim::pe {

namespace {

constexpr num::FpEnv kRne{};
const num::FloatFormat kFp16 = num::FloatFormat::fp16();
const num::FloatFormat kFp32 = num::FloatFormat::fp32();

using mixpe_bits::low_bits;
using mixpe_bits::sign_extend;

// An integer as the numeric core's operand: a word of a two's-complement format wide enough to hold it.
num::IntFormat wide_int_format() { return num::IntFormat::make(62, true); }
uint64_t wide_int_word(int64_t value) { return low_bits(static_cast<uint64_t>(value), 62); }

}  // namespace

int MixPeConfig::group_bits() const { return std::bit_width(static_cast<unsigned>(group_size - 1)); }
int MixPeConfig::a_port_bits() const { return act_fp16 ? 32 : 8 + group_bits(); }
int MixPeConfig::sum_bits() const { return act_fp16 ? 32 : 8 + w_bits + group_bits(); }

MixPeCore::MixPeCore(const MixPeConfig& config)
    : m_config(config),
      m_weight_format(num::IntFormat::make(config.w_bits, config.w_signed)),
      m_kernel(MixPeKernel::make(config)) {}

void MixPeCore::mac_n(const uint64_t* a, const uint64_t* b, const uint64_t* acc_in, uint64_t* acc_out, size_t n) const {
  if (!m_kernel || kernel_path() == KernelPath::reference) return IPeCore::mac_n(a, b, acc_in, acc_out, n);
  m_kernel->run(*this, a, b, acc_in, acc_out, n);
}

PortWidths MixPeCore::widths() const {
  return {m_config.a_port_bits(), m_config.b_port_bits(), m_config.acc_port_bits(), m_config.out_format.width_bits()};
}

uint64_t MixPeCore::pack_acc(uint64_t y, uint64_t sum) const {
  return (y << m_config.sum_bits()) | low_bits(sum, m_config.sum_bits());
}

uint64_t MixPeCore::sum_of(uint64_t acc) const { return low_bits(acc, m_config.sum_bits()); }

uint64_t MixPeCore::mac_b(uint64_t q) const { return low_bits(q, m_config.w_bits); }

uint64_t MixPeCore::dequant_b(uint64_t scale_fp16, uint64_t zero_point) const {
  const int w = m_config.w_bits;
  return (uint64_t{1} << (16 + w)) | (low_bits(scale_fp16, 16) << w) | low_bits(zero_point, w);
}

bool MixPeCore::is_dequant(uint64_t b) const { return (b >> (16 + m_config.w_bits)) & 1; }
uint64_t MixPeCore::scale_of(uint64_t b) const { return low_bits(b >> m_config.w_bits, 16); }
uint64_t MixPeCore::zero_point_of(uint64_t b) const { return low_bits(b, m_config.w_bits); }

int64_t MixPeCore::weight_value(uint64_t word) const {
  const int w = m_config.w_bits;
  return m_config.w_signed ? sign_extend(word, w) : static_cast<int64_t>(low_bits(word, w));
}

uint64_t MixPeCore::mac(uint64_t a, uint64_t b, uint64_t acc) const {
  const uint64_t y = low_bits(acc >> m_config.sum_bits(), m_config.out_format.width_bits());
  const uint64_t sum = sum_of(acc);
  if (!is_dequant(b)) return pack_acc(y, accumulate(a, low_bits(b, m_config.w_bits), sum));
  return pack_acc(dequantize(a, scale_of(b), zero_point_of(b), y, sum), 0);
}

uint64_t MixPeCore::accumulate(uint64_t a, uint64_t q, uint64_t sum) const {
  const int64_t weight = weight_value(q);
  if (!m_config.act_fp16) {
    // Shift and add over q's bits is exact: S + a * q, wrapped into S's width.
    const int64_t product = sign_extend(a, 8) * weight;
    return low_bits(static_cast<uint64_t>(sign_extend(sum, m_config.sum_bits()) + product), m_config.sum_bits());
  }
  // The shifted copies of a's significand sum exactly to a * q (at most 11 + w bits): one fp32 rounding into S.
  const uint64_t q_fp16 = num::convert(wide_int_format(), wide_int_word(weight), kFp16, kRne).bits;
  return num::fma_mixed(kFp16, low_bits(a, 16), q_fp16, kFp32, sum, kFp32, kRne).bits;
}

uint64_t MixPeCore::dequantize(uint64_t group_sum_a, uint64_t scale, uint64_t zero_point, uint64_t y,
                               uint64_t sum) const {
  const int64_t z = weight_value(zero_point);
  const num::FloatFormat& out = m_config.out_format;
  if (!m_config.act_fp16) {
    // D = S - z * A is an exact integer of at most sum_bits + 1 bits; s * D is exact in a float format whose
    // significand holds D, so y + s * D is rounded once.
    const int64_t d = sign_extend(sum, m_config.sum_bits()) - z * sign_extend(group_sum_a, m_config.a_port_bits());
    const num::FloatFormat product_format = num::FloatFormat::ieee("dequant", 8, std::max(23, m_config.sum_bits()));
    const uint64_t d_word = num::convert(wide_int_format(), wide_int_word(d), product_format, kRne).bits;
    const uint64_t s_word = num::convert(kFp16, scale, product_format, kRne).bits;
    return num::fma_mixed(product_format, s_word, d_word, out, y, out, kRne).bits;
  }
  // D = RNE_fp32(S - z * A), then y + s * D rounded once; -z and s are exact in fp32 (-0 is never formed: z = 0
  // gives +0).
  const uint64_t minus_z = num::convert(wide_int_format(), wide_int_word(-z), kFp32, kRne).bits;
  const uint64_t d = num::fma_mixed(kFp32, minus_z, low_bits(group_sum_a, 32), kFp32, sum, kFp32, kRne).bits;
  const uint64_t s_word = num::convert(kFp16, scale, kFp32, kRne).bits;
  return num::fma_mixed(kFp32, s_word, d, out, y, out, kRne).bits;
}

uint64_t MixPeCore::negate_acc(uint64_t acc) const {
  const int sum_bits = m_config.sum_bits();
  const uint64_t y = low_bits(acc >> sum_bits, m_config.out_format.width_bits()) ^ m_config.out_format.sign_mask();
  const uint64_t sum = sum_of(acc);
  const uint64_t negated_sum = m_config.act_fp16 ? sum ^ kFp32.sign_mask() : low_bits(~sum + 1, sum_bits);
  return pack_acc(y, negated_sum);
}

uint64_t MixPeCore::quantize_a(double value) const {
  if (m_config.act_fp16) return num::from_double(kFp16, value, kRne).bits;
  return quantize_saturating(num::IntFormat::make(8, true), value);
}

uint64_t MixPeCore::quantize_b(double value) const { return mac_b(quantize_saturating(m_weight_format, value)); }

num::ExactValue MixPeCore::a_value(uint64_t a) const {
  if (m_config.act_fp16) return num::decode_float(kFp16, low_bits(a, 16), kRne);
  return num::decode_int(num::IntFormat::make(8, true), low_bits(a, 8));
}

num::ExactValue MixPeCore::b_value(uint64_t b) const {
  return num::decode_int(m_weight_format, low_bits(b, m_config.w_bits));
}

num::ExactValue MixPeCore::result_value(uint64_t result) const {
  return num::decode_float(m_config.out_format, result, kRne);
}

double MixPeCore::result_ulp(double magnitude) const { return num::ulp_at(m_config.out_format, magnitude); }

}  // namespace pesim::pe
