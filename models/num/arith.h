// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <cstdint>

#include "models/num/number_format.h"

namespace pesim::num {

// The public face of the numeric core: pure functions on raw bit patterns, each with exactly one rounding into
// the destination format, exception flags returned with the result.
struct OpResult {
  uint64_t bits = 0;
  Flags flags = 0;
};

OpResult add(const NumberFormat& fmt, uint64_t a, uint64_t b, const FpEnv& env = {});
OpResult mul(const NumberFormat& fmt, uint64_t a, uint64_t b, const FpEnv& env = {});
OpResult fma(const NumberFormat& fmt, uint64_t a, uint64_t b, uint64_t c, const FpEnv& env = {});  // a * b + c
OpResult convert(const NumberFormat& from, uint64_t a, const NumberFormat& to, const FpEnv& env = {});
// A host double rounded (once) into `to`.
OpResult from_double(const NumberFormat& to, double value, const FpEnv& env = {});

// Mixed-format fused multiply-add, as in a PE: a, b in `product_fmt`, c in `addend_fmt`, one rounding into `out_fmt`.
OpResult fma_mixed(const NumberFormat& product_fmt, uint64_t a, uint64_t b, const NumberFormat& addend_fmt, uint64_t c,
                   const NumberFormat& out_fmt, const FpEnv& env = {});

}  // namespace pesim::num
