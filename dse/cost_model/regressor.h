// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <Eigen/Dense>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace pesim::dse {

struct Prediction {
  double mean = 0;
  double standard_deviation = 0;  // the model's uncertainty about the mean (0 when it has none)
};

// A cost model: learns one metric from design features (rows of X, DesignSpace::features) and predicts it for new
// designs with an uncertainty. Deterministic for a given seed and training set.
class Regressor {
 public:
  virtual ~Regressor() = default;
  virtual std::string name() const = 0;
  // Throws std::invalid_argument for mismatched sizes or fewer than 2 rows.
  virtual void fit(const Eigen::MatrixXd& features, const Eigen::VectorXd& targets) = 0;
  virtual Prediction predict(const Eigen::VectorXd& features) const = 0;
  // predict() of every row, in order; models override it where a batch is cheaper than one row at a time.
  virtual std::vector<Prediction> predict_batch(const Eigen::MatrixXd& features) const;
  // predict()'s mean; models override it where the mean alone is cheaper.
  virtual double predict_mean(const Eigen::VectorXd& features) const { return predict(features).mean; }
  // Its fitted hyperparameters as JSON text, stored with the model (length scales, noise; trees, depth, ...).
  virtual std::string describe() const = 0;
};

// For implementations of fit(): throws std::invalid_argument (messages start "cost model: ") for mismatched sizes,
// fewer than 2 rows, or a feature or target that is not finite.
void check_training_set(const Eigen::MatrixXd& features, const Eigen::VectorXd& targets);

// "gp" (Gaussian process) or "trees" (gradient-boosted regression trees); throws std::invalid_argument otherwise.
std::unique_ptr<Regressor> make_regressor(const std::string& name, uint64_t seed);

}  // namespace pesim::dse
