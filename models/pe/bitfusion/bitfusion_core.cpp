// SPDX-License-Identifier: Apache-2.0
#include "models/pe/bitfusion/bitfusion_core.h"

#include "models/pe/exact_mac.h"

namespace pesim::pe {

namespace {

uint64_t mask_bits(int bits) { return bits >= 64 ? ~uint64_t{0} : (uint64_t{1} << bits) - 1; }

bool is_brick_multiple(int bits) { return bits == 2 || bits == 4 || bits == 8; }

// Lane `lane` of a port word that packs operands of `bits` each, as an integer.
int64_t lane_value(uint64_t word, int lane, int bits, bool is_signed) {
  const uint64_t raw = (word >> (lane * bits)) & mask_bits(bits);
  const bool negative = is_signed && ((raw >> (bits - 1)) & 1) != 0;
  return static_cast<int64_t>(raw) - (negative ? int64_t{1} << bits : 0);
}

}  // namespace

std::string BitfusionConfig::validate() const {
  if (!is_brick_multiple(a_bits)) return "a_bits must be 2, 4 or 8, not " + std::to_string(a_bits);
  if (!is_brick_multiple(b_bits)) return "b_bits must be 2, 4 or 8, not " + std::to_string(b_bits);
  if (acc_bits < 1 || acc_bits > 62) return "acc_bits must be 1..62, not " + std::to_string(acc_bits);
  return {};
}

BitfusionCore::BitfusionCore(const BitfusionConfig& config)
    : m_config(config),
      m_a_format(num::IntFormat::make(config.a_bits, config.a_signed)),
      m_b_format(num::IntFormat::make(config.b_bits, config.b_signed)),
      m_acc_format(num::IntFormat::make(config.acc_bits, true)) {}

PortWidths BitfusionCore::widths() const {
  const int lanes = m_config.lanes();
  return {lanes * m_config.a_bits, lanes * m_config.b_bits, m_config.acc_bits, m_config.acc_bits, lanes};
}

uint64_t BitfusionCore::mac(uint64_t a, uint64_t b, uint64_t acc) const {
  // |a_i * b_i| <= 2^16 and at most 16 lanes: the dot product is exact in int64. The sum with acc is taken modulo
  // 2^64 (unsigned, so wrapping is defined) and its low acc_bits kept: the two's-complement wrap.
  int64_t dot = 0;
  for (int lane = 0; lane < m_config.lanes(); ++lane) {
    dot += lane_value(a, lane, m_config.a_bits, m_config.a_signed) *
           lane_value(b, lane, m_config.b_bits, m_config.b_signed);
  }
  return (acc + static_cast<uint64_t>(dot)) & mask_bits(m_config.acc_bits);
}

uint64_t BitfusionCore::negate_acc(uint64_t acc) const { return (uint64_t{0} - acc) & mask_bits(m_config.acc_bits); }

uint64_t BitfusionCore::quantize_a(double value) const {
  return quantize_saturating(m_a_format, value);  // lane 0; the other lanes hold 0
}

uint64_t BitfusionCore::quantize_b(double value) const { return quantize_saturating(m_b_format, value); }

num::ExactValue BitfusionCore::a_value(uint64_t a) const {
  return num::decode_int(m_a_format, a & mask_bits(m_config.a_bits));
}

num::ExactValue BitfusionCore::b_value(uint64_t b) const {
  return num::decode_int(m_b_format, b & mask_bits(m_config.b_bits));
}

num::ExactValue BitfusionCore::result_value(uint64_t result) const { return num::decode_int(m_acc_format, result); }

}  // namespace pesim::pe
