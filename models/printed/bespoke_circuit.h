// SPDX-License-Identifier: Apache-2.0
// A bespoke printed MLP circuit: a QuantizedMlp with its approximations applied, compiled to what the hardware wires
// (per neuron, the shifted operand bits that enter its positive and negative adder trees, and their constants). The
// functional model (classify) and the Verilog generator (verilog_generator.h) both read this compiled form, so the
// approximations mean the same thing in both.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "models/printed/quantized_mlp.h"

namespace pesim::printed {

// The approximations of one circuit; exact() leaves the QuantizedMlp's arithmetic unchanged. Per-weight entries run
// over the hidden layer's weights and then the output layer's, each in QuantizedLayer::weights order; per-neuron
// entries over the hidden neurons and then the output neurons.
struct Approximation {
  // Multiplication, coefficient approximation: per weight, how many of its signed power-of-two terms are kept, most
  // significant first (fewer terms: a cheaper nearby constant, the truncated signed-digit expansion; 0: the
  // connection is pruned).
  std::vector<int> kept_terms;
  // Accumulation: per weight (product), the operand's low bits ANDed to zero before it is shifted (0: none).
  std::vector<int> masked_low_bits;
  // Accumulation: per neuron, adder-tree bit columns below this one are dropped (every product's and the bias's bits
  // of weight < 2^column; 0: none).
  std::vector<int> pruned_columns;
  // Activation, approximate ReLU: per hidden neuron, the activation's bits kept from its MSB (activation_bits: exact).
  std::vector<int> relu_kept_bits;
  // Activation, approximate argmax: the output accumulators' MSBs the comparators look at (0: all of them).
  int argmax_msbs = 0;

  bool operator==(const Approximation&) const = default;

  static Approximation exact(const QuantizedMlp& mlp);
  // The number of per-weight and per-neuron entries a circuit of this MLP needs.
  static size_t weight_count(const QuantizedMlp& mlp);
  static size_t neuron_count(const QuantizedMlp& mlp);
};

// Throws std::invalid_argument naming the entry at fault (wrong length, out of range).
void check_approximation(const QuantizedMlp& mlp, const Approximation& approximation);

// One product's contribution to an adder tree: operand bits [first_bit, operand_bits) at weight 2^(bit + shift),
// i.e. ((operand >> first_bit) << (first_bit + shift)).
struct ShiftedOperand {
  int operand = 0;  // input or hidden-neuron index
  int first_bit = 0;
  int shift = 0;
  int64_t value(int64_t operand_value) const { return (operand_value >> first_bit) << (first_bit + shift); }
};

// A neuron's accumulator: positive tree - negative tree, each its operands plus a constant (the bias's part).
struct CircuitNeuron {
  std::vector<ShiftedOperand> positive, negative;
  int64_t positive_constant = 0, negative_constant = 0;
  int tree_width = 1;                          // bits of either tree's sum (unsigned), enough for its largest value
  int64_t max_positive = 0, max_negative = 0;  // the trees' largest sums
};

// What one sample does inside a circuit.
struct CircuitTrace {
  std::vector<int64_t> hidden_accumulators, activations, output_accumulators, compared_values;
  int predicted_class = 0;
};

// The cost of a circuit's arithmetic in adder cells, counted before logic synthesis: the fast area proxy of the
// approximation search (calibrated against synthesized EGFET area).
struct AdderCount {
  int64_t full_adders = 0, half_adders = 0;  // column compression of every adder tree down to one row
  int64_t subtractor_bits = 0;               // positive - negative per neuron
  int64_t activation_bits = 0;               // ReLU comparison and saturation, per hidden output bit
  int64_t comparator_bits = 0;               // the argmax chain: compared bits times (classes - 1)
  // FA-equivalents: full adders + half adders / 2 + one per subtractor, activation and comparator bit.
  double equivalent_full_adders() const;
};

class BespokeCircuit {
 public:
  // Throws std::invalid_argument from check_mlp and check_approximation.
  BespokeCircuit(QuantizedMlp mlp, Approximation approximation);

  const QuantizedMlp& mlp() const { return m_mlp; }
  const Approximation& approximation() const { return m_approximation; }
  const std::vector<CircuitNeuron>& hidden_neurons() const { return m_hidden; }
  const std::vector<CircuitNeuron>& output_neurons() const { return m_output; }
  // Activation bits that reach the output layer: the low activation_bits - relu_kept_bits are zero.
  int activation_mask(int hidden_neuron) const;
  // Two's-complement width of every output accumulator (one width for all, so their MSBs line up), and the low bits
  // the argmax drops before comparing.
  int output_width() const { return m_output_width; }
  int argmax_dropped_bits() const { return m_argmax_dropped_bits; }

  int classify(const std::vector<int>& inputs) const;
  CircuitTrace trace(const std::vector<int>& inputs) const;
  // The fraction of samples classified as labelled (0 for none); throws std::invalid_argument when the counts differ.
  double accuracy(const std::vector<std::vector<int>>& inputs, const std::vector<int>& labels) const;
  AdderCount adder_count() const;

 private:
  CircuitNeuron compile_neuron(const QuantizedLayer& layer, int neuron, int operand_bits,
                               const std::vector<int>& operand_masks, size_t weight_offset, size_t neuron_index) const;
  int64_t hidden_activation(int neuron, int64_t accumulator) const;

  QuantizedMlp m_mlp;
  Approximation m_approximation;
  std::vector<CircuitNeuron> m_hidden, m_output;
  int m_output_width = 1;
  int m_argmax_dropped_bits = 0;
};

// A neuron's accumulator for given operand values: its positive tree's sum minus its negative tree's.
int64_t neuron_sum(const CircuitNeuron& neuron, const std::vector<int64_t>& values);
// The sum of a tree's operands for given operand values.
int64_t tree_sum(const std::vector<ShiftedOperand>& operands, int64_t constant, const std::vector<int64_t>& values);

}  // namespace pesim::printed
