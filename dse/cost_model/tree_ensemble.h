// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <Eigen/Dense>
#include <cstdint>
#include <string>
#include <vector>

#include "dse/cost_model/regressor.h"

namespace pesim::dse {

struct TreeEnsembleOptions {
  int bags = 5;                // independently boosted ensembles; their spread is the uncertainty
  int rounds = 500;            // trees per bag
  double learning_rate = 0.1;  // shrinkage of every tree's leaf values
  int max_depth = 3;
  int min_samples_leaf = 2;  // in bag samples (bootstrap duplicates count)
  double subsample = 0.8;    // fraction of a bag's samples each tree is grown on, drawn without replacement
};

// Gradient-boosted regression trees (squared loss) with exact greedy splits: every threshold between consecutive
// distinct values of every feature is tried, level by level over presorted feature orders.
//
// Uncertainty: `bags` ensembles are boosted independently, each on its own bootstrap resample of the training rows
// (and its own seeded row subsampling); predict() returns their mean and the sample standard deviation across them.
// That is a bootstrap estimate of the model's variance: it grows where the training data disagree or are sparse
// inside the sampled region, but it ignores bias, and trees extrapolate as a constant, so far outside the training
// data it stays about as small as at its edge (unlike the Gaussian process's).
class TreeEnsemble : public Regressor {
 public:
  explicit TreeEnsemble(uint64_t seed, TreeEnsembleOptions options = {});

  std::string name() const override { return "trees"; }
  void fit(const Eigen::MatrixXd& features, const Eigen::VectorXd& targets) override;
  Prediction predict(const Eigen::VectorXd& features) const override;
  std::string describe() const override;
  // Each feature's share of the squared-error reduction by all splits (gain importance; sums to 1, or all 0 when
  // nothing was split). Also in describe().
  std::vector<double> feature_importance() const;

  // A node of a regression tree; a leaf when feature < 0. Rows with x[feature] <= threshold go left.
  struct Node {
    int feature = -1;
    double threshold = 0;
    int left = -1, right = -1;
    double value = 0;  // leaves: the (shrunk) prediction increment
    double gain = 0;   // splits: the drop in the squared error of the residuals the tree was grown on
  };
  using Tree = std::vector<Node>;  // nodes[0] is the root
  struct Booster {
    double base = 0;  // the bag's mean target
    std::vector<Tree> trees;
  };

 private:
  double predict_bag(const Booster& booster, const Eigen::VectorXd& features) const;

  uint64_t m_seed;
  TreeEnsembleOptions m_options;
  Eigen::Index m_feature_count = 0;
  std::vector<Booster> m_bags;
};

}  // namespace pesim::dse
