// SPDX-License-Identifier: Apache-2.0
#include "sim/analytical/sim_energy.h"

#include <fmt/format.h>

#include <cmath>
#include <map>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "models/cost/cost_cache.h"
#include "sim/cost/power_report.h"

namespace pesim::analytical {

namespace {

// The switching-activity estimates depend only on the PE's configuration and the technology (their stimulus is
// seeded and fixed), so a process (a DSE sweep evaluating thousands of arrays of a few PE configurations) computes
// each once.
struct PowerEstimates {
  cost::PowerEstimate pe;
  std::vector<std::optional<cost::PowerEstimate>> units;  // per shared unit; nothing: the fallback
  std::vector<cost::SynthesisResult> unit_synthesis;      // per shared unit, as resynthesized for its netlist
};

const PowerEstimates& power_estimates(const array::ArchSpec& arch, const cost::Technology& tech, cost::CostCache& cache,
                                      EnergyModel& model) {
  static std::mutex mutex;
  static std::map<std::string, PowerEstimates> estimates;
  const std::string key = tech.name + " " + arch.pe.kind + " " + arch.pe.params_text();
  const std::lock_guard<std::mutex> lock(mutex);
  if (auto found = estimates.find(key); found != estimates.end()) return found->second;
  PowerEstimates e;
  e.pe = cost::estimate_power(arch.pe, tech, model.array.pe.unit, cost::PowerOptions{});
  for (size_t i = 0; i < model.array.shared_units.size(); ++i) {
    const pe::SharedUnit& unit = arch.pe.shared_units[i];
    cost::SynthesisResult synthesis = model.array.shared_units[i].unit;
    std::optional<cost::PowerEstimate> estimate;
    if (unit.operation) {
      bool hit = false;  // a result cached without its netlist is synthesized again
      if (synthesis.netlist.empty())
        synthesis = cost::cached_synthesis(cache, cost::shared_unit_design(arch.pe, unit), tech, hit, true);
      estimate = cost::estimate_unit_power(arch.pe, unit, tech, synthesis, {});
    }
    e.units.push_back(std::move(estimate));
    e.unit_synthesis.push_back(std::move(synthesis));
  }
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
  const cost::PowerEstimate& pe = estimates.pe;
  model.per_operation.pe_pj = pe.energy_per_op_pj;
  model.pe_energy_source =
      "switching activity of the mapped netlist, " + pe.stimulus.dataflow + ", " + pe.stimulus.source;
  for (size_t i = 0; i < model.array.shared_units.size(); ++i) {
    model.array.shared_units[i].unit = estimates.unit_synthesis[i];
    const std::optional<cost::PowerEstimate>& estimate = estimates.units[i];
    if (estimate) {
      model.per_operation.shared_unit_pj += estimate->energy_per_op_pj;
      model.unit_energy_source = "switching activity of the mapped netlist, " + arch.pe.shared_units[i].name +
                                 "'s operations of " + estimate->stimulus.dataflow + ", " + estimate->stimulus.source;
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
