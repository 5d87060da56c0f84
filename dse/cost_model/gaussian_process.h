// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <Eigen/Dense>
#include <cstdint>
#include <string>
#include <vector>

#include "dse/cost_model/regressor.h"

namespace pesim::dse {

enum class GaussianProcessKernel { matern52, squared_exponential };

struct GaussianProcessOptions {
  GaussianProcessKernel kernel = GaussianProcessKernel::matern52;
  // Optimizer starts: the first from fixed defaults, the others drawn from the seed.
  int restarts = 3;
  int race_iterations = 15;  // L-BFGS iterations of every start before the most likely one goes on alone
  int max_iterations = 200;  // L-BFGS iterations of that one
  // Hyperparameters are fitted on at most this many rows (a seeded subset: each likelihood evaluation costs O(n^3));
  // the final model always conditions on every row.
  size_t max_hyperparameter_rows = 400;
};

// Gaussian-process regression with a constant mean and an ARD kernel (one length scale per feature), a signal
// variance and a noise variance, all chosen by maximizing the log marginal likelihood (L-BFGS on log-parameters with
// the analytic gradient, from a few deterministic starts). Internally, targets are standardized to mean 0 and
// standard deviation 1 and each feature is scaled to [0, 1] over its training range; features that are constant in
// the training set are ignored (their length scale reads as infinite). predict() gives the posterior mean and the
// standard deviation of the latent function (noise excluded), in target units.
class GaussianProcess : public Regressor {
 public:
  explicit GaussianProcess(uint64_t seed, GaussianProcessOptions options = {});

  std::string name() const override { return "gp"; }
  void fit(const Eigen::MatrixXd& features, const Eigen::VectorXd& targets) override;
  Prediction predict(const Eigen::VectorXd& features) const override;
  // predict() of every row: the variances by one blocked triangular solve per chunk of rows instead of one per row.
  std::vector<Prediction> predict_batch(const Eigen::MatrixXd& features) const override;
  // The posterior mean alone: O(n d), without the O(n^2) variance.
  double predict_mean(const Eigen::VectorXd& features) const override;
  std::string describe() const override;

  // Fitted hyperparameters in the caller's units: length scales in feature units (infinity for a constant feature),
  // variances in target units squared.
  std::vector<double> length_scales() const;
  double signal_variance() const;
  double noise_variance() const;
  // Of the standardized targets, on every training row, at the fitted hyperparameters.
  double log_marginal_likelihood() const { return m_log_marginal_likelihood; }

 private:
  // fit()'s steps, in order.
  void scale_features(const Eigen::MatrixXd& features);
  Eigen::VectorXd standardize_targets(const Eigen::VectorXd& targets);
  void fit_hyperparameters(const Eigen::VectorXd& standardized_targets);
  void condition(const Eigen::VectorXd& standardized_targets);

  void check_fitted() const;
  // Scaled, active-only features of one design.
  Eigen::VectorXd scaled(const Eigen::VectorXd& features) const;
  // The kernel between one design (caller's features) and every training row; checks the model and the size.
  Eigen::VectorXd cross_covariance(const Eigen::VectorXd& features) const;

  uint64_t m_seed;
  GaussianProcessOptions m_options;
  bool m_fitted = false;

  // Feature scaling: the model sees (x[active[k]] - offset[k]) / range[k] for its k-th active feature.
  Eigen::Index m_feature_count = 0;
  std::vector<Eigen::Index> m_active;
  Eigen::VectorXd m_offset, m_range;
  double m_target_mean = 0, m_target_sd = 1;

  // Hyperparameters of the standardized problem: length scales (on the [0, 1] axes), variances.
  Eigen::VectorXd m_length_scales, m_inverse_squared_lengths;
  double m_signal_variance = 1, m_noise_variance = 1e-2;
  double m_jitter = 0;  // added to the diagonal when the factorization needed it
  double m_log_marginal_likelihood = 0;

  // The conditioned model: training rows (scaled, active features as rows of a row-major copy for fast dot
  // products), alpha = K^-1 y and the Cholesky factor L of K.
  Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> m_training;
  Eigen::MatrixXd m_training_columns;  // the same, column-major: one feature over all rows contiguous (predictions)
  Eigen::VectorXd m_alpha;
  Eigen::MatrixXd m_cholesky;
};

}  // namespace pesim::dse
