// SPDX-License-Identifier: Apache-2.0
#include "sim/analytical/sim_command.h"

#include <fmt/format.h>

#include <chrono>
#include <nlohmann/json.hpp>

#include "pesim/version.h"
#include "sim/analytical/analytical_engine.h"
#include "sim/cycle/systolic_engine.h"
#include "sim/error/pe_error.h"
#include "workloads/values/value_stream.h"
#include "workloads/zoo/cnn_zoo.h"
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

// A zoo model's linear layers (MODEL:PHASE), each run `count` times per forward pass, or a built-in CNN's layers.
std::vector<workloads::LayerSpec> zoo_workload(const SimRequest& r) {
  const size_t colon = r.workload.find(':');
  if (colon == std::string::npos) {
    try {
      return workloads::cnn_layers(r.workload, r.batch);
    } catch (const std::invalid_argument& e) {
      throw params::ParamError("--workload '" + r.workload + "': " + e.what() +
                               "; or a topology .csv, or a zoo model MODEL:PHASE (pesim list zoo)");
    }
  }
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

// What the cycle engine adds to a layer: its own cycle count, its results against the functional chains (must be
// identical) and against the exact GEMM of the same operand values.
struct ValueCheck {
  int64_t cycles = 0;
  int64_t mismatches = 0;  // outputs differing from pe_chain_gemm
  error::PeErrorStats errors;
  double cycles_per_second = 0;
};

ValueCheck run_values(const array::ArchSpec& arch, const workloads::LayerSpec& layer, uint64_t seed) {
  const workloads::GemmDims d = workloads::gemm_dims(layer, workloads::OutputSizeRule::Floor);
  const pe::IPeCore& core = *arch.pe.core;
  const auto draw = [seed](int64_t count, uint64_t offset) {
    return workloads::draw_values(workloads::Distribution::Normal, 1.0, seed + offset, static_cast<size_t>(count));
  };
  const cycle::GemmWords g{d.m, d.n, d.k, error::quantize_operands(draw(d.m * d.k, 0), true, core),
                           error::quantize_operands(draw(d.k * d.n, 1), false, core)};
  const cycle::CycleRun run = cycle::run_cycle_engine(arch, g);
  const error::PeGemmOperands ops{static_cast<int>(d.m), static_cast<int>(d.n), static_cast<int>(d.k), g.a, g.b};
  const std::vector<uint64_t> reference = error::pe_chain_gemm(core, ops);
  ValueCheck check;
  check.cycles = run.cycles;
  for (size_t i = 0; i < reference.size(); ++i) check.mismatches += run.y[i] != reference[i] ? 1 : 0;
  check.errors = error::measure_pe_errors(core, ops, run.y);
  check.cycles_per_second = run.seconds > 0 ? static_cast<double>(run.cycles) / run.seconds : 0;
  return check;
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
                const std::vector<ValueCheck>& checks, double seconds, std::ostream& out) {
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
  for (size_t i = 0; i < checks.size(); ++i) {
    const ValueCheck& c = checks[i];
    out << fmt::format(
        "values {:<17} cycle engine {} cycles ({:.3g} cycles/s), {} outputs differ from the functional "
        "chains, error vs exact: max rel {:.3e}, mean rel {:.3e}\n",
        results[i].name, c.cycles, c.cycles_per_second, c.mismatches, c.errors.max_rel_error, c.errors.mean_rel_error);
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
                const std::vector<ValueCheck>& checks, double seconds, std::ostream& out) {
  const Totals t = add_up(results);
  const int64_t total = t.compute_cycles + t.stall_cycles;
  // Totals first, layers last (insertion order), so that a reader of the first "total_cycles" gets the total.
  nlohmann::ordered_json layers = nlohmann::ordered_json::array();
  for (size_t i = 0; i < results.size(); ++i) {
    nlohmann::ordered_json layer = layer_json(results[i]);
    if (i < checks.size()) {
      layer["cycle_engine_cycles"] = checks[i].cycles;
      layer["value_mismatches"] = checks[i].mismatches;
      layer["max_rel_error"] = checks[i].errors.max_rel_error;
      layer["mean_rel_error"] = checks[i].errors.mean_rel_error;
      layer["cycle_engine_cycles_per_s"] = checks[i].cycles_per_second;
    }
    layers.push_back(layer);
  }
  int64_t mismatches = 0;
  for (const ValueCheck& c : checks) mismatches += c.mismatches;
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
                           {"seed", r.seed},
                           {"value_mismatches", mismatches},
                           {"seconds", seconds},
                           {"layers", layers}};
  out << j.dump() << "\n";
}

// One row per layer; the first five columns are SCALE-Sim v2's COMPUTE_REPORT.csv's (with --compat scalesim, its
// numbers too), then pesim's own. A depthwise layer is one row with Repeat = channels where SCALE-Sim prints one per
// channel.
void print_csv(const std::vector<LayerResult>& results, std::ostream& out) {
  out << "LayerID, Total Cycles, Stall Cycles, Overall Util %, Mapping Efficiency %, Layer, M, N, K, Repeat, "
         "SRAM Bytes, DRAM Bytes,\n";
  for (size_t i = 0; i < results.size(); ++i) {
    const LayerResult& l = results[i];
    out << fmt::format("{}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {},\n", i, l.total_cycles(), l.stall_cycles,
                       100 * l.utilization, 100 * l.mapping_efficiency, l.name, l.dims.m, l.dims.n, l.dims.k, l.repeat,
                       l.sram.total(), l.dram.total());
  }
}

// The cycle engine over every layer; its cycle count replaces the analytical one (they are equal by construction,
// and a difference is reported as a mismatch).
std::vector<ValueCheck> check_values(const SimRequest& r, const array::ArchSpec& arch,
                                     const std::vector<workloads::LayerSpec>& layers,
                                     std::vector<LayerResult>& results) {
  if (!r.compat.empty()) throw std::invalid_argument("--engine cycle counts pesim's own way; drop --compat");
  std::vector<ValueCheck> checks;
  for (size_t i = 0; i < layers.size(); ++i) {
    if (results[i].dims.macs() > r.max_macs) {
      throw std::invalid_argument(
          fmt::format("layer {} has {} MACs, over --max-macs {}", layers[i].name, results[i].dims.macs(), r.max_macs));
    }
    checks.push_back(run_values(arch, layers[i], r.seed + 2 * i));
    if (checks.back().cycles != results[i].compute_cycles) ++checks.back().mismatches;
    results[i].compute_cycles = checks.back().cycles;
  }
  return checks;
}

}  // namespace

void add_sim_subcommand(CLI::App& app, SimRequest& r) {
  auto* cmd = app.add_subcommand("sim", "Run a workload on a systolic array of any PE: cycles, utilization, traffic");
  cmd->add_option("--arch", r.arch, "architecture: a preset (pesim list arch) or a .yaml / SCALE-Sim .cfg file")
      ->capture_default_str();
  cmd->add_option("--set", r.settings, "architecture parameters key=value[,...]; pe.KEY=VALUE for the PE");
  cmd->add_option("--workload", r.workload,
                  "SCALE-Sim topology .csv (conv or M,N,K rows), zoo MODEL:PHASE, or resnet50 / mobilenet_v1")
      ->required();
  cmd->add_option("--batch", r.batch, "zoo: sequences or images per pass")
      ->check(CLI::Range(1, 1 << 20))
      ->capture_default_str();
  cmd->add_option("--seq", r.sequence_length, "zoo: tokens per sequence (prefill)")
      ->check(CLI::Range(1, 1 << 24))
      ->capture_default_str();
  cmd->add_option("--engine", r.engine,
                  "analytical (timing only) or cycle (real values through the cycle-level SystemC engine: ws, is "
                  "and os arrays of single-MAC PEs)")
      ->check(CLI::IsMember({"analytical", "cycle"}))
      ->capture_default_str();
  cmd->add_option("--seed", r.seed, "cycle engine: seed of the synthetic operand values (printed and stored)")
      ->capture_default_str();
  cmd->add_option("--max-macs", r.max_macs, "cycle engine: refuse layers with more MACs than this")
      ->check(CLI::PositiveNumber)
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
  std::vector<ValueCheck> checks;
  if (r.engine == "cycle") {
    try {
      checks = check_values(r, arch, layers, results);
    } catch (const std::exception& e) {  // an unmapped PE or dataflow, a layer over --max-macs
      err << "pesim sim: " << e.what() << "\n";
      return 2;
    }
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (r.format == "json") {
    print_json(r, arch, results, checks, seconds, out);
  } else if (r.format == "csv") {
    print_csv(results, out);
  } else {
    print_text(r, arch, results, checks, seconds, out);
  }
  int64_t mismatches = 0;
  for (const ValueCheck& c : checks) mismatches += c.mismatches;
  return mismatches == 0 ? 0 : 1;
}

}  // namespace pesim::analytical
