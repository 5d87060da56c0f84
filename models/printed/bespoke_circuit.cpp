// SPDX-License-Identifier: Apache-2.0
#include "models/printed/bespoke_circuit.h"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <map>
#include <stdexcept>

namespace pesim::printed {
namespace {

// Bits of an unsigned value (at least 1).
int unsigned_width(int64_t max_value) {
  return std::max(1, static_cast<int>(std::bit_width(static_cast<uint64_t>(max_value))));
}

// Two's-complement bits that hold every value of [-max_negative, max_positive].
int signed_width(int64_t max_positive, int64_t max_negative) {
  int width = 1;
  while ((int64_t{1} << (width - 1)) - 1 < max_positive || -(int64_t{1} << (width - 1)) > -max_negative) ++width;
  return width;
}

int64_t clear_low_bits(int64_t value, int bits) { return value >> bits << bits; }

void check_entries(const std::string& field, const std::vector<int>& entries, size_t count, int low,
                   const std::vector<int>& high) {
  if (entries.size() != count)
    throw std::invalid_argument(
        fmt::format("approximation.{}: {} entries, the circuit has {}", field, entries.size(), count));
  for (size_t k = 0; k < count; ++k)
    if (entries[k] < low || entries[k] > high[k])
      throw std::invalid_argument(
          fmt::format("approximation.{}[{}] = {}: must be {}..{}", field, k, entries[k], low, high[k]));
}

// Per weight of both layers: its term count, and the operand width of its layer.
std::vector<int> term_counts(const QuantizedMlp& mlp) {
  std::vector<int> counts;
  for (const QuantizedLayer* layer : {&mlp.hidden, &mlp.output})
    for (const Coefficient& weight : layer->weights) counts.push_back(static_cast<int>(weight.terms.size()));
  return counts;
}

// Column compression of bits (height per column) to one row: full adders take three bits of a column and leave one
// plus a carry; a half adder takes the last two.
void count_tree_adders(std::map<int, int64_t> heights, AdderCount& count) {
  for (auto it = heights.begin(); it != heights.end(); ++it) {
    int64_t height = it->second, carries = 0;
    while (height >= 3) {
      height -= 2;
      ++carries;
      ++count.full_adders;
    }
    if (height == 2) {
      height = 1;
      ++carries;
      ++count.half_adders;
    }
    if (carries > 0) heights[it->first + 1] += carries;  // a later column: the iteration reaches it
  }
}

void add_tree_bits(const std::vector<ShiftedOperand>& operands, int64_t constant, int operand_bits,
                   std::map<int, int64_t>& heights) {
  for (const ShiftedOperand& operand : operands)
    for (int bit = operand.first_bit; bit < operand_bits; ++bit) ++heights[bit + operand.shift];
  for (int bit = 0; constant >> bit != 0; ++bit)
    if ((constant >> bit) & 1) ++heights[bit];
}

}  // namespace

double AdderCount::equivalent_full_adders() const {
  return static_cast<double>(full_adders) + 0.5 * static_cast<double>(half_adders) +
         static_cast<double>(subtractor_bits + activation_bits + comparator_bits);
}

size_t Approximation::weight_count(const QuantizedMlp& mlp) {
  return mlp.hidden.weights.size() + mlp.output.weights.size();
}

size_t Approximation::neuron_count(const QuantizedMlp& mlp) {
  return static_cast<size_t>(mlp.hidden_count() + mlp.class_count());
}

Approximation Approximation::exact(const QuantizedMlp& mlp) {
  Approximation a;
  a.kept_terms = term_counts(mlp);
  a.masked_low_bits.assign(weight_count(mlp), 0);
  a.pruned_columns.assign(neuron_count(mlp), 0);
  a.relu_kept_bits.assign(static_cast<size_t>(mlp.hidden_count()), mlp.activation_bits);
  return a;
}

void check_approximation(const QuantizedMlp& mlp, const Approximation& a) {
  const size_t weights = Approximation::weight_count(mlp), neurons = Approximation::neuron_count(mlp);
  check_entries("kept_terms", a.kept_terms, weights, 0, term_counts(mlp));
  std::vector<int> operand_bits(mlp.hidden.weights.size(), mlp.input_bits);
  operand_bits.resize(weights, mlp.activation_bits);
  check_entries("masked_low_bits", a.masked_low_bits, weights, 0, operand_bits);
  check_entries("pruned_columns", a.pruned_columns, neurons, 0, std::vector<int>(neurons, 62));
  check_entries("relu_kept_bits", a.relu_kept_bits, static_cast<size_t>(mlp.hidden_count()), 1,
                std::vector<int>(static_cast<size_t>(mlp.hidden_count()), mlp.activation_bits));
  if (a.argmax_msbs < 0 || a.argmax_msbs > 62)
    throw std::invalid_argument(fmt::format("approximation.argmax_msbs = {}: must be 0..62", a.argmax_msbs));
}

int64_t neuron_sum(const CircuitNeuron& neuron, const std::vector<int64_t>& values) {
  return tree_sum(neuron.positive, neuron.positive_constant, values) -
         tree_sum(neuron.negative, neuron.negative_constant, values);
}

int64_t tree_sum(const std::vector<ShiftedOperand>& operands, int64_t constant, const std::vector<int64_t>& values) {
  int64_t sum = constant;
  for (const ShiftedOperand& operand : operands) sum += operand.value(values[operand.operand]);
  return sum;
}

BespokeCircuit::BespokeCircuit(QuantizedMlp mlp, Approximation approximation)
    : m_mlp(std::move(mlp)), m_approximation(std::move(approximation)) {
  check_mlp(m_mlp);
  check_approximation(m_mlp, m_approximation);
  const std::vector<int> input_masks(static_cast<size_t>(m_mlp.input_count()), 0);
  std::vector<int> activation_masks;
  for (int h = 0; h < m_mlp.hidden_count(); ++h) activation_masks.push_back(activation_mask(h));
  for (int h = 0; h < m_mlp.hidden_count(); ++h)
    m_hidden.push_back(compile_neuron(m_mlp.hidden, h, m_mlp.input_bits, input_masks, 0, h));
  int64_t max_positive = 0, max_negative = 0;
  for (int o = 0; o < m_mlp.class_count(); ++o) {
    m_output.push_back(compile_neuron(m_mlp.output, o, m_mlp.activation_bits, activation_masks,
                                      m_mlp.hidden.weights.size(), m_mlp.hidden_count() + o));
    max_positive = std::max(max_positive, m_output.back().max_positive);
    max_negative = std::max(max_negative, m_output.back().max_negative);
  }
  m_output_width = signed_width(max_positive, max_negative);
  const int msbs = m_approximation.argmax_msbs;
  m_argmax_dropped_bits = msbs == 0 ? 0 : std::max(0, m_output_width - msbs);
}

int BespokeCircuit::activation_mask(int hidden_neuron) const {
  return m_mlp.activation_bits - m_approximation.relu_kept_bits[hidden_neuron];
}

CircuitNeuron BespokeCircuit::compile_neuron(const QuantizedLayer& layer, int neuron, int operand_bits,
                                             const std::vector<int>& operand_masks, size_t weight_offset,
                                             size_t neuron_index) const {
  CircuitNeuron result;
  const int pruned = m_approximation.pruned_columns[neuron_index];
  const int64_t operand_max = (int64_t{1} << operand_bits) - 1;
  for (int input = 0; input < layer.inputs; ++input) {
    const size_t w = weight_offset + static_cast<size_t>(neuron * layer.inputs + input);
    const std::vector<WeightTerm>& terms = layer.weight(neuron, input).terms;
    const int kept = m_approximation.kept_terms[w];
    const int mask = std::max(m_approximation.masked_low_bits[w], operand_masks[input]);
    for (int t = 0; t < kept; ++t) {
      ShiftedOperand operand{input, 0, terms[t].exponent - layer.min_exponent};
      operand.first_bit = std::max(mask, pruned - operand.shift);
      if (operand.first_bit >= operand_bits) continue;  // every bit masked or pruned
      (terms[t].sign > 0 ? result.positive : result.negative).push_back(operand);
      (terms[t].sign > 0 ? result.max_positive : result.max_negative) += operand.value(operand_max);
    }
  }
  const int64_t bias = layer.biases[neuron];
  (bias >= 0 ? result.positive_constant : result.negative_constant) = clear_low_bits(bias >= 0 ? bias : -bias, pruned);
  result.max_positive += result.positive_constant;
  result.max_negative += result.negative_constant;
  result.tree_width = unsigned_width(std::max(result.max_positive, result.max_negative));
  return result;
}

int64_t BespokeCircuit::hidden_activation(int neuron, int64_t accumulator) const {
  const int64_t saturated = (int64_t{1} << m_mlp.activation_bits) - 1;
  const int64_t relu = std::min(std::max<int64_t>(accumulator, 0) >> m_mlp.activation_shift, saturated);
  return clear_low_bits(relu, activation_mask(neuron));
}

CircuitTrace BespokeCircuit::trace(const std::vector<int>& inputs) const {
  CircuitTrace t;
  const std::vector<int64_t> input_values(inputs.begin(), inputs.end());
  for (int h = 0; h < m_mlp.hidden_count(); ++h) {
    t.hidden_accumulators.push_back(neuron_sum(m_hidden[h], input_values));
    t.activations.push_back(hidden_activation(h, t.hidden_accumulators.back()));
  }
  for (const CircuitNeuron& n : m_output) {
    t.output_accumulators.push_back(neuron_sum(n, t.activations));
    t.compared_values.push_back(t.output_accumulators.back() >> m_argmax_dropped_bits);  // floor, as >>> does
  }
  t.predicted_class = first_argmax(t.compared_values);
  return t;
}

// trace()'s arithmetic without its record: the search classifies millions of samples.
int BespokeCircuit::classify(const std::vector<int>& inputs) const {
  thread_local std::vector<int64_t> input_values, activations;
  input_values.assign(inputs.begin(), inputs.end());
  activations.resize(m_hidden.size());
  for (size_t h = 0; h < m_hidden.size(); ++h) {
    activations[h] = hidden_activation(static_cast<int>(h), neuron_sum(m_hidden[h], input_values));
  }
  int best_class = 0;
  int64_t best_value = 0;
  for (size_t o = 0; o < m_output.size(); ++o) {
    const int64_t value = neuron_sum(m_output[o], activations) >> m_argmax_dropped_bits;
    if (o == 0 || value > best_value) {  // strictly greater: the lowest index wins ties
      best_class = static_cast<int>(o);
      best_value = value;
    }
  }
  return best_class;
}

double BespokeCircuit::accuracy(const std::vector<std::vector<int>>& inputs, const std::vector<int>& labels) const {
  if (labels.size() != inputs.size())
    throw std::invalid_argument(fmt::format("{} labels for {} samples", labels.size(), inputs.size()));
  if (inputs.empty()) return 0;
  size_t correct = 0;
  for (size_t s = 0; s < inputs.size(); ++s) correct += classify(inputs[s]) == labels[s];
  return static_cast<double>(correct) / static_cast<double>(inputs.size());
}

AdderCount BespokeCircuit::adder_count() const {
  AdderCount count;
  auto count_layer = [&](const std::vector<CircuitNeuron>& neurons, int operand_bits) {
    for (const CircuitNeuron& n : neurons) {
      std::map<int, int64_t> positive, negative;
      add_tree_bits(n.positive, n.positive_constant, operand_bits, positive);
      add_tree_bits(n.negative, n.negative_constant, operand_bits, negative);
      count_tree_adders(positive, count);
      count_tree_adders(negative, count);
      if (n.max_negative > 0) count.subtractor_bits += n.tree_width;
    }
  };
  count_layer(m_hidden, m_mlp.input_bits);
  count_layer(m_output, m_mlp.activation_bits);
  for (int h = 0; h < m_mlp.hidden_count(); ++h) count.activation_bits += m_approximation.relu_kept_bits[h];
  count.comparator_bits =
      static_cast<int64_t>(m_output_width - m_argmax_dropped_bits) * static_cast<int64_t>(m_mlp.class_count() - 1);
  return count;
}

}  // namespace pesim::printed
