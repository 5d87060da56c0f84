// SPDX-License-Identifier: Apache-2.0
#include "dse/cost_model/model_validation.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>

#include "dse/cost_model/log_metric_model.h"
#include "dse/cost_model/validation.h"
#include "dse/eval/metrics.h"
#include "models/num/seeded_random.h"

namespace pesim::dse {
namespace {

Eigen::MatrixXd feature_rows(const DesignFeatures& features, const ModelData& data, const std::vector<size_t>& rows) {
  Eigen::MatrixXd x(static_cast<Eigen::Index>(rows.size()), static_cast<Eigen::Index>(features.count()));
  for (size_t r = 0; r < rows.size(); ++r) {
    const std::vector<double> f = features.of(data.designs[rows[r]]);
    for (size_t c = 0; c < f.size(); ++c) x(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(c)) = f[c];
  }
  return x;
}

// What a metric's model learns for the given rows: its parts (one column each) when the metric has parts and every
// row has them all > 0, else the metric itself (one column).
struct LearnedValues {
  Eigen::MatrixXd values;
  std::vector<std::string> columns;
};

LearnedValues learned_values(const ModelData& data, const std::string& metric, const std::vector<size_t>& rows) {
  LearnedValues learned;
  const MetricInfo* info = find_metric(metric);
  learned.columns = info && !info->parts.empty() ? info->parts : std::vector<std::string>{metric};
  std::vector<std::vector<double>> parts;
  for (size_t row : rows) parts.push_back(part_values(metric, data.metrics[row]));
  const bool all_parts = std::all_of(parts.begin(), parts.end(), [](const std::vector<double>& values) {
    return !values.empty() && std::all_of(values.begin(), values.end(), [](double v) { return v > 0; });
  });
  if (!all_parts) learned.columns = {metric};
  learned.values.resize(static_cast<Eigen::Index>(rows.size()), static_cast<Eigen::Index>(learned.columns.size()));
  for (size_t r = 0; r < rows.size(); ++r)
    for (size_t c = 0; c < learned.columns.size(); ++c)
      learned.values(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(c)) =
          all_parts ? parts[r][c] : data.metrics[rows[r]].at(metric);
  return learned;
}

// ", as the sum of its N parts" when the model learned the metric's parts, and what it saw of the designs.
std::string model_note(const LearnedValues& learned, const DesignFeatures& features) {
  return (learned.columns.size() > 1 ? fmt::format(", as the sum of its {} parts", learned.columns.size()) : "") +
         ", on " + features.description();
}

// Predictions in the metric's unit from a model of its logarithm (the median of the log-normal; its spread as sd).
struct Scored {
  std::vector<Prediction> predictions;
  double predict_seconds = 0;  // per design
};

Prediction from_logarithm(const Prediction& log_prediction) {
  const double mean = std::exp(log_prediction.mean);
  return {mean, mean * log_prediction.standard_deviation};
}

Scored predict(const LogMetricModel& model, const Eigen::MatrixXd& x) {
  Scored scored;
  const auto start = std::chrono::steady_clock::now();
  for (const Prediction& p : model.predict_batch(x)) scored.predictions.push_back(from_logarithm(p));
  scored.predict_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() /
                           std::max<double>(1.0, static_cast<double>(x.rows()));
  return scored;
}

// Wall seconds per design of the mean alone, one design at a time (as a caller scoring designs one by one would).
double mean_seconds(const LogMetricModel& model, const Eigen::MatrixXd& x) {
  const auto start = std::chrono::steady_clock::now();
  volatile double sink = 0;  // keeps the predictions from being optimized away
  for (Eigen::Index row = 0; row < x.rows(); ++row) sink = sink + model.predict_mean(x.row(row).transpose());
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return seconds / std::max<double>(1.0, static_cast<double>(x.rows()));
}

void fill_scores(DseStore::ModelRecord& record, const ModelData& data, const std::vector<size_t>& rows,
                 const std::vector<Prediction>& predictions) {
  Eigen::VectorXd actual(static_cast<Eigen::Index>(rows.size()));
  for (size_t r = 0; r < rows.size(); ++r) {
    actual(static_cast<Eigen::Index>(r)) = data.metrics[rows[r]].at(record.objective);
    record.predictions.emplace_back(data.hashes[rows[r]], predictions[r].mean, actual(static_cast<Eigen::Index>(r)));
  }
  const CrossValidation score = score_predictions(actual, predictions);
  record.rmse = score.rmse;
  record.rmse_relative = score.rmse_relative;
  record.mape = score.mape;
  record.spearman = score.spearman;
}

DseStore::ModelRecord cross_validated(const ModelData& data, const std::string& metric, const std::string& regressor,
                                      const std::vector<size_t>& rows, uint64_t seed, const DesignFeatures& features) {
  constexpr size_t kFolds = 5;
  DseStore::ModelRecord record;
  record.objective = metric;
  record.regressor = regressor;
  const LearnedValues learned = learned_values(data, metric, rows);
  record.validation = fmt::format("{}-fold cross-validation{}", kFolds, model_note(learned, features));
  record.training_designs = static_cast<int64_t>(rows.size() - rows.size() / kFolds);
  record.test_designs = static_cast<int64_t>(rows.size());
  record.evaluate_seconds = data.evaluate_seconds;
  const OutOfFold out_of_fold =
      out_of_fold_predictions_of<LogMetricModel>([&] { return std::make_unique<LogMetricModel>(regressor, seed); },
                                                 feature_rows(features, data, rows), learned.values, kFolds, seed);
  std::vector<Prediction> predictions;
  for (const Prediction& p : out_of_fold.predictions) predictions.push_back(from_logarithm(p));
  record.hyperparameters = out_of_fold.last_model;
  record.predict_seconds = out_of_fold.predict_seconds_per_design;
  fill_scores(record, data, rows, predictions);
  return record;
}

}  // namespace

std::vector<std::string> validated_metrics(const SpaceSpec& spec) {
  std::vector<std::string> metrics;
  for (const Objective& o : spec.objectives) metrics.push_back(o.metric);
  for (const char* name : {"latency_ms", "energy_uj"})
    if (std::find(metrics.begin(), metrics.end(), name) == metrics.end()) metrics.push_back(name);
  return metrics;
}

ModelData model_data(const SpaceSpec& spec, const std::vector<Design>& designs,
                     const std::vector<Evaluation>& evaluations) {
  ModelData data;
  std::vector<double> wall_seconds;
  for (size_t i = 0; i < designs.size(); ++i) {
    wall_seconds.push_back(evaluations[i].wall_seconds);
    if (!evaluations[i].ok) continue;
    data.designs.push_back(designs[i]);
    data.hashes.push_back(spec.space.hash(designs[i]));
    data.metrics.push_back(evaluations[i].metrics);
  }
  if (!wall_seconds.empty()) {
    data.evaluate_seconds =
        std::accumulate(wall_seconds.begin(), wall_seconds.end(), 0.0) / static_cast<double>(wall_seconds.size());
    const auto middle = wall_seconds.begin() + static_cast<std::ptrdiff_t>(wall_seconds.size() / 2);
    std::nth_element(wall_seconds.begin(), middle, wall_seconds.end());
    data.evaluate_median_seconds = *middle;
  }
  return data;
}

void record_cost_models(const SpaceSpec& spec, const RunInfo& run, const ModelData& data,
                        const DesignFeatures& features, DseStore& store, std::ostream& err) {
  constexpr size_t kMinimumDesigns = 10;
  if (data.designs.size() < kMinimumDesigns) return;
  std::vector<size_t> rows = SeededRandom(run.seed).permutation(data.designs.size());
  rows.resize(std::min(rows.size(), kMaxValidationDesigns));
  for (const std::string& metric : validated_metrics(spec)) {
    const bool positive =
        std::all_of(rows.begin(), rows.end(), [&](size_t row) { return data.metrics[row].at(metric) > 0; });
    if (!positive) {  // its logarithm would not be finite
      err << fmt::format("pesim dse: cost model {} for {}: skipped, some of its values are not positive\n",
                         run.cost_model, metric);
      continue;
    }
    const DseStore::ModelRecord record = cross_validated(data, metric, run.cost_model, rows, run.seed, features);
    store.record_model(run.id, run.space_id, record);
    err << fmt::format(
        "pesim dse: cost model {} for {} on {} designs: {}; RMSE {:.3g}% of the mean, MAPE {:.3g}%, Spearman {:.4f}, "
        "{:.3g} us per prediction vs {:.3g} ms per evaluation\n",
        run.cost_model, metric, record.test_designs, record.validation, 100 * record.rmse_relative, 100 * record.mape,
        record.spearman, record.predict_seconds * 1e6, record.evaluate_seconds * 1e3);
  }
}

DseStore::ModelRecord held_out_model(const ModelData& data, const std::string& metric, const std::string& regressor,
                                     size_t train_count, size_t test_limit, uint64_t seed,
                                     const DesignFeatures& features) {
  if (train_count < 2 || train_count >= data.designs.size())
    throw std::invalid_argument(fmt::format("--train {}: needs 2 .. {} designs (the run has {} successful ones)",
                                            train_count, static_cast<int64_t>(data.designs.size()) - 1,
                                            data.designs.size()));
  const std::vector<size_t> order = SeededRandom(seed).permutation(data.designs.size());
  const std::vector<size_t> train(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(train_count));
  std::vector<size_t> test(order.begin() + static_cast<std::ptrdiff_t>(train_count), order.end());
  test.resize(std::min(test.size(), test_limit));
  DseStore::ModelRecord record;
  record.objective = metric;
  record.regressor = regressor;
  const LearnedValues learned = learned_values(data, metric, train);
  record.validation = "held out" + model_note(learned, features);
  record.training_designs = static_cast<int64_t>(train.size());
  record.test_designs = static_cast<int64_t>(test.size());
  record.evaluate_seconds = data.evaluate_seconds;
  auto model = std::make_unique<LogMetricModel>(regressor, seed);
  model->fit(feature_rows(features, data, train), learned.values);
  record.hyperparameters = model->describe();
  const Eigen::MatrixXd test_features = feature_rows(features, data, test);
  const Scored scored = predict(*model, test_features);
  record.predict_seconds = scored.predict_seconds;
  record.predict_mean_seconds = mean_seconds(*model, test_features);
  record.evaluate_median_seconds = data.evaluate_median_seconds;
  fill_scores(record, data, test, scored.predictions);
  return record;
}

}  // namespace pesim::dse
