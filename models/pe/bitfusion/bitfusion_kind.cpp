// SPDX-License-Identifier: Apache-2.0
#include "models/pe/bitfusion/bitfusion_kind.h"

#include "models/pe/bitfusion/bitfusion_core.h"

namespace pesim::pe {

namespace {

using Type = params::ParamSpec::Type;

// a_bits and b_bits are choices (the widths a 2-bit brick grid fuses to), read back as integers.
std::vector<params::ParamSpec> bitfusion_params() {
  return {
      {"a_bits", Type::Choice, "8", "bits", "width of each activation (a lane of operand a)", {"2", "4", "8"}},
      {"a_signed", Type::Bool, "1", "", "activations are two's complement (else unsigned)"},
      {"b_bits", Type::Choice, "4", "bits", "width of each weight (a lane of operand b)", {"2", "4", "8"}},
      {"b_signed", Type::Bool, "1", "", "weights are two's complement (else unsigned)"},
      {"acc_bits", Type::Int, "32", "bits", "width of the accumulator (two's complement, wraps)", {}, 8, 62},
  };
}

PeInstance make_bitfusion(const params::ParamValues& values) {
  BitfusionConfig config;
  config.a_bits = std::stoi(values.get_choice("a_bits"));
  config.a_signed = values.get_bool("a_signed");
  config.b_bits = std::stoi(values.get_choice("b_bits"));
  config.b_signed = values.get_bool("b_signed");
  config.acc_bits = static_cast<int>(values.get_int("acc_bits"));
  const std::string problem = config.validate();
  if (!problem.empty()) throw params::ParamError("bitfusion parameters: " + problem);
  PeInstance pe;
  pe.core = std::make_unique<BitfusionCore>(config);
  pe.rtl.top_module = "bitfusion";
  pe.rtl.parameters = {{"A_W", config.a_bits},
                       {"A_SIGNED", config.a_signed},
                       {"B_W", config.b_bits},
                       {"B_SIGNED", config.b_signed},
                       {"C_W", config.acc_bits}};
  return pe;
}

}  // namespace

PeKind bitfusion_kind() {
  return {"bitfusion",
          "BitFusion-style fusion unit: 16 2-bit bricks fused into 2/4/8-bit products (lanes per cycle follow from the "
          "widths)",
          bitfusion_params, make_bitfusion};
}

}  // namespace pesim::pe
