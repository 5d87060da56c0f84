// SPDX-License-Identifier: Apache-2.0
// "nsga2": NSGA-II (Deb et al. 2002) over the discrete space, with Deb's constraint domination: feasible designs
// rank ahead of infeasible ones, failed evaluations rank last.
#include <algorithm>
#include <deque>
#include <numeric>

#include "dse/search/design_ledger.h"
#include "dse/search/pareto.h"
#include "dse/search/strategies.h"

namespace pesim::dse {
namespace {

constexpr size_t kDefaultPopulation = 24;
constexpr double kCrossoverProbability = 0.9;
// Tries at breeding a child nobody has proposed before falling back to a random unseen design; later tries mutate
// harder.
constexpr int kBreedingAttempts = 32;

// Where a member stands in its population: its front (lower is better) and its crowding distance within it.
struct Standing {
  size_t rank = 0;
  double crowding = 0;
};

bool better(const Standing& a, const Standing& b) {
  return a.rank != b.rank ? a.rank < b.rank : a.crowding > b.crowding;
}

// Standings of archive[members[k]], in members' order: feasible fronts, then infeasible fronts, then one front of
// failures (whose objectives mean nothing, or are not finite).
std::vector<Standing> standings(const std::vector<Observation>& archive, const std::vector<size_t>& members) {
  std::vector<Standing> result(members.size());
  std::vector<size_t> feasible, infeasible, failed;  // positions in members
  for (size_t k = 0; k < members.size(); ++k) {
    const Observation& observation = archive[members[k]];
    (!evaluated(observation) ? failed : observation.feasible ? feasible : infeasible).push_back(k);
  }
  size_t rank = 0;
  for (const std::vector<size_t>* group : {&feasible, &infeasible}) {
    std::vector<ObjectivePoint> points;
    for (size_t k : *group) points.push_back(archive[members[k]].objectives);
    for (const std::vector<size_t>& front : non_dominated_fronts(points)) {
      std::vector<double> crowding = crowding_distance(points, front);
      for (size_t f = 0; f < front.size(); ++f) result[(*group)[front[f]]] = {rank, crowding[f]};
      ++rank;
    }
  }
  for (size_t k : failed) result[k] = {rank, 0.0};
  return result;
}

class Nsga2Strategy : public LedgerStrategy {
 public:
  Nsga2Strategy(const DesignSpace& space, const StrategyOptions& options)
      : LedgerStrategy(space, options),
        m_random(derived_seed(options.seed, 0)),
        m_population_size(population_size(space, options)) {}

  std::string name() const override { return "nsga2"; }

  std::vector<Design> ask(size_t count) override {
    std::vector<Design> designs;
    while (designs.size() < count) {
      // A new generation is bred from everything told so far; the driver normally tells a whole generation before
      // asking past it, but an ask larger than what is left breeds early rather than fall short.
      if (m_generation.empty()) breed_generation();
      if (m_generation.empty()) break;  // the space is used up
      designs.push_back(std::move(m_generation.front()));
      m_generation.pop_front();
    }
    return designs;
  }

 private:
  void told(const std::vector<Observation>& observations) override {
    m_archive.insert(m_archive.end(), observations.begin(), observations.end());
  }

  // Small budgets get a smaller population so that several generations run; tiny spaces one of about an eighth.
  static size_t population_size(const DesignSpace& space, const StrategyOptions& options) {
    if (options.population > 0) return options.population;
    size_t size = kDefaultPopulation;
    if (options.budget > 0) size = std::min<uint64_t>(size, std::max<uint64_t>(8, options.budget / 6));
    return static_cast<size_t>(std::min<uint64_t>(size, std::max<uint64_t>(2, space.product_size() / 8)));
  }

  void breed_generation() {
    select_survivors();
    for (size_t child = 0; child < m_population_size; ++child) {
      std::optional<Design> design = m_population.empty() ? std::nullopt : breed_child();
      if (!design) design = m_ledger.draw(m_random);
      if (!design) return;
      m_generation.push_back(std::move(*design));
    }
  }

  // The elitist (mu + lambda) step: the best m_population_size of the parents and everything told since.
  void select_survivors() {
    std::vector<size_t> pool = m_population;
    for (size_t i = m_merged_count; i < m_archive.size(); ++i) pool.push_back(i);
    m_merged_count = m_archive.size();
    std::vector<Standing> pool_standings = standings(m_archive, pool);
    std::vector<size_t> order(pool.size());
    std::iota(order.begin(), order.end(), size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return better(pool_standings[a], pool_standings[b]); });
    order.resize(std::min(order.size(), m_population_size));
    m_population.clear();
    m_population_standings.clear();
    for (size_t k : order) {
      m_population.push_back(pool[k]);
      m_population_standings.push_back(pool_standings[k]);
    }
  }

  // A child of two tournament winners that nobody has proposed, recorded; nullopt after kBreedingAttempts.
  std::optional<Design> breed_child() {
    for (int attempt = 0; attempt < kBreedingAttempts; ++attempt) {
      const Design& first = m_archive[m_population[tournament()]].design;
      const Design& second = m_archive[m_population[tournament()]].design;
      Design child = crossover(first, second);
      mutate(child, 1.0 + attempt / 4.0);
      child = m_space.canonical(child);
      if (m_ledger.record(child)) return child;
    }
    return std::nullopt;
  }

  // Binary tournament on (rank, crowding); position in m_population.
  size_t tournament() {
    size_t a = m_random.index(m_population.size());
    size_t b = m_random.index(m_population.size());
    return better(m_population_standings[b], m_population_standings[a]) ? b : a;
  }

  Design crossover(const Design& first, const Design& second) {
    Design child = first;
    if (m_random.uniform() >= kCrossoverProbability) return child;
    for (size_t i = 0; i < child.size(); ++i)
      if (m_random.uniform() < 0.5) child[i] = second[i];
    return child;
  }

  // Each active parameter with more than one level mutates with probability strength / (their count).
  void mutate(Design& design, double strength) {
    std::vector<size_t> mutable_parameters;
    for (size_t i = 0; i < design.size(); ++i)
      if (m_space.parameters()[i].levels.size() > 1 && m_space.is_active(design, i)) mutable_parameters.push_back(i);
    if (mutable_parameters.empty()) return;
    const double probability = std::min(1.0, strength / static_cast<double>(mutable_parameters.size()));
    for (size_t i : mutable_parameters)
      if (m_random.uniform() < probability) design[i] = mutated_level(m_space.parameters()[i], design[i]);
  }

  // Ordered: a step of k levels with probability proportional to 2^-k, in a random direction (the other one at an
  // end of the range); categorical: any other level.
  int mutated_level(const Parameter& parameter, int level) {
    const int level_count = static_cast<int>(parameter.levels.size());
    if (!parameter.ordered) {
      int other = static_cast<int>(m_random.index(level_count - 1));
      return other >= level ? other + 1 : other;
    }
    int step = 1;
    while (step < level_count - 1 && m_random.uniform() < 0.5) ++step;
    const bool up = m_random.uniform() < 0.5;
    int moved = up ? level + step : level - step;
    if (moved < 0 || moved >= level_count) moved = up ? level - step : level + step;
    return std::clamp(moved, 0, level_count - 1);
  }

  SeededRandom m_random;
  size_t m_population_size;
  std::vector<Observation> m_archive;            // every observation told, in order
  size_t m_merged_count = 0;                     // archive entries already offered to survival selection
  std::vector<size_t> m_population;              // the parents: indices into m_archive, best first
  std::vector<Standing> m_population_standings;  // theirs, from the selection that chose them
  std::deque<Design> m_generation;               // bred and not asked yet
};

}  // namespace

std::unique_ptr<Strategy> make_nsga2_strategy(const DesignSpace& space, const StrategyOptions& options) {
  return std::make_unique<Nsga2Strategy>(space, options);
}

}  // namespace pesim::dse
