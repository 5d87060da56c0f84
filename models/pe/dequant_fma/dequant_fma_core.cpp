// SPDX-License-Identifier: Apache-2.0
#include "models/pe/dequant_fma/dequant_fma_core.h"

#include "models/num/arith.h"
#include "models/pe/exact_mac.h"

namespace pesim::pe {

namespace {

constexpr num::FpEnv kRne{};
constexpr int kScaleBits = 16;  // s is a 16-bit act-format word (fp16 or bf16)

FmaFpConfig step3_config(const DequantFmaConfig& config) {
  FmaFpConfig fma;
  fma.in_format = config.act_format;
  fma.acc_format = config.acc_format;
  return fma;
}

}  // namespace

DequantFmaCore::DequantFmaCore(const DequantFmaConfig& config)
    : m_config(config), m_diff_format(num::IntFormat::make(config.w_bits + 1, true)), m_fma(step3_config(config)) {}

PortWidths DequantFmaCore::widths() const {
  const int acc_bits = m_config.acc_format.width_bits();
  return {m_config.act_format.width_bits(), 2 * m_config.w_bits + kScaleBits, acc_bits, acc_bits};
}

uint64_t DequantFmaCore::pack_b(uint64_t q, uint64_t z, uint64_t s) const {
  const int w = m_config.w_bits;
  const uint64_t mask = (uint64_t{1} << w) - 1;
  return ((s & ((uint64_t{1} << kScaleBits) - 1)) << (2 * w)) | ((z & mask) << w) | (q & mask);
}

uint64_t DequantFmaCore::dequantized_weight(uint64_t b) const {
  const int w = m_config.w_bits;
  const uint64_t mask = (uint64_t{1} << w) - 1;
  const uint64_t q = b & mask, z = (b >> w) & mask, s = (b >> (2 * w)) & ((uint64_t{1} << kScaleBits) - 1);
  // q - z in w + 1 bits: sign- or zero-extend both, subtract modulo 2^(w+1); the difference always fits.
  const uint64_t extend = m_config.w_signed ? ~mask : 0;
  const uint64_t q_ext = ((q >> (w - 1)) & 1) != 0 ? q | extend : q;
  const uint64_t z_ext = ((z >> (w - 1)) & 1) != 0 ? z | extend : z;
  const uint64_t d = (q_ext - z_ext) & ((uint64_t{1} << (w + 1)) - 1);
  const uint64_t d_act = num::convert(m_diff_format, d, m_config.act_format, kRne).bits;  // exact
  return num::mul(m_config.act_format, d_act, s, kRne).bits;
}

uint64_t DequantFmaCore::mac(uint64_t a, uint64_t b, uint64_t acc) const {
  return m_fma.mac(a, dequantized_weight(b), acc);
}

uint64_t DequantFmaCore::quantize_b(double value) const {
  const int w = m_config.w_bits;
  const uint64_t d = quantize_saturating(num::IntFormat::make(w, true), value);  // q - z, w-bit two's complement
  const uint64_t z = m_config.w_signed ? 0 : uint64_t{1} << (w - 1);
  const uint64_t one = num::from_double(m_config.act_format, 1.0, kRne).bits;
  return pack_b(d ^ z, z, one);  // unsigned: q = d + 2^(w-1) mod 2^w flips the top bit
}

}  // namespace pesim::pe
