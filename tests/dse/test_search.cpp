// SPDX-License-Identifier: Apache-2.0
// Pareto utilities and exact hypervolume against hand-computed values, each other and Monte Carlo; the search
// strategies' contract (every design once, no repeats, determinism); and the quality of nsga2 and model on a
// synthetic two-objective problem whose true front the test computes exhaustively.
#include <catch2/catch.hpp>
#include <cmath>
#include <map>
#include <numeric>
#include <random>
#include <set>

#include "dse/search/pareto.h"
#include "dse/search/strategy.h"
#include "models/num/seeded_random.h"

using namespace pesim::dse;

namespace {

std::vector<ObjectivePoint> random_points(size_t count, size_t dimensions, uint64_t seed) {
  SeededRandom random(seed);
  std::vector<ObjectivePoint> points(count, ObjectivePoint(dimensions));
  for (ObjectivePoint& point : points)
    for (double& value : point) value = random.uniform();
  return points;
}

// Points spread along a concave surface (sum of squares = 1), so that most are mutually non-dominated.
std::vector<ObjectivePoint> front_like_points(size_t count, size_t dimensions, uint64_t seed) {
  std::vector<ObjectivePoint> points = random_points(count, dimensions, seed);
  for (ObjectivePoint& point : points) {
    double norm = std::sqrt(std::inner_product(point.begin(), point.end(), point.begin(), 0.0));
    for (double& value : point) value = 1.0 - value / norm;
  }
  return points;
}

Parameter ordered(const std::string& name, int level_count) {
  Parameter parameter;
  parameter.name = name;
  for (int level = 0; level < level_count; ++level) {
    parameter.levels.push_back(std::to_string(level));
    parameter.positions.push_back(level);
  }
  return parameter;
}

Parameter categorical(const std::string& name, std::vector<std::string> levels) {
  Parameter parameter;
  parameter.name = name;
  parameter.ordered = false;
  parameter.levels = std::move(levels);
  for (size_t level = 0; level < parameter.levels.size(); ++level) parameter.positions.push_back(level);
  return parameter;
}

// pe in {mac, mixpe, bitfusion}; group (4 levels) only for mixpe; rows (3 levels): 2 * 3 + 4 * 3 = 18 designs in a
// product of 36.
DesignSpace conditional_space() {
  Parameter group = ordered("group", 4);
  group.when_parameter = "pe";
  group.when_levels = {"mixpe"};
  return DesignSpace({categorical("pe", {"mac", "mixpe", "bitfusion"}), group, ordered("rows", 3)});
}

// A ZDT1-like problem over 20 x 12 x 12 x 2 = 5760 designs. f1 = a / 19; f2 = g (1 - sqrt(f1 / g)) with g minimal
// (1) at b = 0.3, c = 0.7 of their ranges and kind = "plain"; the true front is those 20 designs. Designs with
// kind = "wide" and b > 8 violate a constraint.
DesignSpace synthetic_space() {
  return DesignSpace({ordered("a", 20), ordered("b", 12), ordered("c", 12), categorical("kind", {"plain", "wide"})});
}

ObjectivePoint synthetic_objectives(const Design& design) {
  const double f1 = design[0] / 19.0;
  const double b = design[1] / 11.0 - 0.3, c = design[2] / 11.0 - 0.7;
  const double g = 1.0 + 4.0 * (b * b + c * c) + (design[3] == 1 ? 0.3 : 0.0);
  return {f1, g * (1.0 - std::sqrt(f1 / g))};
}

bool synthetic_feasible(const Design& design) { return !(design[3] == 1 && design[1] > 8); }

const ObjectivePoint kSyntheticReference{1.1, 1.1};

Observation evaluate(const Design& design) {
  Observation observation;
  observation.design = design;
  observation.objectives = synthetic_objectives(design);
  observation.feasible = synthetic_feasible(design);
  return observation;
}

double true_front_hypervolume() {
  const DesignSpace space = synthetic_space();
  std::vector<ObjectivePoint> points;
  for (uint64_t index = 0; index < space.product_size(); ++index) {
    const Design design = space.design_at(index);
    if (synthetic_feasible(design)) points.push_back(synthetic_objectives(design));
  }
  return hypervolume(points, kSyntheticReference);
}

struct Run {
  std::vector<Design> asked;
  double hypervolume = 0;
};

// Asks in batches and tells each batch's results, as the driver does, until the budget is spent.
Run run_strategy(const std::string& name, const DesignSpace& space, uint64_t seed, uint64_t budget, size_t batch,
                 const std::function<Observation(const Design&)>& evaluator = evaluate,
                 const std::string& cost_model = "gp") {
  StrategyOptions options;
  options.seed = seed;
  options.budget = budget;
  options.cost_model = cost_model;
  std::unique_ptr<Strategy> strategy = make_strategy(name, space, options);
  Run run;
  std::vector<ObjectivePoint> feasible_points;
  while (run.asked.size() < budget) {
    std::vector<Design> designs = strategy->ask(std::min<size_t>(batch, budget - run.asked.size()));
    if (designs.empty()) break;
    std::vector<Observation> observations;
    for (const Design& design : designs) {
      observations.push_back(evaluator(design));
      if (observations.back().feasible && !observations.back().failed)
        feasible_points.push_back(observations.back().objectives);
    }
    strategy->tell(observations);
    run.asked.insert(run.asked.end(), designs.begin(), designs.end());
  }
  if (!feasible_points.empty() && feasible_points.front().size() == kSyntheticReference.size())
    run.hypervolume = hypervolume(feasible_points, kSyntheticReference);
  return run;
}

std::set<Design> distinct(const std::vector<Design>& designs) { return {designs.begin(), designs.end()}; }

}  // namespace

TEST_CASE("dominance and non-dominated points", "[dse][pareto]") {
  CHECK(dominates({1, 2}, {1, 3}));
  CHECK(dominates({0, 0, 0}, {1, 1, 1}));
  CHECK_FALSE(dominates({1, 2}, {1, 2}));
  CHECK_FALSE(dominates({1, 3}, {2, 2}));
  CHECK(non_dominated({{1, 3}, {2, 2}, {2, 2}, {3, 3}, {0, 5}}) == std::vector<size_t>{0, 1, 2, 4});
  CHECK(non_dominated({}).empty());
}

TEST_CASE("non-dominated sorting and crowding distance on a known set", "[dse][pareto]") {
  const std::vector<ObjectivePoint> points{{1, 5}, {2, 3}, {4, 1}, {3, 4}, {5, 5}, {2, 3}, {4, 4}};
  const std::vector<std::vector<size_t>> fronts = non_dominated_fronts(points);
  REQUIRE(fronts.size() == 4);
  CHECK(fronts[0] == std::vector<size_t>{0, 1, 2, 5});
  CHECK(fronts[1] == std::vector<size_t>{3});
  CHECK(fronts[2] == std::vector<size_t>{6});
  CHECK(fronts[3] == std::vector<size_t>{4});

  const std::vector<double> crowding = crowding_distance(points, fronts[0]);
  CHECK(std::isinf(crowding[0]));
  CHECK(std::isinf(crowding[2]));
  CHECK(crowding[1] == Approx(1.0 / 3 + 1.0 / 2));  // ties break by position: point 1 sorts before point 5
  CHECK(crowding[3] == Approx(2.0 / 3 + 1.0 / 2));
  CHECK(crowding_distance(points, {3}) == std::vector<double>{0.0});  // one member: no objective varies
}

TEST_CASE("hypervolume of hand-computed sets", "[dse][pareto]") {
  SECTION("one objective") { CHECK(hypervolume({{3}, {1}, {5}}, {4}) == Approx(3)); }
  SECTION("two objectives: a staircase") {
    CHECK(hypervolume({{1, 3}, {2, 2}, {3, 1}}, {4, 4}) == Approx(6));
    CHECK(hypervolume({{3, 1}, {2, 2}, {1, 3}, {2, 3}, {2, 2}}, {4, 4}) == Approx(6));  // order, dominated, repeats
  }
  SECTION("points on or beyond the reference add nothing") {
    CHECK(hypervolume({{4, 0}, {0, 4}, {5, 5}}, {4, 4}) == 0);
    CHECK(hypervolume({{1, 3}, {4, 0}, {-1, 4}}, {4, 4}) == Approx(3));
    CHECK(hypervolume({}, {1, 1}) == 0);
  }
  SECTION("three objectives") {
    CHECK(hypervolume({{1, 1, 1}}, {2, 2, 2}) == Approx(1));
    // Three unit slabs: 3 * 2 - 3 * 1 + 1 (inclusion-exclusion).
    CHECK(hypervolume({{0, 1, 1}, {1, 0, 1}, {1, 1, 0}}, {2, 2, 2}) == Approx(4));
    // Boxes of 6 each, pairwise overlaps of 2, a common part of 1.
    CHECK(hypervolume({{1, 2, 3}, {2, 3, 1}, {3, 1, 2}}, {4, 4, 4}) == Approx(13));
  }
  SECTION("four objectives") {
    // Two boxes of 2 overlapping in the unit box at (1, 1, 1, 1).
    CHECK(hypervolume({{0, 1, 1, 1}, {1, 0, 1, 1}}, {2, 2, 2, 2}) == Approx(3));
    CHECK(hypervolume_wfg({{0, 1, 1, 1}, {1, 0, 1, 1}}, {2, 2, 2, 2}) == Approx(3));
    CHECK(hypervolume({{0.5, 0.5, 0.5, 0.5}, {0, 1, 1, 1}}, {1, 1, 1, 1}) == Approx(0.0625));
  }
  SECTION("mismatched dimensions throw") {
    CHECK_THROWS_AS(hypervolume({{1, 2, 3}}, {4, 4}), std::invalid_argument);
    CHECK_THROWS_AS(hypervolume({}, {}), std::invalid_argument);
  }
}

TEST_CASE("the sweeps, slicing and WFG agree", "[dse][pareto]") {
  for (uint64_t seed = 1; seed <= 5; ++seed) {
    for (size_t dimensions : {2, 3, 4, 5}) {
      const size_t count = dimensions <= 3 ? 60 : 25;
      std::vector<ObjectivePoint> points = front_like_points(count, dimensions, seed);
      const std::vector<ObjectivePoint> more = random_points(count / 2, dimensions, seed + 100);
      points.insert(points.end(), more.begin(), more.end());  // dominated points and some beyond the reference
      const ObjectivePoint reference(dimensions, 0.95);
      INFO("seed " << seed << ", " << dimensions << " objectives");
      CHECK(hypervolume(points, reference) == Approx(hypervolume_wfg(points, reference)).epsilon(1e-9));
    }
  }
}

TEST_CASE("four-objective hypervolume matches a Monte Carlo estimate", "[dse][pareto]") {
  const std::vector<ObjectivePoint> points = front_like_points(30, 4, 7);
  const ObjectivePoint reference(4, 1.0);
  std::mt19937_64 engine(11);
  const int samples = 200000;
  int inside = 0;
  for (int sample = 0; sample < samples; ++sample) {
    ObjectivePoint x(4);
    for (double& value : x) value = static_cast<double>(engine() >> 11) * 0x1.0p-53;
    for (const ObjectivePoint& point : points)
      if (std::equal(point.begin(), point.end(), x.begin(), [](double p, double v) { return p <= v; })) {
        ++inside;
        break;
      }
  }
  const double estimate = static_cast<double>(inside) / samples;  // the reference box has volume 1
  const double standard_error = std::sqrt(estimate * (1 - estimate) / samples);
  CHECK(std::abs(hypervolume(points, reference) - estimate) < 4 * standard_error);
}

TEST_CASE("hypervolume improvement is the difference of hypervolumes", "[dse][pareto]") {
  for (size_t dimensions : {2, 3, 4}) {
    const std::vector<ObjectivePoint> front = front_like_points(20, dimensions, 3);
    const ObjectivePoint reference(dimensions, 1.0);
    for (const ObjectivePoint& point : random_points(20, dimensions, 5)) {
      std::vector<ObjectivePoint> with_point = front;
      with_point.push_back(point);
      CHECK(hypervolume_improvement(point, front, reference) ==
            Approx(hypervolume(with_point, reference) - hypervolume(front, reference)).margin(1e-12));
    }
  }
}

TEST_CASE("make_strategy names the valid strategies", "[dse][search]") {
  CHECK(strategy_names() == std::vector<std::string>{"grid", "random", "nsga2", "model"});
  CHECK_THROWS_WITH(make_strategy("anneal", conditional_space(), {}),
                    Catch::Matchers::Contains("grid, random, nsga2, model"));
  for (const std::string& name : strategy_names()) CHECK(make_strategy(name, conditional_space(), {})->name() == name);
}

TEST_CASE("grid visits every canonical design once, in index order", "[dse][search]") {
  const DesignSpace space = conditional_space();
  std::unique_ptr<Strategy> grid = make_strategy("grid", space, {});
  std::vector<Design> asked;
  for (std::vector<Design> batch = grid->ask(5); !batch.empty(); batch = grid->ask(5))
    asked.insert(asked.end(), batch.begin(), batch.end());
  REQUIRE(asked.size() == 18);
  CHECK(distinct(asked).size() == 18);
  for (size_t k = 0; k < asked.size(); ++k) {
    CHECK(space.is_canonical(asked[k]));
    if (k > 0) CHECK(space.index_of(asked[k - 1]) < space.index_of(asked[k]));
  }
  CHECK(grid->ask(3).empty());
}

TEST_CASE("grid and random skip designs they were told about", "[dse][search]") {
  const DesignSpace space = conditional_space();
  for (const std::string name : {"grid", "random"}) {
    std::unique_ptr<Strategy> strategy = make_strategy(name, space, {});
    const Design told{1, 2, 1};  // mixpe, group 2, rows 1: as a resumed run would replay it
    Observation observation;
    observation.design = told;
    observation.objectives = {1, 1};
    strategy->tell({observation});
    std::vector<Design> asked = strategy->ask(100);
    CHECK(asked.size() == 17);
    CHECK(distinct(asked).count(told) == 0);
  }
}

TEST_CASE("random never repeats a design and exhausts the space", "[dse][search]") {
  const DesignSpace space = conditional_space();
  StrategyOptions options;
  options.seed = 5;
  std::unique_ptr<Strategy> random = make_strategy("random", space, options);
  std::vector<Design> asked;
  for (std::vector<Design> batch = random->ask(4); !batch.empty(); batch = random->ask(4))
    asked.insert(asked.end(), batch.begin(), batch.end());
  CHECK(asked.size() == 18);
  CHECK(distinct(asked).size() == 18);
  for (const Design& design : asked) CHECK(space.is_canonical(design));

  // A larger space: distinct draws, and an order other than the grid's.
  const Run run = run_strategy("random", synthetic_space(), 9, 3000, 64);
  CHECK(run.asked.size() == 3000);
  CHECK(distinct(run.asked).size() == 3000);
  CHECK(synthetic_space().index_of(run.asked[0]) != 0);
}

TEST_CASE("every strategy is deterministic for a seed", "[dse][search]") {
  // Some designs fail and some are infeasible, so that every ranking and model path runs.
  auto evaluator = [](const Design& design) {
    Observation observation = evaluate(design);
    if (design[0] == 7 && design[1] == 3) {
      observation.failed = true;
      observation.objectives.clear();
    }
    return observation;
  };
  for (const std::string& name : strategy_names()) {
    INFO(name);
    const Run first = run_strategy(name, synthetic_space(), 42, 60, 7, evaluator);
    const Run second = run_strategy(name, synthetic_space(), 42, 60, 7, evaluator);
    CHECK(first.asked.size() == 60);
    CHECK(first.asked == second.asked);
    CHECK(distinct(first.asked).size() == first.asked.size());
    if (name != "grid") CHECK(run_strategy(name, synthetic_space(), 43, 60, 7, evaluator).asked != first.asked);
  }
  const Run trees = run_strategy("model", synthetic_space(), 42, 30, 7, evaluator, "trees");
  CHECK(trees.asked.size() == 30);
  CHECK(trees.asked == run_strategy("model", synthetic_space(), 42, 30, 7, evaluator, "trees").asked);
  CHECK(distinct(trees.asked).size() == trees.asked.size());
}

TEST_CASE("model rejects an unknown cost model", "[dse][search]") {
  StrategyOptions options;
  options.cost_model = "oracle";
  CHECK_THROWS_AS(make_strategy("model", synthetic_space(), options), std::invalid_argument);
}

TEST_CASE("nsga2 and model exhaust a tiny space without repeats", "[dse][search]") {
  for (const std::string name : {"nsga2", "model"}) {
    INFO(name);
    const DesignSpace space = conditional_space();
    auto evaluator = [](const Design& design) {
      Observation observation;
      observation.design = design;
      observation.objectives = {1.0 + design[0] + design[1], 3.0 - design[2] + 0.5 * design[1]};
      return observation;
    };
    const Run run = run_strategy(name, space, 3, 100, 4, evaluator);
    CHECK(run.asked.size() == 18);
    CHECK(distinct(run.asked).size() == 18);
  }
}

TEST_CASE("nsga2 and model continue from observations told before any ask", "[dse][search]") {
  // A resumed run replays its observations first; a NaN objective counts as a failure.
  const DesignSpace space = synthetic_space();
  std::vector<Observation> told;
  for (uint64_t index = 0; index < space.product_size(); index += 97) told.push_back(evaluate(space.design_at(index)));
  told[3].objectives[1] = std::nan("");
  for (const std::string name : {"nsga2", "model"}) {
    INFO(name);
    StrategyOptions options;
    options.budget = 100;
    std::unique_ptr<Strategy> strategy = make_strategy(name, space, options);
    strategy->tell(told);
    std::set<Design> asked;
    for (int round = 0; round < 4; ++round) {
      std::vector<Design> batch = strategy->ask(8);
      CHECK(batch.size() == 8);
      std::vector<Observation> observations;
      for (const Design& design : batch) {
        CHECK(asked.insert(design).second);
        observations.push_back(evaluate(design));
      }
      strategy->tell(observations);
    }
    for (const Observation& observation : told) CHECK(asked.count(observation.design) == 0);
  }
}

TEST_CASE("model scores a sample in a space too large to score in full", "[dse][search]") {
  // 10^5 designs (beyond the exhaustive limit): candidates are a random sample plus the front's neighbours.
  const DesignSpace space({ordered("p", 10), ordered("q", 10), ordered("r", 10), ordered("s", 10), ordered("t", 10)});
  auto evaluator = [](const Design& design) {
    Observation observation;
    observation.design = design;
    const double spread = std::pow(design[1] - 4, 2) + std::pow(design[2] - 6, 2) + design[3] + design[4];
    observation.objectives = {1.0 + design[0] + spread, 10.0 - design[0] + spread};
    return observation;
  };
  const Run first = run_strategy("model", space, 4, 40, 8, evaluator);
  CHECK(first.asked.size() == 40);
  CHECK(distinct(first.asked).size() == 40);
  CHECK(first.asked == run_strategy("model", space, 4, 40, 8, evaluator).asked);
}

TEST_CASE("nsga2 and model handle three objectives", "[dse][search]") {
  auto evaluator = [](const Design& design) {
    Observation observation = evaluate(design);
    observation.objectives.push_back(1.0 + design[1] * 0.1 + (design[3] == 0 ? 0.5 : 0.0));
    return observation;
  };
  for (const std::string name : {"nsga2", "model"}) {
    INFO(name);
    StrategyOptions options;
    options.objective_count = 3;
    options.seed = 8;
    std::unique_ptr<Strategy> strategy = make_strategy(name, synthetic_space(), options);
    std::set<Design> asked;
    for (int round = 0; round < 6; ++round) {
      std::vector<Design> batch = strategy->ask(6);
      REQUIRE(batch.size() == 6);
      std::vector<Observation> observations;
      for (const Design& design : batch) {
        CHECK(asked.insert(design).second);
        observations.push_back(evaluator(design));
      }
      strategy->tell(observations);
    }
    Observation wrong = evaluate(synthetic_space().design_at(1));  // two objectives for a three-objective search
    CHECK_THROWS_AS(strategy->tell({wrong}), std::invalid_argument);
  }
}

TEST_CASE("nsga2 and model approach the true front; model beats random", "[dse][search][quality]") {
  const double best = true_front_hypervolume();
  REQUIRE(best > 0);
  const std::vector<uint64_t> seeds{1, 2, 3};
  const uint64_t budget = 120;
  std::map<std::string, double> mean_fraction;
  for (const std::string name : {"random", "nsga2", "model"}) {
    for (uint64_t seed : seeds) {
      const double fraction = run_strategy(name, synthetic_space(), seed, budget, 6).hypervolume / best;
      INFO(name << " seed " << seed << ": " << fraction << " of the true front's hypervolume");
      if (name == std::string("model")) CHECK(fraction > 0.95);
      mean_fraction[name] += fraction / static_cast<double>(seeds.size());
    }
  }
  INFO("random " << mean_fraction["random"] << ", nsga2 " << mean_fraction["nsga2"] << ", model "
                 << mean_fraction["model"]);
  CHECK(mean_fraction["model"] > mean_fraction["random"] + 0.1);
  CHECK(mean_fraction["nsga2"] > mean_fraction["random"]);

  // With a few generations more, NSGA-II gets close as well.
  for (uint64_t seed : seeds) {
    const double fraction = run_strategy("nsga2", synthetic_space(), seed, 400, 20).hypervolume / best;
    INFO("nsga2, budget 400, seed " << seed << ": " << fraction);
    CHECK(fraction > 0.9);
  }
}
