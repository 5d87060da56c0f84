// SPDX-License-Identifier: Apache-2.0
#include "dse/printed/approximation_search.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "dse/search/pareto.h"
#include "dse/search/strategy.h"

namespace pesim::printed {
namespace {

// An ordered gene with integer values low..high.
dse::Parameter integer_gene(const std::string& name, int low, int high) {
  dse::Parameter p;
  p.name = name;
  for (int value = low; value <= high; ++value) {
    p.levels.push_back(std::to_string(value));
    p.positions.push_back(value);
  }
  p.origin = "printed approximation genes";
  return p;
}

// Where each gene family starts in a design, and the circuit facts its ranges come from.
struct GeneLayout {
  size_t weights = 0, neurons = 0, hidden = 0;
  size_t kept_terms() const { return 0; }
  size_t masked_bits() const { return weights; }
  size_t pruned_columns() const { return 2 * weights; }
  size_t relu_bits() const { return 2 * weights + neurons; }
  size_t argmax() const { return 2 * weights + neurons + hidden; }
};

GeneLayout layout_of(const QuantizedMlp& mlp) {
  return {Approximation::weight_count(mlp), Approximation::neuron_count(mlp), static_cast<size_t>(mlp.hidden_count())};
}

int gene_low(const dse::DesignSpace& space, size_t gene) {
  return static_cast<int>(space.parameters()[gene].positions.front());
}

}  // namespace

dse::DesignSpace approximation_space(const QuantizedMlp& mlp) {
  const BespokeCircuit exact(mlp, Approximation::exact(mlp));
  const Approximation all = Approximation::exact(mlp);
  std::vector<dse::Parameter> genes;
  const size_t hidden_weights = mlp.hidden.weights.size();
  for (size_t w = 0; w < all.kept_terms.size(); ++w)
    genes.push_back(integer_gene(fmt::format("terms{}", w), 0, all.kept_terms[w]));
  for (size_t w = 0; w < all.kept_terms.size(); ++w) {
    const int bits = w < hidden_weights ? mlp.input_bits : mlp.activation_bits;
    genes.push_back(integer_gene(fmt::format("mask{}", w), 0, all.kept_terms[w] == 0 ? 0 : bits - 1));
  }
  std::vector<const CircuitNeuron*> neurons;
  for (const CircuitNeuron& n : exact.hidden_neurons()) neurons.push_back(&n);
  for (const CircuitNeuron& n : exact.output_neurons()) neurons.push_back(&n);
  for (size_t n = 0; n < neurons.size(); ++n)
    genes.push_back(integer_gene(fmt::format("prune{}", n), 0, neurons[n]->tree_width - 1));
  for (int h = 0; h < mlp.hidden_count(); ++h)
    genes.push_back(integer_gene(fmt::format("relu{}", h), 1, mlp.activation_bits));
  genes.push_back(integer_gene("argmax", 1, exact.output_width()));
  return dse::DesignSpace(std::move(genes));
}

Approximation approximation_of(const QuantizedMlp& mlp, const dse::Design& design) {
  return approximation_of(mlp, approximation_space(mlp), design);
}

Approximation approximation_of(const QuantizedMlp& mlp, const dse::DesignSpace& space, const dse::Design& design) {
  space.check(design);
  const GeneLayout g = layout_of(mlp);
  auto value = [&](size_t gene) { return gene_low(space, gene) + design[gene]; };
  Approximation a;
  for (size_t w = 0; w < g.weights; ++w) {
    a.kept_terms.push_back(value(g.kept_terms() + w));
    a.masked_low_bits.push_back(value(g.masked_bits() + w));
  }
  for (size_t n = 0; n < g.neurons; ++n) a.pruned_columns.push_back(value(g.pruned_columns() + n));
  for (size_t h = 0; h < g.hidden; ++h) a.relu_kept_bits.push_back(value(g.relu_bits() + h));
  const int compared = value(g.argmax());
  a.argmax_msbs = compared == static_cast<int>(space.parameters()[g.argmax()].positions.back()) ? 0 : compared;
  return a;
}

dse::Design design_of(const QuantizedMlp& mlp, const dse::DesignSpace& space, const Approximation& a) {
  const GeneLayout g = layout_of(mlp);
  dse::Design design(space.dimensions());
  auto set = [&](size_t gene, int value) {
    const int levels = static_cast<int>(space.parameters()[gene].levels.size());
    design[gene] = std::clamp(value - gene_low(space, gene), 0, levels - 1);
  };
  for (size_t w = 0; w < g.weights; ++w) {
    set(g.kept_terms() + w, a.kept_terms[w]);
    set(g.masked_bits() + w, a.masked_low_bits[w]);
  }
  for (size_t n = 0; n < g.neurons; ++n) set(g.pruned_columns() + n, a.pruned_columns[n]);
  for (size_t h = 0; h < g.hidden; ++h) set(g.relu_bits() + h, a.relu_kept_bits[h]);
  set(g.argmax(),
      a.argmax_msbs == 0 ? static_cast<int>(space.parameters()[g.argmax()].positions.back()) : a.argmax_msbs);
  return design;
}

std::vector<Approximation> seed_approximations(const QuantizedMlp& mlp) {
  const dse::DesignSpace space = approximation_space(mlp);
  const size_t hidden_weights = mlp.hidden.weights.size();
  std::vector<Approximation> seeds;
  std::set<dse::Design> seen;
  for (int input_mask : {0, 1, 2})
    for (int activation_mask : {0, 2, 4})
      for (int pruned : {0, 2, 4})
        for (int compared : {0, 8, 5}) {
          Approximation a = Approximation::exact(mlp);
          for (size_t w = 0; w < a.masked_low_bits.size(); ++w)
            a.masked_low_bits[w] = a.kept_terms[w] == 0 ? 0 : w < hidden_weights ? input_mask : activation_mask;
          std::fill(a.pruned_columns.begin(), a.pruned_columns.end(), pruned);
          a.argmax_msbs = compared;
          // Clamped to the genes' ranges, then read back, so that every seed is a design of the space.
          const dse::Design design = design_of(mlp, space, a);
          if (seen.insert(design).second) seeds.push_back(approximation_of(mlp, space, design));
        }
  return seeds;
}

std::vector<EvaluatedApproximation> search_approximations(const QuantizedMlp& mlp,
                                                          const std::vector<std::vector<int>>& train_inputs,
                                                          const std::vector<int>& train_labels,
                                                          const SearchOptions& options) {
  const dse::DesignSpace space = approximation_space(mlp);
  dse::StrategyOptions strategy_options;
  strategy_options.seed = options.seed;
  strategy_options.objective_count = 2;
  strategy_options.budget = options.evaluations;
  strategy_options.population = options.population;
  std::unique_ptr<dse::Strategy> nsga2 = dse::make_strategy("nsga2", space, strategy_options);

  std::vector<EvaluatedApproximation> evaluated;
  auto evaluate = [&](const std::vector<dse::Design>& designs) {
    std::vector<dse::Observation> observations;
    for (const dse::Design& design : designs) {
      EvaluatedApproximation e{approximation_of(mlp, space, design), 0, 0};
      const BespokeCircuit circuit(mlp, e.approximation);
      e.train_accuracy = circuit.accuracy(train_inputs, train_labels);
      e.equivalent_full_adders = circuit.adder_count().equivalent_full_adders();
      observations.push_back({design, {1 - e.train_accuracy, e.equivalent_full_adders}, {}, true, false});
      evaluated.push_back(std::move(e));
    }
    nsga2->tell(observations);
  };
  // The seeds are told before the first ask: NSGA-II breeds its first generation from them.
  std::vector<dse::Design> seeds;
  for (const Approximation& a : seed_approximations(mlp)) seeds.push_back(design_of(mlp, space, a));
  if (seeds.size() > options.evaluations) seeds.resize(options.evaluations);
  evaluate(seeds);
  while (evaluated.size() < options.evaluations) {
    const std::vector<dse::Design> designs =
        nsga2->ask(std::min(options.population, options.evaluations - evaluated.size()));
    if (designs.empty()) break;
    evaluate(designs);
  }
  return evaluated;
}

std::vector<size_t> approximation_front(const std::vector<EvaluatedApproximation>& evaluated) {
  std::vector<dse::ObjectivePoint> points;
  for (const EvaluatedApproximation& e : evaluated) points.push_back({1 - e.train_accuracy, e.equivalent_full_adders});
  std::vector<size_t> front = dse::non_dominated(points);
  std::stable_sort(front.begin(), front.end(), [&](size_t a, size_t b) { return points[a] < points[b]; });
  // Equal points: keep the first evaluated.
  std::vector<size_t> distinct;
  for (size_t index : front)
    if (distinct.empty() || points[distinct.back()] != points[index]) distinct.push_back(index);
  std::stable_sort(distinct.begin(), distinct.end(), [&](size_t a, size_t b) {
    return evaluated[a].equivalent_full_adders < evaluated[b].equivalent_full_adders;
  });
  return distinct;
}

}  // namespace pesim::printed
