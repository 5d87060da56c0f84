// SPDX-License-Identifier: Apache-2.0
#include "models/pe/registry.h"

#include "models/pe/bitfusion/bitfusion_kind.h"
#include "models/pe/dequant_fma/dequant_fma_kind.h"
#include "models/pe/fma_fp/fma_fp_kind.h"
#include "models/pe/mac_fixed/mac_fixed_kind.h"
#include "models/pe/mac_int/mac_int_kind.h"
#include "models/pe/mixpe/mixpe_kind.h"

namespace pesim::pe {

const std::vector<PeKind>& pe_kinds() {
  static const std::vector<PeKind> kinds{bitfusion_kind(), dequant_fma_kind(), fma_fp_kind(),
                                         mac_fixed_kind(), mac_int_kind(),     mixpe_kind()};
  return kinds;
}

std::vector<params::ParamSpec> common_param_specs() {
  return {{"stages",
           params::ParamSpec::Type::Int,
           "1",
           "cycles",
           "pipeline depth: a result leaves this many cycles after its operands enter",
           {},
           1,
           8}};
}

std::vector<params::ParamSpec> all_param_specs(const PeKind& kind) {
  std::vector<params::ParamSpec> specs = kind.param_specs();
  for (auto& spec : common_param_specs()) specs.push_back(std::move(spec));
  return specs;
}

PeInstance make_pe(const std::string& kind_name, const params::Settings& settings) {
  std::vector<std::string> names;
  for (const PeKind& kind : pe_kinds()) {
    names.push_back(kind.name);
    if (kind.name != kind_name) continue;
    const std::vector<params::ParamSpec> specs = all_param_specs(kind);
    params::ParamValues::reject_unknown(settings, specs);
    const params::ParamValues values(specs, settings);
    PeInstance pe = kind.make(values);
    pe.kind = kind.name;
    for (const auto& spec : specs) {
      pe.params[spec.name] = spec.type == params::ParamSpec::Type::Int    ? std::to_string(values.get_int(spec.name))
                             : spec.type == params::ParamSpec::Type::Bool ? (values.get_bool(spec.name) ? "1" : "0")
                                                                          : values.get_choice(spec.name);
    }
    // The kind's own datapath latency (1 for a one-cycle datapath) plus the output pipeline's extra stages.
    const int stages = static_cast<int>(values.get_int("stages"));
    pe.timing.latency_cycles += stages - 1;
    pe.rtl.parameters["STAGES"] = stages;
    return pe;
  }
  const std::string nearest = params::nearest_name(kind_name, names);
  throw params::ParamError("unknown PE kind '" + kind_name + "'" +
                           (nearest.empty() ? "" : " (did you mean '" + nearest + "'?)") +
                           "; `pesim list pes` shows every kind");
}

double cycles_per_mac(const PeTiming& timing, const PortWidths& widths) {
  return timing.initiation_interval_cycles * timing.operations_per_mac / widths.lanes;
}

std::string PeInstance::params_text() const {
  std::string text;
  for (const auto& [name, value] : params) text += (text.empty() ? "" : ",") + name + "=" + value;
  return text;
}

}  // namespace pesim::pe
