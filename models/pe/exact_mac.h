// SPDX-License-Identifier: Apache-2.0
#pragma once
#include "models/num/number_format.h"
#include "models/pe/pe.h"

namespace pesim::pe {

// The core of MACs whose datapath is exact until one conversion into the accumulator format: integer and
// fixed-point MACs. mac = convert_acc(c + a * b), with a, b, c decoded exactly from their own formats.
class ExactMacCore : public IPeCore {
 public:
  ExactMacCore(num::NumberFormat a_format, num::NumberFormat b_format, num::NumberFormat acc_format);

  PortWidths widths() const override;
  uint64_t mac(uint64_t a, uint64_t b, uint64_t acc) const override;
  uint64_t finish(uint64_t acc) const override { return acc; }
  bool finish_is_identity() const override { return true; }
  uint64_t zero_acc() const override { return 0; }
  uint64_t negate_acc(uint64_t acc) const override;
  uint64_t quantize_a(double value) const override;
  uint64_t quantize_b(double value) const override;
  num::ExactValue a_value(uint64_t a) const override;
  num::ExactValue b_value(uint64_t b) const override;
  num::ExactValue result_value(uint64_t result) const override;
  double result_ulp(double magnitude) const override;

 protected:
  const num::NumberFormat& b_format() const { return m_b_format; }

 private:
  num::NumberFormat m_a_format;
  num::NumberFormat m_b_format;
  num::NumberFormat m_acc_format;
};

// The value `value` rounded to nearest (ties to even) and saturated into `fmt` (an integer or fixed format).
uint64_t quantize_saturating(const num::NumberFormat& fmt, double value);

}  // namespace pesim::pe
