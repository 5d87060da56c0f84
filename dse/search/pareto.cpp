// SPDX-License-Identifier: Apache-2.0
#include "dse/search/pareto.h"

#include <algorithm>
#include <iterator>
#include <limits>
#include <map>
#include <numeric>
#include <stdexcept>

namespace pesim::dse {
namespace {

bool strictly_dominates_reference(const ObjectivePoint& point, const ObjectivePoint& reference) {
  for (size_t i = 0; i < point.size(); ++i)
    if (!(point[i] < reference[i])) return false;
  return true;
}

// The points that count for the hypervolume, after checking their dimensions.
std::vector<ObjectivePoint> inside_reference(const std::vector<ObjectivePoint>& points,
                                             const ObjectivePoint& reference) {
  if (reference.empty()) throw std::invalid_argument("hypervolume: the reference point has no objectives");
  std::vector<ObjectivePoint> inside;
  for (const ObjectivePoint& point : points) {
    if (point.size() != reference.size())
      throw std::invalid_argument("hypervolume: a point's objective count differs from the reference point's");
    if (strictly_dominates_reference(point, reference)) inside.push_back(point);
  }
  return inside;
}

double box_volume(const ObjectivePoint& corner, const ObjectivePoint& reference) {
  double volume = 1;
  for (size_t i = 0; i < corner.size(); ++i) volume *= reference[i] - corner[i];
  return volume;
}

double hypervolume_1d(const std::vector<ObjectivePoint>& points, double reference) {
  double best = reference;
  for (const ObjectivePoint& point : points) best = std::min(best, point[0]);
  return reference - best;
}

// Sorted by the first objective, each point adds the strip between its second objective and the lowest one seen.
double hypervolume_2d(std::vector<ObjectivePoint> points, const ObjectivePoint& reference) {
  std::sort(points.begin(), points.end());
  double area = 0, lowest = reference[1];
  for (const ObjectivePoint& point : points) {
    if (point[1] >= lowest) continue;
    area += (reference[0] - point[0]) * (lowest - point[1]);
    lowest = point[1];
  }
  return area;
}

// A 2-D non-dominated staircase (first objective -> second objective, the second falling as the first rises) and
// the area it dominates up to a reference corner.
class Staircase {
 public:
  Staircase(double reference_x, double reference_y) : m_reference_x(reference_x), m_reference_y(reference_y) {}

  double area() const { return m_area; }

  // Adds a point strictly inside the reference corner; returns the area it adds (0 when the staircase dominates it).
  double insert(double x, double y) {
    auto after = m_steps.upper_bound(x);
    if (after != m_steps.begin() && std::prev(after)->second <= y) return 0;
    auto first_at_or_after = m_steps.lower_bound(x);
    double top = first_at_or_after == m_steps.begin() ? m_reference_y : std::prev(first_at_or_after)->second;
    double added = 0, left = x;
    auto step = first_at_or_after;
    // Steps the new point dominates go; the area they covered is replaced strip by strip.
    while (step != m_steps.end() && step->second >= y) {
      added += (step->first - left) * (top - y);
      left = step->first;
      top = step->second;
      step = m_steps.erase(step);
    }
    double right = step == m_steps.end() ? m_reference_x : step->first;
    added += (right - left) * (top - y);
    m_steps.emplace(x, y);
    m_area += added;
    return added;
  }

 private:
  double m_reference_x, m_reference_y;
  std::map<double, double> m_steps;
  double m_area = 0;
};

// Sweeps up the third objective: between consecutive values, the volume is the slab times the area the points below
// dominate in the first two objectives.
double hypervolume_3d(std::vector<ObjectivePoint> points, const ObjectivePoint& reference) {
  std::sort(points.begin(), points.end(), [](const ObjectivePoint& a, const ObjectivePoint& b) { return a[2] < b[2]; });
  Staircase staircase(reference[0], reference[1]);
  double volume = 0;
  for (size_t i = 0; i < points.size(); ++i) {
    staircase.insert(points[i][0], points[i][1]);
    double next = i + 1 < points.size() ? points[i + 1][2] : reference[2];
    volume += staircase.area() * (next - points[i][2]);
  }
  return volume;
}

std::vector<ObjectivePoint> drop_last_objective(const std::vector<ObjectivePoint>& points, size_t count) {
  std::vector<ObjectivePoint> projected;
  projected.reserve(count);
  for (size_t i = 0; i < count; ++i) projected.emplace_back(points[i].begin(), points[i].end() - 1);
  return projected;
}

double hypervolume_inside(const std::vector<ObjectivePoint>& points, const ObjectivePoint& reference);

// Slices along the last objective: each slab's cross-section is the (d-1)-dimensional hypervolume of the points
// below it.
double hypervolume_by_slicing(std::vector<ObjectivePoint> points, const ObjectivePoint& reference) {
  const size_t last = reference.size() - 1;
  std::sort(points.begin(), points.end(),
            [last](const ObjectivePoint& a, const ObjectivePoint& b) { return a[last] < b[last]; });
  const ObjectivePoint lower_reference(reference.begin(), reference.end() - 1);
  double volume = 0;
  for (size_t i = 0; i < points.size(); ++i) {
    double next = i + 1 < points.size() ? points[i + 1][last] : reference[last];
    if (next == points[i][last]) continue;  // an empty slab: the next point starts at the same height
    volume += hypervolume_inside(drop_last_objective(points, i + 1), lower_reference) * (next - points[i][last]);
  }
  return volume;
}

// Points already inside the reference.
double hypervolume_inside(const std::vector<ObjectivePoint>& points, const ObjectivePoint& reference) {
  switch (reference.size()) {
    case 1:
      return hypervolume_1d(points, reference[0]);
    case 2:
      return hypervolume_2d(points, reference);
    case 3:
      return hypervolume_3d(points, reference);
    default:
      return hypervolume_by_slicing(points, reference);
  }
}

// The non-dominated points with duplicates removed.
std::vector<ObjectivePoint> distinct_non_dominated(std::vector<ObjectivePoint> points) {
  std::sort(points.begin(), points.end());
  points.erase(std::unique(points.begin(), points.end()), points.end());
  std::vector<ObjectivePoint> kept;
  for (size_t index : non_dominated(points)) kept.push_back(std::move(points[index]));
  return kept;
}

double wfg(std::vector<ObjectivePoint> points, const ObjectivePoint& reference);

// What points[k] alone adds to points[k+1..]: its box minus the hypervolume of the rest limited to that box.
double wfg_exclusive(const std::vector<ObjectivePoint>& points, size_t k, const ObjectivePoint& reference) {
  std::vector<ObjectivePoint> limited;
  limited.reserve(points.size() - k - 1);
  for (size_t j = k + 1; j < points.size(); ++j) {
    ObjectivePoint corner(points[j].size());
    for (size_t i = 0; i < corner.size(); ++i) corner[i] = std::max(points[k][i], points[j][i]);
    limited.push_back(std::move(corner));
  }
  return box_volume(points[k], reference) - wfg(distinct_non_dominated(std::move(limited)), reference);
}

double wfg(std::vector<ObjectivePoint> points, const ObjectivePoint& reference) {
  // Any order is correct; worst-first in the first objective keeps the limited sets small (a later point limited by
  // an earlier one is often dominated).
  std::sort(points.begin(), points.end(), [](const ObjectivePoint& a, const ObjectivePoint& b) { return a[0] > b[0]; });
  double volume = 0;
  for (size_t k = 0; k < points.size(); ++k) volume += wfg_exclusive(points, k, reference);
  return volume;
}

}  // namespace

bool dominates(const ObjectivePoint& a, const ObjectivePoint& b) {
  bool better_somewhere = false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i] > b[i]) return false;
    if (a[i] < b[i]) better_somewhere = true;
  }
  return better_somewhere;
}

std::vector<size_t> non_dominated(const std::vector<ObjectivePoint>& points) {
  std::vector<size_t> kept;
  for (size_t i = 0; i < points.size(); ++i) {
    bool dominated = false;
    for (size_t j = 0; j < points.size() && !dominated; ++j) dominated = j != i && dominates(points[j], points[i]);
    if (!dominated) kept.push_back(i);
  }
  return kept;
}

std::vector<std::vector<size_t>> non_dominated_fronts(const std::vector<ObjectivePoint>& points) {
  const size_t n = points.size();
  std::vector<std::vector<size_t>> dominated_by(n);  // dominated_by[i]: the points i dominates
  std::vector<size_t> domination_count(n, 0);        // how many points dominate i
  for (size_t i = 0; i < n; ++i)
    for (size_t j = i + 1; j < n; ++j) {
      if (dominates(points[i], points[j])) {
        dominated_by[i].push_back(j);
        ++domination_count[j];
      } else if (dominates(points[j], points[i])) {
        dominated_by[j].push_back(i);
        ++domination_count[i];
      }
    }
  std::vector<std::vector<size_t>> fronts;
  std::vector<size_t> current;
  for (size_t i = 0; i < n; ++i)
    if (domination_count[i] == 0) current.push_back(i);
  while (!current.empty()) {
    std::vector<size_t> next;
    for (size_t i : current)
      for (size_t j : dominated_by[i])
        if (--domination_count[j] == 0) next.push_back(j);
    std::sort(next.begin(), next.end());
    fronts.push_back(std::move(current));
    current = std::move(next);
  }
  return fronts;
}

std::vector<double> crowding_distance(const std::vector<ObjectivePoint>& points, const std::vector<size_t>& front) {
  std::vector<double> distance(front.size(), 0.0);
  if (front.empty()) return distance;
  const double infinity = std::numeric_limits<double>::infinity();
  std::vector<size_t> order(front.size());
  for (size_t objective = 0; objective < points[front[0]].size(); ++objective) {
    std::iota(order.begin(), order.end(), size_t{0});
    auto value = [&](size_t position) { return points[front[position]][objective]; };
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return value(a) < value(b); });
    const double span = value(order.back()) - value(order.front());
    if (span <= 0) continue;  // every member ties: the objective separates nobody
    distance[order.front()] = distance[order.back()] = infinity;
    for (size_t k = 1; k + 1 < order.size(); ++k)
      distance[order[k]] += (value(order[k + 1]) - value(order[k - 1])) / span;
  }
  return distance;
}

double hypervolume(const std::vector<ObjectivePoint>& points, const ObjectivePoint& reference) {
  std::vector<ObjectivePoint> inside = inside_reference(points, reference);
  if (inside.empty()) return 0;
  if (reference.size() >= 4) inside = distinct_non_dominated(std::move(inside));  // slicing pays per point
  return hypervolume_inside(inside, reference);
}

double hypervolume_wfg(const std::vector<ObjectivePoint>& points, const ObjectivePoint& reference) {
  return wfg(distinct_non_dominated(inside_reference(points, reference)), reference);
}

double hypervolume_improvement(const ObjectivePoint& point, const std::vector<ObjectivePoint>& front,
                               const ObjectivePoint& reference) {
  if (point.size() != reference.size())
    throw std::invalid_argument("hypervolume: a point's objective count differs from the reference point's");
  if (!strictly_dominates_reference(point, reference)) return 0;
  std::vector<ObjectivePoint> limited;
  limited.reserve(front.size());
  for (const ObjectivePoint& member : front) {
    if (member.size() != reference.size())
      throw std::invalid_argument("hypervolume: a point's objective count differs from the reference point's");
    ObjectivePoint corner(point.size());
    for (size_t i = 0; i < corner.size(); ++i) corner[i] = std::max(point[i], member[i]);
    if (corner == point) return 0;  // the member is at least as good everywhere: nothing new
    limited.push_back(std::move(corner));
  }
  return std::max(0.0, box_volume(point, reference) - hypervolume(limited, reference));
}

}  // namespace pesim::dse
