// SPDX-License-Identifier: Apache-2.0
#include "dse/cost_model/tree_ensemble.h"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <numeric>
#include <stdexcept>

#include "models/num/seeded_random.h"

namespace pesim::dse {

namespace {

using Node = TreeEnsemble::Node;
using Tree = TreeEnsemble::Tree;

constexpr double kRelativeMinGain = 1e-10;

double tree_value(const Tree& tree, const double* x, Eigen::Index stride) {
  int node = 0;
  while (tree[static_cast<size_t>(node)].feature >= 0) {
    const Node& split = tree[static_cast<size_t>(node)];
    node = x[split.feature * stride] <= split.threshold ? split.left : split.right;
  }
  return tree[static_cast<size_t>(node)].value;
}

// Grows regression trees on one bag: a fixed list of samples (rows of the training set, possibly repeated), each
// feature's samples presorted once.
class TreeGrower {
 public:
  TreeGrower(const Eigen::MatrixXd& features, std::vector<Eigen::Index> rows, const TreeEnsembleOptions& options)
      : m_features(features), m_rows(std::move(rows)), m_options(options) {
    const size_t samples = m_rows.size();
    m_sorted.resize(static_cast<size_t>(features.cols()));
    for (Eigen::Index f = 0; f < features.cols(); ++f) {
      std::vector<size_t>& order = m_sorted[static_cast<size_t>(f)];
      order.resize(samples);
      std::iota(order.begin(), order.end(), size_t{0});
      std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return value(a, f) < value(b, f); });
    }
  }

  size_t samples() const { return m_rows.size(); }
  double value(size_t sample, Eigen::Index feature) const { return m_features(m_rows[sample], feature); }
  Eigen::Index row(size_t sample) const { return m_rows[sample]; }

  // A tree fitted to `residuals` of the samples with in_tree[sample], its leaves already shrunk.
  Tree grow(const std::vector<double>& residuals, const std::vector<bool>& in_tree) {
    m_residuals = &residuals;
    m_tree.assign(1, Node{});
    m_stats.assign(1, NodeStats{});
    m_node_of.assign(samples(), -1);
    for (size_t sample = 0; sample < samples(); ++sample) {
      if (!in_tree[sample]) continue;
      m_node_of[sample] = 0;
      m_stats[0].add(residuals[sample]);
    }
    std::vector<int> open{0};
    for (int depth = 0; depth < m_options.max_depth && !open.empty(); ++depth) open = split_level(open);
    for (size_t node = 0; node < m_tree.size(); ++node)
      if (m_tree[node].feature < 0) m_tree[node].value = m_options.learning_rate * m_stats[node].mean();
    return m_tree;
  }

 private:
  struct NodeStats {
    double count = 0, sum = 0;
    void add(double residual) {
      count += 1;
      sum += residual;
    }
    double mean() const { return count > 0 ? sum / count : 0.0; }
  };
  struct Candidate {
    double gain = 0;
    int feature = -1;
    double threshold = 0;
  };
  // A node's running left-side totals while one feature's sorted samples are scanned.
  struct Scan {
    NodeStats left;
    double last_value = 0;
  };

  // Splits every open node that has a split with positive gain; returns the children that may split further.
  std::vector<int> split_level(const std::vector<int>& open) {
    std::vector<int> slot_of(m_tree.size(), -1);
    for (size_t slot = 0; slot < open.size(); ++slot) slot_of[static_cast<size_t>(open[slot])] = static_cast<int>(slot);
    std::vector<Candidate> best(open.size());
    for (Eigen::Index f = 0; f < m_features.cols(); ++f) scan_feature(f, open, slot_of, best);

    std::vector<int> next_open;
    for (size_t slot = 0; slot < open.size(); ++slot) {
      if (best[slot].feature < 0) continue;
      const int parent = open[slot];
      const int left = static_cast<int>(m_tree.size()), right = left + 1;
      m_tree[static_cast<size_t>(parent)] =
          Node{best[slot].feature, best[slot].threshold, left, right, 0.0, best[slot].gain};
      m_tree.resize(m_tree.size() + 2);
      m_stats.resize(m_stats.size() + 2);
      for (const int child : {left, right}) next_open.push_back(child);
    }
    // Move the samples of split nodes to their children.
    for (size_t sample = 0; sample < samples(); ++sample) {
      const int node = m_node_of[sample];
      if (node < 0 || m_tree[static_cast<size_t>(node)].feature < 0) continue;
      const Node& split = m_tree[static_cast<size_t>(node)];
      const int child = value(sample, split.feature) <= split.threshold ? split.left : split.right;
      m_node_of[sample] = child;
      m_stats[static_cast<size_t>(child)].add((*m_residuals)[sample]);
    }
    const auto too_small = [&](int node) {
      return m_stats[static_cast<size_t>(node)].count < 2.0 * m_options.min_samples_leaf;
    };
    next_open.erase(std::remove_if(next_open.begin(), next_open.end(), too_small), next_open.end());
    return next_open;
  }

  // Every threshold between consecutive distinct values of feature f, for every open node at once. The gain of a
  // split is the drop in squared error, sum_L^2/n_L + sum_R^2/n_R - sum^2/n.
  void scan_feature(Eigen::Index f, const std::vector<int>& open, const std::vector<int>& slot_of,
                    std::vector<Candidate>& best) const {
    std::vector<Scan> scans(open.size());
    const double min_leaf = m_options.min_samples_leaf;
    for (const size_t sample : m_sorted[static_cast<size_t>(f)]) {
      const int node = m_node_of[sample];
      if (node < 0 || slot_of[static_cast<size_t>(node)] < 0) continue;
      const auto slot = static_cast<size_t>(slot_of[static_cast<size_t>(node)]);
      Scan& scan = scans[slot];
      const double x = value(sample, f);
      if (scan.left.count >= min_leaf && x > scan.last_value) {
        const NodeStats& total = m_stats[static_cast<size_t>(node)];
        const double right_count = total.count - scan.left.count;
        if (right_count >= min_leaf) {
          const double right_sum = total.sum - scan.left.sum;
          const double children = scan.left.sum * scan.left.sum / scan.left.count + right_sum * right_sum / right_count;
          const double gain = children - total.sum * total.sum / total.count;
          // Gains within rounding of zero (equal residuals) are no reason to split; ties keep the first candidate.
          if (gain > best[slot].gain && gain > kRelativeMinGain * children)
            best[slot] = {gain, static_cast<int>(f), threshold(scan.last_value, x)};
        }
      }
      scan.left.add((*m_residuals)[sample]);
      scan.last_value = x;
    }
  }

  // Midway between two consecutive distinct values, never rounding onto the upper one.
  static double threshold(double lower, double upper) {
    const double middle = lower + 0.5 * (upper - lower);
    return middle < upper ? middle : lower;
  }

  const Eigen::MatrixXd& m_features;
  std::vector<Eigen::Index> m_rows;
  const TreeEnsembleOptions& m_options;
  std::vector<std::vector<size_t>> m_sorted;  // per feature: samples in increasing order of its value

  // Per grow() call.
  const std::vector<double>* m_residuals = nullptr;
  Tree m_tree;
  std::vector<NodeStats> m_stats;  // per node: the samples that reach it
  std::vector<int> m_node_of;      // per sample: its node at the current level, or -1 (not in this tree)
};

TreeEnsemble::Booster boost_bag(const Eigen::MatrixXd& features, const Eigen::VectorXd& targets,
                                const TreeEnsembleOptions& options, uint64_t seed) {
  SeededRandom random(seed);
  const auto n = static_cast<size_t>(features.rows());
  std::vector<Eigen::Index> rows(n);
  for (Eigen::Index& row : rows) row = static_cast<Eigen::Index>(random.index(n));  // bootstrap
  TreeGrower grower(features, std::move(rows), options);

  TreeEnsemble::Booster booster;
  for (size_t sample = 0; sample < n; ++sample) booster.base += targets[grower.row(sample)];
  booster.base /= static_cast<double>(n);
  std::vector<double> fitted(n, booster.base), residuals(n);
  const auto tree_samples =
      std::clamp<size_t>(static_cast<size_t>(std::lround(options.subsample * static_cast<double>(n))), size_t{1}, n);
  for (int round = 0; round < options.rounds; ++round) {
    for (size_t sample = 0; sample < n; ++sample) residuals[sample] = targets[grower.row(sample)] - fitted[sample];
    std::vector<bool> in_tree(n, false);
    const std::vector<size_t> order = random.permutation(n);
    for (size_t k = 0; k < tree_samples; ++k) in_tree[order[k]] = true;
    booster.trees.push_back(grower.grow(residuals, in_tree));
    for (size_t sample = 0; sample < n; ++sample)
      fitted[sample] += tree_value(booster.trees.back(), &features(grower.row(sample), 0), features.rows());
  }
  return booster;
}

}  // namespace

TreeEnsemble::TreeEnsemble(uint64_t seed, TreeEnsembleOptions options) : m_seed(seed), m_options(options) {
  if (m_options.bags < 1 || m_options.rounds < 0 || m_options.max_depth < 0 || m_options.min_samples_leaf < 1 ||
      !(m_options.subsample > 0 && m_options.subsample <= 1) || !(m_options.learning_rate > 0))
    throw std::invalid_argument(
        "trees: options out of range (bags >= 1, rounds >= 0, max_depth >= 0, "
        "min_samples_leaf >= 1, 0 < subsample <= 1, learning_rate > 0)");
}

void TreeEnsemble::fit(const Eigen::MatrixXd& features, const Eigen::VectorXd& targets) {
  check_training_set(features, targets);
  m_feature_count = features.cols();
  m_bags.clear();
  SeededRandom random(m_seed);
  for (int bag = 0; bag < m_options.bags; ++bag)
    m_bags.push_back(boost_bag(features, targets, m_options, random.next_seed()));
}

double TreeEnsemble::predict_bag(const Booster& booster, const Eigen::VectorXd& features) const {
  double sum = booster.base;
  for (const Tree& tree : booster.trees) sum += tree_value(tree, features.data(), 1);
  return sum;
}

Prediction TreeEnsemble::predict(const Eigen::VectorXd& features) const {
  if (m_bags.empty()) throw std::logic_error("trees: predict() before fit()");
  if (features.size() != m_feature_count)
    throw std::invalid_argument("trees: " + std::to_string(features.size()) + " features, fitted with " +
                                std::to_string(m_feature_count));
  std::vector<double> bag_predictions;
  for (const Booster& booster : m_bags) bag_predictions.push_back(predict_bag(booster, features));
  const double count = static_cast<double>(bag_predictions.size());
  const double mean = std::accumulate(bag_predictions.begin(), bag_predictions.end(), 0.0) / count;
  if (bag_predictions.size() < 2) return {mean, 0.0};
  double squares = 0;
  for (const double prediction : bag_predictions) squares += (prediction - mean) * (prediction - mean);
  return {mean, std::sqrt(squares / (count - 1))};
}

std::vector<double> TreeEnsemble::feature_importance() const {
  std::vector<double> importance(static_cast<size_t>(m_feature_count), 0.0);
  for (const Booster& booster : m_bags)
    for (const Tree& tree : booster.trees)
      for (const Node& node : tree)
        if (node.feature >= 0) importance[static_cast<size_t>(node.feature)] += node.gain;
  const double total = std::accumulate(importance.begin(), importance.end(), 0.0);
  if (total > 0)
    for (double& share : importance) share /= total;
  return importance;
}

std::string TreeEnsemble::describe() const {
  nlohmann::json description{{"model", name()},
                             {"seed", m_seed},
                             {"bags", m_options.bags},
                             {"rounds", m_options.rounds},
                             {"learning_rate", m_options.learning_rate},
                             {"max_depth", m_options.max_depth},
                             {"min_samples_leaf", m_options.min_samples_leaf},
                             {"subsample", m_options.subsample},
                             {"bag_sampling", "bootstrap"},
                             {"uncertainty", "sample standard deviation across bags"},
                             {"fitted", !m_bags.empty()}};
  if (m_bags.empty()) return description.dump();
  description["nodes"] = std::accumulate(m_bags.begin(), m_bags.end(), size_t{0}, [](size_t sum, const Booster& b) {
    return std::accumulate(b.trees.begin(), b.trees.end(), sum,
                           [](size_t tree_sum, const Tree& tree) { return tree_sum + tree.size(); });
  });
  description["feature_importance"] = feature_importance();
  return description.dump();
}

}  // namespace pesim::dse
