// SPDX-License-Identifier: Apache-2.0
// Quantization-aware training of a bespoke printed MLP (one ReLU hidden layer, softmax cross-entropy, Adam): float
// pre-training, then fine-tuning whose forward pass is the integer semantics of quantized_mlp.h computed in real
// units (power-of-two weights, fixed-point biases, the shifted and saturated integer ReLU), with straight-through
// gradients to float shadow weights. Deterministic: one seed gives a bit-identical result with any standard library.
//
// Quantization rules (the choices this file makes, all on the training set only):
// - weight window: a layer's top exponent is that of the power of two nearest (linearly) to its largest |weight|, so
//   the largest weight is never clipped; min_exponent = top - 6. Weights below half the window's LSB become zero
//   (no connection).
// - biases: round to nearest (ties away from zero) at the layer accumulator's LSB.
// - activation_shift: the smallest shift that fits the largest hidden accumulator of the training set into
//   activation_bits (no percentile cap: nothing saturates on the training set when the shift is chosen). Re-chosen
//   after every QAT epoch; within an epoch the activation's real LSB stays put (saturation may then occur).
// Training parameterizes the hidden sums as W (x - mean training input) + c, the same function as W x + b with better
// conditioned gradients (all-positive inputs otherwise kill tiny ReLU layers: Pendigits 16-5-10 died in one epoch);
// the float model returned and the integer biases are in the plain form.
#pragma once
#include <Eigen/Dense>
#include <cstdint>
#include <vector>

#include "models/printed/quantized_mlp.h"

namespace pesim::printed {

struct TrainingOptions {
  int hidden_neurons = 3;
  int input_bits = 4;  // the inputs given to train_mlp are integers in [0, 2^input_bits), real q / 2^input_bits
  int activation_bits = 8;
  int weight_terms = 1;         // signed power-of-two terms per weight (1: +-2^k, the published QAT); 1..7
  int epochs = 300;             // all epochs: float pre-training plus quantization-aware fine-tuning
  int float_epochs = -1;        // epochs of float pre-training; -1: half of epochs (the rest is QAT); 0..epochs
  double learning_rate = 0.01;  // Adam step size, the same in both phases
  int batch_size = 32;          // samples per Adam step (the last batch of an epoch may be smaller)
  double weight_decay = 0;      // L2 penalty on the weights (not the biases), added to the gradient
  uint64_t seed = 1;            // initialization and shuffling (std::mt19937_64)
};

struct TrainingResult {
  QuantizedMlp mlp;  // the QAT epoch with the best quantized training accuracy (epoch 0: the float model quantized)
  // The float model at the end of pre-training, the baseline of float_*_accuracy: hidden_weights is hidden x inputs,
  // output_weights classes x hidden, both applied to real values (inputs q / 2^input_bits).
  Eigen::MatrixXd hidden_weights, output_weights;
  Eigen::VectorXd hidden_bias, output_bias;
  double float_train_accuracy = 0, float_test_accuracy = 0;          // the float model on the quantized inputs
  double quantized_train_accuracy = 0, quantized_test_accuracy = 0;  // exact_class of mlp
  int epochs_run = 0;                                                // float plus QAT epochs
};

// Trains a class_count-way classifier. train_inputs: per sample, the same number of values in
// [0, 2^input_bits); labels in 0..class_count-1; the test set may be empty (its accuracies are then NaN) and is only
// measured, never used for a choice. Throws std::invalid_argument for options out of range or malformed data.
TrainingResult train_mlp(const std::vector<std::vector<int>>& train_inputs, const std::vector<int>& train_labels,
                         const std::vector<std::vector<int>>& test_inputs, const std::vector<int>& test_labels,
                         int class_count, const TrainingOptions& options);

// The value nearest to weight made of at most `terms` signed powers of two with distinct exponents in
// [min_exponent, min_exponent + 6], chosen greedily: each term is the power of two nearest to the residual (ties to
// the larger magnitude), its exponent clamped to the window and below the previous term's. No terms when
// |weight| < 2^(min_exponent - 1); beyond the window's top it saturates (1 term: +-2^(min_exponent + 6)). The greedy
// result is a nearest representable value for every terms (the test checks it against exhaustive search). Throws
// std::invalid_argument for a non-finite weight or terms outside 1..7.
Coefficient quantize_coefficient(double weight, int min_exponent, int terms);

// A layer's window placement: top = the exponent of the power of two nearest to max_abs_weight, min = top - 6. A
// zero max_abs_weight gives -6 (top 0). Throws std::invalid_argument for a negative or non-finite value.
int layer_min_exponent(double max_abs_weight);

// The smallest shift with max_accumulator >> shift <= 2^activation_bits - 1 (0 when max_accumulator <= 0).
int activation_shift_for(int64_t max_accumulator, int activation_bits);

// The fraction of samples whose exact_class is their label (NaN for no samples). Throws std::invalid_argument when
// the counts differ.
double accuracy(const QuantizedMlp& mlp, const std::vector<std::vector<int>>& inputs, const std::vector<int>& labels);

// One forward pass over a batch in real units, with what backpropagation needs.
struct ForwardPass {
  Eigen::MatrixXd hidden_sums;       // hidden x samples: pre-activations
  Eigen::MatrixXd activations;       // hidden x samples
  Eigen::MatrixXd activation_slope;  // hidden x samples: 1 where the gradient passes the activation, else 0
  Eigen::MatrixXd logits;            // classes x samples
};

// The forward pass QAT uses, on mlp's own integers: inputs is input_count x samples of real values q / 2^input_bits.
// Exact in double: hidden_sums / hidden_accumulator_lsb(mlp) and logits / output_accumulator_lsb(mlp) are
// exact_trace's hidden and output accumulators (as long as every accumulator stays below 2^53).
ForwardPass qat_forward(const QuantizedMlp& mlp, const Eigen::MatrixXd& inputs);
double hidden_accumulator_lsb(const QuantizedMlp& mlp);  // the real value of a hidden accumulator's 1
double output_accumulator_lsb(const QuantizedMlp& mlp);  // the real value of an output accumulator's 1

}  // namespace pesim::printed
