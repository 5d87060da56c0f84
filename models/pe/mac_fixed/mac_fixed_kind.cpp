// SPDX-License-Identifier: Apache-2.0
#include "models/pe/mac_fixed/mac_fixed_kind.h"

#include <algorithm>

#include "models/pe/mac_fixed/mac_fixed_core.h"

namespace pesim::pe {

namespace {

using Type = params::ParamSpec::Type;

std::vector<params::ParamSpec> operand_params(const std::string& prefix, const std::string& what, int width,
                                              int int_bits) {
  return {
      {prefix + "_bits", Type::Int, std::to_string(width), "bits", "W of " + what, {}, 1, 32},
      {prefix + "_int_bits",
       Type::Int,
       std::to_string(int_bits),
       "bits",
       "I of " + what + " (sign included)",
       {},
       -32,
       64},
      {prefix + "_signed", Type::Bool, "1", "", what + " is ap_fixed (else ap_ufixed)"},
  };
}

std::vector<params::ParamSpec> mac_fixed_params() {
  std::vector<params::ParamSpec> specs = operand_params("a", "operand a (activation)", 8, 3);
  for (auto& s : operand_params("b", "operand b (weight)", 8, 2)) specs.push_back(s);
  for (auto& s : operand_params("acc", "the accumulator", 24, 10)) specs.push_back(s);
  specs[6].max_value = 48;
  specs.push_back({"quantization",
                   Type::Choice,
                   "AP_TRN",
                   "",
                   "HLS quantization mode of the accumulator",
                   {"AP_RND", "AP_RND_ZERO", "AP_RND_MIN_INF", "AP_RND_INF", "AP_RND_CONV", "AP_TRN", "AP_TRN_ZERO"}});
  specs.push_back({"overflow",
                   Type::Choice,
                   "AP_WRAP",
                   "",
                   "HLS overflow mode of the accumulator",
                   {"AP_SAT", "AP_SAT_ZERO", "AP_SAT_SYM", "AP_WRAP", "AP_WRAP_SM"}});
  specs.push_back({"khot",
                   Type::Int,
                   "0",
                   "terms",
                   "multiplier-free weights: at most this many signed powers of two (0: a multiplier)",
                   {},
                   0,
                   4});
  return specs;
}

num::FixedFormat fixed_format(const params::ParamValues& values, const std::string& prefix) {
  num::FixedFormat f;
  f.width_bits = static_cast<int>(values.get_int(prefix + "_bits"));
  f.int_bits = static_cast<int>(values.get_int(prefix + "_int_bits"));
  f.is_signed = values.get_bool(prefix + "_signed");
  return f;
}

// The exact sum c + a * b must fit the numeric core's 125-bit exact significand: from the finest fraction bit to
// the top integer bit (plus a carry), at most kMaxExactSumBits.
constexpr int kMaxExactSumBits = 124;

void check_exact_sum_width(const MacFixedConfig& config, const MacFixedCore& core) {
  const int frac_a = config.a_format.width_bits - config.a_format.int_bits;
  const int frac_b = config.b_format.width_bits - config.b_format.int_bits;
  const int frac_c = config.acc_format.width_bits - config.acc_format.int_bits;
  int int_b = config.b_format.int_bits;
  if (config.khot_terms > 0) {  // largest K-hot weight: K * 2^(2^exp_bits - 1 - F_b)
    int k_bits = 0;
    while ((1 << k_bits) < config.khot_terms) ++k_bits;
    int_b = (1 << core.khot_exp_bits()) - frac_b + k_bits + 1;
  }
  const int top = std::max(config.a_format.int_bits + int_b, config.acc_format.int_bits) + 1;
  const int bits = top + std::max(frac_a + frac_b, frac_c);
  if (bits > kMaxExactSumBits) {
    throw params::ParamError("parameters a_*, b_*, acc_*: the exact sum c + a * b spans " + std::to_string(bits) +
                             " bits (integer bits of the product or accumulator plus the finest fraction bits); "
                             "pesim computes it exactly up to " +
                             std::to_string(kMaxExactSumBits) + " bits");
  }
}

void check_format(const num::FixedFormat& f, const std::string& prefix) {
  const std::string problem = f.validate();
  if (!problem.empty()) throw params::ParamError("parameters '" + prefix + "_*' (" + f.name() + "): " + problem);
}

PeInstance make_mac_fixed(const params::ParamValues& values) {
  MacFixedConfig config;
  config.a_format = fixed_format(values, "a");
  config.b_format = fixed_format(values, "b");
  config.acc_format = fixed_format(values, "acc");
  num::parse_quantization(values.get_choice("quantization"), config.acc_format.quantization);
  num::parse_overflow(values.get_choice("overflow"), config.acc_format.overflow);
  config.khot_terms = static_cast<int>(values.get_int("khot"));
  check_format(config.a_format, "a");
  check_format(config.b_format, "b");
  check_format(config.acc_format, "acc");

  PeInstance pe;
  auto core = std::make_unique<MacFixedCore>(config);
  check_exact_sum_width(config, *core);
  pe.rtl.top_module = "mac_fixed";
  const auto& a = config.a_format;
  const auto& b = config.b_format;
  const auto& c = config.acc_format;
  pe.rtl.parameters = {{"A_W", a.width_bits},
                       {"A_I", a.int_bits},
                       {"A_SIGNED", a.is_signed},
                       {"B_W", b.width_bits},
                       {"B_I", b.int_bits},
                       {"B_SIGNED", b.is_signed},
                       {"C_W", c.width_bits},
                       {"C_I", c.int_bits},
                       {"C_SIGNED", c.is_signed},
                       {"Q_MODE", static_cast<int64_t>(c.quantization)},
                       {"O_MODE", static_cast<int64_t>(c.overflow)},
                       {"KHOT", config.khot_terms}};
  pe.core = std::move(core);
  return pe;
}

}  // namespace

PeKind mac_fixed_kind() {
  return {"mac_fixed", "FPGA fixed-point MAC with HLS ap_fixed semantics, optionally multiplier-free (K-hot weights)",
          mac_fixed_params, make_mac_fixed};
}

}  // namespace pesim::pe
