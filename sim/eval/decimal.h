// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <string>

#include "models/num/exact_value.h"

namespace pesim::eval {

// Parses a decimal real ("-19", "3.25", "1e-3", "inf", "nan") into an ExactValue that rounds exactly as the real
// would at any bit position >= 2^lsb_exp (the destination's LSB). Returns false when `text` is not a number.
// Values too large to hold keep their low 100 bits above lsb_exp (all that wrapping can see) and stay out of range.
bool parse_decimal(const std::string& text, int32_t lsb_exp, num::ExactValue& out);

// The exact decimal expansion of raw * 2^exp (raw two's complement of `width_bits`, or unsigned).
std::string exact_decimal(uint64_t raw, int width_bits, bool is_signed, int32_t exp);

}  // namespace pesim::eval
