// SPDX-License-Identifier: Apache-2.0
// What every strategy keeps (LedgerStrategy): the designs it has proposed or been told about, uniform draws among
// the others, and small helpers on designs. Internal to dse/search.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <unordered_set>
#include <vector>

#include "dse/search/strategy.h"
#include "dse/space/design_space.h"
#include "models/num/seeded_random.h"

namespace pesim::dse {

// Spaces whose Cartesian product has at most this many points may be listed in full (a few hundred milliseconds
// and 8 bytes per canonical design).
inline constexpr uint64_t kListableProductSize = uint64_t{1} << 22;

// A uniformly random point of the product (any space, indexable or not); not necessarily canonical.
Design random_point(const DesignSpace& space, SeededRandom& random);

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

  // A strategy's tell(): checks every observation (check_observation) before recording any, then records their
  // designs, so that a batch with a bad observation throws and changes nothing.
  void record_observations(const StrategyOptions& options, const std::vector<Observation>& observations);

  // A canonical design not recorded yet, uniformly at random among those, and records it; nullopt once every
  // canonical design is recorded. Rejection-samples the product while that works; once it keeps failing (the space
  // is nearly used up), shuffles the list of what remains and serves it in order. A space too large to list is
  // scanned from a random index instead, which is no longer uniform but finds any design that remains; one too large
  // to number (not indexable()) draws each parameter's level independently, canonicalizes the draw, and gives up
  // (nullopt) when 1000 draws in a row were recorded already.
  std::optional<Design> draw(SeededRandom& random);
  // Appends draw()s to `designs` until it holds `count` designs; false when the space ran out first.
  bool draw_until(SeededRandom& random, std::vector<Design>& designs, size_t count);

  // Up to `count` distinct unrecorded canonical designs drawn uniformly by rejection; records nothing. Returns fewer
  // when rejection keeps failing.
  std::vector<Design> sample(SeededRandom& random, size_t count) const;

 private:
  std::optional<Design> draw_by_rejection(SeededRandom& random);
  void list_remaining(SeededRandom& random);
  std::optional<Design> scan_from(uint64_t start);

  const DesignSpace& m_space;
  std::unordered_set<Design, DesignHash> m_recorded;  // canonical designs
  bool m_listed = false;
  std::vector<uint64_t> m_remaining;  // once listed: unrecorded canonical designs, shuffled
  size_t m_next_remaining = 0;
};

// What every strategy keeps: its space, options and ledger. tell() checks the observations and records their designs
// (DesignLedger::record_observations), then passes them on to told().
class LedgerStrategy : public Strategy {
 public:
  LedgerStrategy(const DesignSpace& space, const StrategyOptions& options)
      : m_space(space), m_options(options), m_ledger(m_space) {}
  void tell(const std::vector<Observation>& observations) final {
    m_ledger.record_observations(m_options, observations);
    told(observations);
  }

 protected:
  // What a strategy learns from observations beyond their designs (an archive, say); nothing by default.
  virtual void told(const std::vector<Observation>& /*observations*/) {}

  DesignSpace m_space;
  StrategyOptions m_options;
  DesignLedger m_ledger;  // refers to m_space
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
