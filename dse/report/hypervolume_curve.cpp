// SPDX-License-Identifier: Apache-2.0
#include "dse/report/hypervolume_curve.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace pesim::dse {
namespace {

// True when some member is at least as good as `point` in every objective: the point adds no volume.
bool weakly_dominated(const ObjectivePoint& point, const std::vector<ObjectivePoint>& front) {
  return std::any_of(front.begin(), front.end(), [&](const ObjectivePoint& member) {
    for (size_t i = 0; i < point.size(); ++i)
      if (member[i] > point[i]) return false;
    return true;
  });
}

}  // namespace

ObjectiveScale ObjectiveScale::over(const std::vector<ObjectivePoint>& points) {
  ObjectiveScale scale;
  if (points.empty()) return scale;
  scale.best = scale.worst = points.front();
  for (const ObjectivePoint& point : points) {
    if (point.size() != scale.best.size())
      throw std::invalid_argument("hypervolume scale: points of different objective counts");
    for (size_t i = 0; i < point.size(); ++i) {
      scale.best[i] = std::min(scale.best[i], point[i]);
      scale.worst[i] = std::max(scale.worst[i], point[i]);
    }
  }
  return scale;
}

ObjectivePoint ObjectiveScale::normalized(const ObjectivePoint& point) const {
  ObjectivePoint result(point.size());
  for (size_t i = 0; i < point.size(); ++i) {
    const double range = worst[i] > best[i] ? worst[i] - best[i] : 1.0;
    result[i] = (point[i] - best[i]) / range;
  }
  return result;
}

ObjectivePoint ObjectiveScale::reference() const { return ObjectivePoint(best.size(), 1.0 + kReferenceMargin); }

double ObjectiveScale::box_volume() const { return std::pow(1.0 + kReferenceMargin, static_cast<double>(best.size())); }

std::vector<HypervolumePoint> hypervolume_curve(const std::vector<std::optional<ObjectivePoint>>& points,
                                                const ObjectiveScale& scale) {
  std::vector<HypervolumePoint> curve;
  curve.reserve(points.size());
  std::vector<ObjectivePoint> front;  // non-dominated normalized points so far
  double hypervolume = 0;
  for (size_t k = 0; k < points.size(); ++k) {
    if (points[k] && !scale.empty()) {
      ObjectivePoint point = scale.normalized(*points[k]);
      if (!weakly_dominated(point, front)) {
        std::erase_if(front, [&](const ObjectivePoint& member) { return dominates(point, member); });
        front.push_back(std::move(point));
        // Recomputed rather than accumulated, so that no rounding builds up over a long run.
        hypervolume = dse::hypervolume(front, scale.reference()) / scale.box_volume();
      }
    }
    curve.push_back({static_cast<int64_t>(k + 1), hypervolume});
  }
  return curve;
}

std::optional<int64_t> evaluations_to_reach(const std::vector<HypervolumePoint>& curve, double target) {
  for (const HypervolumePoint& point : curve)
    if (point.hypervolume >= target) return point.evaluations;
  return std::nullopt;
}

}  // namespace pesim::dse
