// SPDX-License-Identifier: Apache-2.0
// The model-guided strategy's acquisition: expected hypervolume improvement (EHVI) over independent Gaussian
// predictions of each objective, by Monte Carlo with fixed draws. Internal to dse/search.
#pragma once
#include <cstdint>
#include <vector>

#include "dse/search/pareto.h"

namespace pesim::dse {

class HypervolumeAcquisition {
 public:
  // `front`: the observed points (dominated ones are dropped); `reference`: the hypervolume's bound, worse than
  // them. `draw_count` standard-normal draws come from `seed` in antithetic pairs (z, -z), so that every candidate
  // is scored on the same draws: scores compare without sampling noise and the strategy stays deterministic.
  HypervolumeAcquisition(const std::vector<ObjectivePoint>& front, ObjectivePoint reference, size_t draw_count,
                         uint64_t seed);

  // The mean, over the draws z, of the hypervolume improvement of mean + z * standard_deviation. Exactly 0 (without
  // the draws) when even the most optimistic draw's point improves nothing.
  double expected_improvement(const ObjectivePoint& mean, const ObjectivePoint& standard_deviation) const;

  // The most optimistic point the draws reach: mean + (smallest draw per objective) * standard_deviation.
  ObjectivePoint optimistic(const ObjectivePoint& mean, const ObjectivePoint& standard_deviation) const;

  // How far the point is from escaping the front's domination: the largest, over front members, of the smallest
  // coordinate difference point - member. Negative when no member weakly dominates it; the ranking of last resort
  // when no candidate is expected to improve the hypervolume.
  double shortfall(const ObjectivePoint& point) const;

  // Adds a point to the front: the believed outcome of a design picked for the current batch.
  void believe(const ObjectivePoint& point);

  const std::vector<ObjectivePoint>& front() const { return m_front; }

 private:
  double improvement(const ObjectivePoint& point) const;
  // Two objectives: a sweep over the front kept sorted by the first objective, O(log n + steps), no allocation.
  double improvement_2d(const ObjectivePoint& point) const;

  std::vector<ObjectivePoint> m_front;  // non-dominated; sorted by the first objective
  ObjectivePoint m_reference;
  std::vector<ObjectivePoint> m_draws;
  ObjectivePoint m_lowest_draw;  // per objective, over the draws
};

}  // namespace pesim::dse
