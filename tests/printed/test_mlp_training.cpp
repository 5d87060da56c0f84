// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <random>
#include <set>
#include <stdexcept>
#include <vector>

#include "models/printed/mlp_training.h"

namespace {

using namespace pesim::printed;

std::vector<std::pair<int, int>> terms_of(const Coefficient& coefficient) {
  std::vector<std::pair<int, int>> terms;
  for (const WeightTerm& term : coefficient.terms) terms.emplace_back(term.sign, term.exponent);
  return terms;
}

// Every value (in units of 2^min_exponent) that at most `terms` signed powers of two with distinct exponents in the
// 7-exponent window make: the exhaustive reference for quantize_coefficient.
std::set<int> representable_units(int terms) {
  std::set<int> units;
  int codes = 1;
  for (int e = 0; e < kWeightExponentWindow; ++e) codes *= 3;
  for (int code = 0; code < codes; ++code) {
    int rest = code, value = 0, used = 0;
    for (int e = 0; e < kWeightExponentWindow; ++e, rest /= 3) {
      const int digit = rest % 3 - 1;  // -1, 0 or +1
      used += digit != 0;
      value += digit * (1 << e);
    }
    if (used <= terms) units.insert(value);
  }
  return units;
}

struct Samples {
  std::vector<std::vector<int>> inputs;
  std::vector<int> labels;
};

// A linearly separable 3-class problem on 4 inputs of 4 bits: the class is the argmax of three fixed linear scores,
// and points within a margin of a boundary are dropped.
Samples separable_samples(int count, uint64_t seed) {
  const double scores[3][5] = {{1.0, -1.0, 0.0, 0.5, 0.0}, {-1.0, 1.0, 0.5, 0.0, 0.0}, {0.0, 0.0, -1.0, -1.0, 15.0}};
  std::mt19937_64 engine(seed);
  Samples samples;
  while (static_cast<int>(samples.labels.size()) < count) {
    std::vector<int> x(4);
    for (int& value : x) value = static_cast<int>(engine() % 16);
    double best = -1e9, second = -1e9;
    int label = 0;
    for (int k = 0; k < 3; ++k) {
      const double score =
          scores[k][0] * x[0] + scores[k][1] * x[1] + scores[k][2] * x[2] + scores[k][3] * x[3] + scores[k][4];
      if (score > best) {
        second = best;
        best = score;
        label = k;
      } else if (score > second) {
        second = score;
      }
    }
    if (best - second < 2.0) continue;
    samples.inputs.push_back(x);
    samples.labels.push_back(label);
  }
  return samples;
}

TrainingOptions small_options(uint64_t seed) {
  TrainingOptions options;
  options.hidden_neurons = 3;
  options.epochs = 60;
  options.seed = seed;
  return options;
}

// A QuantizedMlp with random multi-term weights, biases and a shift that saturates some activations.
QuantizedMlp random_mlp(uint64_t seed) {
  std::mt19937_64 engine(seed);
  auto draw = [&](int low, int high) {
    return low + static_cast<int>(engine() % static_cast<uint64_t>(high - low + 1));
  };
  auto random_layer = [&](int inputs, int outputs, int min_exponent, int bias_range) {
    QuantizedLayer layer;
    layer.inputs = inputs;
    layer.outputs = outputs;
    layer.min_exponent = min_exponent;
    for (int w = 0; w < inputs * outputs; ++w) {
      const double weight = std::ldexp(draw(-127, 127), min_exponent);
      layer.weights.push_back(quantize_coefficient(weight, min_exponent, draw(1, 3)));
    }
    for (int o = 0; o < outputs; ++o) layer.biases.push_back(draw(-bias_range, bias_range));
    return layer;
  };
  QuantizedMlp mlp;
  mlp.input_bits = 4;
  mlp.activation_bits = 6;
  mlp.activation_shift = 4;
  mlp.hidden = random_layer(6, 4, -8, 3000);
  mlp.output = random_layer(4, 3, -5, 500);
  return mlp;
}

// Checks qat_forward against exact_trace on random inputs: every accumulator, exactly.
void check_qat_forward_matches_exact_trace(const QuantizedMlp& mlp, uint64_t seed) {
  INFO("mlp " << mlp.topology() << ", seed " << seed);
  std::mt19937_64 engine(seed);
  const int samples = 200;
  std::vector<std::vector<int>> inputs(samples, std::vector<int>(mlp.input_count()));
  Eigen::MatrixXd real(mlp.input_count(), samples);
  for (int s = 0; s < samples; ++s)
    for (int i = 0; i < mlp.input_count(); ++i) {
      inputs[s][i] = static_cast<int>(engine() % (1u << mlp.input_bits));
      real(i, s) = std::ldexp(inputs[s][i], -mlp.input_bits);
    }
  const ForwardPass pass = qat_forward(mlp, real);
  const double hidden_lsb = hidden_accumulator_lsb(mlp), output_lsb = output_accumulator_lsb(mlp);
  const double activation_lsb = std::ldexp(hidden_lsb, mlp.activation_shift);
  for (int s = 0; s < samples; ++s) {
    const MlpTrace trace = exact_trace(mlp, inputs[s]);
    for (int h = 0; h < mlp.hidden_count(); ++h) {
      CHECK(pass.hidden_sums(h, s) / hidden_lsb == static_cast<double>(trace.hidden_accumulators[h]));
      CHECK(pass.activations(h, s) / activation_lsb == static_cast<double>(trace.activations[h]));
    }
    for (int c = 0; c < mlp.class_count(); ++c)
      CHECK(pass.logits(c, s) / output_lsb == static_cast<double>(trace.output_accumulators[c]));
  }
}

}  // namespace

TEST_CASE("printed training: one-term coefficients are the nearest signed power of two", "[printed]") {
  CHECK(terms_of(quantize_coefficient(0.3, -7, 1)) == std::vector<std::pair<int, int>>{{1, -2}});    // 0.25
  CHECK(terms_of(quantize_coefficient(-0.3, -7, 1)) == std::vector<std::pair<int, int>>{{-1, -2}});  // -0.25
  CHECK(quantize_coefficient(0.374, -7, 1).value() == 0.25);
  CHECK(quantize_coefficient(0.375, -7, 1).value() == 0.5);  // the midpoint 1.5 x 2^-2 goes to the larger magnitude
  CHECK(quantize_coefficient(0.0, -7, 1).terms.empty());
  CHECK(quantize_coefficient(0.0039, -7, 1).terms.empty());  // below 2^-8, half the window's LSB
  CHECK(quantize_coefficient(-0.0039, -7, 1).terms.empty());
  CHECK(quantize_coefficient(0.00390625, -7, 1).value() == 0.0078125);  // exactly half the LSB: up to 2^-7
  CHECK(quantize_coefficient(0.006, -7, 1).value() == 0.0078125);
  CHECK(quantize_coefficient(3.0, -7, 1).value() == 0.5);  // saturates at the window's top, 2^-1
  CHECK(quantize_coefficient(-3.0, -7, 1).value() == -0.5);
}

TEST_CASE("printed training: multi-term coefficients add the nearest power of two of the residual", "[printed]") {
  // 0.3 = 0.25 + 0.05; 0.05 -> 2^-4: 0.3125 (|error| 0.0125) beats 0.28125 (0.01875).
  CHECK(terms_of(quantize_coefficient(0.3, -7, 2)) == std::vector<std::pair<int, int>>{{1, -2}, {1, -4}});
  CHECK(terms_of(quantize_coefficient(-0.3, -7, 2)) == std::vector<std::pair<int, int>>{{-1, -2}, {-1, -4}});
  CHECK(quantize_coefficient(0.7, -7, 2).value() == 0.75);  // 0.5 + 0.25
  CHECK(terms_of(quantize_coefficient(0.375, -7, 2)) == std::vector<std::pair<int, int>>{{1, -1}, {-1, -3}});
  CHECK(quantize_coefficient(0.3, -7, 3).value() == 0.296875);    // 0.25 + 0.0625 - 0.015625
  CHECK(quantize_coefficient(0.26, -7, 3).value() == 0.2578125);  // 0.25 + 2^-7, then nothing left to add
  CHECK(quantize_coefficient(0.26, -7, 3).terms.size() == 2);
  CHECK(quantize_coefficient(3.0, -7, 2).value() == 0.75);  // saturates: 2^-1 + 2^-2
  CHECK(quantize_coefficient(-3.0, -7, 7).value() == -127.0 / 128);
  CHECK_THROWS_AS(quantize_coefficient(std::nan(""), -7, 1), std::invalid_argument);
  CHECK_THROWS_AS(quantize_coefficient(0.3, -7, 0), std::invalid_argument);
}

TEST_CASE("printed training: quantize_coefficient is a nearest representable value (exhaustive)", "[printed]") {
  const int min_exponent = -3;
  const double unit = std::ldexp(1.0, min_exponent);
  for (int terms = 1; terms <= kWeightExponentWindow; ++terms) {
    const std::set<int> units = representable_units(terms);
    for (int step = -140 * 16; step <= 140 * 16; ++step) {
      const double weight = step / 16.0 * unit;  // a 1/16-LSB grid, 10 LSBs beyond the largest representable value
      double nearest = 1e9;
      for (int value : units) nearest = std::min(nearest, std::abs(value * unit - weight));
      const Coefficient coefficient = quantize_coefficient(weight, min_exponent, terms);
      INFO("weight " << weight << ", terms " << terms);
      REQUIRE(std::abs(coefficient.value() - weight) == nearest);
      REQUIRE(static_cast<int>(coefficient.terms.size()) <= terms);
    }
  }
}

TEST_CASE("printed training: a layer's window tops at the power of two nearest its largest weight", "[printed]") {
  CHECK(layer_min_exponent(0.7) == -7);   // 0.5: top -1
  CHECK(layer_min_exponent(0.75) == -6);  // 1: top 0
  CHECK(layer_min_exponent(1.49) == -6);
  CHECK(layer_min_exponent(1.5) == -5);
  CHECK(layer_min_exponent(0.01) == -13);  // 2^-7 = 0.0078125 is nearest
  CHECK(layer_min_exponent(0.0) == -6);
  CHECK_THROWS_AS(layer_min_exponent(-1.0), std::invalid_argument);
  CHECK_THROWS_AS(layer_min_exponent(INFINITY), std::invalid_argument);
}

TEST_CASE("printed training: the activation shift is the smallest that fits the largest accumulator", "[printed]") {
  CHECK(activation_shift_for(255, 8) == 0);
  CHECK(activation_shift_for(256, 8) == 1);
  CHECK(activation_shift_for(511, 8) == 1);
  CHECK(activation_shift_for(512, 8) == 2);
  CHECK(activation_shift_for(16, 4) == 1);
  CHECK(activation_shift_for(0, 8) == 0);
  CHECK(activation_shift_for(-100, 8) == 0);
}

TEST_CASE("printed training: the QAT forward pass is exact_trace in real units", "[printed]") {
  for (uint64_t seed = 1; seed <= 5; ++seed) {
    const QuantizedMlp mlp = random_mlp(seed);
    REQUIRE_NOTHROW(check_mlp(mlp));
    check_qat_forward_matches_exact_trace(mlp, seed + 100);
  }
  const Samples train = separable_samples(300, 11);
  const TrainingResult trained = train_mlp(train.inputs, train.labels, {}, {}, 3, small_options(1));
  check_qat_forward_matches_exact_trace(trained.mlp, 7);
}

TEST_CASE("printed training: a separable 3-class problem is learned to 95% by the integer model", "[printed]") {
  const Samples train = separable_samples(600, 1), test = separable_samples(300, 2);
  TrainingOptions options;
  options.epochs = 100;
  const TrainingResult result = train_mlp(train.inputs, train.labels, test.inputs, test.labels, 3, options);
  REQUIRE_NOTHROW(check_mlp(result.mlp));
  CHECK(result.mlp.topology() == "4-3-3");
  CHECK(result.epochs_run == 100);
  CHECK(result.float_train_accuracy >= 0.95);
  CHECK(result.quantized_train_accuracy >= 0.95);
  CHECK(result.quantized_test_accuracy >= 0.95);
  CHECK(result.quantized_train_accuracy == accuracy(result.mlp, train.inputs, train.labels));
  for (const QuantizedLayer* layer : {&result.mlp.hidden, &result.mlp.output})
    for (const Coefficient& weight : layer->weights) CHECK(weight.terms.size() <= 1);
  CHECK(result.hidden_weights.rows() == 3);
  CHECK(result.hidden_weights.cols() == 4);
  CHECK(result.output_weights.rows() == 3);
}

TEST_CASE("printed training: the same seed gives the same model, another seed another", "[printed]") {
  const Samples train = separable_samples(200, 3), test = separable_samples(50, 4);
  const TrainingResult first = train_mlp(train.inputs, train.labels, test.inputs, test.labels, 3, small_options(5));
  const TrainingResult again = train_mlp(train.inputs, train.labels, test.inputs, test.labels, 3, small_options(5));
  const TrainingResult other = train_mlp(train.inputs, train.labels, test.inputs, test.labels, 3, small_options(6));
  auto same = [](const TrainingResult& a, const TrainingResult& b) {
    bool equal = a.hidden_weights == b.hidden_weights && a.output_weights == b.output_weights &&
                 a.hidden_bias == b.hidden_bias && a.output_bias == b.output_bias &&
                 a.mlp.activation_shift == b.mlp.activation_shift && a.mlp.hidden.biases == b.mlp.hidden.biases &&
                 a.mlp.output.biases == b.mlp.output.biases && a.mlp.hidden.min_exponent == b.mlp.hidden.min_exponent &&
                 a.mlp.output.min_exponent == b.mlp.output.min_exponent;
    for (size_t w = 0; equal && w < a.mlp.hidden.weights.size(); ++w)
      equal = terms_of(a.mlp.hidden.weights[w]) == terms_of(b.mlp.hidden.weights[w]);
    for (size_t w = 0; equal && w < a.mlp.output.weights.size(); ++w)
      equal = terms_of(a.mlp.output.weights[w]) == terms_of(b.mlp.output.weights[w]);
    return equal;
  };
  CHECK(same(first, again));
  CHECK(first.quantized_test_accuracy == again.quantized_test_accuracy);
  CHECK_FALSE(same(first, other));
}

TEST_CASE("printed training: malformed options and data are rejected", "[printed]") {
  const Samples train = separable_samples(20, 5);
  auto train_with = [&](const TrainingOptions& options) {
    return train_mlp(train.inputs, train.labels, {}, {}, 3, options);
  };
  TrainingOptions options = small_options(1);
  options.hidden_neurons = 0;
  CHECK_THROWS_AS(train_with(options), std::invalid_argument);
  options = small_options(1);
  options.float_epochs = options.epochs + 1;
  CHECK_THROWS_AS(train_with(options), std::invalid_argument);
  options = small_options(1);
  options.weight_terms = 8;
  CHECK_THROWS_AS(train_with(options), std::invalid_argument);

  std::vector<std::vector<int>> too_wide = train.inputs;
  too_wide[3][1] = 16;  // not a 4-bit input
  CHECK_THROWS_AS(train_mlp(too_wide, train.labels, {}, {}, 3, small_options(1)), std::invalid_argument);
  std::vector<int> bad_labels = train.labels;
  bad_labels[0] = 3;
  CHECK_THROWS_AS(train_mlp(train.inputs, bad_labels, {}, {}, 3, small_options(1)), std::invalid_argument);
  CHECK_THROWS_AS(train_mlp(train.inputs, train.labels, {{1, 2, 3}}, {0}, 3, small_options(1)), std::invalid_argument);
}

TEST_CASE("printed training: with no QAT epochs the result is the float model quantized", "[printed]") {
  const Samples train = separable_samples(200, 8);
  TrainingOptions options = small_options(2);
  options.float_epochs = options.epochs;
  const TrainingResult result = train_mlp(train.inputs, train.labels, {}, {}, 3, options);
  REQUIRE_NOTHROW(check_mlp(result.mlp));
  CHECK(result.epochs_run == options.epochs);
  CHECK(std::isnan(result.quantized_test_accuracy));
  CHECK(result.quantized_train_accuracy == accuracy(result.mlp, train.inputs, train.labels));
}
