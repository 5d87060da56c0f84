// SPDX-License-Identifier: Apache-2.0
// The DSE cost models: the Gaussian process and the boosted trees on functions with known answers, determinism,
// make_regressor, and the validation metrics against hand-computed values.
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "dse/cost_model/gaussian_process.h"
#include "dse/cost_model/log_metric_model.h"
#include "dse/cost_model/regressor.h"
#include "dse/cost_model/tree_ensemble.h"
#include "dse/cost_model/validation.h"
#include "models/num/seeded_random.h"

using Catch::Matchers::Contains;
using pesim::dse::CrossValidation;
using pesim::dse::GaussianProcess;
using pesim::dse::Prediction;
using pesim::dse::Regressor;
using pesim::dse::SeededRandom;
using pesim::dse::TreeEnsemble;

namespace {

struct DataSet {
  Eigen::MatrixXd features;
  Eigen::VectorXd targets;
};

// Uniform rows in [0, 1]^dimensions and target(row).
template <typename Function>
DataSet sample(size_t rows, Eigen::Index dimensions, uint64_t seed, Function target) {
  SeededRandom random(seed);
  DataSet data{Eigen::MatrixXd(static_cast<Eigen::Index>(rows), dimensions),
               Eigen::VectorXd(static_cast<Eigen::Index>(rows))};
  for (Eigen::Index i = 0; i < data.features.rows(); ++i) {
    for (Eigen::Index k = 0; k < dimensions; ++k) data.features(i, k) = random.uniform();
    data.targets[i] = target(Eigen::VectorXd(data.features.row(i).transpose()));
  }
  return data;
}

// Smooth in x0..x2; x3 is irrelevant.
double sum_of_sines(const Eigen::VectorXd& x) {
  return std::sin(4 * x[0]) + std::sin(3 * x[1]) + 0.5 * std::sin(5 * x[2]);
}

// Steps in x0 and x1 (x2 is irrelevant).
double piecewise_constant(const Eigen::VectorXd& x) {
  const double base = x[0] < 0.3 ? 1.0 : (x[0] < 0.7 ? 5.0 : 2.0);
  return base + (x[1] > 0.5 ? 3.0 : 0.0);
}

double held_out_rmse(const Regressor& model, const DataSet& test) {
  double squared = 0;
  for (Eigen::Index i = 0; i < test.features.rows(); ++i) {
    const double error = model.predict(test.features.row(i).transpose()).mean - test.targets[i];
    squared += error * error;
  }
  return std::sqrt(squared / static_cast<double>(test.features.rows()));
}

double standard_deviation(const Eigen::VectorXd& values) {
  return std::sqrt((values.array() - values.mean()).square().mean());
}

// Predicts the mean of its training targets with no uncertainty: its cross-validation is easy to compute by hand.
class TrainingMean : public Regressor {
 public:
  explicit TrainingMean(std::vector<Eigen::Index>* training_sizes = nullptr) : m_training_sizes(training_sizes) {}
  std::string name() const override { return "training-mean"; }
  void fit(const Eigen::MatrixXd& features, const Eigen::VectorXd& targets) override {
    if (m_training_sizes) m_training_sizes->push_back(features.rows());
    m_mean = targets.mean();
  }
  Prediction predict(const Eigen::VectorXd&) const override { return {m_mean, 0.0}; }
  std::string describe() const override { return "{}"; }

 private:
  std::vector<Eigen::Index>* m_training_sizes;
  double m_mean = 0;
};

Eigen::VectorXd vector_of(std::initializer_list<double> values) {
  Eigen::VectorXd vector(static_cast<Eigen::Index>(values.size()));
  Eigen::Index i = 0;
  for (const double value : values) vector[i++] = value;
  return vector;
}

}  // namespace

TEST_CASE("The Gaussian process interpolates a smooth function and finds its irrelevant dimension", "[dse][gp]") {
  const DataSet train = sample(120, 4, 11, sum_of_sines);
  const DataSet test = sample(200, 4, 12, sum_of_sines);
  GaussianProcess gp(1);
  gp.fit(train.features, train.targets);

  CHECK(held_out_rmse(gp, test) < 0.03 * standard_deviation(test.targets));
  const std::vector<double> lengths = gp.length_scales();
  REQUIRE(lengths.size() == 4);
  const double longest_relevant = std::max({lengths[0], lengths[1], lengths[2]});
  CHECK(lengths[3] > 10 * longest_relevant);
  CHECK(gp.noise_variance() < 1e-3 * gp.signal_variance());  // the targets are noise-free

  // An analytic function suits the squared-exponential kernel better still.
  GaussianProcess squared_exponential(1, {.kernel = pesim::dse::GaussianProcessKernel::squared_exponential});
  squared_exponential.fit(train.features, train.targets);
  CHECK(held_out_rmse(squared_exponential, test) < 0.01 * standard_deviation(test.targets));
  CHECK(squared_exponential.length_scales()[3] > 10 * squared_exponential.length_scales()[0]);
}

TEST_CASE("The Gaussian process is certain at its training points and uncertain far from them", "[dse][gp]") {
  const DataSet train = sample(40, 4, 21, sum_of_sines);
  GaussianProcess gp(2);
  gp.fit(train.features, train.targets);

  const Prediction far = gp.predict(Eigen::VectorXd::Constant(4, 50.0));
  CHECK(far.standard_deviation == Approx(std::sqrt(gp.signal_variance())).epsilon(1e-3));
  for (Eigen::Index i = 0; i < train.features.rows(); ++i) {
    const Prediction at_training_point = gp.predict(train.features.row(i).transpose());
    CHECK(at_training_point.standard_deviation < 0.02 * far.standard_deviation);
    CHECK(at_training_point.mean == Approx(train.targets[i]).margin(0.01));
  }
  // Just outside the training box the uncertainty lies in between.
  const Prediction outside = gp.predict(Eigen::VectorXd::Constant(4, 1.3));
  CHECK(outside.standard_deviation > 0.1 * far.standard_deviation);
  CHECK(outside.standard_deviation < far.standard_deviation);
}

TEST_CASE("The Gaussian process's mean-only prediction equals predict()'s mean", "[dse][gp]") {
  const DataSet train = sample(30, 3, 31, sum_of_sines);
  const DataSet test = sample(10, 3, 32, sum_of_sines);
  GaussianProcess gp(3);
  gp.fit(train.features, train.targets);
  for (Eigen::Index i = 0; i < test.features.rows(); ++i) {
    const Eigen::VectorXd x = test.features.row(i).transpose();
    CHECK(gp.predict_mean(x) == Approx(gp.predict(x).mean).epsilon(1e-12));
  }
}

TEST_CASE("Batch predictions equal one-row predictions", "[dse][gp]") {
  // 600 rows: more than one chunk of the GP's blocked solve.
  const DataSet train = sample(80, 3, 33, sum_of_sines);
  const DataSet test = sample(600, 3, 34, sum_of_sines);
  for (const std::string name : {"gp", "trees"}) {
    const std::unique_ptr<Regressor> model = pesim::dse::make_regressor(name, 5);
    model->fit(train.features, train.targets);
    const std::vector<Prediction> batch = model->predict_batch(test.features);
    REQUIRE(batch.size() == 600);
    for (Eigen::Index i = 0; i < test.features.rows(); i += 7) {
      const Prediction one = model->predict(test.features.row(i).transpose());
      INFO(name << " row " << i);
      // Not bit for bit: the batch sums k . alpha in another order, and alpha's entries cancel.
      CHECK(batch[static_cast<size_t>(i)].mean == Approx(one.mean).epsilon(1e-8).margin(1e-10));
      CHECK(batch[static_cast<size_t>(i)].standard_deviation ==
            Approx(one.standard_deviation).epsilon(1e-8).margin(1e-9));
    }
  }
}

TEST_CASE("The Gaussian process ignores a constant feature", "[dse][gp]") {
  DataSet train = sample(40, 3, 41, sum_of_sines);
  Eigen::MatrixXd with_constant(train.features.rows(), 4);
  with_constant << train.features.col(0), Eigen::VectorXd::Constant(train.features.rows(), 7.0), train.features.col(1),
      train.features.col(2);
  GaussianProcess plain(4), padded(4);
  plain.fit(train.features, train.targets);
  padded.fit(with_constant, train.targets);

  CHECK(std::isinf(padded.length_scales()[1]));
  const nlohmann::json description = nlohmann::json::parse(padded.describe());
  CHECK(description["length_scales"][1].is_null());
  CHECK(description["kernel"] == "matern52");
  Eigen::VectorXd x(3), x_padded(4);
  x << 0.3, 0.6, 0.9;
  x_padded << 0.3, 7.0, 0.6, 0.9;
  CHECK(padded.predict(x_padded).mean == Approx(plain.predict(x).mean).epsilon(1e-9));
}

TEST_CASE("The Gaussian process handles constant targets and duplicate rows", "[dse][gp]") {
  Eigen::MatrixXd features(4, 2);
  features << 0, 0, 1, 1, 0, 0, 1, 0;
  GaussianProcess gp(5);
  gp.fit(features, Eigen::VectorXd::Constant(4, 2.5));
  const Prediction prediction = gp.predict(Eigen::Vector2d(0.5, 0.5));
  CHECK(prediction.mean == Approx(2.5));
  CHECK(std::isfinite(prediction.standard_deviation));
}

TEST_CASE("The cost models reject bad input", "[dse]") {
  for (const std::string name : {"gp", "trees"}) {
    std::unique_ptr<Regressor> model = pesim::dse::make_regressor(name, 1);
    CHECK_THROWS_AS(model->predict(Eigen::VectorXd::Zero(2)), std::logic_error);
    CHECK_THROWS_AS(model->fit(Eigen::MatrixXd::Zero(3, 2), Eigen::VectorXd::Zero(2)), std::invalid_argument);
    CHECK_THROWS_AS(model->fit(Eigen::MatrixXd::Zero(1, 2), Eigen::VectorXd::Zero(1)), std::invalid_argument);
    Eigen::MatrixXd features(2, 2);
    features << 0, 1, 1, std::numeric_limits<double>::quiet_NaN();
    CHECK_THROWS_AS(model->fit(features, Eigen::VectorXd::Zero(2)), std::invalid_argument);
    features(1, 1) = 0;
    model->fit(features, Eigen::Vector2d(1, 2));
    CHECK_THROWS_AS(model->predict(Eigen::VectorXd::Zero(3)), std::invalid_argument);
  }
}

TEST_CASE("Boosted trees fit a piecewise-constant function", "[dse][trees]") {
  const DataSet train = sample(300, 3, 51, piecewise_constant);
  TreeEnsemble trees(6);
  trees.fit(train.features, train.targets);

  // At the plateaus' centres the predictions are the plateaus.
  for (const double x0 : {0.15, 0.5, 0.85})
    for (const double x1 : {0.25, 0.75})
      for (const double x2 : {0.2, 0.8}) {
        const Eigen::Vector3d x(x0, x1, x2);
        CHECK(trees.predict(x).mean == Approx(piecewise_constant(x)).margin(0.05));
      }
  // Away from the steps (where a bag's thresholds, midway between its bootstrap sample's points, may be off) the
  // errors are small against the steps of 1 to 4.
  SeededRandom random(52);
  double absolute_error = 0, worst_error = 0;
  for (int checked = 0; checked < 200;) {
    const Eigen::Vector3d x(random.uniform(), random.uniform(), random.uniform());
    if (std::abs(x[0] - 0.3) < 0.03 || std::abs(x[0] - 0.7) < 0.03 || std::abs(x[1] - 0.5) < 0.03) continue;
    const double error = std::abs(trees.predict(x).mean - piecewise_constant(x));
    absolute_error += error;
    worst_error = std::max(worst_error, error);
    ++checked;
  }
  CHECK(absolute_error / 200 < 0.05);
  CHECK(worst_error < 0.5);
  // x2 plays no part.
  const std::vector<double> importance = trees.feature_importance();
  REQUIRE(importance.size() == 3);
  CHECK(importance[0] + importance[1] + importance[2] == Approx(1.0));
  CHECK(importance[2] < 0.01);
  const nlohmann::json description = nlohmann::json::parse(trees.describe());
  CHECK(description["feature_importance"].size() == 3);
  CHECK(description["rounds"] == 500);
}

TEST_CASE("Boosted trees: a constant target is exact and certain; sparse data are uncertain", "[dse][trees]") {
  const DataSet train = sample(30, 2, 61, [](const Eigen::VectorXd&) { return 4.0; });
  TreeEnsemble trees(7);
  trees.fit(train.features, train.targets);
  const Prediction constant = trees.predict(Eigen::Vector2d(0.4, 0.2));
  CHECK(constant.mean == Approx(4.0));
  CHECK(constant.standard_deviation == Approx(0.0).margin(1e-12));

  const DataSet smooth = sample(30, 2, 62, [](const Eigen::VectorXd& x) { return std::sin(6 * x[0]) + x[1]; });
  TreeEnsemble uncertain(7);
  uncertain.fit(smooth.features, smooth.targets);
  double total_sd = 0;
  const DataSet test = sample(50, 2, 63, [](const Eigen::VectorXd&) { return 0.0; });
  for (Eigen::Index i = 0; i < test.features.rows(); ++i)
    total_sd += uncertain.predict(test.features.row(i).transpose()).standard_deviation;
  CHECK(total_sd / 50 > 0.01);
}

TEST_CASE("The cost models are deterministic for a seed", "[dse]") {
  const DataSet train = sample(60, 3, 71, piecewise_constant);
  const DataSet test = sample(20, 3, 72, piecewise_constant);
  for (const std::string name : {"gp", "trees"}) {
    std::unique_ptr<Regressor> first = pesim::dse::make_regressor(name, 9),
                               second = pesim::dse::make_regressor(name, 9);
    first->fit(train.features, train.targets);
    second->fit(train.features, train.targets);
    CHECK(first->describe() == second->describe());
    for (Eigen::Index i = 0; i < test.features.rows(); ++i) {
      const Prediction a = first->predict(test.features.row(i).transpose());
      const Prediction b = second->predict(test.features.row(i).transpose());
      CHECK(a.mean == b.mean);
      CHECK(a.standard_deviation == b.standard_deviation);
    }
  }
  // The seed matters to the trees' bootstrap.
  TreeEnsemble seed_1(1), seed_2(2);
  seed_1.fit(train.features, train.targets);
  seed_2.fit(train.features, train.targets);
  bool any_difference = false;
  for (Eigen::Index i = 0; i < test.features.rows(); ++i)
    any_difference |=
        seed_1.predict(test.features.row(i).transpose()).mean != seed_2.predict(test.features.row(i).transpose()).mean;
  CHECK(any_difference);
}

TEST_CASE("make_regressor knows gp and trees only", "[dse]") {
  CHECK(pesim::dse::make_regressor("gp", 1)->name() == "gp");
  CHECK(pesim::dse::make_regressor("trees", 1)->name() == "trees");
  CHECK_THROWS_AS(pesim::dse::make_regressor("forest", 1), std::invalid_argument);
  CHECK_THROWS_WITH(pesim::dse::make_regressor("GP", 1), Contains("'GP'") && Contains("gp") && Contains("trees"));
}

TEST_CASE("Spearman's rank correlation, ties by average rank", "[dse][validation]") {
  // b's ranks: 1, 2, 3.5, 5, 3.5; against 1..5: sum of products of deviations 8, sums of squares 10 and 9.5.
  CHECK(pesim::dse::spearman(vector_of({1, 2, 3, 4, 5}), vector_of({5, 6, 7, 8, 7})) ==
        Approx(8 / std::sqrt(95.0)).epsilon(1e-12));
  CHECK(pesim::dse::spearman(vector_of({1, 2, 3}), vector_of({30, 20, 10})) == Approx(-1.0));
  CHECK(pesim::dse::spearman(vector_of({1, 10, 100}), vector_of({2, 3, 4})) == Approx(1.0));  // ranks only
  CHECK(pesim::dse::spearman(vector_of({1, 2, 3}), vector_of({4, 4, 4})) == 0.0);
  CHECK_THROWS_AS(pesim::dse::spearman(vector_of({1, 2}), vector_of({1, 2, 3})), std::invalid_argument);
}

TEST_CASE("Validation metrics of predictions off by a constant", "[dse][validation]") {
  const Eigen::VectorXd targets = vector_of({2, 4, 4, 10});
  const std::vector<Prediction> predictions{{3, 0.6}, {5, 0.4}, {5, 0.6}, {11, 0.4}};
  const CrossValidation metrics = pesim::dse::score_predictions(targets, predictions);
  CHECK(metrics.samples == 4);
  CHECK(metrics.rmse == Approx(1.0));
  CHECK(metrics.mean_target == Approx(5.0));
  CHECK(metrics.rmse_relative == Approx(0.2));
  CHECK(metrics.mape == Approx((0.5 + 0.25 + 0.25 + 0.1) / 4));
  CHECK(metrics.spearman == Approx(1.0));
  CHECK(metrics.within_two_sd == Approx(0.5));  // |error| 1 is within 2 x 0.6, not within 2 x 0.4
}

TEST_CASE("Leave-one-out cross-validation of the training mean, by hand", "[dse][validation]") {
  Eigen::MatrixXd features = Eigen::MatrixXd::Zero(4, 1);
  const Eigen::VectorXd targets = vector_of({1, 2, 3, 6});
  std::vector<Eigen::Index> training_sizes;
  const CrossValidation metrics = pesim::dse::cross_validate(
      [&] { return std::make_unique<TrainingMean>(&training_sizes); }, features, targets, 4, 99);
  // Each target is predicted by the mean of the other three: 11/3, 10/3, 3, 2.
  CHECK(training_sizes == std::vector<Eigen::Index>{3, 3, 3, 3});
  CHECK(metrics.folds == 4);
  CHECK(metrics.samples == 4);
  CHECK(metrics.rmse == Approx(std::sqrt((64.0 / 9 + 16.0 / 9 + 0 + 16) / 4)));
  CHECK(metrics.mean_target == Approx(3.0));
  CHECK(metrics.mape == Approx((8.0 / 3 + 2.0 / 3 + 0 + 2.0 / 3) / 4));
  CHECK(metrics.spearman == Approx(-1.0));
  CHECK(metrics.within_two_sd == Approx(0.25));  // only the exact prediction, with sd 0
  CHECK(metrics.predict_seconds_per_design >= 0);
}

TEST_CASE("k-fold cross-validation deals every row into one fold", "[dse][validation]") {
  Eigen::MatrixXd features = Eigen::MatrixXd::Zero(10, 1);
  const Eigen::VectorXd targets = Eigen::VectorXd::LinSpaced(10, 1, 10);
  std::vector<Eigen::Index> training_sizes;
  const auto make_model = [&] { return std::make_unique<TrainingMean>(&training_sizes); };
  const CrossValidation metrics = pesim::dse::cross_validate(make_model, features, targets, 3, 5);
  CHECK(metrics.samples == 10);
  std::sort(training_sizes.begin(), training_sizes.end());
  CHECK(training_sizes == std::vector<Eigen::Index>{6, 7, 7});  // folds of 4, 3 and 3 rows
  CHECK_THROWS_AS(pesim::dse::cross_validate(make_model, features, targets, 1, 5), std::invalid_argument);
  CHECK_THROWS_AS(pesim::dse::cross_validate(make_model, features, targets, 11, 5), std::invalid_argument);
  // Leave-one-out on 3 rows trains on 2 (allowed); 2 folds of 3 rows would train one model on 1.
  CHECK(pesim::dse::cross_validate(make_model, features.topRows(3), targets.head(3), 3, 5).samples == 3);
  CHECK_THROWS_AS(pesim::dse::cross_validate(make_model, features.topRows(3), targets.head(3), 2, 5),
                  std::invalid_argument);
  CHECK_THROWS_AS(pesim::dse::cross_validate(make_model, features, targets.head(9), 3, 5), std::invalid_argument);
}

TEST_CASE("Held-out validation trains on one set and scores another", "[dse][validation]") {
  const Eigen::MatrixXd train_features = Eigen::MatrixXd::Zero(2, 1), test_features = Eigen::MatrixXd::Zero(2, 1);
  const CrossValidation metrics =
      pesim::dse::validate_held_out([] { return std::make_unique<TrainingMean>(); }, train_features, vector_of({1, 3}),
                                    test_features, vector_of({2, 4}));
  CHECK(metrics.folds == 1);
  CHECK(metrics.samples == 2);
  CHECK(metrics.rmse == Approx(std::sqrt(2.0)));
  CHECK(metrics.rmse_relative == Approx(std::sqrt(2.0) / 3));
  CHECK_THROWS_AS(pesim::dse::validate_held_out([] { return std::make_unique<TrainingMean>(); }, train_features,
                                                vector_of({1, 3}), Eigen::MatrixXd::Zero(2, 2), vector_of({2, 4})),
                  std::invalid_argument);
}

TEST_CASE("Cross-validated cost models rank a smooth function's designs correctly", "[dse][validation]") {
  const DataSet data = sample(120, 4, 81, sum_of_sines);
  for (const std::string name : {"gp", "trees"}) {
    const auto make_model = [&] { return pesim::dse::make_regressor(name, 3); };
    const CrossValidation metrics = pesim::dse::cross_validate(make_model, data.features, data.targets, 5, 8);
    INFO(name << ": rmse " << metrics.rmse << ", spearman " << metrics.spearman);
    CHECK(metrics.folds == 5);
    CHECK(metrics.samples == 120);
    CHECK(metrics.spearman > (name == "gp" ? 0.99 : 0.9));
    CHECK(metrics.rmse < (name == "gp" ? 0.08 : 0.45) * standard_deviation(data.targets));
    const CrossValidation again = pesim::dse::cross_validate(make_model, data.features, data.targets, 5, 8);
    CHECK(again.rmse == metrics.rmse);
    CHECK(again.spearman == metrics.spearman);
  }
}

TEST_CASE("A metric learned as the sum of its parts beats one model of the sum", "[dse][parts]") {
  // Two positive parts, each log-linear in the features; their sum has a kink where they cross (x0 + x1 ~ 0.9), the
  // way a design's energy turns from DRAM-bound to leakage-bound.
  const auto part_a = [](const Eigen::VectorXd& x) { return std::exp(3 * x[0]); };
  const auto part_b = [](const Eigen::VectorXd& x) { return std::exp(2.7 - 3 * x[1]); };
  const auto parts_of = [&](const DataSet& data) {
    Eigen::MatrixXd parts(data.features.rows(), 2);
    for (Eigen::Index i = 0; i < parts.rows(); ++i) {
      const Eigen::VectorXd x = data.features.row(i).transpose();
      parts(i, 0) = part_a(x);
      parts(i, 1) = part_b(x);
    }
    return parts;
  };
  const auto sum = [&](const Eigen::VectorXd& x) { return part_a(x) + part_b(x); };
  const DataSet train = sample(60, 3, 91, sum), test = sample(300, 3, 92, sum);
  pesim::dse::LogMetricModel by_parts("gp", 4), whole("gp", 4);
  by_parts.fit(train.features, parts_of(train));
  whole.fit(train.features, train.targets);
  double by_parts_squared = 0, whole_squared = 0;
  for (Eigen::Index i = 0; i < test.features.rows(); ++i) {
    const Eigen::VectorXd x = test.features.row(i).transpose();
    by_parts_squared += std::pow(std::exp(by_parts.predict(x).mean) - test.targets[i], 2);
    whole_squared += std::pow(std::exp(whole.predict(x).mean) - test.targets[i], 2);
  }
  const double by_parts_rmse = std::sqrt(by_parts_squared / 300), whole_rmse = std::sqrt(whole_squared / 300);
  INFO("RMSE by parts " << by_parts_rmse << ", whole " << whole_rmse << ", mean " << test.targets.mean());
  CHECK(by_parts_rmse < 0.002 * test.targets.mean());
  CHECK(by_parts_rmse < 0.5 * whole_rmse);
  CHECK_THAT(by_parts.describe(), Contains("\"parts\""));
  // The mean alone (each part's O(n d) GP mean, summed) is predict()'s mean.
  for (Eigen::Index i = 0; i < test.features.rows(); i += 17) {
    const Eigen::VectorXd x = test.features.row(i).transpose();
    CHECK(by_parts.predict_mean(x) == Approx(by_parts.predict(x).mean).epsilon(1e-12));
    CHECK(whole.predict_mean(x) == Approx(whole.predict(x).mean).epsilon(1e-12));
  }
}

TEST_CASE("A one-column LogMetricModel is its regressor on the logarithm", "[dse][parts]") {
  const DataSet data = sample(40, 2, 93, [](const Eigen::VectorXd& x) { return std::exp(x[0] - x[1]); });
  pesim::dse::LogMetricModel model("trees", 6);
  model.fit(data.features, data.targets);
  const std::unique_ptr<Regressor> regressor = pesim::dse::make_regressor("trees", 6);
  regressor->fit(data.features, data.targets.array().log().matrix());
  const Eigen::VectorXd x = data.features.row(3).transpose();
  CHECK(model.predict(x).mean == regressor->predict(x).mean);
  CHECK(model.predict(x).standard_deviation == regressor->predict(x).standard_deviation);
  CHECK(model.describe() == regressor->describe());
  Eigen::MatrixXd with_zero = data.targets;
  with_zero(5, 0) = 0;
  CHECK_THROWS_WITH(model.fit(data.features, with_zero), Contains("values > 0"));
  CHECK_THROWS_AS(model.fit(data.features, Eigen::MatrixXd(40, 0)), std::invalid_argument);
  CHECK_THROWS_AS(pesim::dse::LogMetricModel("gp", 1).predict(x), std::logic_error);
}

TEST_CASE("Folds are dealt like cards from the seeded permutation", "[dse][validation]") {
  const std::vector<size_t> order = SeededRandom(11).permutation(10);
  const std::vector<std::vector<Eigen::Index>> folds = pesim::dse::deal_folds(10, 3, 11);
  REQUIRE(folds.size() == 3);
  for (size_t position = 0; position < 10; ++position)
    CHECK(folds[position % 3][position / 3] == static_cast<Eigen::Index>(order[position]));
  CHECK(folds[0].size() == 4);
  CHECK(folds[2].size() == 3);
  CHECK_THROWS_AS(pesim::dse::deal_folds(3, 2, 1), std::invalid_argument);  // a fold of 2 would train on 1 row
}

TEST_CASE("Out-of-fold predictions of a parts model deal the same folds as a regressor's", "[dse][parts]") {
  const DataSet data = sample(30, 2, 94, [](const Eigen::VectorXd& x) { return std::exp(x[0]); });
  const pesim::dse::OutOfFold of_regressor = pesim::dse::out_of_fold_predictions(
      [] { return pesim::dse::make_regressor("gp", 2); }, data.features, data.targets.array().log().matrix(), 5, 7);
  const Eigen::MatrixXd one_column = data.targets;
  const pesim::dse::OutOfFold of_model = pesim::dse::out_of_fold_predictions_of<pesim::dse::LogMetricModel>(
      [] { return std::make_unique<pesim::dse::LogMetricModel>("gp", 2); }, data.features, one_column, 5, 7);
  REQUIRE(of_model.predictions.size() == 30);
  for (size_t i = 0; i < 30; ++i) CHECK(of_model.predictions[i].mean == of_regressor.predictions[i].mean);
  CHECK(of_model.last_model == of_regressor.last_model);
}
