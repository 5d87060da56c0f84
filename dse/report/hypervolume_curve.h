// SPDX-License-Identifier: Apache-2.0
// Hypervolume against evaluations, normalized so that runs of one space (and of different strategies) compare.
#pragma once
#include <cstdint>
#include <optional>
#include <vector>

#include "dse/search/pareto.h"

namespace pesim::dse {

// Maps minimized objective vectors onto a common scale: per objective, 0 is the best value of the points it was made
// over and 1 the worst (pesim report makes it over the best
// known Pareto front: its ideal and nadir), so that objectives of different units weigh alike. The reference point sits
// kReferenceMargin of that range beyond the worst value (1.1), so that the worst designs still add volume. An
// objective every point ties in gets a range of 1 (all its values map to 0).
struct ObjectiveScale {
  static constexpr double kReferenceMargin = 0.1;
  ObjectivePoint best, worst;  // empty: no feasible point was seen

  // The scale over these points (all of one dimension).
  static ObjectiveScale over(const std::vector<ObjectivePoint>& points);
  bool empty() const { return best.empty(); }
  size_t objectives() const { return best.size(); }
  ObjectivePoint normalized(const ObjectivePoint& point) const;
  ObjectivePoint reference() const;  // 1 + kReferenceMargin in every objective
  // The volume of the box between the best point and the reference, (1 + margin)^objectives: normalized
  // hypervolumes are divided by it, so that they lie in [0, 1].
  double box_volume() const;
};

struct HypervolumePoint {
  int64_t evaluations = 0;  // evaluations done, failed and infeasible ones included
  double hypervolume = 0;   // of the feasible points among them, as a fraction of the scale's box
};

// The hypervolume after each of a run's evaluations, in order: `points[k]` is evaluation k's minimized objective
// vector, or nothing when it failed or is infeasible. One entry per evaluation (evaluations 1, 2, ...); all zero
// when the scale is empty. Non-decreasing by construction.
std::vector<HypervolumePoint> hypervolume_curve(const std::vector<std::optional<ObjectivePoint>>& points,
                                                const ObjectiveScale& scale);

// The first entry of `curve` reaching `target` hypervolume, or nothing.
std::optional<int64_t> evaluations_to_reach(const std::vector<HypervolumePoint>& curve, double target);

}  // namespace pesim::dse
