// SPDX-License-Identifier: Apache-2.0
#include "models/pe/dequant_fma/dequant_fma_kind.h"

#include <set>

#include "models/num/number_format.h"
#include "models/pe/dequant_fma/dequant_fma_core.h"

namespace pesim::pe {

namespace {

using Type = params::ParamSpec::Type;

std::vector<params::ParamSpec> dequant_fma_params() {
  return {
      {"w_bits", Type::Int, "4", "bits", "width of the quantized weight q and its zero point z", {}, 2, 8},
      {"w_signed", Type::Bool, "0", "", "q and z are two's complement (else unsigned)"},
      {"act", Type::Choice, "fp16", "", "format of the activations a and the scales s", {"fp16", "bf16"}},
      {"acc", Type::Choice, "fp32", "", "format of the accumulator (the result)", {"fp32", "fp16"}},
  };
}

num::FloatFormat float_format(const std::string& name) {
  std::set<std::string> used;
  return std::get<num::FloatFormat>(num::parse_number_format(name, {}, used));
}

PeInstance make_dequant_fma(const params::ParamValues& values) {
  DequantFmaConfig config;
  config.w_bits = static_cast<int>(values.get_int("w_bits"));
  config.w_signed = values.get_bool("w_signed");
  config.act_format = float_format(values.get_choice("act"));
  config.acc_format = float_format(values.get_choice("acc"));

  PeInstance pe;
  pe.core = std::make_unique<DequantFmaCore>(config);
  const num::FloatFormat& act = config.act_format;
  const num::FloatFormat& acc = config.acc_format;
  pe.rtl.top_module = "dequant_fma";
  pe.rtl.parameters = {{"W_BITS", config.w_bits}, {"W_SIGNED", config.w_signed}, {"IN_EXP", act.exp_bits},
                       {"IN_MAN", act.man_bits},  {"IN_BIAS", act.bias},         {"ACC_EXP", acc.exp_bits},
                       {"ACC_MAN", acc.man_bits}, {"ACC_BIAS", acc.bias}};
  // In memory the weights are w-bit q (a kernel keeps s and z per group, as MixPE does: their share is left out).
  pe.memory = {static_cast<double>(act.width_bits()), static_cast<double>(config.w_bits),
               static_cast<double>(acc.width_bits())};
  return pe;
}

}  // namespace

PeKind dequant_fma_kind() {
  return {"dequant_fma",
          "dequantize-in-the-loop baseline (GPU-style W4A16): w = (q - z) * s rounded to fp16, then an fp16 FMA",
          dequant_fma_params, make_dequant_fma};
}

}  // namespace pesim::pe
