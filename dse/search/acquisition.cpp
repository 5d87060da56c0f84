// SPDX-License-Identifier: Apache-2.0
#include "dse/search/acquisition.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

#include "models/num/seeded_random.h"

namespace pesim::dse {
namespace {

// Box-Muller on SeededRandom's portable uniforms (std::normal_distribution differs between standard libraries).
double standard_normal(SeededRandom& random) {
  const double radius = std::sqrt(-2.0 * std::log(1.0 - random.uniform()));  // 1 - u lies in (0, 1]
  return radius * std::cos(2.0 * std::numbers::pi * random.uniform());
}

std::vector<ObjectivePoint> sorted_non_dominated(const std::vector<ObjectivePoint>& points) {
  std::vector<ObjectivePoint> front;
  for (size_t index : non_dominated(points)) front.push_back(points[index]);
  std::sort(front.begin(), front.end());
  front.erase(std::unique(front.begin(), front.end()), front.end());
  return front;
}

}  // namespace

HypervolumeAcquisition::HypervolumeAcquisition(const std::vector<ObjectivePoint>& front, ObjectivePoint reference,
                                               size_t draw_count, uint64_t seed)
    : m_front(sorted_non_dominated(front)), m_reference(std::move(reference)), m_lowest_draw(m_reference.size(), 0.0) {
  SeededRandom random(seed);
  const size_t pairs = std::max<size_t>(1, draw_count / 2);
  for (size_t pair = 0; pair < pairs; ++pair) {
    ObjectivePoint draw(m_reference.size());
    for (double& z : draw) z = standard_normal(random);
    ObjectivePoint mirrored = draw;
    for (double& z : mirrored) z = -z;
    m_draws.push_back(std::move(draw));
    m_draws.push_back(std::move(mirrored));
  }
  for (const ObjectivePoint& draw : m_draws)
    for (size_t j = 0; j < draw.size(); ++j) m_lowest_draw[j] = std::min(m_lowest_draw[j], draw[j]);
}

ObjectivePoint HypervolumeAcquisition::optimistic(const ObjectivePoint& mean,
                                                  const ObjectivePoint& standard_deviation) const {
  ObjectivePoint point(mean.size());
  for (size_t j = 0; j < mean.size(); ++j) point[j] = mean[j] + m_lowest_draw[j] * standard_deviation[j];
  return point;
}

double HypervolumeAcquisition::expected_improvement(const ObjectivePoint& mean,
                                                    const ObjectivePoint& standard_deviation) const {
  // Improvement only grows as a point gets better in any objective, so no draw beats the optimistic point.
  if (improvement(optimistic(mean, standard_deviation)) <= 0) return 0;
  double total = 0;
  ObjectivePoint sample(mean.size());
  for (const ObjectivePoint& draw : m_draws) {
    for (size_t j = 0; j < mean.size(); ++j) sample[j] = mean[j] + draw[j] * standard_deviation[j];
    total += improvement(sample);
  }
  return total / static_cast<double>(m_draws.size());
}

double HypervolumeAcquisition::shortfall(const ObjectivePoint& point) const {
  double worst = -std::numeric_limits<double>::infinity();
  for (const ObjectivePoint& member : m_front) {
    double smallest = std::numeric_limits<double>::infinity();
    for (size_t j = 0; j < point.size(); ++j) smallest = std::min(smallest, point[j] - member[j]);
    worst = std::max(worst, smallest);
  }
  return worst;
}

void HypervolumeAcquisition::believe(const ObjectivePoint& point) {
  std::vector<ObjectivePoint> points = m_front;
  points.push_back(point);
  m_front = sorted_non_dominated(points);
}

double HypervolumeAcquisition::improvement(const ObjectivePoint& point) const {
  if (point.size() == 2) return improvement_2d(point);
  return hypervolume_improvement(point, m_front, m_reference);
}

double HypervolumeAcquisition::improvement_2d(const ObjectivePoint& point) const {
  const double x = point[0], y = point[1];
  if (!(x < m_reference[0] && y < m_reference[1])) return 0;
  // The front's height at x: the lowest second objective among members at or left of x.
  auto step = std::upper_bound(m_front.begin(), m_front.end(), x,
                               [](double value, const ObjectivePoint& member) { return value < member[0]; });
  double top = m_reference[1];
  if (step != m_front.begin()) top = std::min(top, std::prev(step)->at(1));
  double area = 0, left = x;
  for (; step != m_front.end() && top > y; ++step) {
    const double right = std::min((*step)[0], m_reference[0]);
    area += (right - left) * (top - y);
    left = right;
    top = std::min(top, (*step)[1]);
  }
  if (top > y) area += (m_reference[0] - left) * (top - y);
  return area;
}

}  // namespace pesim::dse
