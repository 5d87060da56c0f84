// SPDX-License-Identifier: Apache-2.0
#include "sim/analytical/sim_energy.h"

#include <fmt/format.h>

#include <cmath>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "models/cost/cost_cache.h"
#include "pesim/version.h"
#include "sim/cost/power_report.h"

namespace pesim::analytical {

namespace {

// The switching-activity estimates depend only on the PE's configuration, the technology and pesim itself (their
// stimulus is seeded and fixed), so each is computed once: kept per process (a DSE sweep evaluates thousands of
// arrays of a few PE configurations) and in the cost cache, keyed by the synthesis key (RTL, parameters, technology,
// Yosys), the PE's parameters, the unit, kEnergyModelRevision and pesim's commit (a later run, or another process,
// reads it back). pesim's own code is known only by its commit, so a build from a modified tree ("-dirty") or
// without git ("unknown") neither reads nor writes estimates; and the cache is only a shortcut: a failed write is
// reported and the run goes on with the estimate it computed.
using EnergyRecord = cost::CostCache::EnergyRecord;

// Bump when the stimulus, the gate-level simulation or the energy arithmetic change without a new commit's key.
constexpr int kEnergyModelRevision = 1;

bool estimates_are_cacheable() {
  const std::string version = kGitDescribe;
  return version != "unknown" && !version.ends_with("-dirty");
}

std::optional<EnergyRecord> find_stored(cost::CostCache& cache, const std::string& key) {
  return estimates_are_cacheable() ? cache.find_energy(key) : std::nullopt;
}

void store(cost::CostCache& cache, const std::string& key, const EnergyRecord& record) {
  if (!estimates_are_cacheable()) return;
  try {
    cache.store_energy(key, record);
  } catch (const std::runtime_error& e) {
    std::cerr << "pesim: warning: the energy estimate was not kept in the cost cache (" << e.what() << ")\n";
  }
}

struct PowerEstimates {
  EnergyRecord pe;
  std::vector<std::optional<EnergyRecord>> units;  // per shared unit; nothing: no operation, the fallback
};

std::string energy_key(const pe::PeInstance& pe, const cost::Technology& tech, const std::string& part) {
  return fmt::format("{} {} {} {} {}", cost::cost_key(pe, tech, cost::yosys_version()), pe.kind, pe.params_text(), part,
                     kGitDescribe);
}

EnergyRecord record_of(const cost::PowerEstimate& e) {
  return {true, e.energy_per_op_pj, e.stimulus.dataflow, e.stimulus.source};
}

// The PE's estimate: from the cache, else its mapped netlist simulated (and stored).
EnergyRecord pe_energy(const array::ArchSpec& arch, const cost::Technology& tech, cost::CostCache& cache,
                       const EnergyModel& model) {
  const std::string key = energy_key(arch.pe, tech, "pe");
  if (std::optional<EnergyRecord> stored = find_stored(cache, key)) return *stored;
  const EnergyRecord made = record_of(cost::estimate_power(arch.pe, tech, model.array.pe.unit, cost::PowerOptions{}));
  store(cache, key, made);
  return made;
}

// Shared unit i's estimate (nothing when the unit has no operation): from the cache, else simulated on its own
// netlist (synthesized again when the cached result has none) and stored.
std::optional<EnergyRecord> unit_energy(const array::ArchSpec& arch, size_t i, const cost::Technology& tech,
                                        cost::CostCache& cache, const EnergyModel& model) {
  const pe::SharedUnit& unit = arch.pe.shared_units[i];
  if (!unit.operation) return std::nullopt;
  const std::string key = energy_key(arch.pe, tech, "unit " + unit.name);
  if (std::optional<EnergyRecord> stored = find_stored(cache, key)) return stored;
  cost::SynthesisResult synthesis = model.array.shared_units[i].unit;
  bool hit = false;
  if (synthesis.netlist.empty())
    synthesis = cost::cached_synthesis(cache, cost::shared_unit_design(arch.pe, unit), tech, hit, true);
  const std::optional<cost::PowerEstimate> estimate = cost::estimate_unit_power(arch.pe, unit, tech, synthesis, {});
  const EnergyRecord made = estimate ? record_of(*estimate) : EnergyRecord{};
  store(cache, key, made);
  return made;
}

const PowerEstimates& power_estimates(const array::ArchSpec& arch, const cost::Technology& tech, cost::CostCache& cache,
                                      const EnergyModel& model) {
  static std::mutex mutex;
  static std::map<std::string, PowerEstimates> estimates;
  const std::string key = tech.name + " " + arch.pe.kind + " " + arch.pe.params_text();
  const std::lock_guard<std::mutex> lock(mutex);
  if (auto found = estimates.find(key); found != estimates.end()) return found->second;
  PowerEstimates e;
  e.pe = pe_energy(arch, tech, cache, model);
  for (size_t i = 0; i < model.array.shared_units.size(); ++i)
    e.units.push_back(unit_energy(arch, i, tech, cache, model));
  return estimates.emplace(key, std::move(e)).first->second;
}

}  // namespace

EnergyModel make_energy_model(const array::ArchSpec& arch, const std::string& tech_name,
                              const std::string& cache_path) {
  const cost::Technology& tech = cost::find_technology(tech_name);
  if (tech.kind != cost::TechKind::kCmos) {
    throw std::invalid_argument("--tech " + tech_name + ": run energy needs a CMOS technology (" +
                                cost::power_not_applicable(tech) + ")");
  }
  cost::CostCache cache(cache_path);
  EnergyModel model{cost::array_cost(arch, tech, cache), {}, {}, {}};
  const PowerEstimates& estimates = power_estimates(arch, tech, cache, model);
  model.per_operation.pe_pj = estimates.pe.energy_per_op_pj;
  model.pe_energy_source =
      "switching activity of the mapped netlist, " + estimates.pe.dataflow + ", " + estimates.pe.source;
  for (size_t i = 0; i < model.array.shared_units.size(); ++i) {
    const std::optional<EnergyRecord>& estimate = estimates.units[i];
    if (estimate && estimate->has_estimate) {
      model.per_operation.shared_unit_pj += estimate->energy_per_op_pj;
      model.unit_energy_source = "switching activity of the mapped netlist, " + arch.pe.shared_units[i].name +
                                 "'s operations of " + estimate->dataflow + ", " + estimate->source;
    } else {
      model.per_operation.shared_unit_pj += cost::fallback_energy_per_op_pj(model.array.shared_units[i].unit, tech);
      model.unit_energy_source = fmt::format("constant-activity fallback (alpha {:g})", cost::kFallbackActivity);
    }
  }
  return model;
}

cost::AccessCounts layer_access_counts(const array::ArchSpec& arch, const LayerResult& layer) {
  const double macs = static_cast<double>(layer.dims.macs());
  const double lanes = arch.pe.core->widths().lanes;
  const double ops_per_mac = arch.pe.timing.operations_per_mac;
  cost::AccessCounts c;
  c.macs = macs;
  // Operations per output as the array issues them: ceil(K x operations per MAC / lanes), the analytical engine's
  // reduction length (MixPE: K + ceil(K / G), the ceil(K / G) beyond K being the shared unit's DEQUANTs).
  const double k = static_cast<double>(layer.dims.k);
  const double outputs = static_cast<double>(layer.dims.m) * static_cast<double>(layer.dims.n);
  const double operations_per_output = std::ceil(k * ops_per_mac / lanes);
  c.pe_operations = outputs * operations_per_output;
  c.shared_unit_operations =
      arch.pe.shared_units.empty() ? 0 : outputs * (operations_per_output - std::ceil(k / lanes));
  c.ifmap_read_bytes = static_cast<double>(layer.sram.ifmap_read_bytes);
  c.ifmap_write_bytes = static_cast<double>(layer.dram.ifmap_read_bytes);
  c.filter_read_bytes = static_cast<double>(layer.sram.filter_read_bytes);
  c.filter_write_bytes = static_cast<double>(layer.dram.filter_read_bytes);
  c.ofmap_read_bytes = static_cast<double>(layer.sram.ofmap_read_bytes);
  c.ofmap_write_bytes = static_cast<double>(layer.sram.ofmap_write_bytes);
  c.dram_bytes = static_cast<double>(layer.dram.total());
  c.cycles = static_cast<double>(layer.total_cycles());
  return c;
}

}  // namespace pesim::analytical
