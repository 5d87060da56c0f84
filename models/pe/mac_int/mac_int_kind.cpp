// SPDX-License-Identifier: Apache-2.0
#include "models/pe/mac_int/mac_int_kind.h"

#include "models/pe/mac_int/mac_int_core.h"

namespace pesim::pe {

namespace {

using Type = params::ParamSpec::Type;

std::vector<params::ParamSpec> mac_int_params() {
  return {
      {"a_bits", Type::Int, "8", "bits", "width of operand a", {}, 1, 32},
      {"a_signed", Type::Bool, "1", "", "operand a is two's complement (else unsigned)"},
      {"b_bits", Type::Int, "8", "bits", "width of operand b", {}, 1, 32},
      {"b_signed", Type::Bool, "1", "", "operand b is two's complement (else unsigned)"},
      {"acc_bits", Type::Int, "32", "bits", "width of the accumulator", {}, 2, 62},
      {"acc_signed", Type::Bool, "1", "", "accumulator is two's complement (else unsigned)"},
      {"saturate", Type::Bool, "0", "", "the accumulator saturates (else it wraps, as in Verilog and C)"},
  };
}

num::IntFormat int_format(const params::ParamValues& values, const std::string& prefix) {
  return num::IntFormat::make(static_cast<int>(values.get_int(prefix + "_bits")), values.get_bool(prefix + "_signed"));
}

PeInstance make_mac_int(const params::ParamValues& values) {
  MacIntConfig config;
  config.a_format = int_format(values, "a");
  config.b_format = int_format(values, "b");
  config.acc_format = int_format(values, "acc");
  config.acc_format.saturate = values.get_bool("saturate");
  PeInstance pe;
  pe.core = std::make_unique<MacIntCore>(config);
  pe.rtl.top_module = "mac_int";
  pe.rtl.parameters = {{"A_W", config.a_format.width_bits},     {"A_SIGNED", config.a_format.is_signed},
                       {"B_W", config.b_format.width_bits},     {"B_SIGNED", config.b_format.is_signed},
                       {"C_W", config.acc_format.width_bits},   {"C_SIGNED", config.acc_format.is_signed},
                       {"SATURATE", config.acc_format.saturate}};
  return pe;
}

}  // namespace

PeKind mac_int_kind() {
  return {"mac_int", "integer multiply-accumulate PE, INTa x INTb -> INTacc (the baseline)", mac_int_params,
          make_mac_int};
}

}  // namespace pesim::pe
