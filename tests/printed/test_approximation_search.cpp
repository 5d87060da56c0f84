// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>
#include <cmath>
#include <random>
#include <set>

#include "dse/printed/approximation_search.h"
#include "dse/printed/printed_flow.h"
#include "dse/search/pareto.h"
#include "tests/printed/printed_test_support.h"

using namespace pesim::printed;

namespace {

// Labels from the exact circuit itself, so that the exact design scores 1.0 and approximations lose accuracy.
std::vector<int> labels_of(const QuantizedMlp& mlp, const std::vector<std::vector<int>>& samples) {
  std::vector<int> labels;
  for (const auto& sample : samples) labels.push_back(exact_class(mlp, sample));
  return labels;
}

}  // namespace

TEST_CASE("printed search: genes map to approximations and back", "[printed]") {
  std::mt19937_64 random(31);
  const QuantizedMlp mlp = test::random_mlp(random, 5, 3, 4);
  const pesim::dse::DesignSpace space = approximation_space(mlp);
  CHECK(space.dimensions() == 2 * Approximation::weight_count(mlp) + Approximation::neuron_count(mlp) + 3 + 1);
  CHECK_FALSE(space.indexable());
  const std::vector<Approximation> seeds = seed_approximations(mlp);
  REQUIRE(seeds.size() > 10);
  const Approximation exact = Approximation::exact(mlp);
  CHECK(seeds.front().kept_terms == exact.kept_terms);
  CHECK(seeds.front().masked_low_bits == exact.masked_low_bits);
  CHECK(seeds.front().argmax_msbs == 0);
  for (const Approximation& seed : seeds) CHECK_NOTHROW(BespokeCircuit(mlp, seed));
  // Every design of the space is a valid approximation.
  for (int trial = 0; trial < 50; ++trial) {
    pesim::dse::Design design(space.dimensions());
    for (size_t g = 0; g < design.size(); ++g)
      design[g] = static_cast<int>(random() % space.parameters()[g].levels.size());
    const Approximation approximation = approximation_of(mlp, design);
    CHECK_NOTHROW(BespokeCircuit(mlp, approximation));
    CHECK(design_of(mlp, space, approximation) == design);
  }
}

TEST_CASE("printed search: NSGA-II finds cheaper circuits, deterministically", "[printed]") {
  std::mt19937_64 random(32);
  const QuantizedMlp mlp = test::random_mlp(random, 6, 3, 3, 1);
  const std::vector<std::vector<int>> samples = test::random_samples(random, 300, 6, 4);
  const std::vector<int> labels = labels_of(mlp, samples);
  SearchOptions options;
  options.evaluations = 600;
  options.population = 32;
  options.seed = 5;
  const std::vector<EvaluatedApproximation> first = search_approximations(mlp, samples, labels, options);
  REQUIRE(first.size() == 600);
  const double exact_adders = BespokeCircuit(mlp, Approximation::exact(mlp)).adder_count().equivalent_full_adders();
  CHECK(first.front().train_accuracy == 1.0);  // the exact seed
  // The front reaches designs at under three quarters of the exact adders that keep at least 90% accuracy (a random
  // MLP: trained ones, with their many small weights, give far more, see results/printed).
  const std::vector<size_t> front = approximation_front(first);
  bool cheap_and_accurate = false;
  for (size_t k : front)
    UNSCOPED_INFO(first[k].train_accuracy << " at " << first[k].equivalent_full_adders << " of " << exact_adders);
  for (size_t k : front)
    cheap_and_accurate |= first[k].train_accuracy >= 0.9 && first[k].equivalent_full_adders < 0.75 * exact_adders;
  CHECK(cheap_and_accurate);
  // The front is mutually non-dominated and ordered by adders.
  for (size_t a = 0; a < front.size(); ++a)
    for (size_t b = 0; b < front.size(); ++b)
      CHECK_FALSE(pesim::dse::dominates({1 - first[front[a]].train_accuracy, first[front[a]].equivalent_full_adders},
                                        {1 - first[front[b]].train_accuracy, first[front[b]].equivalent_full_adders}));
  for (size_t k = 1; k < front.size(); ++k)
    CHECK(first[front[k - 1]].equivalent_full_adders <= first[front[k]].equivalent_full_adders);
  // Same seed, same search; the designs are distinct.
  const std::vector<EvaluatedApproximation> again = search_approximations(mlp, samples, labels, options);
  std::set<std::vector<int>> distinct;
  for (size_t k = 0; k < first.size(); ++k) {
    CHECK(again[k].approximation == first[k].approximation);
    CHECK(again[k].train_accuracy == first[k].train_accuracy);
    CHECK(again[k].equivalent_full_adders == first[k].equivalent_full_adders);
    std::vector<int> key = first[k].approximation.masked_low_bits;
    key.insert(key.end(), first[k].approximation.kept_terms.begin(), first[k].approximation.kept_terms.end());
    key.insert(key.end(), first[k].approximation.pruned_columns.begin(), first[k].approximation.pruned_columns.end());
    key.insert(key.end(), first[k].approximation.relu_kept_bits.begin(), first[k].approximation.relu_kept_bits.end());
    key.push_back(first[k].approximation.argmax_msbs);
    distinct.insert(key);
  }
  CHECK(distinct.size() == first.size());
}

TEST_CASE("printed search: the area proxy's calibration recovers a power law and skips constant designs", "[printed]") {
  std::vector<PrintedDesign> designs;
  for (double adders : {10.0, 40.0, 90.0, 250.0, 600.0}) {
    PrintedDesign d;
    d.equivalent_full_adders = adders;
    d.cost = PrintedCircuitCost{};
    d.cost->area_cm2 = 0.002 * std::pow(adders, 1.5);
    d.cost->cells = 10;
    designs.push_back(d);
  }
  PrintedDesign constant;  // no cells: left out
  constant.equivalent_full_adders = 5;
  constant.cost = PrintedCircuitCost{};
  designs.push_back(constant);
  designs.push_back(PrintedDesign{});  // not synthesized: left out
  const std::optional<ProxyCalibration> c = calibrate_proxy(designs);
  REQUIRE(c);
  CHECK(c->designs == 5);
  CHECK(c->exponent == Approx(1.5).epsilon(1e-9));
  CHECK(c->cm2_at_one_fa == Approx(0.002).epsilon(1e-9));
  CHECK(c->r_squared_log == Approx(1.0).epsilon(1e-9));
  CHECK(c->median_relative_error < 1e-9);
  CHECK(c->rank_correlation == Approx(1.0));
  // The second design made the largest: area ranks 1 5 2 3 4, rho = 1 - 6 (0 + 9 + 1 + 1 + 1) / (5 x 24) = 0.4.
  designs[1].cost->area_cm2 = 100;
  CHECK(calibrate_proxy(designs)->rank_correlation == Approx(0.4));
  CHECK_FALSE(calibrate_proxy({designs[0]}));
}

TEST_CASE("printed search: the three-way comparison counts each side's disagreements and names the first",
          "[printed]") {
  std::mt19937_64 random(33);
  const QuantizedMlp mlp = test::random_mlp(random, 4, 2, 3);
  const std::vector<BespokeCircuit> circuits{BespokeCircuit(mlp, Approximation::exact(mlp)),
                                             BespokeCircuit(mlp, test::random_approximation(random, mlp))};
  const std::vector<std::vector<int>> samples = test::random_samples(random, 20, 4, 4);
  std::vector<std::vector<int>> classes(2);
  for (size_t c = 0; c < 2; ++c)
    for (const auto& sample : samples) classes[c].push_back(circuits[c].classify(sample));
  const ThreeWayCheck agreeing = compare_classes(circuits, {"exact", "a1"}, samples, classes, classes);
  CHECK(agreeing.rtl_mismatches == 0);
  CHECK(agreeing.systemc_mismatches == 0);
  CHECK(agreeing.first_mismatch.empty());
  std::vector<std::vector<int>> rtl = classes, systemc = classes;
  rtl[1][7] = (rtl[1][7] + 1) % 3;
  rtl[0][9] = (rtl[0][9] + 2) % 3;
  systemc[1][3] = (systemc[1][3] + 1) % 3;
  const ThreeWayCheck check = compare_classes(circuits, {"exact", "a1"}, samples, rtl, systemc);
  CHECK(check.rtl_mismatches == 2);
  CHECK(check.systemc_mismatches == 1);
  CHECK(check.designs == 2);
  CHECK(check.samples == 20);
  CHECK_THAT(check.first_mismatch, Catch::StartsWith("design exact test sample 9 (inputs "));
}
