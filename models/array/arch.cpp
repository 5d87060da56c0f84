// SPDX-License-Identifier: Apache-2.0
#include "models/array/arch.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <fstream>
#include <map>
#include <sstream>

#include "models/params/input_file.h"
#include "models/params/yaml_input.h"
#include "models/pe/registry.h"

namespace pesim::array {

namespace {

using Type = params::ParamSpec::Type;
constexpr const char* kPePrefix = "pe.";

std::vector<std::string> pe_kind_names() {
  std::vector<std::string> names;
  for (const pe::PeKind& kind : pe::pe_kinds()) names.push_back(kind.name);
  return names;
}

Dataflow parse_dataflow(const std::string& name) {
  if (name == "os") return Dataflow::OutputStationary;
  if (name == "is") return Dataflow::InputStationary;
  return Dataflow::WeightStationary;
}

// Splits settings into the array's own and the PE's (pe.KEY, prefix removed).
void split_settings(const params::Settings& all, params::Settings& arch, params::Settings& pe) {
  for (const auto& [key, setting] : all) {
    if (key.rfind(kPePrefix, 0) == 0) {
      pe[key.substr(3)] = setting;
    } else {
      arch[key] = setting;
    }
  }
}

}  // namespace

const char* dataflow_name(Dataflow d) {
  switch (d) {
    case Dataflow::OutputStationary:
      return "os";
    case Dataflow::InputStationary:
      return "is";
    case Dataflow::WeightStationary:
      break;
  }
  return "ws";
}

// Far beyond any on-chip buffer or memory interface, and small enough that the byte and bit counts pesim forms from
// them (areas, energies, SCALE-Sim's KiB) stay inside 64 bits.
constexpr int64_t kMaxSramBytes = int64_t{1} << 40;
constexpr int64_t kMaxDramBytesPerCycle = int64_t{1} << 30;

std::vector<params::ParamSpec> arch_param_specs() {
  return {
      {"rows", Type::Int, "32", "PEs", "R: array rows (the reduction K maps onto rows in ws and is)", {}, 1, 4096},
      {"cols", Type::Int, "32", "PEs", "C: array columns", {}, 1, 4096},
      {"dataflow", Type::Choice, "ws", "", "ws: weights stay in the PEs; os: outputs; is: inputs", {"ws", "os", "is"}},
      {"pe", Type::Choice, "mac_int", "", "PE kind (its parameters as pe.KEY=VALUE; pesim list pes)", pe_kind_names()},
      {"ifmap_sram_bytes", Type::Int, "262144", "bytes", "input (activation) SRAM, both halves", {}, 2, kMaxSramBytes},
      {"filter_sram_bytes", Type::Int, "131072", "bytes", "weight SRAM, both halves", {}, 2, kMaxSramBytes},
      {"ofmap_sram_bytes", Type::Int, "131072", "bytes", "output SRAM, both halves", {}, 2, kMaxSramBytes},
      {"dram_bytes_per_cycle",
       Type::Int,
       "128",
       "bytes/cycle",
       "DRAM interface bandwidth",
       {},
       1,
       kMaxDramBytesPerCycle},
      {"clock_mhz", Type::Int, "500", "MHz", "array clock", {}, 1, 100000},
      // The vector unit (norms, softmax, activations, adds); 32 lanes: one per column of the default array.
      {"vector_lanes", Type::Int, "32", "lanes", "vector unit: elements per cycle per pass", {}, 1, 65536},
      {"vector_element_bits", Type::Int, "16", "bits", "vector unit: bits per element (fp16/bf16)", {}, 1, 64},
  };
}

ArchSpec make_arch(const params::Settings& settings) {
  params::Settings arch_settings, pe_settings;
  split_settings(settings, arch_settings, pe_settings);
  const std::vector<params::ParamSpec> specs = arch_param_specs();
  params::ParamValues::reject_unknown(arch_settings, specs);
  const params::ParamValues values(specs, arch_settings);
  ArchSpec arch;
  arch.rows = values.get_int("rows");
  arch.cols = values.get_int("cols");
  arch.dataflow = parse_dataflow(values.get_choice("dataflow"));
  arch.ifmap_sram_bytes = values.get_int("ifmap_sram_bytes");
  arch.filter_sram_bytes = values.get_int("filter_sram_bytes");
  arch.ofmap_sram_bytes = values.get_int("ofmap_sram_bytes");
  arch.dram_bytes_per_cycle = values.get_int("dram_bytes_per_cycle");
  arch.clock_mhz = values.get_int("clock_mhz");
  arch.vector_lanes = values.get_int("vector_lanes");
  arch.vector_element_bits = values.get_int("vector_element_bits");
  arch.pe = pe::make_pe(values.get_choice("pe"), pe_settings);
  return arch;
}

std::string ArchSpec::params_text() const {
  std::string text = fmt::format(
      "rows={},cols={},dataflow={},pe={},ifmap_sram_bytes={},filter_sram_bytes={},ofmap_sram_bytes={},"
      "dram_bytes_per_cycle={},clock_mhz={},vector_lanes={},vector_element_bits={}",
      rows, cols, dataflow_name(dataflow), pe.kind, ifmap_sram_bytes, filter_sram_bytes, ofmap_sram_bytes,
      dram_bytes_per_cycle, clock_mhz, vector_lanes, vector_element_bits);
  for (const auto& [key, value] : pe.params) text += fmt::format(",pe.{}={}", key, value);
  return text;
}

const std::vector<ArchPreset>& arch_presets() {
  // The MixPE authors' setup (../shared/papers.md, section 1): 500 MHz, weight SRAM 128 KiB, activation SRAM
  // 256 KiB, output SRAM 128 KiB, a 1024-bit (128 B/cycle) memory interface, and equal-area arrays.
  static const std::string kMixpeMemory =
      "ifmap_sram_bytes=262144,filter_sram_bytes=131072,ofmap_sram_bytes=131072,dram_bytes_per_cycle=128,"
      "clock_mhz=500";
  static const std::vector<ArchPreset> presets{
      {"mixpe-w4a8", "MixPE W4A8, 64x64 (the MixPE paper's equal-area array)",
       "rows=64,cols=64,pe=mixpe,pe.act=int8," + kMixpeMemory},
      {"mixpe-w4a16", "MixPE W4A16, 32x32", "rows=32,cols=32,pe=mixpe,pe.act=fp16," + kMixpeMemory},
      {"fp16", "FP16 FMA (fp32 accumulation), 32x28",
       "rows=32,cols=28,pe=fma_fp,pe.in=fp16,pe.acc=fp32," + kMixpeMemory},
      {"int8", "INT8 MAC, 32x32", "rows=32,cols=32,pe=mac_int," + kMixpeMemory},
      {"bitfusion", "BitFusion (8-bit activations x 4-bit weights), 32x40",
       "rows=32,cols=40,pe=bitfusion,pe.a_bits=8,pe.b_bits=4," + kMixpeMemory},
      {"scalesim", "SCALE-Sim v2's default: 32x32 output-stationary, 64 KiB SRAMs, 10 bytes/cycle, int8",
       "rows=32,cols=32,dataflow=os,pe=mac_int,ifmap_sram_bytes=65536,filter_sram_bytes=65536,"
       "ofmap_sram_bytes=65536,dram_bytes_per_cycle=10,clock_mhz=1000"},
  };
  return presets;
}

params::Settings preset_settings(const std::string& name) {
  std::vector<std::string> names;
  for (const ArchPreset& preset : arch_presets()) {
    names.push_back(preset.name);
    if (preset.name != name) continue;
    params::Settings settings;
    params::parse_assignments(preset.settings, "preset " + name, settings);
    return settings;
  }
  const std::string nearest = params::nearest_name(name, names);
  throw params::ParamError("unknown architecture '" + name + "'" +
                           (nearest.empty() ? "" : " (did you mean '" + nearest + "'?)") +
                           "; a preset (pesim list arch) or a .yaml/.cfg file");
}

namespace {

std::string where(const std::string& path, const YAML::Node& node) {
  return fmt::format("{}:{}", path, node.Mark().line + 1);
}

params::Settings read_yaml(const std::string& path) {
  YAML::Node root;
  root = params::load_yaml_input(path, "architecture file");
  if (!root.IsMap()) throw params::ParamError(path + ": expected a map of architecture parameters");
  params::Settings settings;
  for (const auto& entry : root) {
    const std::string key = entry.first.as<std::string>();
    if (key == "pe_params") {
      if (!entry.second.IsMap()) throw params::ParamError(where(path, entry.second) + ": pe_params: expected a map");
      for (const auto& pe_entry : entry.second) {
        if (!pe_entry.second.IsScalar()) {
          throw params::ParamError(where(path, pe_entry.second) + ": pe_params." + pe_entry.first.as<std::string>() +
                                   ": expected a value");
        }
        settings[kPePrefix + pe_entry.first.as<std::string>()] = {pe_entry.second.as<std::string>(),
                                                                  where(path, pe_entry.first)};
      }
      continue;
    }
    if (!entry.second.IsScalar())
      throw params::ParamError(where(path, entry.second) + ": " + key + ": expected a value");
    settings[key] = {entry.second.as<std::string>(), where(path, entry.first)};
  }
  return settings;
}

// SCALE-Sim's .cfg keys and what they become; sizes are in KiB there.
struct CfgKey {
  const char* setting;
  int64_t multiplier;
};
const std::map<std::string, CfgKey>& cfg_keys() {
  static const std::map<std::string, CfgKey> keys{
      {"ArrayHeight", {"rows", 1}},
      {"ArrayWidth", {"cols", 1}},
      {"IfmapSramSzkB", {"ifmap_sram_bytes", 1024}},
      {"FilterSramSzkB", {"filter_sram_bytes", 1024}},
      {"OfmapSramSzkB", {"ofmap_sram_bytes", 1024}},
      {"Dataflow", {"dataflow", 0}},
      {"Bandwidth", {"dram_bytes_per_cycle", 1}},  // words per cycle; SCALE-Sim's words are one byte
  };
  return keys;
}

// Keys SCALE-Sim defines that do not describe the array pesim models (addresses, run names, memory banks).
bool ignored_cfg_key(const std::string& key) {
  static const char* ignored[] = {"run_name",          "IfmapOffset",       "FilterOffset",
                                  "OfmapOffset",       "MemoryBanks",       "InterfaceBandwidth",
                                  "UseRamulatorTrace", "ReadRequestBuffer", "WriteRequestBuffer"};
  for (const char* name : ignored) {
    if (key == name) return true;
  }
  return false;
}

params::Settings read_cfg(const std::string& path) {
  std::istringstream file(params::read_input_file(path, "architecture file"));
  params::Settings settings;
  std::string line;
  for (int number = 1; std::getline(file, line); ++number) {
    line = line.substr(0, line.find('#'));
    const size_t first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos || line[first] == '[') continue;
    const size_t colon = line.find_first_of(":=");
    const std::string at = fmt::format("{}:{}", path, number);
    if (colon == std::string::npos) throw params::ParamError(at + ": expected 'Key : value'");
    const auto strip = [](std::string s) {
      s.erase(0, s.find_first_not_of(" \t\r"));
      s.erase(s.find_last_not_of(" \t\r") + 1);
      return s;
    };
    const std::string key = strip(line.substr(0, colon));
    const std::string value = strip(line.substr(colon + 1));
    if (ignored_cfg_key(key)) continue;
    const auto found = cfg_keys().find(key);
    if (found == cfg_keys().end()) {
      throw params::ParamError(at + ": unknown SCALE-Sim key '" + key + "'");
    }
    std::string converted = value;
    if (found->second.multiplier > 1) {
      size_t used = 0;
      int64_t kib = -1;
      try {
        kib = std::stoll(value, &used);
      } catch (const std::exception&) {
        used = 0;
      }
      if (used != value.size() || kib < 0 || kib > INT64_MAX / found->second.multiplier) {
        throw params::ParamError(at + ": " + key + ": '" + value + "' is not a size in KiB");
      }
      converted = std::to_string(kib * found->second.multiplier);
    }
    const auto [previous, inserted] = settings.emplace(found->second.setting, params::Setting{converted, at});
    if (!inserted) {
      throw params::ParamError(at + ": " + key + " sets " + found->second.setting + ", already set at " +
                               previous->second.origin);
    }
  }
  return settings;
}

}  // namespace

params::Settings read_arch_file(const std::string& path) {
  if (path.size() > 4 && path.substr(path.size() - 4) == ".cfg") return read_cfg(path);
  return read_yaml(path);
}

namespace {

bool is_arch_file(const std::string& name) {
  for (const std::string suffix : {".yaml", ".yml", ".cfg"}) {
    if (name.size() >= suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0) {
      return true;
    }
  }
  return false;
}

}  // namespace

ArchSpec load_arch(const std::string& preset_or_file, const std::vector<std::string>& set_options) {
  params::Settings settings =
      is_arch_file(preset_or_file) ? read_arch_file(preset_or_file) : preset_settings(preset_or_file);
  for (auto& [key, setting] : params::parse_set_options(set_options)) settings[key] = setting;
  return make_arch(settings);
}

}  // namespace pesim::array
