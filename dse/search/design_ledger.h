// SPDX-License-Identifier: Apache-2.0
// What every strategy keeps: the designs it has proposed or been told about, uniform draws among the others, and
// small helpers on designs. Internal to dse/search.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <unordered_set>
#include <vector>

#include "dse/cost_model/seeded_random.h"
#include "dse/search/strategy.h"
#include "dse/space/design_space.h"

namespace pesim::dse {

// Spaces whose Cartesian product has at most this many points may be listed in full (a few hundred milliseconds
// and 8 bytes per canonical design).
inline constexpr uint64_t kListableProductSize = uint64_t{1} << 22;

// Calls visit(index, design) for every canonical design in mixed-radix index order; stops early when visit returns
// false. Costs O(product_size * dimensions) without allocating per point.
void for_each_canonical(const DesignSpace& space, const std::function<bool(uint64_t, const Design&)>& visit);

// The designs a strategy may no longer propose, keyed by their canonical form.
class DesignLedger {
 public:
  explicit DesignLedger(const DesignSpace& space) : m_space(space) {}
  // It refers to its space, usually a member of the same strategy: copies would refer to the original's.
  DesignLedger(const DesignLedger&) = delete;
  DesignLedger& operator=(const DesignLedger&) = delete;

  bool contains(const Design& design) const;
  // Records the design's canonical form; false when it was already recorded.
  bool record(const Design& design);
  size_t size() const { return m_recorded.size(); }

  // A canonical design not recorded yet, uniformly at random among those, and records it; nullopt once every
  // canonical design is recorded. Rejection-samples the product while that works; once it keeps failing (the space
  // is nearly used up), shuffles the list of what remains and serves it in order. A space too large to list is
  // scanned from a random index instead, which is no longer uniform but finds any design that remains.
  std::optional<Design> draw(SeededRandom& random);

  // Up to `count` distinct unrecorded canonical designs drawn uniformly by rejection; records nothing. Returns fewer
  // when rejection keeps failing.
  std::vector<Design> sample(SeededRandom& random, size_t count) const;

 private:
  std::optional<Design> draw_by_rejection(SeededRandom& random);
  void list_remaining(SeededRandom& random);
  std::optional<Design> scan_from(uint64_t start);

  const DesignSpace& m_space;
  std::unordered_set<uint64_t> m_recorded;  // mixed-radix indices of canonical designs
  bool m_listed = false;
  std::vector<uint64_t> m_remaining;  // once listed: unrecorded canonical designs, shuffled
  size_t m_next_remaining = 0;
};

// The designs one step away: each active parameter moved to a neighbouring level (ordered) or to every other level
// (categorical); canonical, distinct, without the design itself.
std::vector<Design> neighbours(const DesignSpace& space, const Design& design);

// Throws std::invalid_argument for an observation whose design is not in the space or, unless it failed, whose
// objective count differs from the options'.
void check_observation(const DesignSpace& space, const StrategyOptions& options, const Observation& observation);

// The evaluation succeeded and gave finite objectives; strategies treat any other observation as failed.
bool evaluated(const Observation& observation);

// An independent seed for a component (a regressor, a sample stream) from the strategy's seed.
uint64_t derived_seed(uint64_t seed, uint64_t component);

}  // namespace pesim::dse
