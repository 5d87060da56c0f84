// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>
#include <random>

#include "models/printed/bespoke_circuit.h"
#include "models/printed/verilog_generator.h"
#include "tests/printed/printed_test_support.h"

using namespace pesim::printed;

namespace {

// The approximations straight from their definitions in bespoke_circuit.h, over the QuantizedMlp, without the
// compiled neurons: operands ANDed, products shifted, columns below the pruning point cleared, the ReLU's low bits
// cleared, the argmax comparing floor(acc / 2^dropped).
int64_t clear_below(int64_t value, int bits) { return value & ~((int64_t{1} << bits) - 1); }

std::vector<int64_t> reference_layer(const QuantizedLayer& layer, const std::vector<int64_t>& operands,
                                     const Approximation& a, size_t weight_offset, size_t neuron_offset) {
  std::vector<int64_t> sums;
  for (int o = 0; o < layer.outputs; ++o) {
    const int pruned = a.pruned_columns[neuron_offset + o];
    int64_t positive = 0, negative = 0;
    for (int i = 0; i < layer.inputs; ++i) {
      const size_t w = weight_offset + static_cast<size_t>(o * layer.inputs + i);
      const int64_t operand = clear_below(operands[i], a.masked_low_bits[w]);
      for (int t = 0; t < a.kept_terms[w]; ++t) {
        const WeightTerm& term = layer.weight(o, i).terms[t];
        const int64_t product = clear_below(operand << (term.exponent - layer.min_exponent), pruned);
        (term.sign > 0 ? positive : negative) += product;
      }
    }
    const int64_t bias = layer.biases[o];
    (bias >= 0 ? positive : negative) += clear_below(bias >= 0 ? bias : -bias, pruned);
    sums.push_back(positive - negative);
  }
  return sums;
}

int reference_class(const BespokeCircuit& circuit, const std::vector<int>& inputs) {
  const QuantizedMlp& mlp = circuit.mlp();
  const Approximation& a = circuit.approximation();
  const std::vector<int64_t> hidden =
      reference_layer(mlp.hidden, std::vector<int64_t>(inputs.begin(), inputs.end()), a, 0, 0);
  std::vector<int64_t> activations;
  for (size_t h = 0; h < hidden.size(); ++h) {
    const int64_t relu =
        std::min(std::max<int64_t>(hidden[h], 0) >> mlp.activation_shift, (int64_t{1} << mlp.activation_bits) - 1);
    activations.push_back(clear_below(relu, mlp.activation_bits - a.relu_kept_bits[h]));
  }
  const std::vector<int64_t> outputs =
      reference_layer(mlp.output, activations, a, mlp.hidden.weights.size(), hidden.size());
  std::vector<int64_t> compared;
  const int64_t limit = int64_t{1} << (circuit.output_width() - 1);
  for (int64_t value : outputs) {
    REQUIRE(value >= -limit);
    REQUIRE(value < limit);
    compared.push_back(value >> circuit.argmax_dropped_bits());
  }
  return first_argmax(compared);
}

}  // namespace

TEST_CASE("printed circuit: the exact circuit computes the QuantizedMlp's semantics", "[printed]") {
  std::mt19937_64 random(11);
  for (int trial = 0; trial < 40; ++trial) {
    const QuantizedMlp mlp = test::random_mlp(random, 5, 3, 4);
    const BespokeCircuit circuit(mlp, Approximation::exact(mlp));
    for (const std::vector<int>& sample : test::random_samples(random, 50, 5, 4)) {
      const MlpTrace expected = exact_trace(mlp, sample);
      const CircuitTrace actual = circuit.trace(sample);
      REQUIRE(actual.hidden_accumulators == expected.hidden_accumulators);
      REQUIRE(actual.activations == expected.activations);
      REQUIRE(actual.output_accumulators == expected.output_accumulators);
      REQUIRE(actual.predicted_class == expected.predicted_class);
    }
  }
}

TEST_CASE("printed circuit: approximations mean what their definitions say", "[printed]") {
  std::mt19937_64 random(12);
  int differing_from_exact = 0;
  for (int trial = 0; trial < 60; ++trial) {
    const QuantizedMlp mlp = test::random_mlp(random, 6, 3, 4);
    const BespokeCircuit circuit(mlp, test::random_approximation(random, mlp));
    for (const std::vector<int>& sample : test::random_samples(random, 40, 6, 4)) {
      REQUIRE(circuit.classify(sample) == reference_class(circuit, sample));
      REQUIRE(circuit.trace(sample).predicted_class == circuit.classify(sample));
      differing_from_exact += circuit.classify(sample) != exact_class(mlp, sample);
    }
  }
  CHECK(differing_from_exact > 100);  // the approximations do change classes: the comparison above is not vacuous
}

TEST_CASE("printed circuit: a pruned connection and a masked operand leave the adder trees", "[printed]") {
  QuantizedMlp mlp;
  mlp.hidden = {2, 1, {{{{1, 2}}}, {{{-1, 0}}}}, 0, {5}};
  mlp.output = {1, 2, {{{{1, 0}}}, {{{-1, 0}}}}, 0, {0, 0}};
  Approximation a = Approximation::exact(mlp);
  a.kept_terms[1] = 0;       // x1's weight -1 pruned
  a.masked_low_bits[0] = 2;  // x0's two low bits dropped
  const BespokeCircuit circuit(mlp, a);
  const CircuitNeuron& h0 = circuit.hidden_neurons()[0];
  REQUIRE(h0.positive.size() == 1);
  CHECK(h0.negative.empty());
  CHECK(h0.positive[0].first_bit == 2);
  CHECK(h0.positive[0].shift == 2);
  // x0 = 0b1011: (0b1000) << 2 = 32, + bias 5 = 37; x1 is ignored.
  CHECK(circuit.trace({11, 15}).hidden_accumulators[0] == 37);
  CHECK(exact_trace(mlp, {11, 15}).hidden_accumulators[0] == 44 - 15 + 5);
}

TEST_CASE("printed circuit: column compression counts full and half adders", "[printed]") {
  QuantizedMlp mlp;
  mlp.hidden = {3, 1, {{{{1, 0}}}, {{{1, 0}}}, {{{1, 0}}}}, 0, {0}};
  mlp.output = {1, 2, {{}, {}}, 0, {0, 0}};  // no output products: the output trees are empty
  Approximation a = Approximation::exact(mlp);
  a.masked_low_bits = {3, 3, 3, 0, 0};  // one bit of each operand in column 3: one full adder
  AdderCount one = BespokeCircuit(mlp, a).adder_count();
  CHECK(one.full_adders == 1);
  CHECK(one.half_adders == 0);
  a.masked_low_bits = {2, 2, 2, 0, 0};  // columns 2 and 3 of height 3: FA; then column 3 holds 3 + 1 carry: FA + HA
  AdderCount two = BespokeCircuit(mlp, a).adder_count();
  CHECK(two.full_adders == 2);
  CHECK(two.half_adders == 2);      // and column 4's two carries
  CHECK(two.subtractor_bits == 0);  // no negative products
  CHECK(two.comparator_bits == 1);  // outputs always 0: one-bit accumulators, one comparison
}

TEST_CASE("printed circuit: bad approximations name the entry", "[printed]") {
  std::mt19937_64 random(13);
  const QuantizedMlp mlp = test::random_mlp(random, 4, 2, 3);
  Approximation a = Approximation::exact(mlp);
  a.masked_low_bits[3] = 9;
  CHECK_THROWS_WITH(BespokeCircuit(mlp, a), Catch::Contains("masked_low_bits[3] = 9"));
  a = Approximation::exact(mlp);
  a.relu_kept_bits.pop_back();
  CHECK_THROWS_WITH(BespokeCircuit(mlp, a), Catch::Contains("relu_kept_bits: 1 entries"));
  a = Approximation::exact(mlp);
  a.relu_kept_bits[0] = 0;
  CHECK_THROWS_WITH(BespokeCircuit(mlp, a), Catch::Contains("relu_kept_bits[0] = 0"));
}

TEST_CASE("printed circuit: bad MLPs name the field", "[printed]") {
  std::mt19937_64 random(14);
  QuantizedMlp mlp = test::random_mlp(random, 4, 2, 3);
  mlp.hidden.weights[5].terms = {{1, mlp.hidden.min_exponent + 7}};
  CHECK_THROWS_WITH(check_mlp(mlp), Catch::Contains("hidden.weights[1][1]"));
  mlp = test::random_mlp(random, 4, 2, 3);
  mlp.output.inputs = 3;
  CHECK_THROWS_AS(check_mlp(mlp), std::invalid_argument);
}

TEST_CASE("printed circuit: the Verilog has one port per input and a class index wide enough", "[printed]") {
  std::mt19937_64 random(15);
  const QuantizedMlp mlp = test::random_mlp(random, 3, 2, 5);
  const std::string verilog = circuit_verilog(BespokeCircuit(mlp, Approximation::exact(mlp)), "m");
  CHECK_THAT(verilog, Catch::Contains("module m ("));
  CHECK_THAT(verilog, Catch::Contains("input wire [3:0] x2"));
  CHECK_THAT(verilog, !Catch::Contains("input wire [3:0] x3"));
  CHECK_THAT(verilog, Catch::Contains("output wire [2:0] class_index"));
  CHECK(class_index_bits(2) == 1);
  CHECK(class_index_bits(8) == 3);
  CHECK(class_index_bits(9) == 4);
}
