// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <string>
#include <vector>

namespace pesim::dse {

// A quantity the evaluator measures for every design; objectives and constraints name them.
struct MetricInfo {
  std::string name;  // with its unit, e.g. "energy_uj"
  std::string unit;
  std::string help;
};

const std::vector<MetricInfo>& metric_catalog();
// nullptr when no metric has that name.
const MetricInfo* find_metric(const std::string& name);
std::vector<std::string> metric_names();

}  // namespace pesim::dse
