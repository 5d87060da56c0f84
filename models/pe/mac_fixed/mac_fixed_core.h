// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <optional>
#include <vector>

#include "models/num/fixed_format.h"
#include "models/pe/exact_mac.h"
#include "models/pe/mac_fixed/fixed_mac_kernel.h"

namespace pesim::pe {

// mac_fixed: the FPGA fixed-point MAC with HLS semantics, acc = ap_fixed<acc>(c + a * b): the product and the sum at
// full precision, the accumulator's quantization and overflow modes applied once, on assignment.
//
// khot = K > 0 is the multiplier-free variant (QFX's K-hot): the weight b is a sum of at most K signed powers of two,
// and each multiply is K shifts and adds. The b port then holds K terms of term_bits = 2 + exp_bits each (term k in
// bits [(k+1)*term_bits-1 : k*term_bits]) as {enable (MSB), negative, exp}, exp_bits = max(1, ceil(log2(b W))). A
// term's value is +-2^(exp - F_b), F_b = b's fraction bits, for every exp field value.
struct MacFixedConfig {
  num::FixedFormat a_format{8, 3, true};
  num::FixedFormat b_format{8, 2, true};
  num::FixedFormat acc_format{24, 10, true};
  int khot_terms = 0;  // K; 0 = the b port is a b-format word and the PE multiplies
};

class MacFixedCore final : public ExactMacCore {
 public:
  explicit MacFixedCore(const MacFixedConfig& config);

  PortWidths widths() const override;
  // FixedMacKernel where the formats allow it (every configuration the parameters accept but the most extreme LSB
  // offsets), else ExactMacCore's; mac_n on the reference path runs ExactMacCore::mac step by step.
  uint64_t mac(uint64_t a, uint64_t b, uint64_t acc) const override;
  void mac_n(const uint64_t* a, const uint64_t* b, const uint64_t* acc_in, uint64_t* acc_out, size_t n) const override;
  bool has_fast_kernel() const { return m_kernel.has_value(); }
  num::ExactValue b_value(uint64_t b) const override;
  uint64_t quantize_b(double value) const override;

  int khot_exp_bits() const;
  int khot_term_bits() const { return 2 + khot_exp_bits(); }

 private:
  struct KhotCode {
    int64_t value_lsbs;  // the weight in units of 2^-F_b
    uint64_t word;       // its b-port encoding, fewest terms
  };
  std::vector<KhotCode> enumerate_khot_codes() const;

  MacFixedConfig m_config;
  std::vector<KhotCode> m_khot_codes;  // sorted by value; the quantizer's table (khot > 0)
  std::optional<FixedMacKernel> m_kernel;
};

}  // namespace pesim::pe
