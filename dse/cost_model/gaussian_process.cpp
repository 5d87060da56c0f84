// SPDX-License-Identifier: Apache-2.0
#include "dse/cost_model/gaussian_process.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <deque>
#include <limits>
#include <nlohmann/json.hpp>
#include <numbers>
#include <stdexcept>

#include "models/num/seeded_random.h"

namespace pesim::dse {

namespace {

using RowMajorMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

constexpr double kInfinity = std::numeric_limits<double>::infinity();
const double kSqrt5 = std::sqrt(5.0);

// Where the optimizer may move, on standardized targets and [0, 1] features. Length scales far below a level's
// spacing or far beyond the axis say nothing more; the noise floor keeps K well conditioned (deterministic
// simulators give noise-free targets, for which the likelihood would otherwise push the noise towards 0).
constexpr double kMinLengthScale = 1e-2, kMaxLengthScale = 1e2;
constexpr double kMinSignalVariance = 1e-3, kMaxSignalVariance = 1e2;
constexpr double kMinNoiseVariance = 1e-6, kMaxNoiseVariance = 2.0;
// A quadratic wall outside the bounds (in log units) keeps the objective smooth for L-BFGS.
constexpr double kBoundPenalty = 10.0;

// Diagonal jitter, relative to the signal variance, tried in turn when K is not numerically positive definite.
constexpr std::array<double, 6> kJitterLadder{0, 1e-10, 1e-8, 1e-6, 1e-4, 1e-2};

// A kernel's value at a scaled squared distance r2 = sum_k (dx_k / l_k)^2, and the factor f with
// dk/d(log l_k) = f * dx_k^2 / l_k^2.
struct KernelTerms {
  double value;
  double length_factor;
};

KernelTerms kernel_terms(GaussianProcessKernel kernel, double squared_distance, double signal_variance) {
  if (kernel == GaussianProcessKernel::squared_exponential) {
    const double value = signal_variance * std::exp(-0.5 * squared_distance);
    return {value, value};
  }
  const double r = std::sqrt(squared_distance);
  const double decay = signal_variance * std::exp(-kSqrt5 * r);
  return {decay * (1 + kSqrt5 * r + 5.0 / 3.0 * squared_distance), decay * 5.0 / 3.0 * (1 + kSqrt5 * r)};
}

double scaled_squared_distance(const double* a, const double* b, const Eigen::VectorXd& inverse_squared_lengths) {
  double sum = 0;
  for (Eigen::Index k = 0; k < inverse_squared_lengths.size(); ++k) {
    const double delta = a[k] - b[k];
    sum += delta * delta * inverse_squared_lengths[k];
  }
  return sum;
}

// Log-parameter vector layout: log length scales (one per active feature), log signal variance, log noise variance.
struct Hyperparameters {
  Eigen::VectorXd length_scales;
  double signal_variance, noise_variance;

  static Hyperparameters from_log(const Eigen::VectorXd& log_parameters) {
    const Eigen::Index d = log_parameters.size() - 2;
    return {log_parameters.head(d).array().exp(), std::exp(log_parameters[d]), std::exp(log_parameters[d + 1])};
  }
  Eigen::VectorXd to_log() const {
    Eigen::VectorXd log_parameters(length_scales.size() + 2);
    log_parameters << length_scales.array().log(), std::log(signal_variance), std::log(noise_variance);
    return log_parameters;
  }
  Eigen::VectorXd inverse_squared_lengths() const { return length_scales.array().square().inverse(); }
};

// The noise-free covariance of the rows of `x` (lower triangle and diagonal filled), and optionally each entry's
// length factor (kernel_terms) for the gradient.
Eigen::MatrixXd covariance(GaussianProcessKernel kernel, const RowMajorMatrix& x, const Hyperparameters& h,
                           Eigen::MatrixXd* length_factors) {
  const Eigen::Index n = x.rows();
  const Eigen::VectorXd inverse_squared_lengths = h.inverse_squared_lengths();
  Eigen::MatrixXd k(n, n);
  if (length_factors) length_factors->resize(n, n);
  for (Eigen::Index j = 0; j < n; ++j) {
    for (Eigen::Index i = j; i < n; ++i) {
      const double r2 = scaled_squared_distance(x.row(i).data(), x.row(j).data(), inverse_squared_lengths);
      const KernelTerms terms = kernel_terms(kernel, r2, h.signal_variance);
      k(i, j) = terms.value;
      if (length_factors) (*length_factors)(i, j) = terms.length_factor;
    }
  }
  return k;
}

// Cholesky factorization of K + (noise + jitter) I, climbing the jitter ladder only when allowed. Returns false if
// every rung failed.
bool factorize(Eigen::MatrixXd k, const Hyperparameters& h, bool allow_jitter, Eigen::LLT<Eigen::MatrixXd>& llt,
               double& jitter) {
  const Eigen::VectorXd diagonal = k.diagonal();
  for (const double relative_jitter : kJitterLadder) {
    if (relative_jitter > 0 && !allow_jitter) break;
    jitter = relative_jitter * h.signal_variance;
    k.diagonal() = diagonal.array() + h.noise_variance + jitter;
    llt.compute(k);
    if (llt.info() == Eigen::Success) return true;
  }
  return false;
}

double log_likelihood_of(const Eigen::LLT<Eigen::MatrixXd>& llt, const Eigen::VectorXd& y,
                         const Eigen::VectorXd& alpha) {
  const double log_determinant = 2 * llt.matrixLLT().diagonal().array().log().sum();
  const double n = static_cast<double>(y.size());
  return -0.5 * y.dot(alpha) - 0.5 * log_determinant - 0.5 * n * std::log(2 * std::numbers::pi);
}

// Penalty and its gradient for log-parameters outside [low, high].
double bound_penalty(double value, double low, double high, double& gradient) {
  const double excess = value > high ? value - high : (value < low ? value - low : 0.0);
  gradient = 2 * kBoundPenalty * excess;
  return kBoundPenalty * excess * excess;
}

// The optimizer's objective: the negative log marginal likelihood of standardized targets y at scaled rows x, plus
// the bound penalty, as a function of the log-parameters.
class NegativeLogLikelihood {
 public:
  NegativeLogLikelihood(GaussianProcessKernel kernel, const RowMajorMatrix& x, const Eigen::VectorXd& y)
      : m_kernel(kernel), m_x(x), m_y(y) {}

  // +infinity where K cannot be factorized.
  double operator()(const Eigen::VectorXd& log_parameters, Eigen::VectorXd& gradient) const {
    const Hyperparameters h = Hyperparameters::from_log(log_parameters);
    Eigen::MatrixXd length_factors;
    const Eigen::MatrixXd k = covariance(m_kernel, m_x, h, &length_factors);
    Eigen::LLT<Eigen::MatrixXd> llt;
    double jitter = 0;
    gradient.setZero(log_parameters.size());
    if (!factorize(k, h, /*allow_jitter=*/false, llt, jitter)) return kInfinity;
    const Eigen::VectorXd alpha = llt.solve(m_y);
    const double value = -log_likelihood_of(llt, m_y, alpha);
    if (!std::isfinite(value)) return kInfinity;
    likelihood_gradient(h, k, length_factors, llt, alpha, gradient);
    return value + penalty(log_parameters, gradient);
  }

 private:
  // d(-log L)/d(theta) = -1/2 tr(W dK/dtheta) with W = alpha alpha^T - K^-1, summed over the lower triangle.
  void likelihood_gradient(const Hyperparameters& h, const Eigen::MatrixXd& k, const Eigen::MatrixXd& length_factors,
                           const Eigen::LLT<Eigen::MatrixXd>& llt, const Eigen::VectorXd& alpha,
                           Eigen::VectorXd& gradient) const {
    const Eigen::Index n = m_x.rows(), d = m_x.cols();
    Eigen::MatrixXd w = llt.solve(Eigen::MatrixXd::Identity(n, n));
    w = alpha * alpha.transpose() - w;
    Eigen::VectorXd length_sums = Eigen::VectorXd::Zero(d);
    double signal_sum = 0;
    for (Eigen::Index j = 0; j < n; ++j) {
      const double* row_j = m_x.row(j).data();
      for (Eigen::Index i = j + 1; i < n; ++i) {
        const double* row_i = m_x.row(i).data();
        const double weight = w(i, j) * length_factors(i, j);
        for (Eigen::Index f = 0; f < d; ++f) {
          const double delta = row_i[f] - row_j[f];
          length_sums[f] += weight * delta * delta;
        }
        signal_sum += w(i, j) * k(i, j);
      }
    }
    const double trace = w.trace();
    // Off-diagonal pairs appear twice in the trace; the diagonal has no length dependence.
    gradient.head(d) = -(length_sums.array() * h.inverse_squared_lengths().array());
    gradient[d] = -signal_sum - 0.5 * h.signal_variance * trace;
    gradient[d + 1] = -0.5 * h.noise_variance * trace;
  }

  static double penalty(const Eigen::VectorXd& log_parameters, Eigen::VectorXd& gradient) {
    const Eigen::Index d = log_parameters.size() - 2;
    double total = 0, slope = 0;
    for (Eigen::Index f = 0; f < d; ++f) {
      total += bound_penalty(log_parameters[f], std::log(kMinLengthScale), std::log(kMaxLengthScale), slope);
      gradient[f] += slope;
    }
    total += bound_penalty(log_parameters[d], std::log(kMinSignalVariance), std::log(kMaxSignalVariance), slope);
    gradient[d] += slope;
    total += bound_penalty(log_parameters[d + 1], std::log(kMinNoiseVariance), std::log(kMaxNoiseVariance), slope);
    gradient[d + 1] += slope;
    return total;
  }

  GaussianProcessKernel m_kernel;
  const RowMajorMatrix& m_x;
  const Eigen::VectorXd& m_y;
};

struct Minimum {
  Eigen::VectorXd point;
  double value = kInfinity;
};

// L-BFGS with a backtracking (Armijo) line search. Deterministic; stops on a small relative improvement, a small
// gradient, a failed line search or the iteration limit.
Minimum minimize_lbfgs(const NegativeLogLikelihood& objective, Eigen::VectorXd point, int max_iterations) {
  constexpr size_t kMemory = 8;
  constexpr double kArmijo = 1e-4, kMaxStep = 2.0;  // kMaxStep: largest move of any log-parameter per iteration
  constexpr double kRelativeTolerance = 1e-7, kGradientTolerance = 1e-6;
  Eigen::VectorXd gradient;
  double value = objective(point, gradient);
  if (!std::isfinite(value)) return {point, kInfinity};
  std::deque<std::pair<Eigen::VectorXd, Eigen::VectorXd>> history;  // (step, gradient change), newest last
  for (int iteration = 0; iteration < max_iterations; ++iteration) {
    // Two-loop recursion: direction = -H gradient.
    Eigen::VectorXd direction = -gradient;
    std::vector<double> rho(history.size()), coefficient(history.size());
    for (size_t m = history.size(); m-- > 0;) {
      rho[m] = 1 / history[m].second.dot(history[m].first);
      coefficient[m] = rho[m] * history[m].first.dot(direction);
      direction -= coefficient[m] * history[m].second;
    }
    if (!history.empty())
      direction *= history.back().first.dot(history.back().second) / history.back().second.squaredNorm();
    for (size_t m = 0; m < history.size(); ++m) {
      const double beta = rho[m] * history[m].second.dot(direction);
      direction += (coefficient[m] - beta) * history[m].first;
    }
    double slope = gradient.dot(direction);
    if (!(slope < 0)) {  // not a descent direction: restart from steepest descent
      history.clear();
      direction = -gradient;
      slope = gradient.dot(direction);
      if (!(slope < 0)) break;
    }
    double step = std::min(1.0, kMaxStep / direction.cwiseAbs().maxCoeff());
    Eigen::VectorXd next_point, next_gradient;
    double next_value = kInfinity;
    bool accepted = false;
    for (int trial = 0; trial < 40 && !accepted; ++trial, step *= 0.5) {
      next_point = point + step * direction;
      next_value = objective(next_point, next_gradient);
      accepted = std::isfinite(next_value) && next_value <= value + kArmijo * step * slope;
    }
    if (!accepted) break;
    const Eigen::VectorXd point_change = next_point - point, gradient_change = next_gradient - gradient;
    if (point_change.dot(gradient_change) > 1e-12 * point_change.norm() * gradient_change.norm()) {
      history.emplace_back(point_change, gradient_change);
      if (history.size() > kMemory) history.pop_front();
    }
    const double improvement = value - next_value;
    point = next_point;
    value = next_value;
    gradient = next_gradient;
    if (improvement <= kRelativeTolerance * std::max(1.0, std::abs(value)) ||
        gradient.cwiseAbs().maxCoeff() < kGradientTolerance)
      break;
  }
  return {point, value};
}

// Starting points: the first from defaults scaled to the number of features (so that a typical pair of designs is
// about one length scale apart), the others randomly perturbed around it.
std::vector<Eigen::VectorXd> starting_points(Eigen::Index active_features, int restarts, uint64_t seed) {
  const double default_length = 0.3 * std::sqrt(static_cast<double>(std::max<Eigen::Index>(active_features, 1)));
  Hyperparameters defaults{Eigen::VectorXd::Constant(active_features, default_length), 1.0, 1e-2};
  std::vector<Eigen::VectorXd> starts{defaults.to_log()};
  SeededRandom random(seed);
  for (int start = 1; start < restarts; ++start) {
    Hyperparameters perturbed = defaults;
    for (Eigen::Index f = 0; f < active_features; ++f)
      perturbed.length_scales[f] = default_length * std::exp(random.uniform(-1.5, 1.5));
    perturbed.signal_variance = std::exp(random.uniform(std::log(0.3), std::log(3.0)));
    perturbed.noise_variance = std::exp(random.uniform(std::log(1e-5), std::log(1e-1)));
    starts.push_back(perturbed.to_log());
  }
  return starts;
}

}  // namespace

GaussianProcess::GaussianProcess(uint64_t seed, GaussianProcessOptions options) : m_seed(seed), m_options(options) {
  if (m_options.restarts < 1) m_options.restarts = 1;
  if (m_options.max_hyperparameter_rows < 2) m_options.max_hyperparameter_rows = 2;
}

void GaussianProcess::fit(const Eigen::MatrixXd& features, const Eigen::VectorXd& targets) {
  check_training_set(features, targets);
  m_fitted = false;
  scale_features(features);
  const Eigen::VectorXd y = standardize_targets(targets);
  fit_hyperparameters(y);
  condition(y);
  m_fitted = true;
}

void GaussianProcess::scale_features(const Eigen::MatrixXd& features) {
  m_feature_count = features.cols();
  m_active.clear();
  std::vector<double> offsets, ranges;
  for (Eigen::Index f = 0; f < features.cols(); ++f) {
    const double low = features.col(f).minCoeff(), high = features.col(f).maxCoeff();
    if (high - low <= 1e-12 * std::max({1.0, std::abs(low), std::abs(high)})) continue;  // constant: no information
    m_active.push_back(f);
    offsets.push_back(low);
    ranges.push_back(high - low);
  }
  const auto d = static_cast<Eigen::Index>(m_active.size());
  m_offset = Eigen::Map<Eigen::VectorXd>(offsets.data(), d);
  m_range = Eigen::Map<Eigen::VectorXd>(ranges.data(), d);
  m_training.resize(features.rows(), d);
  for (Eigen::Index i = 0; i < features.rows(); ++i)
    m_training.row(i) = scaled(features.row(i).transpose()).transpose();
}

Eigen::VectorXd GaussianProcess::standardize_targets(const Eigen::VectorXd& targets) {
  m_target_mean = targets.mean();
  m_target_sd = std::sqrt((targets.array() - m_target_mean).square().mean());
  if (m_target_sd <= 1e-12 * std::max(1.0, std::abs(m_target_mean))) m_target_sd = 1;  // constant targets
  return (targets.array() - m_target_mean) / m_target_sd;
}

void GaussianProcess::fit_hyperparameters(const Eigen::VectorXd& y) {
  // The likelihood of a seeded subset of at most max_hyperparameter_rows rows.
  SeededRandom random(m_seed);
  std::vector<size_t> rows = random.permutation(static_cast<size_t>(y.size()));
  rows.resize(std::min(rows.size(), m_options.max_hyperparameter_rows));
  std::sort(rows.begin(), rows.end());
  RowMajorMatrix subset_x(static_cast<Eigen::Index>(rows.size()), m_training.cols());
  Eigen::VectorXd subset_y(static_cast<Eigen::Index>(rows.size()));
  for (size_t r = 0; r < rows.size(); ++r) {
    subset_x.row(static_cast<Eigen::Index>(r)) = m_training.row(static_cast<Eigen::Index>(rows[r]));
    subset_y[static_cast<Eigen::Index>(r)] = y[static_cast<Eigen::Index>(rows[r])];
  }
  const NegativeLogLikelihood objective(m_options.kernel, subset_x, subset_y);
  const std::vector<Eigen::VectorXd> starts =
      starting_points(m_training.cols(), m_options.restarts, random.next_seed());
  // A race: every start gets a few iterations, then only the most likely continues (the likelihood is multimodal,
  // but the starts' order rarely changes after the first iterations, and each iteration costs O(n^3)).
  Minimum best{starts.front(), kInfinity};
  for (const Eigen::VectorXd& start : starts) {
    Minimum candidate = minimize_lbfgs(objective, start, m_options.race_iterations);
    if (candidate.value < best.value) best = std::move(candidate);
  }
  best = minimize_lbfgs(objective, best.point, m_options.max_iterations);
  const Hyperparameters h = Hyperparameters::from_log(best.point);
  m_length_scales = h.length_scales;
  m_inverse_squared_lengths = h.inverse_squared_lengths();
  m_signal_variance = h.signal_variance;
  m_noise_variance = h.noise_variance;
}

void GaussianProcess::condition(const Eigen::VectorXd& y) {
  const Hyperparameters h{m_length_scales, m_signal_variance, m_noise_variance};
  Eigen::LLT<Eigen::MatrixXd> llt;
  if (!factorize(covariance(m_options.kernel, m_training, h, nullptr), h, /*allow_jitter=*/true, llt, m_jitter))
    throw std::runtime_error("gaussian process: the covariance matrix is not positive definite even with jitter");
  m_alpha = llt.solve(y);
  m_cholesky = llt.matrixL();
  m_training_columns = m_training;
  m_log_marginal_likelihood = log_likelihood_of(llt, y, m_alpha);
}

Eigen::VectorXd GaussianProcess::scaled(const Eigen::VectorXd& features) const {
  Eigen::VectorXd result(static_cast<Eigen::Index>(m_active.size()));
  for (size_t k = 0; k < m_active.size(); ++k) {
    const auto index = static_cast<Eigen::Index>(k);
    result[index] = (features[m_active[k]] - m_offset[index]) / m_range[index];
  }
  return result;
}

void GaussianProcess::check_fitted() const {
  if (!m_fitted) throw std::logic_error("gaussian process: predict() before fit()");
}

Eigen::VectorXd GaussianProcess::cross_covariance(const Eigen::VectorXd& features) const {
  check_fitted();
  if (features.size() != m_feature_count)
    throw std::invalid_argument("gaussian process: " + std::to_string(features.size()) + " features, fitted with " +
                                std::to_string(m_feature_count));
  const Eigen::VectorXd x = scaled(features);
  // Feature by feature over all training rows (each column contiguous), so that the arithmetic runs in vector
  // lanes; the sum over features is in the same order as scaled_squared_distance's.
  Eigen::ArrayXd r2 = Eigen::ArrayXd::Zero(m_training_columns.rows());
  for (Eigen::Index f = 0; f < m_training_columns.cols(); ++f)
    r2 += (m_training_columns.col(f).array() - x[f]).square() * m_inverse_squared_lengths[f];
  if (m_options.kernel == GaussianProcessKernel::squared_exponential) return m_signal_variance * (-0.5 * r2).exp();
  const Eigen::ArrayXd r = r2.sqrt();
  return m_signal_variance * (1 + kSqrt5 * r + 5.0 / 3.0 * r2) * (-kSqrt5 * r).exp();
}

double GaussianProcess::predict_mean(const Eigen::VectorXd& features) const {
  return m_target_mean + m_target_sd * cross_covariance(features).dot(m_alpha);
}

Prediction GaussianProcess::predict(const Eigen::VectorXd& features) const {
  const Eigen::VectorXd k = cross_covariance(features);
  const double mean = m_target_mean + m_target_sd * k.dot(m_alpha);
  // Latent variance s - k^T K^-1 k = s - |L^-1 k|^2.
  const Eigen::VectorXd v = m_cholesky.triangularView<Eigen::Lower>().solve(k);
  const double latent_variance = std::max(0.0, m_signal_variance - v.squaredNorm());
  return {mean, m_target_sd * std::sqrt(latent_variance)};
}

std::vector<Prediction> GaussianProcess::predict_batch(const Eigen::MatrixXd& features) const {
  constexpr Eigen::Index kChunkRows = 256;  // bounds the n x chunk kernel block
  std::vector<Prediction> predictions;
  predictions.reserve(static_cast<size_t>(features.rows()));
  for (Eigen::Index first = 0; first < features.rows(); first += kChunkRows) {
    const Eigen::Index count = std::min(kChunkRows, features.rows() - first);
    Eigen::MatrixXd k(m_training.rows(), count);
    for (Eigen::Index j = 0; j < count; ++j) k.col(j) = cross_covariance(features.row(first + j).transpose());
    const Eigen::VectorXd means = k.transpose() * m_alpha;
    const Eigen::MatrixXd v = m_cholesky.triangularView<Eigen::Lower>().solve(k);
    const Eigen::VectorXd explained = v.colwise().squaredNorm().transpose();
    for (Eigen::Index j = 0; j < count; ++j) {
      const double latent_variance = std::max(0.0, m_signal_variance - explained[j]);
      predictions.push_back({m_target_mean + m_target_sd * means[j], m_target_sd * std::sqrt(latent_variance)});
    }
  }
  return predictions;
}

std::vector<double> GaussianProcess::length_scales() const {
  check_fitted();
  std::vector<double> scales(static_cast<size_t>(m_feature_count), kInfinity);
  for (size_t k = 0; k < m_active.size(); ++k) {
    const auto index = static_cast<Eigen::Index>(k);
    scales[static_cast<size_t>(m_active[k])] = m_length_scales[index] * m_range[index];
  }
  return scales;
}

double GaussianProcess::signal_variance() const {
  check_fitted();
  return m_signal_variance * m_target_sd * m_target_sd;
}

double GaussianProcess::noise_variance() const {
  check_fitted();
  return m_noise_variance * m_target_sd * m_target_sd;
}

std::string GaussianProcess::describe() const {
  nlohmann::json description{
      {"model", name()},
      {"kernel", m_options.kernel == GaussianProcessKernel::matern52 ? "matern52" : "squared_exponential"},
      {"seed", m_seed},
      {"fitted", m_fitted}};
  if (!m_fitted) return description.dump();
  nlohmann::json scales = nlohmann::json::array();
  for (const double scale : length_scales()) scales.push_back(std::isfinite(scale) ? nlohmann::json(scale) : nullptr);
  description["length_scales"] = scales;  // feature units; null: a constant feature the model ignores
  description["signal_variance"] = signal_variance();
  description["noise_variance"] = noise_variance();
  description["jitter"] = m_jitter * m_target_sd * m_target_sd;
  description["target_mean"] = m_target_mean;
  description["target_sd"] = m_target_sd;
  description["training_rows"] = m_training.rows();
  description["log_marginal_likelihood"] = m_log_marginal_likelihood;
  return description.dump();
}

}  // namespace pesim::dse
