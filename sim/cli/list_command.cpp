// SPDX-License-Identifier: Apache-2.0
#include "sim/cli/list_command.h"

#include <fmt/format.h>

#include <ostream>

#include "models/array/arch.h"
#include "models/num/number_format.h"
#include "models/pe/registry.h"
#include "sim/analytical/vector_engine.h"
#include "workloads/zoo/cnn_zoo.h"
#include "workloads/zoo/model_zoo.h"

namespace pesim::cli {

namespace {

void print_specs(const std::vector<params::ParamSpec>& specs, std::ostream& out) {
  for (const auto& s : specs) {
    std::string type = s.type == params::ParamSpec::Type::Int    ? "int"
                       : s.type == params::ParamSpec::Type::Bool ? "bool"
                                                                 : "choice";
    if (!s.choices.empty()) {
      type += " {";
      for (size_t i = 0; i < s.choices.size(); ++i) type += (i ? "," : "") + s.choices[i];
      type += "}";
    }
    out << fmt::format("      {:<14} {:<8} default {:<8} {:<5} {}\n", s.name, type.substr(0, type.find(' ')),
                       s.default_value.empty() ? "required" : s.default_value, s.unit, s.help);
    if (!s.choices.empty()) out << fmt::format("      {:<14} {}\n", "", type.substr(type.find(' ') + 1));
  }
}

int list_pes(std::ostream& out) {
  out << "PE kinds (pesim cosim|error KIND --set key=value,...):\n";
  for (const auto& kind : pe::pe_kinds()) {
    out << fmt::format("  {:<10} {}\n", kind.name, kind.help);
    print_specs(pe::all_param_specs(kind), out);
  }
  return 0;
}

int list_zoo(std::ostream& out) {
  out << "Built-in zoo: linear layers per transformer block, K x N (pesim error KIND --zoo MODEL:PHASE:LAYER)\n";
  for (const auto& model : workloads::zoo_models()) {
    out << fmt::format("  {:<11} d={} heads={} ffn={} blocks={}{}\n", model.name, model.hidden, model.heads, model.ffn,
                       model.layers,
                       model.tokens_per_image ? fmt::format(" tokens/image={}", model.tokens_per_image) : "");
    out << "             ";
    for (const auto& layer : workloads::zoo_layers(model, workloads::Phase::Prefill, 1, 1)) {
      out << fmt::format(" {} {}x{}", layer.name, layer.k, layer.n);
    }
    out << "\n";
  }
  out << "  M = batch x sequence length (prefill; vision: batch x tokens/image) or batch (decode, LLMs)\n";
  out << "  pesim sim --workload MODEL:PHASE runs a block's graph: these, attention's two matmuls per head and the\n"
         "  vector ops (norms, RoPE, softmax, activation, residual adds); every op once per block\n";
  out << "Convolutional networks (pesim sim --workload NAME [--batch B]):\n";
  for (const std::string& name : workloads::cnn_names()) {
    const auto layers = workloads::cnn_layers(name, 1);
    int64_t macs = 0;
    for (const auto& layer : layers) {
      macs += workloads::gemm_dims(layer, workloads::OutputSizeRule::Floor).macs() * layer.repeat;
    }
    out << fmt::format("  {:<12} {} layers, {:.2f} GMACs per image\n", name, layers.size(),
                       1e-9 * static_cast<double>(macs));
  }
  out << "Vector-unit ops (workload files: type NAME, elements N; each pass takes vector_lanes elements a cycle):\n";
  for (const workloads::VectorKindInfo& kind : workloads::vector_kinds()) {
    out << fmt::format("  {:<12} {} pass{}, {} input{}: {}\n", kind.name, analytical::vector_passes(kind.kind),
                       analytical::vector_passes(kind.kind) > 1 ? "es" : "", kind.input_tensors,
                       kind.input_tensors > 1 ? "s" : "", kind.help);
  }
  return 0;
}

int list_arch(std::ostream& out) {
  out << "Architecture parameters (pesim sim --arch PRESET|FILE --set key=value; pe.KEY=VALUE for the PE):\n";
  print_specs(array::arch_param_specs(), out);
  out << "Presets:\n";
  for (const array::ArchPreset& preset : array::arch_presets()) {
    out << fmt::format("  {:<12} {}\n  {:<12} {}\n", preset.name, preset.help, "", preset.settings);
  }
  return 0;
}

}  // namespace

int run_list(const std::string& topic, std::ostream& out, std::ostream& err) {
  if (topic == "pes") return list_pes(out);
  if (topic == "zoo") return list_zoo(out);
  if (topic == "arch") return list_arch(out);
  if (topic != "formats") {
    err << "pesim list: unknown topic '" << topic << "' (known: formats, pes, zoo, arch)\n";
    return 2;
  }
  out << "Number formats (pesim eval OP.FMT --set key=value):\n";
  for (const auto& [name, description] : num::named_formats()) {
    out << fmt::format("  {:<15} {}\n", name, description);
  }
  for (const char* family : {"fp32", "int8", "fixed"}) {
    out << fmt::format("  options of {} formats:\n", family[0] == 'f' && family[1] == 'p' ? "floating-point"
                                                     : family[0] == 'i'                   ? "integer"
                                                                                          : "fixed-point");
    print_specs(num::format_option_specs(family), out);
  }
  out << "  options of every operation: rm {rne,rtz,rdn,rup,rmm} (default rne), ftz 0|1, daz 0|1\n";
  return 0;
}

}  // namespace pesim::cli
