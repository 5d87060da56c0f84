// SPDX-License-Identifier: Apache-2.0
#include "dse/search/design_ledger.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace pesim::dse {
namespace {

// Draws before a ledger decides that rejection sampling has stopped working.
constexpr int kRejectionAttempts = 1000;

bool is_canonical_fast(const DesignSpace& space, const Design& design) {
  for (size_t i = 0; i < design.size(); ++i)
    if (design[i] != 0 && !space.is_active(design, i)) return false;
  return true;
}

// Steps a mixed-radix counter (last parameter fastest); false after the last design.
bool advance(const DesignSpace& space, Design& design) {
  for (size_t i = design.size(); i-- > 0;) {
    if (++design[i] < static_cast<int>(space.parameters()[i].levels.size())) return true;
    design[i] = 0;
  }
  return false;
}

}  // namespace

void for_each_canonical(const DesignSpace& space, const std::function<bool(uint64_t, const Design&)>& visit) {
  Design design(space.dimensions(), 0);
  uint64_t index = 0;
  do {
    if (is_canonical_fast(space, design) && !visit(index, design)) return;
    ++index;
  } while (advance(space, design));
}

Design random_point(const DesignSpace& space, SeededRandom& random) {
  // An indexable space keeps its one draw per design, so seeded runs stay as they were.
  if (space.indexable()) return space.design_at(random.index(space.product_size()));
  Design design(space.dimensions());
  for (size_t i = 0; i < design.size(); ++i)
    design[i] = static_cast<int>(random.index(space.parameters()[i].levels.size()));
  return design;
}

bool DesignLedger::contains(const Design& design) const { return m_recorded.count(m_space.canonical(design)) > 0; }

bool DesignLedger::record(const Design& design) { return m_recorded.insert(m_space.canonical(design)).second; }

std::optional<Design> DesignLedger::draw(SeededRandom& random) {
  if (!m_listed) {
    if (std::optional<Design> design = draw_by_rejection(random)) return design;
    if (!m_space.indexable()) return std::nullopt;
    if (m_space.product_size() > kListableProductSize) return scan_from(random.index(m_space.product_size()));
    list_remaining(random);
  }
  while (m_next_remaining < m_remaining.size()) {
    Design design = m_space.design_at(m_remaining[m_next_remaining++]);
    if (record(design)) return design;  // entries recorded since the listing are skipped
  }
  return std::nullopt;
}

bool DesignLedger::draw_until(SeededRandom& random, std::vector<Design>& designs, size_t count) {
  while (designs.size() < count) {
    std::optional<Design> design = draw(random);
    if (!design) return false;  // every canonical design is recorded
    designs.push_back(std::move(*design));
  }
  return true;
}

void DesignLedger::record_observations(const StrategyOptions& options, const std::vector<Observation>& observations) {
  for (const Observation& observation : observations) check_observation(m_space, options, observation);
  for (const Observation& observation : observations) record(observation.design);
}

std::optional<Design> DesignLedger::draw_by_rejection(SeededRandom& random) {
  for (int attempt = 0; attempt < kRejectionAttempts; ++attempt) {
    Design design = random_point(m_space, random);
    // A space too large to number cannot fall back on listing: its draws are canonicalized instead of rejected
    // (uniform over points, not over canonical designs).
    if (!m_space.indexable()) design = m_space.canonical(design);
    if (is_canonical_fast(m_space, design) && record(design)) return design;
  }
  return std::nullopt;
}

void DesignLedger::list_remaining(SeededRandom& random) {
  for_each_canonical(m_space, [&](uint64_t index, const Design& design) {
    if (!m_recorded.count(design)) m_remaining.push_back(index);
    return true;
  });
  random.shuffle(m_remaining);
  m_listed = true;
}

std::optional<Design> DesignLedger::scan_from(uint64_t start) {
  const uint64_t product = m_space.product_size();
  for (uint64_t step = 0; step < product; ++step) {
    Design design = m_space.design_at((start + step) % product);
    if (is_canonical_fast(m_space, design) && record(design)) return design;
  }
  return std::nullopt;
}

std::vector<Design> DesignLedger::sample(SeededRandom& random, size_t count) const {
  std::unordered_set<Design, DesignHash> chosen;
  std::vector<Design> designs;
  uint64_t failures_left = kRejectionAttempts + 10 * static_cast<uint64_t>(count);
  while (designs.size() < count && failures_left > 0) {
    Design design = random_point(m_space, random);
    if (!m_space.indexable()) design = m_space.canonical(design);
    if (!is_canonical_fast(m_space, design) || m_recorded.count(design) || !chosen.insert(design).second) {
      --failures_left;
      continue;
    }
    designs.push_back(std::move(design));
  }
  return designs;
}

std::vector<Design> neighbours(const DesignSpace& space, const Design& design) {
  std::vector<Design> result;
  std::unordered_set<Design, DesignHash> seen{space.canonical(design)};
  auto add = [&](Design candidate) {
    candidate = space.canonical(candidate);
    if (seen.insert(candidate).second) result.push_back(std::move(candidate));
  };
  for (size_t i = 0; i < design.size(); ++i) {
    if (!space.is_active(design, i)) continue;
    const Parameter& parameter = space.parameters()[i];
    const int level_count = static_cast<int>(parameter.levels.size());
    for (int level = 0; level < level_count; ++level) {
      const bool adjacent = level == design[i] - 1 || level == design[i] + 1;
      if (level == design[i] || (parameter.ordered && !adjacent)) continue;
      Design moved = design;
      moved[i] = level;
      add(std::move(moved));
    }
  }
  return result;
}

void check_observation(const DesignSpace& space, const StrategyOptions& options, const Observation& observation) {
  space.check(observation.design);
  if (!observation.failed && observation.objectives.size() != options.objective_count)
    throw std::invalid_argument(fmt::format("an observation of design {} has {} objectives, the search {}",
                                            space.key(observation.design), observation.objectives.size(),
                                            options.objective_count));
}

bool evaluated(const Observation& observation) {
  return !observation.failed && std::all_of(observation.objectives.begin(), observation.objectives.end(),
                                            [](double value) { return std::isfinite(value); });
}

uint64_t derived_seed(uint64_t seed, uint64_t component) {
  // SplitMix64's finalizer: nearby (seed, component) pairs give unrelated seeds.
  uint64_t z = seed + 0x9e3779b97f4a7c15ull * (component + 1);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

}  // namespace pesim::dse
