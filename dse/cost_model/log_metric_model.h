// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <Eigen/Dense>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "dse/cost_model/regressor.h"

namespace pesim::dse {

// A cost model of a positive metric, learned on logarithms (latency, energy and area span decades): one regressor of
// the metric, or, for a metric that is a sum of positive parts (energy_uj: compute, SRAM, DRAM and leakage), one
// regressor per part. Each part is a smooth function of the design in log space (leakage is area x time, DRAM energy
// follows the tiling) where their sum, dominated by different parts in different corners, is not.
class LogMetricModel {
 public:
  LogMetricModel(std::string regressor, uint64_t seed) : m_regressor_name(std::move(regressor)), m_seed(seed) {}

  // values: one row per design, one column per part (a single column: the metric itself), every value > 0 and
  // finite. Throws std::invalid_argument otherwise (messages start "cost model: ").
  void fit(const Eigen::MatrixXd& features, const Eigen::MatrixXd& values);

  // The logarithm of the metric (of the sum of the parts): mean and standard deviation. With parts, to first order:
  // part k is exp(m_k) with sd exp(m_k) s_k, the parts independent.
  Prediction predict(const Eigen::VectorXd& features) const;
  // predict()'s mean alone, through the regressors' predict_mean (a Gaussian process's is O(n d), without the O(n^2)
  // variance).
  double predict_mean(const Eigen::VectorXd& features) const;
  // predict() of every row, through the regressors' predict_batch.
  std::vector<Prediction> predict_batch(const Eigen::MatrixXd& features) const;

  // JSON: the regressor's description, or {"parts": [one per part]}.
  std::string describe() const;

 private:
  std::string m_regressor_name;
  uint64_t m_seed;
  std::vector<std::unique_ptr<Regressor>> m_parts;
};

}  // namespace pesim::dse
