// SPDX-License-Identifier: Apache-2.0
#include "dse/cost_model/log_metric_model.h"

#include <cmath>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace pesim::dse {

void LogMetricModel::fit(const Eigen::MatrixXd& features, const Eigen::MatrixXd& values) {
  if (values.cols() < 1) throw std::invalid_argument("cost model: no metric values to learn");
  if (!(values.array() > 0).all() || !values.allFinite())
    throw std::invalid_argument("cost model: a metric learned on its logarithm needs values > 0 and finite");
  m_parts.clear();
  for (Eigen::Index part = 0; part < values.cols(); ++part) {
    // Part k's seed differs from part 0's so that their restarts and bags are not the same draws.
    std::unique_ptr<Regressor> model = make_regressor(m_regressor_name, m_seed + static_cast<uint64_t>(part));
    model->fit(features, values.col(part).array().log().matrix());
    m_parts.push_back(std::move(model));
  }
}

namespace {

// The logarithm of a sum of log-normal parts, each given by the prediction of its logarithm.
Prediction log_of_sum(const std::vector<Prediction>& log_parts) {
  double sum = 0, variance = 0;
  for (const Prediction& log_part : log_parts) {
    const double value = std::exp(log_part.mean);
    sum += value;
    variance += value * log_part.standard_deviation * value * log_part.standard_deviation;
  }
  return {std::log(sum), std::sqrt(variance) / sum};
}

}  // namespace

Prediction LogMetricModel::predict(const Eigen::VectorXd& features) const {
  if (m_parts.empty()) throw std::logic_error("LogMetricModel::predict before fit");
  if (m_parts.size() == 1) return m_parts.front()->predict(features);
  std::vector<Prediction> log_parts;
  for (const std::unique_ptr<Regressor>& part : m_parts) log_parts.push_back(part->predict(features));
  return log_of_sum(log_parts);
}

double LogMetricModel::predict_mean(const Eigen::VectorXd& features) const {
  if (m_parts.empty()) throw std::logic_error("LogMetricModel::predict before fit");
  if (m_parts.size() == 1) return m_parts.front()->predict_mean(features);
  double sum = 0;
  for (const std::unique_ptr<Regressor>& part : m_parts) sum += std::exp(part->predict_mean(features));
  return std::log(sum);
}

std::vector<Prediction> LogMetricModel::predict_batch(const Eigen::MatrixXd& features) const {
  if (m_parts.empty()) throw std::logic_error("LogMetricModel::predict before fit");
  if (m_parts.size() == 1) return m_parts.front()->predict_batch(features);
  std::vector<std::vector<Prediction>> by_part;
  for (const std::unique_ptr<Regressor>& part : m_parts) by_part.push_back(part->predict_batch(features));
  std::vector<Prediction> predictions;
  std::vector<Prediction> log_parts(m_parts.size());
  for (size_t row = 0; row < static_cast<size_t>(features.rows()); ++row) {
    for (size_t part = 0; part < m_parts.size(); ++part) log_parts[part] = by_part[part][row];
    predictions.push_back(log_of_sum(log_parts));
  }
  return predictions;
}

std::string LogMetricModel::describe() const {
  if (m_parts.size() == 1) return m_parts.front()->describe();
  nlohmann::json parts = nlohmann::json::array();
  for (const std::unique_ptr<Regressor>& part : m_parts) parts.push_back(nlohmann::json::parse(part->describe()));
  return nlohmann::json{{"parts", parts}}.dump();
}

}  // namespace pesim::dse
