// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <cstdint>

#include "models/num/float_format.h"
#include "models/num/int_format.h"
#include "models/pe/fma_fp/fma_fp_core.h"
#include "models/pe/pe.h"

namespace pesim::pe {

// dequant_fma: the dequantize-in-the-loop PE of a GPU running W4A16 (the baseline MixPE is measured against).
// Every weight is dequantized to the activation format inside the inner loop, then an IEEE FMA accumulates it.
//
// Ports: a is an activation word (act format). b = {s, z, q}: q in bits [w-1:0], z in [2w-1:w], s in [2w+15:2w]
// (w = w_bits); q and z are w-bit integers, both unsigned or both two's complement (w_signed); s is the scale word
// in the act format. acc, c and the result are acc-format words.
// One step, with RNE throughout and the numeric core's specials (canonical NaN, subnormals kept):
//   1. d = q - z, exact: a (w + 1)-bit two's-complement integer, |d| <= 2^w - 1, so act(d) is exact in fp16 and
//      in bf16.
//   2. weight = num::mul(act, act(d), s): one rounding into the act format (the dequantized weight).
//   3. acc_out = num::fma_mixed(act, a, weight, acc, c, acc): one IEEE fused multiply-add, as fma_fp norm=exact.
// finish is the identity; zero_acc is +0; negate_acc flips the sign bit.
// Numeric views: quantize_a rounds to the nearest act word. quantize_b(v) encodes the weight with s = 1.0 and
// q - z = v rounded to the nearest integer (ties to even) and saturated to [-2^(w-1), 2^(w-1) - 1], NaN -> 0:
// z = 0 when signed, z = 2^(w-1) (offset binary) when unsigned. b_value is the exact value of the dequantized
// weight of step 2 (after its rounding), a_value and result_value decode the act and acc words.
struct DequantFmaConfig {
  int w_bits = 4;  // width of q and z, bits (2..8)
  bool w_signed = false;
  num::FloatFormat act_format = num::FloatFormat::fp16();  // activations a and scales s
  num::FloatFormat acc_format = num::FloatFormat::fp32();
};

class DequantFmaCore final : public IPeCore {
 public:
  explicit DequantFmaCore(const DequantFmaConfig& config);

  PortWidths widths() const override;
  uint64_t mac(uint64_t a, uint64_t b, uint64_t acc) const override;
  uint64_t finish(uint64_t acc) const override { return acc; }
  bool finish_is_identity() const override { return true; }
  uint64_t zero_acc() const override { return 0; }
  uint64_t negate_acc(uint64_t acc) const override { return m_fma.negate_acc(acc); }
  uint64_t quantize_a(double value) const override { return m_fma.quantize_a(value); }
  uint64_t quantize_b(double value) const override;
  num::ExactValue a_value(uint64_t a) const override { return m_fma.a_value(a); }
  num::ExactValue b_value(uint64_t b) const override { return m_fma.a_value(dequantized_weight(b)); }
  num::ExactValue result_value(uint64_t result) const override { return m_fma.result_value(result); }
  double result_ulp(double magnitude) const override { return m_fma.result_ulp(magnitude); }

  // Steps 1 and 2: the act-format word of the weight that b encodes.
  uint64_t dequantized_weight(uint64_t b) const;
  // The b word of the integers q, z (each the low w_bits of its two's complement) and the scale word s.
  uint64_t pack_b(uint64_t q, uint64_t z, uint64_t s) const;

 private:
  DequantFmaConfig m_config;
  num::IntFormat m_diff_format;  // d = q - z: w_bits + 1, two's complement
  FmaFpCore m_fma;               // step 3 (norm=exact, in = act)
};

}  // namespace pesim::pe
