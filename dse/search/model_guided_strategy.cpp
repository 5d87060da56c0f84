// SPDX-License-Identifier: Apache-2.0
// "model": cost-model-guided search. After a few random designs, every ask fits one regressor per objective
// (make_regressor(options.cost_model)) on the feasible observations and picks the candidates with the highest
// expected hypervolume improvement (acquisition.h), weighted by a nearest-neighbour estimate of the probability that
// a design is feasible and evaluates.
#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <memory>
#include <optional>
#include <queue>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

#include "dse/cost_model/log_metric_model.h"
#include "dse/cost_model/regressor.h"
#include "dse/search/acquisition.h"
#include "dse/search/design_ledger.h"
#include "dse/search/strategies.h"

namespace pesim::dse {
namespace {

// Spaces with at most this many canonical designs are scored in full; larger ones on a sample.
constexpr size_t kExhaustiveCandidateLimit = 50000;
constexpr size_t kSampledCandidates = 5000;
// The reference point lies this fraction of the observed range beyond the worst observation in each objective.
constexpr double kReferenceMargin = 0.1;
// Without a model, when fewer observations than this are feasible.
constexpr size_t kMinimumTrainingRows = 3;

// One objective's model on a normalized axis: t(y) = (log y or y - low) / span, 0..1 over the observations.
class ObjectiveModel {
 public:
  // parts: one row per value, the objective's parts (Observation::objective_parts), or no columns.
  ObjectiveModel(const std::string& regressor_name, uint64_t seed, const Eigen::MatrixXd& features,
                 const std::vector<double>& values, const Eigen::MatrixXd& parts) {
    m_logarithmic = std::all_of(values.begin(), values.end(), [](double v) { return v > 0; });
    Eigen::VectorXd targets(static_cast<Eigen::Index>(values.size()));
    for (size_t i = 0; i < values.size(); ++i) targets[static_cast<Eigen::Index>(i)] = transformed(values[i]);
    m_low = targets.minCoeff();
    const double span = targets.maxCoeff() - m_low;
    m_span = span > 0 ? span : 1.0;
    if (span <= 0) return;  // a constant objective needs no model (and would give a regressor nothing to fit)
    if (m_logarithmic) {
      m_log_model = std::make_unique<LogMetricModel>(regressor_name, seed);
      const bool use_parts = parts.cols() > 0 && (parts.array() > 0).all();
      m_log_model->fit(features, use_parts ? parts
                                           : Eigen::MatrixXd(Eigen::Map<const Eigen::MatrixXd>(
                                                 values.data(), static_cast<Eigen::Index>(values.size()), 1)));
    } else {
      m_regressor = make_regressor(regressor_name, seed);
      m_regressor->fit(features, targets);
    }
  }

  // Logarithms for metrics that are all positive: latency, energy and area span decades.
  double transformed(double value) const { return m_logarithmic ? std::log(value) : value; }
  double normalized(double value) const { return (transformed(value) - m_low) / m_span; }

  // On the normalized axis, one per row of features.
  std::vector<Prediction> predict_batch(const Eigen::MatrixXd& features) const {
    if (!m_regressor && !m_log_model)
      return std::vector<Prediction>(static_cast<size_t>(features.rows()), Prediction{0.0, 0.0});
    std::vector<Prediction> predictions =
        m_log_model ? m_log_model->predict_batch(features) : m_regressor->predict_batch(features);
    for (Prediction& p : predictions) p = {(p.mean - m_low) / m_span, p.standard_deviation / m_span};
    return predictions;
  }

 private:
  bool m_logarithmic = false;
  double m_low = 0, m_span = 1;
  std::unique_ptr<LogMetricModel> m_log_model;  // positive objectives
  std::unique_ptr<Regressor> m_regressor;       // the others
};

// The probability that a design is feasible and evaluates, from its nearest observations in feature space: with k of
// them, (feasible ones + 1) / (k + 2) (Laplace's rule, so that it is never quite 0 or 1). A third regressor would
// cost another fit per ask; infeasibility in accelerator spaces (an area or power bound) is a smooth region that a
// neighbour vote finds well enough.
class NearestNeighbourFeasibility {
 public:
  static constexpr size_t kNeighbours = 7;

  // One row of features per observation.
  NearestNeighbourFeasibility(const Eigen::MatrixXd& features, std::vector<bool> feasible)
      : m_observations(features.transpose()), m_feasible(std::move(feasible)) {}

  double probability(const Eigen::VectorXd& features) const {
    std::vector<std::pair<double, size_t>> distances;  // (squared distance, row): ties go to the earlier row
    distances.reserve(m_feasible.size());
    for (Eigen::Index column = 0; column < m_observations.cols(); ++column)
      distances.emplace_back((m_observations.col(column) - features).squaredNorm(), static_cast<size_t>(column));
    const size_t k = std::min(kNeighbours, distances.size());
    std::partial_sort(distances.begin(), distances.begin() + static_cast<std::ptrdiff_t>(k), distances.end());
    size_t feasible_count = 0;
    for (size_t i = 0; i < k; ++i) feasible_count += m_feasible[distances[i].second] ? 1 : 0;
    return (static_cast<double>(feasible_count) + 1.0) / (static_cast<double>(k) + 2.0);
  }

 private:
  Eigen::MatrixXd m_observations;  // one column per observation, for contiguous distance sums
  std::vector<bool> m_feasible;
};

// A candidate's place in the batch queue: larger is better. Scores can only fall as the batch's believed points join
// the front, which lets the batch loop rescore lazily.
struct CandidateScore {
  double expected_improvement = 0;  // weighted by the probability of feasibility
  double closeness = 0;             // -shortfall, less a penalty when the design is probably infeasible
  size_t position = 0;              // in the candidate list: ties go to the earlier one
  size_t believed_count = 0;        // the front it was scored against
};

bool ranks_below(const CandidateScore& a, const CandidateScore& b) {
  return std::tie(a.expected_improvement, a.closeness, b.position) <
         std::tie(b.expected_improvement, b.closeness, a.position);
}

struct CandidatePrediction {
  ObjectivePoint mean, standard_deviation;
  double feasibility = 1;
};

class ModelGuidedStrategy : public LedgerStrategy {
 public:
  ModelGuidedStrategy(const DesignSpace& space, const StrategyOptions& options)
      : LedgerStrategy(space, options),
        m_features(options.features ? options.features : std::make_shared<ParameterFeatures>(space)),
        m_random(derived_seed(options.seed, 0)),
        m_initial_count(initial_count(space, options)) {
    make_regressor(options.cost_model, 0);  // throws std::invalid_argument now for an unknown cost model
  }

  std::string name() const override { return "model"; }

  std::vector<Design> ask(size_t count) override {
    std::vector<Design> designs;
    // Random designs until m_initial_count are recorded, or as long as too few observations are usable to model
    // (each draw records one design).
    const size_t initial_left = m_initial_count > m_ledger.size() ? m_initial_count - m_ledger.size() : 0;
    const size_t random_count = usable_count() < kMinimumTrainingRows ? count : std::min(count, initial_left);
    if (!m_ledger.draw_until(m_random, designs, random_count)) return designs;  // the space is used up
    if (designs.size() < count) {
      std::vector<Design> chosen = choose_by_model(count - designs.size());
      designs.insert(designs.end(), chosen.begin(), chosen.end());
    }
    // A sampled candidate set can come up short of a space that still has designs.
    m_ledger.draw_until(m_random, designs, count);
    return designs;
  }

 private:
  void told(const std::vector<Observation>& observations) override {
    m_archive.insert(m_archive.end(), observations.begin(), observations.end());
  }

  // Enough random designs to start a model on: two per feature, at least 10, at most a quarter of the budget.
  static size_t initial_count(const DesignSpace& space, const StrategyOptions& options) {
    size_t count = std::max<size_t>(10, 2 * space.feature_count());
    if (options.budget > 0) count = std::min<size_t>(count, std::max<uint64_t>(5, options.budget / 4));
    return count;
  }

  // Feasible with finite objectives: what the objective models learn from.
  static bool usable(const Observation& observation) { return observation.feasible && evaluated(observation); }

  size_t usable_count() const { return static_cast<size_t>(std::count_if(m_archive.begin(), m_archive.end(), usable)); }

  // Remembered: the candidates are scored again at every ask, and workload features build the architecture. A space
  // too large to list draws new candidates at every ask, so the memory is bounded by starting over.
  Eigen::VectorXd features_of(const Design& design) const {
    constexpr size_t kMaxRemembered = 200000;
    auto found = m_feature_cache.find(design);
    if (found != m_feature_cache.end()) return found->second;
    if (m_feature_cache.size() >= kMaxRemembered) m_feature_cache.clear();
    std::vector<double> values = m_features->of(design);
    return m_feature_cache
        .emplace(design, Eigen::Map<Eigen::VectorXd>(values.data(), static_cast<Eigen::Index>(values.size())))
        .first->second;
  }

  Eigen::MatrixXd feature_matrix(const std::vector<const Observation*>& rows) const {
    Eigen::MatrixXd matrix(static_cast<Eigen::Index>(rows.size()), static_cast<Eigen::Index>(m_features->count()));
    for (size_t i = 0; i < rows.size(); ++i) matrix.row(static_cast<Eigen::Index>(i)) = features_of(rows[i]->design);
    return matrix;
  }

  std::vector<Design> choose_by_model(size_t count) {
    std::vector<const Observation*> training;
    for (const Observation& observation : m_archive)
      if (usable(observation)) training.push_back(&observation);
    const Eigen::MatrixXd features = feature_matrix(training);
    std::vector<ObjectiveModel> models;
    models.reserve(m_options.objective_count);
    for (size_t j = 0; j < m_options.objective_count; ++j) {
      std::vector<double> values;
      for (const Observation* observation : training) values.push_back(observation->objectives[j]);
      models.emplace_back(m_options.cost_model, derived_seed(m_options.seed, 100 + j), features, values,
                          objective_parts(training, j));
    }
    std::unique_ptr<NearestNeighbourFeasibility> feasibility = feasibility_model();

    std::vector<ObjectivePoint> observed;
    for (const Observation* observation : training) {
      ObjectivePoint point;
      for (size_t j = 0; j < models.size(); ++j) point.push_back(models[j].normalized(observation->objectives[j]));
      observed.push_back(std::move(point));
    }
    // Normalized, every objective spans 0..1 over the observations: the reference is 1 + margin everywhere.
    HypervolumeAcquisition acquisition(observed, ObjectivePoint(models.size(), 1.0 + kReferenceMargin),
                                       models.size() <= 2 ? 64 : 16, derived_seed(m_options.seed, 1));

    std::vector<Design> candidates = candidate_designs(training);
    return pick_batch(count, candidates, predict(candidates, models, feasibility.get()), acquisition);
  }

  // One row per training observation, one column per part of objective j; no columns unless every observation has
  // the same number of parts.
  static Eigen::MatrixXd objective_parts(const std::vector<const Observation*>& training, size_t j) {
    const auto part_count = [j](const Observation* o) {
      return j < o->objective_parts.size() ? o->objective_parts[j].size() : 0;
    };
    const size_t columns = training.empty() ? 0 : part_count(training.front());
    if (columns == 0 ||
        !std::all_of(training.begin(), training.end(), [&](auto o) { return part_count(o) == columns; }))
      return Eigen::MatrixXd(static_cast<Eigen::Index>(training.size()), 0);
    Eigen::MatrixXd parts(static_cast<Eigen::Index>(training.size()), static_cast<Eigen::Index>(columns));
    for (size_t i = 0; i < training.size(); ++i)
      for (size_t c = 0; c < columns; ++c)
        parts(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(c)) = training[i]->objective_parts[j][c];
    return parts;
  }

  // nullptr while every observation was feasible and evaluated.
  std::unique_ptr<NearestNeighbourFeasibility> feasibility_model() const {
    if (usable_count() == m_archive.size()) return nullptr;
    std::vector<const Observation*> rows;
    std::vector<bool> feasible;
    for (const Observation& observation : m_archive) {
      rows.push_back(&observation);
      feasible.push_back(usable(observation));
    }
    return std::make_unique<NearestNeighbourFeasibility>(feature_matrix(rows), std::move(feasible));
  }

  std::vector<CandidatePrediction> predict(const std::vector<Design>& candidates,
                                           const std::vector<ObjectiveModel>& models,
                                           const NearestNeighbourFeasibility* feasibility) const {
    Eigen::MatrixXd features(static_cast<Eigen::Index>(candidates.size()),
                             static_cast<Eigen::Index>(m_features->count()));
    for (size_t i = 0; i < candidates.size(); ++i)
      features.row(static_cast<Eigen::Index>(i)) = features_of(candidates[i]);
    std::vector<CandidatePrediction> predictions(candidates.size());
    for (const ObjectiveModel& model : models) {
      const std::vector<Prediction> objective = model.predict_batch(features);
      for (size_t i = 0; i < candidates.size(); ++i) {
        predictions[i].mean.push_back(objective[i].mean);
        predictions[i].standard_deviation.push_back(objective[i].standard_deviation);
      }
    }
    if (feasibility)
      for (size_t i = 0; i < candidates.size(); ++i)
        predictions[i].feasibility = feasibility->probability(features.row(static_cast<Eigen::Index>(i)).transpose());
    return predictions;
  }

  // Every unrecorded canonical design of a small space; else a uniform sample plus the neighbours of the observed
  // front (where improvements most likely are).
  std::vector<Design> candidate_designs(const std::vector<const Observation*>& training) {
    if (exhaustive_candidates()) {
      std::vector<Design> designs;
      for (uint64_t index : m_all_designs) {
        Design design = m_space.design_at(index);
        if (!m_ledger.contains(design)) designs.push_back(std::move(design));
      }
      return designs;
    }
    std::vector<Design> designs = m_ledger.sample(m_random, kSampledCandidates);
    std::unordered_set<uint64_t> included;
    for (const Design& design : designs) included.insert(m_space.index_of(design));
    std::vector<ObjectivePoint> points;
    for (const Observation* observation : training) points.push_back(observation->objectives);
    for (size_t k : non_dominated(points))
      for (Design& neighbour : neighbours(m_space, training[k]->design))
        if (!m_ledger.contains(neighbour) && included.insert(m_space.index_of(neighbour)).second)
          designs.push_back(std::move(neighbour));
    return designs;
  }

  // Lists the space once, the first time the model runs; false for a space too large to score in full.
  bool exhaustive_candidates() {
    if (!m_listing_decided) {
      m_listing_decided = true;
      if (m_space.product_size() <= kListableProductSize) {
        for_each_canonical(m_space, [&](uint64_t index, const Design&) {
          m_all_designs.push_back(index);
          return m_all_designs.size() <= kExhaustiveCandidateLimit;
        });
      }
      if (m_all_designs.size() > kExhaustiveCandidateLimit || m_space.product_size() > kListableProductSize)
        m_all_designs.clear();
      m_exhaustive = !m_all_designs.empty();
    }
    return m_exhaustive;
  }

  // Greedy batch with a believer: after each pick, its predicted mean joins the acquisition's front as if observed
  // (the models are not refitted), so the next pick looks for improvement elsewhere. Scores only fall as the front
  // grows, so a candidate whose rescored value still tops the queue is the true best (lazy greedy).
  std::vector<Design> pick_batch(size_t count, const std::vector<Design>& candidates,
                                 const std::vector<CandidatePrediction>& predictions,
                                 HypervolumeAcquisition& acquisition) {
    auto score = [&](size_t position, size_t believed_count) {
      const CandidatePrediction& prediction = predictions[position];
      CandidateScore result;
      result.expected_improvement =
          prediction.feasibility * acquisition.expected_improvement(prediction.mean, prediction.standard_deviation);
      const double shortfall =
          acquisition.shortfall(acquisition.optimistic(prediction.mean, prediction.standard_deviation));
      result.closeness = -shortfall - (prediction.feasibility < 0.5 ? 1e3 : 0.0);
      result.position = position;
      result.believed_count = believed_count;
      return result;
    };
    std::priority_queue<CandidateScore, std::vector<CandidateScore>, decltype(&ranks_below)> queue(&ranks_below);
    for (size_t position = 0; position < candidates.size(); ++position) queue.push(score(position, 0));

    std::vector<Design> batch;
    size_t believed_count = 0;
    while (batch.size() < count && !queue.empty()) {
      CandidateScore best = queue.top();
      queue.pop();
      if (best.believed_count != believed_count) {
        queue.push(score(best.position, believed_count));
        continue;
      }
      m_ledger.record(candidates[best.position]);
      batch.push_back(candidates[best.position]);
      acquisition.believe(predictions[best.position].mean);
      ++believed_count;
    }
    return batch;
  }

  std::shared_ptr<const DesignFeatures> m_features;
  mutable std::unordered_map<Design, Eigen::VectorXd, DesignHash> m_feature_cache;
  SeededRandom m_random;
  size_t m_initial_count;
  std::vector<Observation> m_archive;
  bool m_listing_decided = false;
  bool m_exhaustive = false;
  std::vector<uint64_t> m_all_designs;  // canonical designs of a small space, in index order
};

}  // namespace

std::unique_ptr<Strategy> make_model_guided_strategy(const DesignSpace& space, const StrategyOptions& options) {
  return std::make_unique<ModelGuidedStrategy>(space, options);
}

}  // namespace pesim::dse
