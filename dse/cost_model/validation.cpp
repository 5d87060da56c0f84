// SPDX-License-Identifier: Apache-2.0
#include "dse/cost_model/validation.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <string>

#include "models/num/seeded_random.h"

namespace pesim::dse {

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

// Ranks 1..n in increasing order of value; a run of equal values shares the mean of the ranks it spans.
Eigen::VectorXd average_ranks(const Eigen::VectorXd& values) {
  const auto n = static_cast<size_t>(values.size());
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return values[a] < values[b]; });
  Eigen::VectorXd ranks(values.size());
  for (size_t first = 0; first < n;) {
    size_t last = first;  // one past the run of values equal to values[order[first]]
    while (last < n && values[order[last]] == values[order[first]]) ++last;
    const double shared_rank = 0.5 * static_cast<double>(first + 1 + last);  // mean of first+1 .. last
    for (size_t k = first; k < last; ++k) ranks[order[k]] = shared_rank;
    first = last;
  }
  return ranks;
}

double pearson(const Eigen::VectorXd& a, const Eigen::VectorXd& b) {
  const Eigen::ArrayXd da = a.array() - a.mean(), db = b.array() - b.mean();
  const double denominator = std::sqrt(da.square().sum() * db.square().sum());
  return denominator > 0 ? (da * db).sum() / denominator : 0.0;
}

void check_rows(const Eigen::MatrixXd& features, const Eigen::VectorXd& targets, const char* what) {
  if (features.rows() != targets.size())
    throw std::invalid_argument(std::string("validation: ") + what + " has " + std::to_string(features.rows()) +
                                " feature rows but " + std::to_string(targets.size()) + " targets");
}

}  // namespace

double spearman(const Eigen::VectorXd& a, const Eigen::VectorXd& b) {
  if (a.size() != b.size())
    throw std::invalid_argument("spearman: vectors of lengths " + std::to_string(a.size()) + " and " +
                                std::to_string(b.size()));
  if (a.size() < 2) return 0.0;
  return pearson(average_ranks(a), average_ranks(b));
}

CrossValidation score_predictions(const Eigen::VectorXd& targets, const std::vector<Prediction>& predictions) {
  if (static_cast<size_t>(targets.size()) != predictions.size())
    throw std::invalid_argument("validation: " + std::to_string(predictions.size()) + " predictions of " +
                                std::to_string(targets.size()) + " targets");
  CrossValidation result;
  result.samples = predictions.size();
  if (predictions.empty()) return result;
  Eigen::VectorXd means(targets.size());
  double squared_error = 0, relative_error = 0;
  size_t nonzero_targets = 0, within = 0;
  for (Eigen::Index i = 0; i < targets.size(); ++i) {
    const Prediction& prediction = predictions[static_cast<size_t>(i)];
    const double error = prediction.mean - targets[i];
    means[i] = prediction.mean;
    squared_error += error * error;
    if (targets[i] != 0) {
      relative_error += std::abs(error) / std::abs(targets[i]);
      ++nonzero_targets;
    }
    if (std::abs(error) <= 2 * prediction.standard_deviation) ++within;
  }
  const auto count = static_cast<double>(result.samples);
  result.rmse = std::sqrt(squared_error / count);
  result.mean_target = targets.mean();
  result.rmse_relative =
      result.mean_target != 0 ? result.rmse / std::abs(result.mean_target) : std::numeric_limits<double>::infinity();
  result.mape = nonzero_targets > 0 ? relative_error / static_cast<double>(nonzero_targets)
                                    : std::numeric_limits<double>::quiet_NaN();
  result.spearman = spearman(means, targets);
  result.within_two_sd = static_cast<double>(within) / count;
  return result;
}

std::vector<std::vector<Eigen::Index>> deal_folds(size_t rows, size_t folds, uint64_t seed) {
  if (folds < 2) throw std::invalid_argument("cross-validation: needs at least 2 folds, got " + std::to_string(folds));
  const size_t largest_fold = (rows + folds - 1) / folds;
  if (folds > rows || rows - largest_fold < 2)
    throw std::invalid_argument("cross-validation: " + std::to_string(rows) + " rows are too few for " +
                                std::to_string(folds) + " folds (every fold must leave 2 training rows)");
  const std::vector<size_t> order = SeededRandom(seed).permutation(rows);
  std::vector<std::vector<Eigen::Index>> test_folds(folds);
  for (size_t position = 0; position < rows; ++position)
    test_folds[position % folds].push_back(static_cast<Eigen::Index>(order[position]));
  return test_folds;
}

OutOfFold out_of_fold_predictions(const RegressorFactory& make_model, const Eigen::MatrixXd& features,
                                  const Eigen::VectorXd& targets, size_t folds, uint64_t seed) {
  return out_of_fold_predictions_of<Regressor>(make_model, features, targets, folds, seed);
}

CrossValidation cross_validate(const RegressorFactory& make_model, const Eigen::MatrixXd& features,
                               const Eigen::VectorXd& targets, size_t folds, uint64_t seed) {
  const OutOfFold out_of_fold = out_of_fold_predictions(make_model, features, targets, folds, seed);
  CrossValidation result = score_predictions(targets, out_of_fold.predictions);
  result.folds = folds;
  result.fit_seconds = out_of_fold.fit_seconds;
  result.predict_seconds_per_design = out_of_fold.predict_seconds_per_design;
  return result;
}

CrossValidation validate_held_out(const RegressorFactory& make_model, const Eigen::MatrixXd& train_features,
                                  const Eigen::VectorXd& train_targets, const Eigen::MatrixXd& test_features,
                                  const Eigen::VectorXd& test_targets) {
  check_rows(train_features, train_targets, "the training set");
  check_rows(test_features, test_targets, "the test set");
  if (test_targets.size() == 0) throw std::invalid_argument("validation: the test set is empty");
  if (train_features.cols() != test_features.cols())
    throw std::invalid_argument("validation: " + std::to_string(train_features.cols()) + " training features but " +
                                std::to_string(test_features.cols()) + " test features");
  std::unique_ptr<Regressor> model = make_model();
  const Clock::time_point fit_start = Clock::now();
  model->fit(train_features, train_targets);
  const double fit_seconds = seconds_since(fit_start);
  const Clock::time_point predict_start = Clock::now();
  const std::vector<Prediction> predictions = model->predict_batch(test_features);
  const double predict_seconds = seconds_since(predict_start);
  CrossValidation result = score_predictions(test_targets, predictions);
  result.folds = 1;
  result.fit_seconds = fit_seconds;
  result.predict_seconds_per_design = predict_seconds / static_cast<double>(test_targets.size());
  return result;
}

}  // namespace pesim::dse
