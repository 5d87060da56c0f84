// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <map>
#include <string>
#include <vector>

namespace pesim::dse {

// A quantity the evaluator measures for every design; objectives and constraints name them.
struct MetricInfo {
  std::string name;  // with its unit, e.g. "energy_uj"
  std::string unit;
  std::string help;
  // The metrics this one is the sum of (energy_uj: its compute, SRAM, DRAM and leakage energies), else empty. Cost
  // models learn such a metric part by part: each part is smooth in the design where their sum is not.
  std::vector<std::string> parts;
};

const std::vector<MetricInfo>& metric_catalog();
// nullptr when no metric has that name.
const MetricInfo* find_metric(const std::string& name);
std::vector<std::string> metric_names();
// The values of `metric`'s parts (MetricInfo::parts) in `metrics`, in catalog order; empty when the metric has no
// parts or `metrics` lacks one of them.
std::vector<double> part_values(const std::string& metric, const std::map<std::string, double>& metrics);

}  // namespace pesim::dse
