// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <cstdint>

#include "models/num/float_format.h"
#include "models/num/int_format.h"
#include "models/pe/mixpe/mixpe_kernel.h"
#include "models/pe/pe.h"

namespace pesim::pe {

// MixPE: the mixed-precision PE of quantized LLM inference (low-bit weights q with a scale s_g and zero point z_g per
// group of G weights along K). Products are formed without a multiplier, by shift and add over q's bits
// (a * q = sum_i q_i * (a << i), the MSB weighted negatively when q is signed), accumulated raw per group, and
// dequantized once per group: y += s_g * (S - z_g * A), S = sum of a * q over the group, A = sum of a over the group.
// A is the same for every output column, so it is not kept per PE: the group unit at the array's activation edge sums
// the group's activations and sends A down the activation lane in the group's dequant slot.
//
// Two operations, selected by b's top bit (op):
//   op 0, MAC:     S' = S + a * q                 y' = y
//   op 1, DEQUANT: S' = 0                          y' = RNE_y(y + s * D), D = S - z * A
//
// Ports (bit 0 is the LSB):
//   a   MAC: the activation in its low bits (int8: bits 7..0, fp16: bits 15..0; higher bits are ignored).
//       DEQUANT: A, the group's activation sum (int8: a two's-complement integer of 8 + ceil(log2 G) bits, which holds
//       any sum of G int8 values; fp16: an fp32 word, the group unit's fp32 sum).
//   b   {op, s (fp16), payload}: MAC: q in bits w-1..0 (bits above are ignored); DEQUANT: z in bits w-1..0 and s in
//       bits w+15..w. q and z are w-bit integers, both signed or both unsigned.
//   acc {y, S}: S in the low bits, y (fp32 or fp16, the output format) above it. result = y.
//
// The group sum S and D:
//   act=int8 (W4A8): S is a two's-complement integer of 8 + w + ceil(log2 G) bits, which holds G products exactly;
//       it wraps (a chain longer than G may overflow). D = S - z * A is exact (one bit wider), and y' is one fused
//       rounding of y + s * D, s * D exact. The integer part is thus the exact integer mpGEMM of the group.
//   act=fp16 (W4A16): S is fp32. Each product a * q is exact (the fp16 significand times q by shift and add, at a's
//       exponent: at most 11 + w bits) and is added to S with one RNE rounding: S' = fma(a, q, S) in fp32.
//       D = RNE_fp32(S - z * A) (z * A exact), then y' = RNE_y(y + s * D) (s * D exact): two roundings per group.
// All floating-point steps are IEEE (RNE, subnormals, canonical NaN), bit for bit the numeric core's fma_mixed.
//
// Cycles: datapath=parallel forms a product in one cycle (w shifted adds in a tree); datapath=serial adds one
// shifted copy of a per cycle, so every operation, DEQUANT included, occupies the PE for w cycles.
struct MixPeConfig {
  bool act_fp16 = false;  // false: int8 activations (W4A8); true: fp16 activations (W4A16)
  int w_bits = 4;
  bool w_signed = false;
  int group_size = 128;
  num::FloatFormat out_format = num::FloatFormat::fp32();  // y
  bool serial = false;

  int group_bits() const;   // ceil(log2 G)
  int a_port_bits() const;  // int8: 8 + ceil(log2 G); fp16: 32
  int sum_bits() const;     // S: int8: 8 + w + ceil(log2 G); fp16: 32
  int b_port_bits() const { return 1 + 16 + w_bits; }
  int acc_port_bits() const { return sum_bits() + out_format.width_bits(); }
};

class MixPeCore final : public IPeCore {
 public:
  explicit MixPeCore(const MixPeConfig& config);

  PortWidths widths() const override;
  uint64_t mac(uint64_t a, uint64_t b, uint64_t acc) const override;
  // The fast kernel (mixpe_kernel.h) where the configuration has one, else mac() step by step.
  void mac_n(const uint64_t* a, const uint64_t* b, const uint64_t* acc_in, uint64_t* acc_out, size_t n) const override;
  bool has_fast_kernel() const { return m_kernel.has_value(); }
  uint64_t finish(uint64_t acc) const override { return acc >> m_config.sum_bits(); }
  uint64_t zero_acc() const override { return 0; }
  uint64_t negate_acc(uint64_t acc) const override;
  // Numeric views of a MAC operation: the activation word, and a MAC b word (op 0) holding the nearest q.
  uint64_t quantize_a(double value) const override;
  uint64_t quantize_b(double value) const override;
  num::ExactValue a_value(uint64_t a) const override;
  num::ExactValue b_value(uint64_t b) const override;  // q of a MAC word
  num::ExactValue result_value(uint64_t result) const override;
  double result_ulp(double magnitude) const override;
  // Activations per token, weights min-max per group, a DEQUANT operation after each group (mixpe_gemm.cpp).
  std::optional<GemmMapping> map_gemm(const std::vector<double>& a, const std::vector<double>& b, int64_t m, int64_t n,
                                      int64_t k) const override;

  const MixPeConfig& config() const { return m_config; }

  // Port words, for drivers of the PE (the error analysis, the array simulator).
  uint64_t mac_b(uint64_t q) const;                                    // op 0
  uint64_t dequant_b(uint64_t scale_fp16, uint64_t zero_point) const;  // op 1
  uint64_t pack_acc(uint64_t y, uint64_t sum) const;
  uint64_t sum_of(uint64_t acc) const;
  // Fields of a b word (the layout above): its op bit, and a DEQUANT word's scale s and zero point z.
  bool is_dequant(uint64_t b) const;
  uint64_t scale_of(uint64_t b) const;
  uint64_t zero_point_of(uint64_t b) const;

 private:
  uint64_t accumulate(uint64_t a, uint64_t q, uint64_t sum) const;
  uint64_t dequantize(uint64_t group_sum_a, uint64_t scale, uint64_t zero_point, uint64_t y, uint64_t sum) const;
  int64_t weight_value(uint64_t word) const;  // q or z

  MixPeConfig m_config;
  num::IntFormat m_weight_format;
  std::optional<MixPeKernel> m_kernel;
};

}  // namespace pesim::pe
