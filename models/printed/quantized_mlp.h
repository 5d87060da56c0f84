// SPDX-License-Identifier: Apache-2.0
// The exact integer semantics of a bespoke printed MLP (one hidden layer, ReLU, argmax): what training produces, what
// the circuit generator hard-wires and what every approximation is measured against.
//
// Values and their scales (LSB = the real value of integer 1):
// - input i:        x_i in [0, 2^input_bits), real x_i / 2^input_bits (a min-max scaled feature in [0, 0.9]).
// - hidden neuron:  acc = sum_i sum_{terms t of w} t.sign * (x_i << (t.exponent - hidden.min_exponent)) + bias,
//                   LSB 2^(hidden.min_exponent - input_bits).
// - activation:     a = min(max(acc, 0) >> activation_shift, 2^activation_bits - 1), LSB = acc's << shift.
// - output neuron:  the same sum over the activations with the output layer's weights, LSB
//                   2^(output.min_exponent) x the activation's LSB; the class is the argmax, the lowest index on ties.
// A weight is a sum of at most a few signed powers of two (one by default: quantization-aware training to +-2^k), so
// each product is wired shifts; its exponents lie within the layer's window [min_exponent, min_exponent + 6] (an
// 8-bit sign-magnitude coefficient).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace pesim::printed {

inline constexpr int kWeightExponentWindow = 7;  // exponents min_exponent .. min_exponent + 6: 8-bit coefficients
// Biases beyond this magnitude are refused, so that no adder tree's sum comes near int64's range.
inline constexpr int64_t kMaxBiasMagnitude = int64_t{1} << 40;

struct WeightTerm {
  int sign = 1;      // +1 or -1
  int exponent = 0;  // the term is sign * 2^exponent
};

// A hard-wired coefficient: its terms by descending exponent, no two with the same exponent; none = no connection.
struct Coefficient {
  std::vector<WeightTerm> terms;
  double value() const;  // the real coefficient
};

struct QuantizedLayer {
  int inputs = 0, outputs = 0;
  std::vector<Coefficient> weights;  // [output * inputs + input]
  int min_exponent = 0;              // the weight exponent of the accumulator's LSB (relative to the inputs' LSB)
  std::vector<int64_t> biases;       // per output, in units of the accumulator's LSB

  const Coefficient& weight(int output, int input) const { return weights[output * inputs + input]; }
  Coefficient& weight(int output, int input) { return weights[output * inputs + input]; }
};

struct QuantizedMlp {
  int input_bits = 4;
  QuantizedLayer hidden, output;
  int activation_bits = 8;
  int activation_shift = 0;

  int input_count() const { return hidden.inputs; }
  int hidden_count() const { return hidden.outputs; }
  int class_count() const { return output.outputs; }
  // "inputs-hidden-outputs", e.g. "21-3-3".
  std::string topology() const;
};

// Throws std::invalid_argument naming the field at fault: layer shapes that do not chain, a weight or bias count that
// does not match, an exponent outside its layer's window, terms out of order, a bias beyond kMaxBiasMagnitude, or
// widths outside 1..16 bits.
void check_mlp(const QuantizedMlp& mlp);

// The hidden activations and output accumulators of one sample (inputs: input_count() values < 2^input_bits).
struct MlpTrace {
  std::vector<int64_t> hidden_accumulators, activations, output_accumulators;
  int predicted_class = 0;
};
MlpTrace exact_trace(const QuantizedMlp& mlp, const std::vector<int>& inputs);
int exact_class(const QuantizedMlp& mlp, const std::vector<int>& inputs);

// argmax with the lowest index winning ties: what the circuit's comparator chain computes.
int first_argmax(const std::vector<int64_t>& values);

}  // namespace pesim::printed
