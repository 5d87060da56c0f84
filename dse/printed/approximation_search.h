// SPDX-License-Identifier: Apache-2.0
// The multi-objective search over a bespoke printed MLP's approximations: NSGA-II (dse/search) over one gene per
// weight (coefficient terms kept, operand bits masked), per neuron (adder-tree columns pruned, ReLU bits kept) and the
// argmax's compared MSBs, minimizing (1 - training accuracy, FA-equivalents of the circuit's adders).
#pragma once
#include <cstdint>
#include <vector>

#include "dse/space/design_space.h"
#include "models/printed/bespoke_circuit.h"

namespace pesim::printed {

struct SearchOptions {
  uint64_t seed = 1;
  size_t evaluations = 100000;  // approximations evaluated, the seeds included
  size_t population = 128;      // NSGA-II designs per generation
};

struct EvaluatedApproximation {
  Approximation approximation;
  double train_accuracy = 0;
  double equivalent_full_adders = 0;
};

// The genes of an MLP's approximations as a design space (levels: the gene's values; not indexable for any real
// MLP), and the approximation a design of it stands for.
dse::DesignSpace approximation_space(const QuantizedMlp& mlp);
Approximation approximation_of(const QuantizedMlp& mlp, const dse::Design& design);
// The same with the MLP's space at hand (the search's inner loop).
Approximation approximation_of(const QuantizedMlp& mlp, const dse::DesignSpace& space, const dse::Design& design);
// The design of an approximation: approximation_of's inverse, each entry clamped to its gene's range.
dse::Design design_of(const QuantizedMlp& mlp, const dse::DesignSpace& space, const Approximation& approximation);

// Uniform approximations (the exact circuit, every product masked by the same bits, every tree pruned by the same
// columns, ...) that start the search near the exact design.
std::vector<Approximation> seed_approximations(const QuantizedMlp& mlp);

// Runs the search on the training split and returns every evaluated approximation, in evaluation order (the seeds
// first). Deterministic for a given MLP, data and options.
std::vector<EvaluatedApproximation> search_approximations(const QuantizedMlp& mlp,
                                                          const std::vector<std::vector<int>>& train_inputs,
                                                          const std::vector<int>& train_labels,
                                                          const SearchOptions& options);

// Indices of the non-dominated approximations in (1 - accuracy, equivalent_full_adders), by ascending adders; equal
// points keep the first.
std::vector<size_t> approximation_front(const std::vector<EvaluatedApproximation>& evaluated);

}  // namespace pesim::printed
