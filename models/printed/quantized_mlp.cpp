// SPDX-License-Identifier: Apache-2.0
#include "models/printed/quantized_mlp.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace pesim::printed {
namespace {

void check_width(const std::string& field, int bits) {
  if (bits < 1 || bits > 16) throw std::invalid_argument(fmt::format("{} = {}: must be 1..16 bits", field, bits));
}

void check_layer(const std::string& name, const QuantizedLayer& layer) {
  if (layer.inputs < 1 || layer.outputs < 1)
    throw std::invalid_argument(fmt::format("{}: {} inputs x {} outputs", name, layer.inputs, layer.outputs));
  if (layer.weights.size() != static_cast<size_t>(layer.inputs) * static_cast<size_t>(layer.outputs))
    throw std::invalid_argument(
        fmt::format("{}.weights: {} entries for {} x {}", name, layer.weights.size(), layer.outputs, layer.inputs));
  if (layer.biases.size() != static_cast<size_t>(layer.outputs))
    throw std::invalid_argument(
        fmt::format("{}.biases: {} entries for {} outputs", name, layer.biases.size(), layer.outputs));
  for (size_t o = 0; o < layer.biases.size(); ++o)
    if (layer.biases[o] > kMaxBiasMagnitude || layer.biases[o] < -kMaxBiasMagnitude)
      throw std::invalid_argument(fmt::format("{}.biases[{}] = {}: beyond +-2^40", name, o, layer.biases[o]));
  for (size_t w = 0; w < layer.weights.size(); ++w) {
    const std::vector<WeightTerm>& terms = layer.weights[w].terms;
    for (size_t t = 0; t < terms.size(); ++t) {
      const WeightTerm& term = terms[t];
      const bool in_window =
          term.exponent >= layer.min_exponent && term.exponent < layer.min_exponent + kWeightExponentWindow;
      const bool ordered = t == 0 || terms[t - 1].exponent > term.exponent;
      if ((term.sign != 1 && term.sign != -1) || !in_window || !ordered)
        throw std::invalid_argument(
            fmt::format("{}.weights[{}][{}] term {}: sign {} exponent {} (window {}..{}, descending exponents)", name,
                        w / layer.inputs, w % layer.inputs, t, term.sign, term.exponent, layer.min_exponent,
                        layer.min_exponent + kWeightExponentWindow - 1));
    }
  }
}

// One layer's accumulators: sum of the signed shifted operands plus the bias.
std::vector<int64_t> accumulate(const QuantizedLayer& layer, const std::vector<int64_t>& operands) {
  std::vector<int64_t> sums(layer.outputs);
  for (int o = 0; o < layer.outputs; ++o) {
    int64_t sum = layer.biases[o];
    for (int i = 0; i < layer.inputs; ++i)
      for (const WeightTerm& term : layer.weight(o, i).terms)
        sum += term.sign * (operands[i] << (term.exponent - layer.min_exponent));
    sums[o] = sum;
  }
  return sums;
}

}  // namespace

double Coefficient::value() const {
  double sum = 0;
  for (const WeightTerm& term : terms) sum += term.sign * std::ldexp(1.0, term.exponent);
  return sum;
}

std::string QuantizedMlp::topology() const {
  return fmt::format("{}-{}-{}", input_count(), hidden_count(), class_count());
}

void check_mlp(const QuantizedMlp& mlp) {
  check_width("input_bits", mlp.input_bits);
  check_width("activation_bits", mlp.activation_bits);
  if (mlp.activation_shift < 0 || mlp.activation_shift > 48)
    throw std::invalid_argument(fmt::format("activation_shift = {}: must be 0..48", mlp.activation_shift));
  check_layer("hidden", mlp.hidden);
  check_layer("output", mlp.output);
  if (mlp.output.inputs != mlp.hidden.outputs)
    throw std::invalid_argument(
        fmt::format("output.inputs = {} but the hidden layer has {} neurons", mlp.output.inputs, mlp.hidden.outputs));
}

int first_argmax(const std::vector<int64_t>& values) {
  return static_cast<int>(std::max_element(values.begin(), values.end()) - values.begin());
}

MlpTrace exact_trace(const QuantizedMlp& mlp, const std::vector<int>& inputs) {
  MlpTrace trace;
  trace.hidden_accumulators = accumulate(mlp.hidden, std::vector<int64_t>(inputs.begin(), inputs.end()));
  const int64_t activation_max = (int64_t{1} << mlp.activation_bits) - 1;
  for (int64_t acc : trace.hidden_accumulators)
    trace.activations.push_back(std::min(std::max<int64_t>(acc, 0) >> mlp.activation_shift, activation_max));
  trace.output_accumulators = accumulate(mlp.output, trace.activations);
  trace.predicted_class = first_argmax(trace.output_accumulators);
  return trace;
}

int exact_class(const QuantizedMlp& mlp, const std::vector<int>& inputs) {
  return exact_trace(mlp, inputs).predicted_class;
}

}  // namespace pesim::printed
