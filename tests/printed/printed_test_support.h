// SPDX-License-Identifier: Apache-2.0
// Random quantized MLPs and approximations for the printed tests: every field drawn within its legal range.
#pragma once
#include <random>
#include <vector>

#include "models/printed/bespoke_circuit.h"

namespace pesim::printed::test {

inline QuantizedLayer random_layer(std::mt19937_64& random, int inputs, int outputs, int min_exponent, int max_terms) {
  QuantizedLayer layer;
  layer.inputs = inputs;
  layer.outputs = outputs;
  layer.min_exponent = min_exponent;
  for (int k = 0; k < inputs * outputs; ++k) {
    Coefficient c;
    const int terms = static_cast<int>(random() % (max_terms + 1));
    int exponent = min_exponent + kWeightExponentWindow - 1 - static_cast<int>(random() % 3);
    for (int t = 0; t < terms && exponent >= min_exponent; ++t) {
      c.terms.push_back({(random() & 1) ? 1 : -1, exponent});
      exponent -= 1 + static_cast<int>(random() % 3);
    }
    layer.weights.push_back(c);
  }
  for (int o = 0; o < outputs; ++o) layer.biases.push_back(static_cast<int64_t>(random() % 301) - 150);
  return layer;
}

inline QuantizedMlp random_mlp(std::mt19937_64& random, int inputs, int hidden, int classes, int max_terms = 2) {
  QuantizedMlp mlp;
  mlp.input_bits = 4;
  mlp.activation_bits = 8;
  mlp.activation_shift = static_cast<int>(random() % 13);  // up to beyond a hidden tree's width
  mlp.hidden = random_layer(random, inputs, hidden, -5, max_terms);
  mlp.output = random_layer(random, hidden, classes, -3, max_terms);
  return mlp;
}

inline Approximation random_approximation(std::mt19937_64& random, const QuantizedMlp& mlp) {
  Approximation a = Approximation::exact(mlp);
  const size_t hidden_weights = mlp.hidden.weights.size();
  for (size_t w = 0; w < a.kept_terms.size(); ++w) {
    if (a.kept_terms[w] > 0 && random() % 3 == 0)  // a third of the weights lose terms, down to none (pruned)
      a.kept_terms[w] = static_cast<int>(random() % (a.kept_terms[w] + 1));
    const int bits = w < hidden_weights ? mlp.input_bits : mlp.activation_bits;
    a.masked_low_bits[w] = static_cast<int>(random() % (bits + 1));
  }
  // Pruning up to whole trees (about 10-16 bits wide), argmax comparators down to one bit.
  for (int& p : a.pruned_columns)
    p = random() % 4 == 0 ? static_cast<int>(random() % 18) : static_cast<int>(random() % 5);
  for (int& r : a.relu_kept_bits) r = 1 + static_cast<int>(random() % mlp.activation_bits);
  a.argmax_msbs = (random() & 1) ? 0 : 1 + static_cast<int>(random() % 18);
  return a;
}

inline std::vector<std::vector<int>> random_samples(std::mt19937_64& random, size_t count, int inputs, int bits) {
  std::vector<std::vector<int>> samples(count, std::vector<int>(static_cast<size_t>(inputs)));
  for (auto& sample : samples)
    for (int& value : sample) value = static_cast<int>(random() % (1u << bits));
  return samples;
}

}  // namespace pesim::printed::test
