// SPDX-License-Identifier: Apache-2.0
// Pareto dominance, non-dominated sorting, crowding distance and exact hypervolume. Every objective is minimized.
#pragma once
#include <cstddef>
#include <vector>

namespace pesim::dse {

using ObjectivePoint = std::vector<double>;

// a is no worse than b in every objective and better in at least one. Equal points do not dominate each other.
bool dominates(const ObjectivePoint& a, const ObjectivePoint& b);

// Indices (ascending) of the points no other point dominates; equal points are all kept.
std::vector<size_t> non_dominated(const std::vector<ObjectivePoint>& points);

// NSGA-II's fast non-dominated sort: front 0 is non_dominated(points), front k those only fronts < k dominate. Every
// index appears in exactly one front, ascending within it.
std::vector<std::vector<size_t>> non_dominated_fronts(const std::vector<ObjectivePoint>& points);

// NSGA-II's crowding distance of each member of `front` (indices into points), in front's order: the sum over
// objectives of the normalized gap between its two neighbours; the extremes of every objective (that varies) get
// infinity.
std::vector<double> crowding_distance(const std::vector<ObjectivePoint>& points, const std::vector<size_t>& front);

// The exact Lebesgue measure of the region the points dominate and the reference point bounds. A point that does not
// strictly dominate the reference (every coordinate below it) contributes nothing. Dimensions 1-3 by sweeps
// (O(n log n)); 4 and more by slicing along the last objective down to the 3-D sweep (O(n^(d-2) log n)), which is
// meant for fronts of up to a few hundred points. Throws std::invalid_argument when a point's dimension differs from
// the reference's.
double hypervolume(const std::vector<ObjectivePoint>& points, const ObjectivePoint& reference);

// The same measure by WFG (While, Bradstreet and Barone 2012): inclusion-exclusion over exclusive contributions with
// limited sets, in any dimension with no special cases. Exponential in the worst case; an independent check of
// hypervolume() and a fallback for small fronts.
double hypervolume_wfg(const std::vector<ObjectivePoint>& points, const ObjectivePoint& reference);

// How much hypervolume `point` adds to `front`: hypervolume(front + point) - hypervolume(front), computed on the
// front limited to the point's box (O(n log n) in 2-D and 3-D). `front` need not be non-dominated.
double hypervolume_improvement(const ObjectivePoint& point, const std::vector<ObjectivePoint>& front,
                               const ObjectivePoint& reference);

}  // namespace pesim::dse
