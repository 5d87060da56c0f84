// SPDX-License-Identifier: Apache-2.0
#include "dse/cost_model/regressor.h"

#include <stdexcept>
#include <string>

#include "dse/cost_model/gaussian_process.h"
#include "dse/cost_model/tree_ensemble.h"

namespace pesim::dse {

void check_training_set(const Eigen::MatrixXd& features, const Eigen::VectorXd& targets) {
  if (features.rows() != targets.size())
    throw std::invalid_argument("cost model: " + std::to_string(features.rows()) + " feature rows but " +
                                std::to_string(targets.size()) + " targets");
  if (features.rows() < 2) throw std::invalid_argument("cost model: at least 2 training rows are needed");
  if (!features.allFinite() || !targets.allFinite())
    throw std::invalid_argument("cost model: training features and targets must be finite");
}

std::vector<Prediction> Regressor::predict_batch(const Eigen::MatrixXd& features) const {
  std::vector<Prediction> predictions;
  predictions.reserve(static_cast<size_t>(features.rows()));
  for (Eigen::Index row = 0; row < features.rows(); ++row)
    predictions.push_back(predict(features.row(row).transpose()));
  return predictions;
}

std::unique_ptr<Regressor> make_regressor(const std::string& name, uint64_t seed) {
  if (name == "gp") return std::make_unique<GaussianProcess>(seed);
  if (name == "trees") return std::make_unique<TreeEnsemble>(seed);
  throw std::invalid_argument("unknown cost model '" + name + "': valid names are gp, trees");
}

}  // namespace pesim::dse
