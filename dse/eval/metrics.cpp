// SPDX-License-Identifier: Apache-2.0
#include "dse/eval/metrics.h"

namespace pesim::dse {

const std::vector<MetricInfo>& metric_catalog() {
  // Every metric is positive for a design that runs (but arith_error_rms_rel, 0 for exact arithmetic); the
  // workload's totals, vector-unit ops included in time.
  static const std::vector<MetricInfo> catalog{
      {"latency_cycles", "cycles", "the workload's run time in clock cycles, stalls included"},
      {"latency_ms", "ms", "the workload's run time at the architecture's clock"},
      {"energy_uj",
       "uJ",
       "energy of the array layers: PEs, shared units, interconnect, SRAMs, DRAM, leakage",
       {"energy_compute_uj", "energy_sram_uj", "energy_dram_uj", "energy_leakage_uj"}},
      {"energy_compute_uj", "uJ", "dynamic energy of the PEs, their shared units and the interconnect"},
      {"energy_sram_uj", "uJ", "energy of the ifmap, filter and ofmap SRAM reads and writes"},
      {"energy_dram_uj", "uJ", "energy of the DRAM traffic"},
      {"energy_leakage_uj", "uJ", "leakage of the PEs, shared units, registers and SRAMs over the array layers"},
      {"area_mm2", "mm2", "the array's area: PEs, shared units, array registers and SRAMs"},
      {"power_mw", "mW", "average power over the run: energy / latency"},
      {"edp_uj_ms", "uJ*ms", "energy-delay product"},
      {"pe_energy_pj", "pJ", "the PE's dynamic energy per operation (switching activity of its netlist)"},
      {"arith_error_rms_rel", "",
       "the PE's arithmetic error: RMS relative error of its K-order chains (MixPE: group MACs and dequantize "
       "operations on per-group quantized weights) on 16 x 16 outputs of the workload's longest-reduction GEMM "
       "(fewer outputs, down to one, where K > 16384, and K capped at 2^22), N(0,1) operands (seed 1) in its formats, "
       "against their exact product (MPFR); 0 for exact arithmetic"},
      {"utilization", "", "MACs / (cycles x PEs)"},
      {"dram_bytes", "bytes", "bytes read and written in DRAM"},
  };
  return catalog;
}

const MetricInfo* find_metric(const std::string& name) {
  for (const MetricInfo& metric : metric_catalog())
    if (metric.name == name) return &metric;
  return nullptr;
}

std::vector<std::string> metric_names() {
  std::vector<std::string> names;
  for (const MetricInfo& metric : metric_catalog()) names.push_back(metric.name);
  return names;
}

std::vector<double> part_values(const std::string& metric, const std::map<std::string, double>& metrics) {
  const MetricInfo* info = find_metric(metric);
  std::vector<double> values;
  if (!info) return values;
  for (const std::string& part : info->parts) {
    const auto found = metrics.find(part);
    if (found == metrics.end()) return {};
    values.push_back(found->second);
  }
  return values;
}

}  // namespace pesim::dse
