// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <string>

#include "models/num/int_format.h"
#include "models/pe/pe.h"

namespace pesim::pe {

// bitfusion: a BitFusion fusion unit (Sharma et al., ISCA 2018). 16 BitBricks (2-bit x 2-bit multipliers with a
// sign-extension bit) are fused into lanes = 16 / ((a_bits / 2) * (b_bits / 2)) products of a_bits x b_bits per
// operation: one 8x8, two 8x4, four 4x4, ... sixteen 2x2.
//
// Ports: a packs `lanes` activations of a_bits, b `lanes` weights of b_bits (lane i of a in bits
// [i * a_bits, (i + 1) * a_bits)), acc and result are acc_bits. mac(a, b, c) = c + sum over lanes of a_i * b_i, exact,
// wrapped into acc_bits (two's complement); each operand lane is signed or unsigned by its flag.
struct BitfusionConfig {
  int a_bits = 8;  // activation width: 2, 4 or 8
  bool a_signed = true;
  int b_bits = 4;  // weight width: 2, 4 or 8
  bool b_signed = true;
  int acc_bits = 32;  // accumulator, two's complement, wraps: 8..62

  int lanes() const { return 16 / ((a_bits / 2) * (b_bits / 2)); }
  std::string validate() const;  // empty when usable
};

// The scalar numeric views (quantize_a/b, a_value, b_value) see a word as one operand, lane 0's: quantize puts the
// operand in lane 0 and zeros in the others (so a chain of mac() steps computes the scalar dot product that the
// error analysis checks), a_value/b_value decode lane 0 and ignore the other lanes.
class BitfusionCore final : public IPeCore {
 public:
  explicit BitfusionCore(const BitfusionConfig& config);  // config must validate()

  PortWidths widths() const override;
  uint64_t mac(uint64_t a, uint64_t b, uint64_t acc) const override;
  uint64_t finish(uint64_t acc) const override { return acc; }
  bool finish_is_identity() const override { return true; }
  uint64_t zero_acc() const override { return 0; }
  uint64_t negate_acc(uint64_t acc) const override;  // wraps: the most negative value is its own negation
  uint64_t quantize_a(double value) const override;
  uint64_t quantize_b(double value) const override;
  num::ExactValue a_value(uint64_t a) const override;
  num::ExactValue b_value(uint64_t b) const override;
  num::ExactValue result_value(uint64_t result) const override;
  double result_ulp(double /*magnitude*/) const override { return 1.0; }

  const BitfusionConfig& config() const { return m_config; }

 private:
  BitfusionConfig m_config;
  num::IntFormat m_a_format;  // one lane of a
  num::IntFormat m_b_format;  // one lane of b
  num::IntFormat m_acc_format;
};

}  // namespace pesim::pe
