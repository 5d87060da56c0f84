// SPDX-License-Identifier: Apache-2.0
#include "sim/analytical/sim_command.h"

#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>
#include <utility>

#include "pesim/version.h"
#include "sim/analytical/analytical_engine.h"
#include "sim/analytical/sim_energy.h"
#include "sim/analytical/vector_engine.h"
#include "sim/analytical/workload_schedule.h"
#include "sim/cycle/gemm_operations.h"
#include "sim/cycle/systolic_engine.h"
#include "sim/error/pe_error.h"
#include "sim/store/sim_run_store.h"
#include "workloads/graph/transformer_graph.h"
#include "workloads/graph/workload_file.h"
#include "workloads/tensors/npy.h"
#include "workloads/zoo/cnn_zoo.h"
#include "workloads/zoo/model_zoo.h"

namespace pesim::analytical {

namespace {

// What the cycle engine adds to a layer: its own cycle and stall counts, its results against the functional chains
// (must be identical) and against the exact GEMM of the same quantized operand values.
struct ValueCheck {
  int64_t cycles = 0, stall_cycles = 0;
  int64_t outputs = 0, outputs_checked = 0;  // the layer's outputs, and those compared (--check)
  int64_t mismatches = 0;                    // outputs differing from pe_chain_gemm
  error::PeErrorStats errors;
  double cycles_per_second = 0;
};

// Operand values of --npy: A (M x K) and B (K x N) for every array layer of that GEMM shape.
struct NpyOperands {
  std::vector<std::string> paths;
  workloads::Tensor2d a, b;
};

std::optional<NpyOperands> read_npy_operands(const std::vector<std::string>& paths) {
  if (paths.empty()) return std::nullopt;
  return NpyOperands{paths, workloads::read_npy(paths[0]), workloads::read_npy(paths[1])};
}

// The layer's real operand values: --npy's tensors, or seeded normal values.
std::pair<std::vector<double>, std::vector<double>> layer_operands(const workloads::LayerSpec& layer,
                                                                   const workloads::GemmDims& d, uint64_t seed,
                                                                   const std::optional<NpyOperands>& npy, int threads) {
  if (npy) {
    if (npy->a.rows != d.m || npy->a.cols != d.k || npy->b.rows != d.k || npy->b.cols != d.n) {
      throw std::invalid_argument(
          fmt::format("layer {} is a {}x{}x{} GEMM (MxKxN), but --npy gives {} ({}x{}) and {} ({}x{})", layer.name, d.m,
                      d.k, d.n, npy->paths[0], npy->a.rows, npy->a.cols, npy->paths[1], npy->b.rows, npy->b.cols));
    }
    return {npy->a.values, npy->b.values};
  }
  cycle::RealOperands drawn = cycle::normal_operands(d.m, d.n, d.k, seed, threads);
  return {std::move(drawn.a), std::move(drawn.b)};
}

error::CheckedOutputs checked_outputs_option(const std::string& check) {
  if (check == "none") return error::CheckedOutputs::none;
  return check == "full" ? error::CheckedOutputs::full : error::CheckedOutputs::sample;
}

// The layer through the cycle engine, and the outputs --check selects against the functional chains (mac() step by
// step, the reference path) and the exact GEMM. The sample is drawn from the layer's operand seed.
ValueCheck run_values(const SimRequest& r, const array::ArchSpec& arch, const workloads::LayerSpec& layer,
                      uint64_t seed, int64_t dram_bytes, const std::optional<NpyOperands>& npy) {
  const workloads::GemmDims d = workloads::gemm_dims(layer, workloads::OutputSizeRule::Floor);
  const int threads = r.threads > 0 ? r.threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  const auto [a, b] = layer_operands(layer, d, seed, npy, threads);
  const cycle::GemmOperations g = cycle::gemm_operations(arch.pe, a, b, d.m, d.n, d.k, threads);
  cycle::CycleOptions options{nullptr, dram_bytes};
  options.threads = threads;
  const cycle::CycleRun run = cycle::run_cycle_engine(arch, g.words, options);
  const error::PeGemmOperands ops{static_cast<int>(d.m), static_cast<int>(d.n), static_cast<int>(g.words.k), g.words.a,
                                  g.words.b};
  const std::vector<size_t> outputs = error::checked_outputs(checked_outputs_option(r.check), d.m, d.n, seed);
  ValueCheck check;
  check.cycles = run.cycles;
  check.stall_cycles = run.stall_cycles;
  check.outputs = d.m * d.n;
  check.outputs_checked = static_cast<int64_t>(outputs.size());
  for (size_t i : outputs) {
    const auto row = static_cast<int64_t>(i) / d.n, col = static_cast<int64_t>(i) % d.n;
    check.mismatches += run.y[i] != error::pe_chain_output(*arch.pe.core, ops, row, col) ? 1 : 0;
  }
  check.errors = error::measure_value_errors(*arch.pe.core, g.values, run.y, outputs);
  check.cycles_per_second = run.seconds > 0 ? static_cast<double>(run.cycles) / run.seconds : 0;
  return check;
}

// Everything a run prints and records: results per op (array layers and vector-unit ops in their own lists, in
// schedule order; `schedule.order` interleaves them).
struct Report {
  const Schedule& schedule;
  const std::vector<LayerResult>& results;          // per schedule.layers
  const std::vector<VectorResult>& vector_results;  // per schedule.vector_ops
  const std::vector<ValueCheck>& checks;            // per array layer; the cycle engine's only
  double seconds;
  const EnergyModel* energy = nullptr;               // --tech: energy of the array layers
  std::vector<cost::ArrayEnergy> layer_energy = {};  // per schedule.layers, one instance each
};

// The array layers' energy by component, repeats included, pJ.
cost::ArrayEnergy total_energy(const Report& report) {
  cost::ArrayEnergy t;
  for (size_t i = 0; i < report.layer_energy.size(); ++i) {
    const cost::ArrayEnergy& e = report.layer_energy[i];
    const double n = static_cast<double>(report.results[i].repeat);
    t.pe_pj += n * e.pe_pj;
    t.shared_units_pj += n * e.shared_units_pj;
    t.interconnect_pj += n * e.interconnect_pj;
    t.ifmap_sram_pj += n * e.ifmap_sram_pj;
    t.filter_sram_pj += n * e.filter_sram_pj;
    t.ofmap_sram_pj += n * e.ofmap_sram_pj;
    t.dram_pj += n * e.dram_pj;
    t.leakage_pj += n * e.leakage_pj;
  }
  return t;
}

nlohmann::ordered_json energy_json(const cost::ArrayEnergy& e) {
  return {{"total_pj", e.total_pj()},
          {"pe_pj", e.pe_pj},
          {"shared_units_pj", e.shared_units_pj},
          {"interconnect_pj", e.interconnect_pj},
          {"ifmap_sram_pj", e.ifmap_sram_pj},
          {"filter_sram_pj", e.filter_sram_pj},
          {"ofmap_sram_pj", e.ofmap_sram_pj},
          {"dram_pj", e.dram_pj},
          {"leakage_pj", e.leakage_pj}};
}

void print_energy_text(const Report& report, int64_t macs, std::ostream& out) {
  if (report.energy == nullptr) return;
  const cost::ArrayEnergy e = total_energy(report);
  out << fmt::format(
      "energy (array layers, {}): {:.4g} uJ = PE {:.4g}, shared units {:.4g}, interconnect {:.4g}, ifmap SRAM {:.4g}, "
      "filter SRAM {:.4g}, ofmap SRAM {:.4g}, DRAM {:.4g}, leakage {:.4g} uJ; {:.4g} pJ per MAC\n",
      report.energy->array.tech, e.total_pj() * 1e-6, e.pe_pj * 1e-6, e.shared_units_pj * 1e-6,
      e.interconnect_pj * 1e-6, e.ifmap_sram_pj * 1e-6, e.filter_sram_pj * 1e-6, e.ofmap_sram_pj * 1e-6,
      e.dram_pj * 1e-6, e.leakage_pj * 1e-6, macs > 0 ? e.total_pj() / static_cast<double>(macs) : 0.0);
  out << "  PE energy per operation " << fmt::format("{:.4g}", report.energy->per_operation.pe_pj) << " pJ from "
      << report.energy->pe_energy_source << "\n";
  if (!report.energy->unit_energy_source.empty()) {
    out << "  shared units " << fmt::format("{:.4g}", report.energy->per_operation.shared_unit_pj)
        << " pJ per operation from the " << report.energy->unit_energy_source << "\n";
  }
}

// The whole workload, repeats included. Ops run one at a time, so the units' cycles (stalls included) add up.
struct Totals {
  int64_t macs = 0, array_cycles = 0, vector_cycles = 0, stall_cycles = 0, sram_bytes = 0, dram_bytes = 0;
  int64_t total_cycles() const { return array_cycles + vector_cycles; }
};

Totals add_up(const Report& report) {
  Totals t;
  for (const LayerResult& l : report.results) {
    t.macs += l.dims.macs() * l.repeat;
    t.array_cycles += l.total_cycles() * l.repeat;
    t.stall_cycles += l.stall_cycles * l.repeat;
    t.sram_bytes += l.sram.total() * l.repeat;
    t.dram_bytes += l.dram.total() * l.repeat;
  }
  for (const VectorResult& v : report.vector_results) {
    t.vector_cycles += v.total_cycles() * v.repeat;
    t.stall_cycles += v.stall_cycles * v.repeat;
    t.sram_bytes += v.sram.total() * v.repeat;
    t.dram_bytes += v.dram.total() * v.repeat;
  }
  return t;
}

double utilization(const array::ArchSpec& arch, int64_t macs, int64_t cycles) {
  return cycles > 0
             ? static_cast<double>(macs) / (static_cast<double>(cycles) * static_cast<double>(arch.rows * arch.cols))
             : 0.0;
}

const char* layer_op(const workloads::LayerSpec& layer) { return layer.is_gemm ? "gemm" : "conv"; }
const char* vector_op_name(const VectorResult& v) { return workloads::vector_kind_info(v.kind).name; }

// Vector ops show their kind under M and their element count under N and K.
void print_text_rows(const Report& report, std::ostream& out) {
  out << fmt::format("{:<24} {:>8} {:>8} {:>8} {:>5} {:>12} {:>10} {:>12} {:>7} {:>14} {:>14}\n", "layer", "M", "N",
                     "K", "x", "cycles", "stalls", "total", "util%", "SRAM bytes", "DRAM bytes");
  for (const Schedule::Step& step : report.schedule.order) {
    if (step.on_vector_unit) {
      const VectorResult& v = report.vector_results[step.index];
      out << fmt::format("{:<24} {:>8} {:>17} {:>5} {:>12} {:>10} {:>12} {:>7.2f} {:>14} {:>14}\n", v.name,
                         vector_op_name(v), v.elements, v.repeat, v.compute_cycles, v.stall_cycles, v.total_cycles(),
                         100 * v.utilization, v.sram.total(), v.dram.total());
      continue;
    }
    const LayerResult& l = report.results[step.index];
    out << fmt::format("{:<24} {:>8} {:>8} {:>8} {:>5} {:>12} {:>10} {:>12} {:>7.2f} {:>14} {:>14}\n", l.name, l.dims.m,
                       l.dims.n, l.dims.k, l.repeat, l.compute_cycles, l.stall_cycles, l.total_cycles(),
                       100 * l.utilization, l.sram.total(), l.dram.total());
  }
}

void print_text(const SimRequest& r, const array::ArchSpec& arch, const Report& report, std::ostream& out) {
  out << fmt::format("pesim {} ({}) sim: {} on {}\n", kVersion, kGitDescribe, r.workload, r.arch);
  out << "arch        " << arch.params_text() << "\n";
  out << fmt::format("engine      {}, {} conventions\n", r.engine, r.compat.empty() ? "pesim" : "SCALE-Sim v2");
  print_text_rows(report, out);
  for (size_t i = 0; i < report.checks.size(); ++i) {
    const ValueCheck& c = report.checks[i];
    out << fmt::format(
        "values {:<17} cycle engine {} cycles ({:.3g} cycles/s); {} of {} outputs checked ({}), {} differ from "
        "the functional chains, error vs exact: max rel {:.3e}, mean rel {:.3e}\n",
        report.results[i].name, c.cycles, c.cycles_per_second, c.outputs_checked, c.outputs, r.check, c.mismatches,
        c.errors.max_rel_error, c.errors.mean_rel_error);
    if (c.errors.nonfinite_outputs > 0) {
      out << fmt::format("values {:<17} {} of the checked outputs are NaN or infinite, left out of the error figures\n",
                         report.results[i].name, c.errors.nonfinite_outputs);
    }
  }
  const Totals t = add_up(report);
  const int64_t total = t.total_cycles();
  out << fmt::format(
      "total: {} cycles ({} stall; array {}, vector unit {}), {:.3f} ms at {} MHz, utilization {:.2f}%, {} MACs, "
      "SRAM {} bytes, DRAM {} bytes; {} ops ({} on the vector unit) in {:.3f} s\n",
      total, t.stall_cycles, t.array_cycles, t.vector_cycles, static_cast<double>(total) / (1000.0 * arch.clock_mhz),
      arch.clock_mhz, 100 * utilization(arch, t.macs, total), t.macs, t.sram_bytes, t.dram_bytes,
      report.schedule.order.size(), report.vector_results.size(), report.seconds);
  print_energy_text(report, t.macs, out);
}

nlohmann::ordered_json layer_json(const LayerResult& l, const char* op) {
  return {{"name", l.name},
          {"unit", "array"},
          {"op", op},
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

// Inputs count as ifmap reads, outputs as ofmap writes.
nlohmann::ordered_json vector_json(const VectorResult& v) {
  return {{"name", v.name},
          {"unit", "vector"},
          {"op", vector_op_name(v)},
          {"elements", v.elements},
          {"repeat", v.repeat},
          {"passes", v.passes},
          {"compute_cycles", v.compute_cycles},
          {"stall_cycles", v.stall_cycles},
          {"total_cycles", v.total_cycles()},
          {"utilization", v.utilization},
          {"sram_read_bytes", v.sram.ifmap_read_bytes},
          {"sram_write_bytes", v.sram.ofmap_write_bytes},
          {"dram_read_bytes", v.dram.ifmap_read_bytes},
          {"dram_write_bytes", v.dram.ofmap_write_bytes}};
}

nlohmann::ordered_json ops_json(const Report& report) {
  nlohmann::ordered_json layers = nlohmann::ordered_json::array();
  for (const Schedule::Step& step : report.schedule.order) {
    if (step.on_vector_unit) {
      layers.push_back(vector_json(report.vector_results[step.index]));
      continue;
    }
    const size_t i = step.index;
    nlohmann::ordered_json layer = layer_json(report.results[i], layer_op(report.schedule.layers[i]));
    if (i < report.checks.size()) {
      layer["cycle_engine_cycles"] = report.checks[i].cycles;
      layer["outputs_checked"] = report.checks[i].outputs_checked;
      layer["value_mismatches"] = report.checks[i].mismatches;
      layer["max_rel_error"] = report.checks[i].errors.max_rel_error;
      layer["mean_rel_error"] = report.checks[i].errors.mean_rel_error;
      layer["nonfinite_outputs"] = report.checks[i].errors.nonfinite_outputs;  // of those checked; not in the errors
      layer["cycle_engine_cycles_per_s"] = report.checks[i].cycles_per_second;
    }
    if (i < report.layer_energy.size()) layer["energy"] = energy_json(report.layer_energy[i]);
    layers.push_back(layer);
  }
  return layers;
}

int64_t value_mismatches(const std::vector<ValueCheck>& checks) {
  int64_t mismatches = 0;
  for (const ValueCheck& c : checks) mismatches += c.mismatches;
  return mismatches;
}

void print_json(const SimRequest& r, const array::ArchSpec& arch, const Report& report, std::ostream& out) {
  const Totals t = add_up(report);
  const int64_t total = t.total_cycles();
  // Totals first, layers last (insertion order), so that a reader of the first "total_cycles" gets the total.
  nlohmann::ordered_json j{{"pesim_version", kGitDescribe},
                           {"arch", arch.params_text()},
                           {"workload", r.workload},
                           {"engine", r.engine},
                           {"conventions", r.compat.empty() ? "pesim" : r.compat},
                           {"total_cycles", total},
                           {"stall_cycles", t.stall_cycles},
                           {"array_cycles", t.array_cycles},
                           {"vector_cycles", t.vector_cycles},
                           {"macs", t.macs},
                           {"utilization", utilization(arch, t.macs, total)},
                           {"sram_bytes", t.sram_bytes},
                           {"dram_bytes", t.dram_bytes},
                           {"seed", r.seed},
                           {"value_mismatches", value_mismatches(report.checks)},
                           {"seconds", report.seconds}};
  if (r.engine == "cycle") {
    j["value_check"] = r.check;  // which outputs were compared: none, sample or full
    j["kernel"] = r.kernel;
    j["threads"] = r.threads;  // as given (0: one per core); results do not depend on it
  }
  if (report.energy != nullptr) {
    j["tech"] = report.energy->array.tech;
    j["energy"] = energy_json(total_energy(report));
    j["pe_energy_per_op_pj"] = report.energy->per_operation.pe_pj;
    j["pe_energy_source"] = report.energy->pe_energy_source;
  }
  j["layers"] = ops_json(report);
  out << j.dump() << "\n";
}

// One row per op; the first five columns are SCALE-Sim v2's COMPUTE_REPORT.csv's (with --compat scalesim, its
// numbers too), then pesim's own. A depthwise layer is one row with Repeat = channels where SCALE-Sim prints one per
// channel. Vector-unit ops leave M, N, K empty (their utilization is of the lanes, mapping efficiency of the last
// beat) and give their element count.
void print_csv(const Report& report, std::ostream& out) {
  out << "LayerID, Total Cycles, Stall Cycles, Overall Util %, Mapping Efficiency %, Layer, M, N, K, Repeat, "
         "SRAM Bytes, DRAM Bytes, Unit, Op, Elements,\n";
  for (size_t i = 0; i < report.schedule.order.size(); ++i) {
    const Schedule::Step& step = report.schedule.order[i];
    if (step.on_vector_unit) {
      const VectorResult& v = report.vector_results[step.index];
      out << fmt::format("{}, {}, {}, {}, {}, {}, , , , {}, {}, {}, vector, {}, {},\n", i, v.total_cycles(),
                         v.stall_cycles, 100 * v.utilization, 100 * v.mapping_efficiency, v.name, v.repeat,
                         v.sram.total(), v.dram.total(), vector_op_name(v), v.elements);
      continue;
    }
    const LayerResult& l = report.results[step.index];
    out << fmt::format("{}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, array, {}, ,\n", i, l.total_cycles(),
                       l.stall_cycles, 100 * l.utilization, 100 * l.mapping_efficiency, l.name, l.dims.m, l.dims.n,
                       l.dims.k, l.repeat, l.sram.total(), l.dram.total(),
                       layer_op(report.schedule.layers[step.index]));
  }
}

// The cycle engine over every layer; its cycle count replaces the analytical one (they are equal by construction,
// and a difference is reported as a mismatch), and its DRAM stalls, counted per fold, the analytical engine's.
std::vector<ValueCheck> check_values(const SimRequest& r, const array::ArchSpec& arch,
                                     const std::vector<workloads::LayerSpec>& layers,
                                     std::vector<LayerResult>& results) {
  if (!r.compat.empty()) throw std::invalid_argument("--engine cycle counts pesim's own way; drop --compat");
  std::vector<ValueCheck> checks;
  const std::optional<NpyOperands> npy = read_npy_operands(r.npy);
  for (size_t i = 0; i < layers.size(); ++i) {
    const std::string refusal = cycle::cycle_engine_refusal(layers[i].name, results[i].dims.macs(), arch.rows,
                                                            arch.cols, results[i].compute_cycles, r.max_macs);
    if (!refusal.empty()) throw std::invalid_argument(refusal + " (--max-macs)");
    checks.push_back(
        run_values(r, arch, layers[i], cycle::layer_operand_seed(r.seed, i), results[i].dram.total(), npy));
    if (checks.back().cycles != results[i].compute_cycles) ++checks.back().mismatches;
    results[i].compute_cycles = checks.back().cycles;
    results[i].stall_cycles = checks.back().stall_cycles;  // per fold (CycleOptions), not the layer's overlap
    results[i].utilization =
        static_cast<double>(results[i].dims.macs()) /
        (static_cast<double>(results[i].total_cycles()) * static_cast<double>(arch.rows * arch.cols));
  }
  return checks;
}

store::SimLayerRow layer_row(const LayerResult& l, const workloads::LayerSpec& spec, const ValueCheck* check) {
  store::SimLayerRow row;
  row.layer = l.name;
  row.unit = "array";
  row.op = layer_op(spec);
  row.m = l.dims.m;
  row.n = l.dims.n;
  row.k = l.dims.k;
  row.repeat = l.repeat;
  row.compute_cycles = l.compute_cycles;
  row.stall_cycles = l.stall_cycles;
  row.utilization = l.utilization;
  row.sram_read_bytes = l.sram.ifmap_read_bytes + l.sram.filter_read_bytes + l.sram.ofmap_read_bytes;
  row.sram_write_bytes = l.sram.ofmap_write_bytes;
  row.dram_read_bytes = l.dram.ifmap_read_bytes + l.dram.filter_read_bytes + l.dram.ofmap_read_bytes;
  row.dram_write_bytes = l.dram.ofmap_write_bytes;
  if (check) {
    row.has_values = true;
    row.value_mismatches = check->mismatches;
    row.max_rel_error = check->errors.max_rel_error;
    row.mean_rel_error = check->errors.mean_rel_error;
  }
  return row;
}

store::SimLayerRow vector_row(const VectorResult& v) {
  store::SimLayerRow row;
  row.layer = v.name;
  row.unit = "vector";
  row.op = vector_op_name(v);
  row.elements = v.elements;
  row.repeat = v.repeat;
  row.compute_cycles = v.compute_cycles;
  row.stall_cycles = v.stall_cycles;
  row.utilization = v.utilization;
  row.sram_read_bytes = v.sram.ifmap_read_bytes;
  row.sram_write_bytes = v.sram.ofmap_write_bytes;
  row.dram_read_bytes = v.dram.ifmap_read_bytes;
  row.dram_write_bytes = v.dram.ofmap_write_bytes;
  return row;
}

// One row per op in schedule order, the totals and the run's description, in one transaction.
void record_run(store::Database& db, const SimRequest& r, const array::ArchSpec& arch, const Report& report) {
  std::vector<store::SimLayerRow> rows;
  for (const Schedule::Step& step : report.schedule.order) {
    const size_t i = step.index;
    rows.push_back(step.on_vector_unit ? vector_row(report.vector_results[i])
                                       : layer_row(report.results[i], report.schedule.layers[i],
                                                   i < report.checks.size() ? &report.checks[i] : nullptr));
  }
  const Totals t = add_up(report);
  const store::SimTotalsRow totals{t.total_cycles(), t.stall_cycles, t.array_cycles,
                                   t.vector_cycles,  t.macs,         utilization(arch, t.macs, t.total_cycles()),
                                   t.sram_bytes,     t.dram_bytes,   value_mismatches(report.checks)};
  store::SimRunInfo run;
  run.pesim_version = fmt::format("{} ({})", kVersion, kGitDescribe);
  run.command_line = r.command_line;
  run.arch = arch.params_text();
  run.workload = r.workload;
  run.engine = r.engine;
  run.conventions = r.compat.empty() ? "pesim" : r.compat;
  run.batch = r.batch;
  run.sequence_length = r.sequence_length;
  run.seed = r.seed;
  run.wall_seconds = report.seconds;
  store::record_sim_run(db, run, rows, totals);
}

}  // namespace

void add_sim_subcommand(CLI::App& app, SimRequest& r) {
  auto* cmd = app.add_subcommand("sim", "Run a workload on a systolic array of any PE: cycles, utilization, traffic");
  cmd->add_option("--arch", r.arch, "architecture: a preset (pesim list arch) or a .yaml / SCALE-Sim .cfg file")
      ->capture_default_str();
  cmd->add_option("--set", r.settings, "architecture parameters key=value[,...]; pe.KEY=VALUE for the PE");
  cmd->add_option("--workload", r.workload,
                  "SCALE-Sim topology .csv (conv or M,N,K rows), pesim workload .yaml/.json (ops with dependencies), "
                  "zoo MODEL:PHASE (a transformer block's graph), or resnet50 / mobilenet_v1")
      ->required();
  cmd->add_option("--batch", r.batch, "zoo: sequences or images per pass")
      ->check(CLI::Range(1, 1 << 20))
      ->capture_default_str();
  cmd->add_option("--seq", r.sequence_length,
                  "zoo: tokens per sequence (prefill), tokens in the KV cache the new token attends to (decode)")
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
      ->check(CLI::Range(int64_t{1}, INT64_MAX))
      ->capture_default_str();
  cmd->add_option("--check", r.check,
                  "cycle engine: outputs compared with the functional chains and the exact GEMM: none, sample (256 "
                  "seeded outputs per layer) or full")
      ->check(CLI::IsMember({"none", "sample", "full"}))
      ->capture_default_str();
  cmd->add_option("--kernel", r.kernel,
                  "cycle engine: the PE's fast kernel, or reference (its functional core's mac(), step by step)")
      ->check(CLI::IsMember({"fast", "reference"}))
      ->capture_default_str();
  cmd->add_option("--threads", r.threads,
                  "cycle engine: threads simulating independent column blocks side by side (0: one per core); "
                  "results do not depend on it")
      ->check(CLI::Range(0, 4096))
      ->capture_default_str();
  cmd->add_option("--compat", r.compat, "scalesim: SCALE-Sim v2's cycle counts, output sizes and utilization")
      ->check(CLI::IsMember({"scalesim"}));
  cmd->add_option("--format", r.format, "text, json or csv")
      ->check(CLI::IsMember({"text", "json", "csv"}))
      ->capture_default_str();
  cmd->add_option("--npy", r.npy, "A.npy B.npy: operand values (M x K, K x N) of the array layers, --engine cycle")
      ->expected(2);
  cmd->add_option("--tech", r.tech, "energy by component on this CMOS technology (pesim cost): synthesizes the PE");
  cmd->add_option("--cost-db", r.cost_db, "SQLite cache of synthesis results for --tech")->capture_default_str();
  cmd->add_option("--db", r.db, "record the run in this SQLite file (tables sim_runs, sim_layer_results, sim_totals)");
}

namespace {

// --db before the simulation: an existing file is opened, so a store pesim cannot use (another program's database, a
// damaged one) is refused before any work; a new file is only checked for a writable directory, and is created when
// the run is recorded, so a run that fails leaves no empty store behind.
std::unique_ptr<store::Database> open_store_early(const std::string& path) {
  namespace fs = std::filesystem;
  if (fs::exists(path)) return std::make_unique<store::Database>(path);
  const fs::path directory = fs::absolute(path).parent_path();
  if (!fs::is_directory(directory) || access(directory.c_str(), W_OK) != 0) {
    throw store::StoreError(path + ": cannot create the database: " + directory.string() +
                            " is not a writable directory");
  }
  return nullptr;
}

}  // namespace

int run_sim(const SimRequest& r, std::ostream& out, std::ostream& err) {
  const auto start = std::chrono::steady_clock::now();
  array::ArchSpec arch;
  Schedule schedule;
  std::unique_ptr<store::Database> db;
  try {
    arch = array::load_arch(r.arch, r.settings);
    if (r.kernel == "reference") arch.pe.core->set_kernel_path(pe::IPeCore::KernelPath::reference);
    schedule = split_schedule(load_workload(r.workload, r.batch, r.sequence_length));
    if (!r.db.empty()) db = open_store_early(r.db);  // a bad path fails before the simulation
  } catch (const std::runtime_error& e) {            // ParamError, TopologyError, WorkloadError, GraphError, StoreError
    err << "pesim sim: " << e.what() << "\n";
    return 2;
  }
  const std::vector<workloads::LayerSpec>& layers = schedule.layers;
  const Convention convention = r.compat == "scalesim" ? Convention::ScaleSim : Convention::Pesim;
  std::vector<LayerResult> results;
  results.reserve(layers.size());
  for (const auto& layer : layers) results.push_back(analyze_layer(arch, layer, convention));
  std::vector<ValueCheck> checks;
  if (!r.npy.empty() && r.engine != "cycle") {
    err << "pesim sim: --npy gives operand values, which only --engine cycle computes with\n";
    return 2;
  }
  if (r.engine == "cycle") {
    try {
      checks = check_values(r, arch, layers, results);
    } catch (const std::exception& e) {  // an unmapped PE or dataflow, a layer over --max-macs, bad --npy
      err << "pesim sim: " << e.what() << "\n";
      return 2;
    }
  }
  std::vector<VectorResult> vector_results;
  for (const auto& op : schedule.vector_ops) vector_results.push_back(analyze_vector_op(arch, op));
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  Report report{schedule, results, vector_results, checks, seconds};
  std::optional<EnergyModel> energy;
  if (!r.tech.empty()) {
    try {
      energy = make_energy_model(arch, r.tech, r.cost_db);
    } catch (const std::exception& e) {  // unknown technology, synthesis failure, missing tool
      err << "pesim sim: " << e.what() << "\n";
      return 2;
    }
    report.energy = &*energy;
    for (const LayerResult& l : results) {
      report.layer_energy.push_back(
          cost::array_energy(energy->array, layer_access_counts(arch, l), energy->per_operation));
    }
  }
  if (r.format == "json") {
    print_json(r, arch, report, out);
  } else if (r.format == "csv") {
    print_csv(report, out);
  } else {
    print_text(r, arch, report, out);
  }
  if (!r.db.empty()) {
    try {
      if (!db) db = std::make_unique<store::Database>(r.db);
      record_run(*db, r, arch, report);
    } catch (const store::StoreError& e) {
      err << "pesim sim: the run was not recorded: " << e.what() << "\n";
      return 2;
    }
  }
  return value_mismatches(checks) == 0 ? 0 : 1;
}

}  // namespace pesim::analytical
