// SPDX-License-Identifier: Apache-2.0
#include "models/pe/fma_fp/fma_fp_kind.h"

#include <set>

#include "models/num/number_format.h"
#include "models/pe/fma_fp/fma_fp_core.h"

namespace pesim::pe {

namespace {

using Type = params::ParamSpec::Type;

std::vector<params::ParamSpec> fma_fp_params() {
  return {
      {"in", Type::Choice, "bf16", "", "format of the operands a and b", {"bf16", "fp16", "e4m3", "e5m2"}},
      {"acc", Type::Choice, "fp32", "", "format of the accumulator (the result)", {"fp32", "bf16", "fp16"}},
      {"norm",
       Type::Choice,
       "exact",
       "",
       "exact: IEEE fused multiply-add per step; approx: approximate normalization, exact at the array edge",
       {"exact", "approx"}},
      {"window_bits",
       Type::Choice,
       "full",
       "bits",
       "norm=approx: leading-one search window and maximum left shift per step",
       {"1", "2", "4", "8", "full"}},
  };
}

num::FloatFormat float_format(const std::string& name) {
  std::set<std::string> used;
  return std::get<num::FloatFormat>(num::parse_number_format(name, {}, used));
}

PeInstance make_fma_fp(const params::ParamValues& values) {
  FmaFpConfig config;
  config.in_format = float_format(values.get_choice("in"));
  config.acc_format = float_format(values.get_choice("acc"));
  config.approximate = values.get_choice("norm") == "approx";
  const std::string window = values.get_choice("window_bits");
  if (!config.approximate && window != "full") {
    throw params::ParamError("parameter 'window_bits' applies only to norm=approx (norm=exact normalizes fully)");
  }
  config.window_bits = window == "full" ? 0 : std::stoi(window);

  PeInstance pe;
  pe.core = std::make_unique<FmaFpCore>(config);
  const num::FloatFormat& in = config.in_format;
  const num::FloatFormat& acc = config.acc_format;
  pe.rtl.top_module = "fma_fp";
  pe.rtl.parameters = {{"IN_EXP", in.exp_bits},    {"IN_MAN", in.man_bits},        {"IN_BIAS", in.bias},
                       {"IN_HAS_INF", in.has_inf}, {"ACC_EXP", acc.exp_bits},      {"ACC_MAN", acc.man_bits},
                       {"ACC_BIAS", acc.bias},     {"APPROX", config.approximate}, {"WINDOW", config.window_bits}};
  return pe;
}

}  // namespace

PeKind fma_fp_kind() {
  return {"fma_fp", "floating-point multiply-add PE of a systolic matrix engine, exact or approximate normalization",
          fma_fp_params, make_fma_fp};
}

}  // namespace pesim::pe
