// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <cstdint>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "models/num/fixed_format.h"
#include "models/num/float_format.h"
#include "models/num/int_format.h"
#include "models/params/param.h"

namespace pesim::num {

// Any format pesim computes in. All three decode to and encode from ExactValue, so any operation can take
// operands of one format and round into another.
using NumberFormat = std::variant<FloatFormat, IntFormat, FixedFormat>;

int width_bits(const NumberFormat& fmt);
std::string format_name(const NumberFormat& fmt);
ExactValue decode(const NumberFormat& fmt, uint64_t bits, const FpEnv& env);
uint64_t encode(const NumberFormat& fmt, const ExactValue& v, const FpEnv& env, Flags& flags);

// Builds a format from its name and options. Names: fp64 fp32 tf32 fp16 bf16 e5m2 e4m3 e3m2 e2m3 e2m1, any eXmY
// (IEEE-like unless options say otherwise), intN / uintN, fixed / ufixed (W and I required).
// Reads only the keys its format declares and records them in `used`; throws params::ParamError on an unknown
// name or a bad value.
NumberFormat parse_number_format(const std::string& name, const params::Settings& options, std::set<std::string>& used);

// Every option a format of this family accepts, with defaults taken from `name`'s preset.
std::vector<params::ParamSpec> format_option_specs(const std::string& name);

// The named formats, for `pesim list formats`: name and one-line description.
std::vector<std::pair<std::string, std::string>> named_formats();

}  // namespace pesim::num
