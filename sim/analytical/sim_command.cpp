// SPDX-License-Identifier: Apache-2.0
#include "sim/analytical/sim_command.h"

#include <fmt/format.h>

#include <chrono>
#include <nlohmann/json.hpp>

#include "pesim/version.h"
#include "sim/analytical/analytical_engine.h"
#include "workloads/zoo/model_zoo.h"

namespace pesim::analytical {

namespace {

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

array::ArchSpec load_arch(const SimRequest& r) {
  params::Settings settings = ends_with(r.arch, ".yaml") || ends_with(r.arch, ".yml") || ends_with(r.arch, ".cfg")
                                  ? array::read_arch_file(r.arch)
                                  : array::preset_settings(r.arch);
  for (auto& [key, setting] : params::parse_set_options(r.settings)) settings[key] = setting;
  return array::make_arch(settings);
}

// A zoo model's linear layers (MODEL:PHASE), each run `count` times per forward pass.
std::vector<workloads::LayerSpec> zoo_workload(const SimRequest& r) {
  const size_t colon = r.workload.find(':');
  workloads::Phase phase{};
  if (colon == std::string::npos || !workloads::parse_phase(r.workload.substr(colon + 1), phase)) {
    throw params::ParamError("--workload '" + r.workload +
                             "': a SCALE-Sim topology .csv or a zoo model MODEL:PHASE (pesim list zoo), PHASE "
                             "prefill or decode");
  }
  std::vector<workloads::LayerSpec> layers;
  try {
    const auto& model = workloads::find_model(r.workload.substr(0, colon));
    for (const auto& gemm : workloads::zoo_layers(model, phase, r.batch, r.sequence_length)) {
      workloads::LayerSpec layer;
      layer.name = gemm.name;
      layer.origin = "zoo " + r.workload;
      layer.is_gemm = true;
      layer.m = gemm.m;
      layer.n = gemm.n;
      layer.k = gemm.k;
      layer.repeat = gemm.count;
      layers.push_back(layer);
    }
  } catch (const std::invalid_argument& e) {
    throw params::ParamError("--workload '" + r.workload + "': " + e.what());
  }
  return layers;
}

struct Totals {
  int64_t macs = 0, compute_cycles = 0, stall_cycles = 0, sram_bytes = 0, dram_bytes = 0;
};

Totals add_up(const std::vector<LayerResult>& results) {
  Totals t;
  for (const LayerResult& l : results) {
    t.macs += l.dims.macs() * l.repeat;
    t.compute_cycles += l.compute_cycles * l.repeat;
    t.stall_cycles += l.stall_cycles * l.repeat;
    t.sram_bytes += l.sram.total() * l.repeat;
    t.dram_bytes += l.dram.total() * l.repeat;
  }
  return t;
}

double utilization(const array::ArchSpec& arch, int64_t macs, int64_t cycles) {
  return cycles > 0
             ? static_cast<double>(macs) / (static_cast<double>(cycles) * static_cast<double>(arch.rows * arch.cols))
             : 0.0;
}

void print_text(const SimRequest& r, const array::ArchSpec& arch, const std::vector<LayerResult>& results,
                double seconds, std::ostream& out) {
  out << fmt::format("pesim {} ({}) sim: {} on {}\n", kVersion, kGitDescribe, r.workload, r.arch);
  out << "arch        " << arch.params_text() << "\n";
  out << fmt::format("engine      {}, {} conventions\n", r.engine, r.compat.empty() ? "pesim" : "SCALE-Sim v2");
  out << fmt::format("{:<24} {:>8} {:>8} {:>8} {:>5} {:>12} {:>10} {:>12} {:>7} {:>14} {:>14}\n", "layer", "M", "N",
                     "K", "x", "cycles", "stalls", "total", "util%", "SRAM bytes", "DRAM bytes");
  for (const LayerResult& l : results) {
    out << fmt::format("{:<24} {:>8} {:>8} {:>8} {:>5} {:>12} {:>10} {:>12} {:>7.2f} {:>14} {:>14}\n", l.name, l.dims.m,
                       l.dims.n, l.dims.k, l.repeat, l.compute_cycles, l.stall_cycles, l.total_cycles(),
                       100 * l.utilization, l.sram.total(), l.dram.total());
  }
  const Totals t = add_up(results);
  const int64_t total = t.compute_cycles + t.stall_cycles;
  out << fmt::format(
      "total: {} cycles ({} stall), {:.3f} ms at {} MHz, utilization {:.2f}%, {} MACs, SRAM {} bytes, "
      "DRAM {} bytes; {} layers in {:.3f} s\n",
      total, t.stall_cycles, static_cast<double>(total) / (1000.0 * arch.clock_mhz), arch.clock_mhz,
      100 * utilization(arch, t.macs, total), t.macs, t.sram_bytes, t.dram_bytes, results.size(), seconds);
}

nlohmann::ordered_json layer_json(const LayerResult& l) {
  return {{"name", l.name},
          {"m", l.dims.m},
          {"n", l.dims.n},
          {"k", l.dims.k},
          {"repeat", l.repeat},
          {"folds", l.folds},
          {"compute_cycles", l.compute_cycles},
          {"stall_cycles", l.stall_cycles},
          {"total_cycles", l.total_cycles()},
          {"utilization", l.utilization},
          {"mapping_efficiency", l.mapping_efficiency},
          {"sram_ifmap_read_bytes", l.sram.ifmap_read_bytes},
          {"sram_filter_read_bytes", l.sram.filter_read_bytes},
          {"sram_ofmap_read_bytes", l.sram.ofmap_read_bytes},
          {"sram_ofmap_write_bytes", l.sram.ofmap_write_bytes},
          {"dram_ifmap_read_bytes", l.dram.ifmap_read_bytes},
          {"dram_filter_read_bytes", l.dram.filter_read_bytes},
          {"dram_ofmap_read_bytes", l.dram.ofmap_read_bytes},
          {"dram_ofmap_write_bytes", l.dram.ofmap_write_bytes}};
}

void print_json(const SimRequest& r, const array::ArchSpec& arch, const std::vector<LayerResult>& results,
                double seconds, std::ostream& out) {
  const Totals t = add_up(results);
  const int64_t total = t.compute_cycles + t.stall_cycles;
  // Totals first, layers last (insertion order), so that a reader of the first "total_cycles" gets the total.
  nlohmann::ordered_json layers = nlohmann::ordered_json::array();
  for (const LayerResult& l : results) layers.push_back(layer_json(l));
  nlohmann::ordered_json j{{"pesim_version", kGitDescribe},
                           {"arch", arch.params_text()},
                           {"workload", r.workload},
                           {"engine", r.engine},
                           {"conventions", r.compat.empty() ? "pesim" : r.compat},
                           {"total_cycles", total},
                           {"stall_cycles", t.stall_cycles},
                           {"macs", t.macs},
                           {"utilization", utilization(arch, t.macs, total)},
                           {"sram_bytes", t.sram_bytes},
                           {"dram_bytes", t.dram_bytes},
                           {"seconds", seconds},
                           {"layers", layers}};
  out << j.dump() << "\n";
}

// One row per layer; with --compat scalesim the first columns are SCALE-Sim v2's COMPUTE_REPORT.csv's.
void print_csv(const std::vector<LayerResult>& results, std::ostream& out) {
  out << "LayerID, Layer, Total Cycles, Stall Cycles, Overall Util %, Mapping Efficiency %, M, N, K, Repeat, "
         "SRAM Bytes, DRAM Bytes,\n";
  for (size_t i = 0; i < results.size(); ++i) {
    const LayerResult& l = results[i];
    out << fmt::format("{}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {},\n", i, l.name, l.total_cycles(), l.stall_cycles,
                       100 * l.utilization, 100 * l.mapping_efficiency, l.dims.m, l.dims.n, l.dims.k, l.repeat,
                       l.sram.total(), l.dram.total());
  }
}

}  // namespace

void add_sim_subcommand(CLI::App& app, SimRequest& r) {
  auto* cmd = app.add_subcommand("sim", "Run a workload on a systolic array of any PE: cycles, utilization, traffic");
  cmd->add_option("--arch", r.arch, "architecture: a preset (pesim list arch) or a .yaml / SCALE-Sim .cfg file")
      ->capture_default_str();
  cmd->add_option("--set", r.settings, "architecture parameters key=value[,...]; pe.KEY=VALUE for the PE");
  cmd->add_option("--workload", r.workload, "SCALE-Sim topology .csv (conv or M,N,K rows) or zoo MODEL:PHASE")
      ->required();
  cmd->add_option("--batch", r.batch, "zoo: sequences or images per pass")
      ->check(CLI::Range(1, 1 << 20))
      ->capture_default_str();
  cmd->add_option("--seq", r.sequence_length, "zoo: tokens per sequence (prefill)")
      ->check(CLI::Range(1, 1 << 24))
      ->capture_default_str();
  cmd->add_option("--engine", r.engine, "analytical (timing only)")
      ->check(CLI::IsMember({"analytical"}))
      ->capture_default_str();
  cmd->add_option("--compat", r.compat, "scalesim: SCALE-Sim v2's cycle counts, output sizes and utilization")
      ->check(CLI::IsMember({"scalesim"}));
  cmd->add_option("--format", r.format, "text, json or csv")
      ->check(CLI::IsMember({"text", "json", "csv"}))
      ->capture_default_str();
}

int run_sim(const SimRequest& r, std::ostream& out, std::ostream& err) {
  const auto start = std::chrono::steady_clock::now();
  array::ArchSpec arch;
  std::vector<workloads::LayerSpec> layers;
  try {
    arch = load_arch(r);
    layers = ends_with(r.workload, ".csv") ? workloads::read_scalesim_topology(r.workload) : zoo_workload(r);
  } catch (const std::runtime_error& e) {  // params::ParamError, workloads::TopologyError
    err << "pesim sim: " << e.what() << "\n";
    return 2;
  }
  const Convention convention = r.compat == "scalesim" ? Convention::ScaleSim : Convention::Pesim;
  std::vector<LayerResult> results;
  results.reserve(layers.size());
  for (const auto& layer : layers) results.push_back(analyze_layer(arch, layer, convention));
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (r.format == "json") {
    print_json(r, arch, results, seconds, out);
  } else if (r.format == "csv") {
    print_csv(results, out);
  } else {
    print_text(r, arch, results, seconds, out);
  }
  return 0;
}

}  // namespace pesim::analytical
