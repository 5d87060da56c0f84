// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "models/params/param.h"
#include "models/pe/pe.h"

namespace pesim::array {

// Which operand stays in the PEs while the others stream through (Sr x Sc spatial, T temporal; see engine docs).
enum class Dataflow : uint8_t { WeightStationary, OutputStationary, InputStationary };
const char* dataflow_name(Dataflow d);  // "ws", "os", "is"

// An accelerator: an R x C systolic array of one PE kind, double-buffered SRAMs for inputs (ifmap), weights (filter)
// and outputs (ofmap), and a DRAM interface. Every parameter is declared once (arch_param_specs); the PE's own
// parameters are given as pe.KEY.
struct ArchSpec {
  int64_t rows = 32, cols = 32;
  Dataflow dataflow = Dataflow::WeightStationary;
  int64_t ifmap_sram_bytes = 0, filter_sram_bytes = 0, ofmap_sram_bytes = 0;
  int64_t dram_bytes_per_cycle = 0;
  int64_t clock_mhz = 0;
  // The vector unit beside the array runs the non-GEMM operations (norms, softmax, activations, residual adds):
  // each lane takes one element per cycle per pass (sim/analytical/vector_engine.h has the cost model).
  int64_t vector_lanes = 32;
  int64_t vector_element_bits = 16;  // element size of the vector unit's tensors in SRAM and DRAM
  pe::PeInstance pe;

  std::string params_text() const;  // every parameter, pe.* included, accepted back by --set
};

std::vector<params::ParamSpec> arch_param_specs();

// The architecture these settings describe; keys "pe.KEY" configure the PE. Throws params::ParamError naming the
// key and where it came from.
ArchSpec make_arch(const params::Settings& settings);

// Named architectures (`pesim list arch`): settings, or throws ParamError listing the presets.
struct ArchPreset {
  std::string name;
  std::string help;
  std::string settings;  // "k=v,..." as for --set
};
const std::vector<ArchPreset>& arch_presets();
params::Settings preset_settings(const std::string& name);

// Settings from a file: pesim's YAML (keys as in arch_param_specs, the PE's under a `pe_params:` map) or a
// SCALE-Sim .cfg ([architecture_presets] ArrayHeight, ArrayWidth, IfmapSramSzkB, FilterSramSzkB, OfmapSramSzkB,
// Dataflow, Bandwidth). Each setting's origin is FILE:LINE. Throws params::ParamError naming the file, line and key.
params::Settings read_arch_file(const std::string& path);

// What the command line's --arch and --set give: a preset name or a file (.yaml, .yml, .cfg), then each --set text
// ("k=v,k2=v2") overriding its keys.
ArchSpec load_arch(const std::string& preset_or_file, const std::vector<std::string>& set_options);

}  // namespace pesim::array
