// SPDX-License-Identifier: Apache-2.0
#include "dse/eval/evaluator.h"

#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <stdexcept>

#include "models/array/arch.h"
#include "sim/analytical/analytical_engine.h"
#include "sim/analytical/sim_energy.h"
#include "sim/analytical/vector_engine.h"
#include "sim/cycle/gemm_operations.h"
#include "sim/cycle/systolic_engine.h"
#include "sim/error/pe_error.h"

namespace pesim::dse {

// What a PE configuration costs, whatever the array around it: its synthesis and its shared units' (from the cache),
// and the dynamic energy per operation.
struct Evaluator::PeCost {
  cost::SynthesisResult pe;
  std::vector<cost::SynthesisResult> units;
  cost::OperationEnergy per_operation;
  double arithmetic_error_rms_rel = 0;  // sampled_chain_errors on the workload's longest reduction
};

namespace {

// The block of a layer's outputs the arithmetic error samples: kErrorBlockSide on a side, narrower when its chains
// would take more than kMaxErrorMacSteps steps, and a shorter chain when one output's would.
workloads::GemmDims error_gemm(const workloads::GemmDims& d) {
  const int64_t k = std::min(d.k, Evaluator::kMaxErrorMacSteps);
  int64_t side = Evaluator::kErrorBlockSide;
  while (side > 1 && side * side * k > Evaluator::kMaxErrorMacSteps) side /= 2;
  return {std::min(d.m, side), std::min(d.n, side), k};
}

}  // namespace

Evaluator::Evaluator(const SpaceSpec& spec, std::string cost_db_path)
    : m_spec(spec),
      m_cost_db_path(std::move(cost_db_path)),
      m_schedule(analytical::split_schedule(
          analytical::load_workload(spec.workload.workload, spec.workload.batch, spec.workload.sequence_length))) {
  // The arithmetic error's GEMM: a block of outputs of the layer with the longest reduction (the longest chains
  // accumulate the most rounding).
  for (const workloads::LayerSpec& layer : m_schedule.layers) {
    const workloads::GemmDims d = workloads::gemm_dims(layer, workloads::OutputSizeRule::Floor);
    if (d.k > m_error_gemm.k) m_error_gemm = error_gemm(d);
    if (spec.engine.cycle() && d.macs() > cycle::kDefaultMaxLayerMacs)
      throw SpaceError(
          fmt::format("{}: engine: cycle: layer {} has {} MACs, over the cycle engine's {} (its run time "
                      "grows with MACs); a smaller workload, or engine: analytical",
                      spec.engine.origin, layer.name, d.macs(), cycle::kDefaultMaxLayerMacs));
  }
}

Evaluator::~Evaluator() = default;

std::string Evaluator::name() const { return m_spec.engine.name + "+cost/" + m_spec.technology; }

const Evaluator::PeCost& Evaluator::pe_cost(const array::ArchSpec& arch) {
  const std::string key = arch.pe.kind + ":" + arch.pe.params_text();
  auto found = m_pe_costs.find(key);
  if (found != m_pe_costs.end()) return *found->second;
  const analytical::EnergyModel model = analytical::make_energy_model(arch, m_spec.technology, m_cost_db_path);
  auto cost = std::make_unique<PeCost>();
  cost->pe = model.array.pe.unit;
  for (const cost::ArrayPart& unit : model.array.shared_units) cost->units.push_back(unit.unit);
  cost->per_operation = model.per_operation;
  if (m_error_gemm.k > 0)
    cost->arithmetic_error_rms_rel =
        error::sampled_chain_errors(*arch.pe.core, static_cast<int>(m_error_gemm.m), static_cast<int>(m_error_gemm.k),
                                    static_cast<int>(m_error_gemm.n), kErrorSeed)
            .rms_rel_error;
  return *m_pe_costs.emplace(key, std::move(cost)).first->second;
}

namespace {

// The array layers' energy, pJ, in the parts the metric catalog names (energy_uj's parts).
struct EnergyParts {
  double compute_pj = 0, sram_pj = 0, dram_pj = 0, leakage_pj = 0;

  void add(const cost::ArrayEnergy& e, double repeat) {
    compute_pj += repeat * (e.pe_pj + e.shared_units_pj + e.interconnect_pj);
    sram_pj += repeat * (e.ifmap_sram_pj + e.filter_sram_pj + e.ofmap_sram_pj);
    dram_pj += repeat * e.dram_pj;
    leakage_pj += repeat * e.leakage_pj;
  }
  double total_pj() const { return compute_pj + sram_pj + dram_pj + leakage_pj; }
};

}  // namespace

std::map<std::string, double> Evaluator::metrics(const array::ArchSpec& arch, const PeCost& pe) const {
  const cost::ArrayCost array = cost::array_cost(arch, cost::find_technology(m_spec.technology), pe.pe, pe.units);
  double cycles = 0, macs = 0, dram_bytes = 0;
  EnergyParts energy;
  for (size_t i = 0; i < m_schedule.layers.size(); ++i) {
    analytical::LayerResult result =
        analytical::analyze_layer(arch, m_schedule.layers[i], analytical::Convention::Pesim);
    if (m_spec.engine.cycle()) clock_layer(arch, i, result);
    const double repeat = static_cast<double>(result.repeat);
    cycles += repeat * static_cast<double>(result.total_cycles());
    macs += repeat * static_cast<double>(result.dims.macs());
    dram_bytes += repeat * static_cast<double>(result.dram.total());
    energy.add(cost::array_energy(array, analytical::layer_access_counts(arch, result), pe.per_operation), repeat);
  }
  for (const workloads::VectorOp& op : m_schedule.vector_ops) {
    const analytical::VectorResult result = analytical::analyze_vector_op(arch, op);
    cycles += static_cast<double>(result.repeat) * static_cast<double>(result.total_cycles());
    dram_bytes += static_cast<double>(result.repeat) * static_cast<double>(result.dram.total());
  }
  const double latency_ms = cycles / (static_cast<double>(arch.clock_mhz) * 1e3);
  const double energy_uj = energy.total_pj() * 1e-6;
  return {{"latency_cycles", cycles},
          {"latency_ms", latency_ms},
          {"energy_uj", energy_uj},
          {"energy_compute_uj", energy.compute_pj * 1e-6},
          {"energy_sram_uj", energy.sram_pj * 1e-6},
          {"energy_dram_uj", energy.dram_pj * 1e-6},
          {"energy_leakage_uj", energy.leakage_pj * 1e-6},
          {"area_mm2", array.total_um2() * 1e-6},
          {"power_mw", energy_uj / latency_ms},
          {"edp_uj_ms", energy_uj * latency_ms},
          {"pe_energy_pj", pe.per_operation.pe_pj},
          {"arith_error_rms_rel", pe.arithmetic_error_rms_rel},
          {"utilization", macs / (cycles * static_cast<double>(arch.rows * arch.cols))},
          {"dram_bytes", dram_bytes}};
}

// The cycle engine's count of the layer replaces the analytical one, as in `pesim sim --engine cycle`: the same
// compute cycles by construction (a difference fails the evaluation, a bug in one engine), DRAM stalls counted fold
// by fold (never fewer than the analytical engine's whole-layer overlap). Leakage and the utilization follow.
void Evaluator::clock_layer(const array::ArchSpec& arch, size_t layer_index, analytical::LayerResult& result) const {
  const workloads::GemmDims& d = result.dims;
  const std::string refusal = cycle::cycle_engine_refusal(result.name, d.macs(), arch.rows, arch.cols,
                                                          result.compute_cycles, cycle::kDefaultMaxLayerMacs);
  if (!refusal.empty()) throw std::runtime_error(refusal);
  const std::shared_ptr<const cycle::GemmWords> words = layer_words(arch, layer_index, d);
  const cycle::CycleRun run = cycle::run_cycle_engine(arch, *words, {nullptr, result.dram.total()});
  if (run.cycles != result.compute_cycles)
    throw std::runtime_error(fmt::format("layer {}: the cycle engine computes for {} cycles, the analytical engine {}",
                                         result.name, run.cycles, result.compute_cycles));
  result.compute_cycles = run.cycles;
  result.stall_cycles = run.stall_cycles;
}

std::shared_ptr<const cycle::GemmWords> Evaluator::layer_words(const array::ArchSpec& arch, size_t layer_index,
                                                               const workloads::GemmDims& d) const {
  const std::string key =
      fmt::format("{}:{} layer {} {}x{}x{}", arch.pe.kind, arch.pe.params_text(), layer_index, d.m, d.n, d.k);
  if (auto found = m_layer_words.find(key); found != m_layer_words.end()) return found->second;
  const uint64_t seed = cycle::layer_operand_seed(m_spec.engine.values_seed, layer_index);
  const cycle::RealOperands values = cycle::normal_operands(d.m, d.n, d.k, seed);
  auto words = std::make_shared<const cycle::GemmWords>(
      cycle::gemm_operations(arch.pe, values.a, values.b, d.m, d.n, d.k).words);
  const size_t bytes = (words->a.size() + words->b.size()) * sizeof(uint64_t);
  if (m_layer_words_bytes + bytes <= kLayerWordsCacheBytes) {
    m_layer_words_bytes += bytes;
    m_layer_words.emplace(key, words);
  }
  return words;
}

Evaluation Evaluator::evaluate(const Design& design) {
  const auto start = std::chrono::steady_clock::now();
  Evaluation evaluation;
  try {
    const array::ArchSpec arch = array::make_arch(m_spec.arch_settings(design));
    std::map<std::string, double> values = metrics(arch, pe_cost(arch));
    // The store keeps finite values only (SQLite turns NaN into NULL), and strategies could not rank the others.
    for (const auto& [name, value] : values)
      if (!std::isfinite(value)) throw std::runtime_error(fmt::format("metric {} is not finite ({})", name, value));
    evaluation.metrics = std::move(values);
    evaluation.ok = true;
  } catch (const std::exception& e) {  // a refused architecture, a synthesis failure, a missing tool
    evaluation.error = e.what();
  }
  evaluation.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return evaluation;
}

}  // namespace pesim::dse
