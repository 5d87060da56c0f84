// SPDX-License-Identifier: Apache-2.0
// An independent reference for pesim's floating-point core: operands decoded by this file's own decoder, the
// operation computed exactly by MPFR and rounded by MPFR to the format's precision, exponent range and
// subnormals, and the result encoded by this file's own encoder. It shares no code with models/num beyond the
// FloatFormat description and the flag constants.
#pragma once
#include <cstdint>

#include "models/num/float_format.h"
#include "models/num/rounding.h"

namespace pesim::test {

enum class OracleOp { Add, Mul, Fma, Convert };

struct OracleResult {
  uint64_t bits = 0;
  num::Flags flags = 0;
};

// a (+|*) b, a * b + c, or a converted from `fmt` into `out` (for Convert; otherwise out == fmt).
OracleResult oracle(OracleOp op, const num::FloatFormat& fmt, const num::FloatFormat& out, uint64_t a, uint64_t b,
                    uint64_t c, const num::FpEnv& env);

}  // namespace pesim::test
