// SPDX-License-Identifier: Apache-2.0
// How well a cost model predicts designs it has not seen: k-fold cross-validation and held-out test sets.
#pragma once
#include <Eigen/Dense>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "dse/cost_model/regressor.h"

namespace pesim::dse {

// Makes a fresh, unfitted model (one per fold).
using RegressorFactory = std::function<std::unique_ptr<Regressor>()>;

// Metrics over every scored prediction, pooled across folds (not averaged per fold).
struct CrossValidation {
  size_t folds = 0;    // 1 for a held-out test set
  size_t samples = 0;  // predictions scored
  double rmse = 0;
  double mean_target = 0;
  double rmse_relative = 0;  // rmse / |mean_target|; infinity when the mean target is 0
  // Mean of |error| / |target| as a fraction (0.05 = 5 %), over the targets that are not 0; NaN if all are 0.
  double mape = 0;
  double spearman = 0;  // rank correlation of predictions and targets
  // Fraction of targets within two predicted standard deviations of the mean: about 0.95 when the uncertainty is
  // calibrated (and Gaussian), much lower when it is overconfident.
  double within_two_sd = 0;
  double fit_seconds = 0;                 // per fit (fold), wall clock
  double predict_seconds_per_design = 0;  // predict() (mean and uncertainty), wall clock
};

// The rows of each fold of k-fold cross-validation: the rows are shuffled with `seed` and dealt into `folds` folds
// like cards (shuffled position p to fold p % folds, so sizes differ by at most one and fold 0 is the largest). Throws
// std::invalid_argument for folds < 2, or too few rows to leave at least 2 training rows in every fold.
std::vector<std::vector<Eigen::Index>> deal_folds(size_t rows, size_t folds, uint64_t seed);

// The out-of-fold predictions of k-fold cross-validation (dealt by deal_folds), one per row in row order, with the
// mean time of a fit and of one prediction, and the last fold's model as its describe() gives it.
struct OutOfFold {
  std::vector<Prediction> predictions;
  double fit_seconds = 0, predict_seconds_per_design = 0;
  std::string last_model;
};

// For any model with fit(features, targets), predict_batch(features rows) and describe(); `targets` has one entry (a
// vector) or one row (a matrix: e.g. a metric's parts for LogMetricModel) per row of `features`.
template <class Model, class Targets>
OutOfFold out_of_fold_predictions_of(const std::function<std::unique_ptr<Model>()>& make_model,
                                     const Eigen::MatrixXd& features, const Targets& targets, size_t folds,
                                     uint64_t seed) {
  if (features.rows() != targets.rows())
    throw std::invalid_argument("validation: the data set has " + std::to_string(features.rows()) +
                                " feature rows but " + std::to_string(targets.rows()) + " targets");
  using Clock = std::chrono::steady_clock;
  const auto seconds_since = [](Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
  };
  const auto rows = static_cast<size_t>(targets.rows());
  OutOfFold result;
  result.predictions.resize(rows);
  double fit_seconds = 0, predict_seconds = 0;
  const std::vector<std::vector<Eigen::Index>> test_folds = deal_folds(rows, folds, seed);
  for (size_t fold = 0; fold < folds; ++fold) {
    // The other folds' rows in the shuffled order they were dealt in (row k * folds + f went to fold f).
    std::vector<Eigen::Index> train_rows;
    for (size_t k = 0; k < test_folds.front().size(); ++k)
      for (size_t other = 0; other < folds; ++other)
        if (other != fold && k < test_folds[other].size()) train_rows.push_back(test_folds[other][k]);
    std::unique_ptr<Model> model = make_model();
    const Clock::time_point fit_start = Clock::now();
    if constexpr (Targets::ColsAtCompileTime == 1)
      model->fit(features(train_rows, Eigen::all), targets(train_rows));
    else
      model->fit(features(train_rows, Eigen::all), targets(train_rows, Eigen::all));
    fit_seconds += seconds_since(fit_start);
    const Clock::time_point predict_start = Clock::now();
    const std::vector<Prediction> predicted = model->predict_batch(features(test_folds[fold], Eigen::all));
    for (size_t k = 0; k < predicted.size(); ++k)
      result.predictions[static_cast<size_t>(test_folds[fold][k])] = predicted[k];
    predict_seconds += seconds_since(predict_start);
    if (fold == folds - 1) result.last_model = model->describe();
  }
  result.fit_seconds = fit_seconds / static_cast<double>(folds);
  result.predict_seconds_per_design = predict_seconds / static_cast<double>(rows);
  return result;
}

// The same for a regressor. Throws as cross_validate.
OutOfFold out_of_fold_predictions(const RegressorFactory& make_model, const Eigen::MatrixXd& features,
                                  const Eigen::VectorXd& targets, size_t folds, uint64_t seed);

// k-fold cross-validation: the rows are shuffled with `seed` and dealt into `folds` folds (sizes differ by at most
// one); each fold is predicted by a model fitted on the others. Throws std::invalid_argument for mismatched sizes,
// folds < 2, or too few rows to leave at least 2 training rows in every fold.
CrossValidation cross_validate(const RegressorFactory& make_model, const Eigen::MatrixXd& features,
                               const Eigen::VectorXd& targets, size_t folds, uint64_t seed);

// One model fitted on the training set, scored on the test set (folds = 1). Throws std::invalid_argument for
// mismatched sizes or an empty test set.
CrossValidation validate_held_out(const RegressorFactory& make_model, const Eigen::MatrixXd& train_features,
                                  const Eigen::VectorXd& train_targets, const Eigen::MatrixXd& test_features,
                                  const Eigen::VectorXd& test_targets);

// The metrics of given predictions of `targets` (folds and timings left at 0).
CrossValidation score_predictions(const Eigen::VectorXd& targets, const std::vector<Prediction>& predictions);

// Spearman's rank correlation: the Pearson correlation of the ranks, tied values sharing their average rank. 0 when
// either vector is constant or shorter than 2 (no ranking to compare). Throws std::invalid_argument for different
// lengths.
double spearman(const Eigen::VectorXd& a, const Eigen::VectorXd& b);

}  // namespace pesim::dse
