// SPDX-License-Identifier: Apache-2.0
#include "models/pe/mixpe/mixpe_kind.h"

#include "models/pe/mixpe/mixpe_core.h"

namespace pesim::pe {

namespace {

using Type = params::ParamSpec::Type;

std::vector<params::ParamSpec> mixpe_params() {
  return {
      {"act", Type::Choice, "int8", "", "activation format: int8 (W4A8) or fp16 (W4A16)", {"int8", "fp16"}},
      {"w_bits", Type::Int, "4", "bits", "weight width (q and the zero point z)", {}, 2, 8},
      {"w_signed", Type::Bool, "0", "", "q and z are two's complement (else unsigned)"},
      {"group_size", Type::Int, "128", "weights", "G: weights along K sharing one scale and zero point", {}, 1, 4096},
      {"out", Type::Choice, "fp32", "", "format of the dequantized output y", {"fp32", "fp16"}},
      {"datapath",
       Type::Choice,
       "parallel",
       "",
       "parallel: one product per cycle (w shifted adds); serial: one weight bit per cycle (w cycles per operation)",
       {"parallel", "serial"}},
  };
}

// A DEQUANT operation as mixpe_dequant_unit's ports see it: A on a, z and s from b, S and y from the partial sum;
// its out_y is the y of the core's result.
std::function<std::optional<UnitOperation>(uint64_t, uint64_t, uint64_t)> dequant_unit_operation(
    const MixPeConfig& config) {
  auto core = std::make_shared<const MixPeCore>(config);
  return [core](uint64_t a, uint64_t b, uint64_t acc) -> std::optional<UnitOperation> {
    if (!core->is_dequant(b)) return std::nullopt;  // a MAC: the PE's own work
    return UnitOperation{{{"in_group_sum_a", a},
                          {"in_scale", core->scale_of(b)},
                          {"in_zero_point", core->zero_point_of(b)},
                          {"in_sum", core->sum_of(acc)},
                          {"in_y", core->finish(acc)}},
                         "out_y",
                         core->finish(core->mac(a, b, acc))};
  };
}

PeInstance make_mixpe(const params::ParamValues& values) {
  MixPeConfig config;
  config.act_fp16 = values.get_choice("act") == "fp16";
  config.w_bits = static_cast<int>(values.get_int("w_bits"));
  config.w_signed = values.get_bool("w_signed");
  config.group_size = static_cast<int>(values.get_int("group_size"));
  config.out_format = values.get_choice("out") == "fp16" ? num::FloatFormat::fp16() : num::FloatFormat::fp32();
  config.serial = values.get_choice("datapath") == "serial";

  PeInstance pe;
  pe.core = std::make_unique<MixPeCore>(config);
  if (config.serial) pe.timing = {config.w_bits, config.w_bits};
  pe.timing.operations_per_mac = static_cast<double>(config.group_size + 1) / config.group_size;
  const num::FloatFormat& out = config.out_format;
  pe.rtl.top_module = "mixpe";
  const std::map<std::string, int64_t> arithmetic = {{"ACT_FP16", config.act_fp16}, {"W_BITS", config.w_bits},
                                                     {"W_SIGNED", config.w_signed}, {"GROUP", config.group_size},
                                                     {"OUT_EXP", out.exp_bits},     {"OUT_MAN", out.man_bits},
                                                     {"OUT_BIAS", out.bias}};
  pe.rtl.parameters = arithmetic;
  pe.rtl.parameters["SERIAL"] = config.serial;
  // The dequantization unit is used once per group of G MACs, so an array shares it between PEs: it is costed on
  // its own.
  pe.rtl.cost_parameters = {{"DEQUANT_UNIT", 0}};
  // In memory: activations of 8 or 16 bits, w-bit weights plus an fp16 scale and a w-bit zero point per group.
  pe.memory = {config.act_fp16 ? 16.0 : 8.0, config.w_bits + (16.0 + config.w_bits) / config.group_size,
               static_cast<double>(out.width_bits())};
  pe.shared_units.push_back({"dequant",
                             "PEs that finish their groups on different cycles (each needs it once per G MACs)",
                             {"mixpe_dequant_unit", arithmetic, {}, "mixpe"},
                             dequant_unit_operation(config)});
  return pe;
}

}  // namespace

PeKind mixpe_kind() {
  return {"mixpe",
          "MixPE: low-bit weights x int8/fp16 activations by shift and add, dequantized once per group (W4A8, W4A16)",
          mixpe_params, make_mixpe};
}

}  // namespace pesim::pe
