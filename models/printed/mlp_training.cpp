// SPDX-License-Identifier: Apache-2.0
#include "models/printed/mlp_training.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <numeric>
#include <stdexcept>
#include <string>

#include "models/num/seeded_random.h"

namespace pesim::printed {
namespace {

using Eigen::MatrixXd;
using Eigen::VectorXd;

constexpr int kMaxActivationShift = 48;  // check_mlp's limit

using Random = num::SeededRandom;

// Real weights and biases: the float model, the QAT shadow weights, the dequantized integer model, gradients and
// Adam's moments all have this shape.
struct FloatMlp {
  MatrixXd hidden_weights;  // hidden x inputs
  VectorXd hidden_bias;
  MatrixXd output_weights;  // classes x hidden
  VectorXd output_bias;
};

// The integer ReLU in real units: level = min(floor(max(sum, 0) / lsb), max_level), activation = level * lsb.
struct ActivationQuantizer {
  double lsb = 0;  // 0: the float ReLU
  double max_level = 0;
};

// A QuantizedMlp read as real numbers: forward() on it computes exact_trace times the accumulators' LSBs.
struct DequantizedMlp {
  FloatMlp weights;
  ActivationQuantizer activation;
};

struct TrainingSet {
  MatrixXd inputs;  // input_count x samples, real values q / 2^input_bits
  std::vector<int> labels;
  VectorXd input_mean;  // per input, over these samples: the centre of the training parameterization
};

// Training reparameterizes the hidden layer around the training set's mean input: sums = W (x - input_mean) + c. The
// same function as W x + (c - W input_mean), but with all-positive inputs the plain form's gradients move every
// weight of a neuron the same way and tiny hidden layers die (Pendigits 16-5-10: every neuron dead within one epoch).
FloatMlp uncentered(FloatMlp centered, const VectorXd& input_mean) {
  centered.hidden_bias -= centered.hidden_weights * input_mean;
  return centered;
}

// ---- forward and backward passes ----

ForwardPass forward(const FloatMlp& model, const ActivationQuantizer& quantizer, const MatrixXd& inputs) {
  ForwardPass pass;
  pass.hidden_sums = (model.hidden_weights * inputs).colwise() + model.hidden_bias;
  pass.activations = pass.hidden_sums.cwiseMax(0.0);
  pass.activation_slope = (pass.hidden_sums.array() > 0.0).cast<double>().matrix();
  if (quantizer.lsb > 0) {
    // Straight-through: the floor passes the gradient, the saturation stops it.
    const Eigen::ArrayXXd levels = (pass.activations.array() / quantizer.lsb).floor().min(quantizer.max_level);
    pass.activations = (levels * quantizer.lsb).matrix();
    pass.activation_slope.array() *= (levels < quantizer.max_level).cast<double>();
  }
  pass.logits = (model.output_weights * pass.activations).colwise() + model.output_bias;
  return pass;
}

// d(mean cross-entropy of softmax(logits)) / d logits.
MatrixXd logit_gradient(const MatrixXd& logits, const std::vector<int>& labels) {
  const Eigen::RowVectorXd column_max = logits.colwise().maxCoeff();
  MatrixXd probabilities = (logits.rowwise() - column_max).array().exp().matrix();
  probabilities.array().rowwise() /= probabilities.colwise().sum().array();
  for (size_t s = 0; s < labels.size(); ++s) probabilities(labels[s], static_cast<Eigen::Index>(s)) -= 1.0;
  return probabilities / static_cast<double>(labels.size());
}

// The loss gradient of the weights `used` in the forward pass (QAT: the quantized ones, applied to the shadow
// weights as they are: the straight-through estimator).
FloatMlp backward(const FloatMlp& used, const ForwardPass& pass, const MatrixXd& inputs,
                  const std::vector<int>& labels) {
  const MatrixXd logits_gradient = logit_gradient(pass.logits, labels);
  const MatrixXd sums_gradient =
      (used.output_weights.transpose() * logits_gradient).cwiseProduct(pass.activation_slope);
  FloatMlp gradient;
  gradient.output_weights = logits_gradient * pass.activations.transpose();
  gradient.output_bias = logits_gradient.rowwise().sum();
  gradient.hidden_weights = sums_gradient * inputs.transpose();
  gradient.hidden_bias = sums_gradient.rowwise().sum();
  return gradient;
}

class Adam {
 public:
  Adam(const FloatMlp& model, double learning_rate, double weight_decay)
      : m_first(zeros_like(model)),
        m_second(zeros_like(model)),
        m_learning_rate(learning_rate),
        m_weight_decay(weight_decay) {}

  void step(FloatMlp& model, FloatMlp gradient) {
    ++m_steps;
    gradient.hidden_weights += m_weight_decay * model.hidden_weights;
    gradient.output_weights += m_weight_decay * model.output_weights;
    update(model.hidden_weights, gradient.hidden_weights, m_first.hidden_weights, m_second.hidden_weights);
    update(model.hidden_bias, gradient.hidden_bias, m_first.hidden_bias, m_second.hidden_bias);
    update(model.output_weights, gradient.output_weights, m_first.output_weights, m_second.output_weights);
    update(model.output_bias, gradient.output_bias, m_first.output_bias, m_second.output_bias);
  }

 private:
  static constexpr double kBeta1 = 0.9, kBeta2 = 0.999, kEpsilon = 1e-8;

  static FloatMlp zeros_like(const FloatMlp& model) {
    return {MatrixXd::Zero(model.hidden_weights.rows(), model.hidden_weights.cols()),
            VectorXd::Zero(model.hidden_bias.size()),
            MatrixXd::Zero(model.output_weights.rows(), model.output_weights.cols()),
            VectorXd::Zero(model.output_bias.size())};
  }

  template <typename Parameter>
  void update(Parameter& parameter, const Parameter& gradient, Parameter& first, Parameter& second) const {
    first = kBeta1 * first + (1 - kBeta1) * gradient;
    second = kBeta2 * second + (1 - kBeta2) * gradient.cwiseProduct(gradient);
    const double first_correction = 1 - std::pow(kBeta1, m_steps);
    const double second_correction = 1 - std::pow(kBeta2, m_steps);
    parameter.array() -=
        m_learning_rate * (first.array() / first_correction) / ((second.array() / second_correction).sqrt() + kEpsilon);
  }

  FloatMlp m_first, m_second;
  double m_learning_rate, m_weight_decay;
  int m_steps = 0;
};

// He-normal hidden weights (ReLU), Glorot-uniform output weights, zero biases.
FloatMlp initial_model(int input_count, int hidden_count, int class_count, Random& random) {
  FloatMlp model;
  const double hidden_deviation = std::sqrt(2.0 / input_count);
  model.hidden_weights =
      MatrixXd::NullaryExpr(hidden_count, input_count, [&] { return hidden_deviation * random.normal(); });
  const double output_limit = std::sqrt(6.0 / (hidden_count + class_count));
  model.output_weights =
      MatrixXd::NullaryExpr(class_count, hidden_count, [&] { return output_limit * (2 * random.uniform() - 1); });
  model.hidden_bias = VectorXd::Zero(hidden_count);
  model.output_bias = VectorXd::Zero(class_count);
  return model;
}

// ---- quantization ----

// The exponent of the power of two nearest to magnitude > 0 (ties to the larger).
int nearest_power_exponent(double magnitude) {
  int exponent = 0;
  const double fraction = std::frexp(magnitude, &exponent);  // magnitude = fraction * 2^exponent, fraction in [.5, 1)
  return fraction < 0.75 ? exponent - 1 : exponent;
}

QuantizedLayer quantize_layer(const MatrixXd& weights, int terms) {
  QuantizedLayer layer;
  layer.outputs = static_cast<int>(weights.rows());
  layer.inputs = static_cast<int>(weights.cols());
  layer.min_exponent = layer_min_exponent(weights.cwiseAbs().maxCoeff());
  for (int o = 0; o < layer.outputs; ++o)
    for (int i = 0; i < layer.inputs; ++i)
      layer.weights.push_back(quantize_coefficient(weights(o, i), layer.min_exponent, terms));
  return layer;
}

// Biases in units of lsb, rounded to nearest; clamped to +-2^52 so that qat_forward stays exact in double.
std::vector<int64_t> quantize_biases(const VectorXd& biases, double lsb) {
  constexpr double kLimit = 0x1.0p52;
  std::vector<int64_t> integers;
  for (double bias : biases) integers.push_back(std::llround(std::clamp(bias / lsb, -kLimit, kLimit)));
  return integers;
}

MatrixXd coefficient_values(const QuantizedLayer& layer) {
  MatrixXd values(layer.outputs, layer.inputs);
  for (int o = 0; o < layer.outputs; ++o)
    for (int i = 0; i < layer.inputs; ++i) values(o, i) = layer.weight(o, i).value();
  return values;
}

int activation_lsb_exponent(const QuantizedMlp& mlp) {  // the activation's LSB is 2^this
  return mlp.hidden.min_exponent - mlp.input_bits + mlp.activation_shift;
}

// The (centered) shadow weights quantized; the hidden biases fold in the quantized weights times input_mean. The shift
// puts the activation's LSB at 2^activation_exponent (or as close as a shift of 0..48 allows).
QuantizedMlp quantize_model(const FloatMlp& shadow, const VectorXd& input_mean, const TrainingOptions& options,
                            int activation_exponent) {
  QuantizedMlp mlp;
  mlp.input_bits = options.input_bits;
  mlp.activation_bits = options.activation_bits;
  mlp.hidden = quantize_layer(shadow.hidden_weights, options.weight_terms);
  const VectorXd hidden_bias = shadow.hidden_bias - coefficient_values(mlp.hidden) * input_mean;
  mlp.hidden.biases = quantize_biases(hidden_bias, hidden_accumulator_lsb(mlp));
  mlp.activation_shift =
      std::clamp(activation_exponent - (mlp.hidden.min_exponent - mlp.input_bits), 0, kMaxActivationShift);
  mlp.output = quantize_layer(shadow.output_weights, options.weight_terms);
  mlp.output.biases = quantize_biases(shadow.output_bias, output_accumulator_lsb(mlp));
  return mlp;
}

VectorXd bias_values(const QuantizedLayer& layer, double lsb) {
  VectorXd values(layer.outputs);
  for (int o = 0; o < layer.outputs; ++o) values(o) = static_cast<double>(layer.biases[o]) * lsb;
  return values;
}

DequantizedMlp dequantize(const QuantizedMlp& mlp) {
  DequantizedMlp real;
  real.weights.hidden_weights = coefficient_values(mlp.hidden);
  real.weights.hidden_bias = bias_values(mlp.hidden, hidden_accumulator_lsb(mlp));
  real.weights.output_weights = coefficient_values(mlp.output);
  real.weights.output_bias = bias_values(mlp.output, output_accumulator_lsb(mlp));
  real.activation.lsb = std::ldexp(1.0, activation_lsb_exponent(mlp));
  real.activation.max_level = std::ldexp(1.0, mlp.activation_bits) - 1;
  return real;
}

// The shadow weights quantized with the activation shift fitted to the training set's largest hidden accumulator.
QuantizedMlp calibrated_model(const FloatMlp& shadow, const TrainingOptions& options, const TrainingSet& train) {
  QuantizedMlp mlp = quantize_model(shadow, train.input_mean, options, 0);  // the hidden layer ignores the shift
  const DequantizedMlp real = dequantize(mlp);
  const MatrixXd sums = (real.weights.hidden_weights * train.inputs).colwise() + real.weights.hidden_bias;
  const auto max_accumulator = static_cast<int64_t>(std::llround(sums.maxCoeff() / hidden_accumulator_lsb(mlp)));
  const int shift = activation_shift_for(max_accumulator, options.activation_bits);
  return quantize_model(shadow, train.input_mean, options, mlp.hidden.min_exponent - mlp.input_bits + shift);
}

// ---- data and accuracy ----

// argmax of one column, the lowest row on ties (first_argmax's rule).
int first_argmax_of_column(const MatrixXd& values, Eigen::Index column) {
  int best = 0;
  for (int row = 1; row < values.rows(); ++row)
    if (values(row, column) > values(best, column)) best = row;
  return best;
}

double logits_accuracy(const MatrixXd& logits, const std::vector<int>& labels) {
  if (labels.empty()) return std::numeric_limits<double>::quiet_NaN();
  int correct = 0;
  for (size_t s = 0; s < labels.size(); ++s)
    correct += first_argmax_of_column(logits, static_cast<Eigen::Index>(s)) == labels[s];
  return static_cast<double>(correct) / static_cast<double>(labels.size());
}

void check_data(const std::string& name, const std::vector<std::vector<int>>& inputs, const std::vector<int>& labels,
                size_t input_count, int input_bits, int class_count) {
  if (inputs.size() != labels.size())
    throw std::invalid_argument(fmt::format("{}: {} samples but {} labels", name, inputs.size(), labels.size()));
  for (size_t s = 0; s < inputs.size(); ++s) {
    if (inputs[s].size() != input_count)
      throw std::invalid_argument(
          fmt::format("{} sample {}: {} inputs, expected {}", name, s, inputs[s].size(), input_count));
    for (int value : inputs[s])
      if (value < 0 || value >= (1 << input_bits))
        throw std::invalid_argument(
            fmt::format("{} sample {}: input {} outside [0, 2^{})", name, s, value, input_bits));
    if (labels[s] < 0 || labels[s] >= class_count)
      throw std::invalid_argument(
          fmt::format("{} sample {}: label {} outside 0..{}", name, s, labels[s], class_count - 1));
  }
}

void check_options(const TrainingOptions& options, int class_count) {
  auto require = [](bool valid, const char* field, double value, const char* range) {
    if (!valid) throw std::invalid_argument(fmt::format("TrainingOptions.{} = {}: must be {}", field, value, range));
  };
  require(class_count >= 2, "class_count", class_count, ">= 2");
  require(options.hidden_neurons >= 1, "hidden_neurons", options.hidden_neurons, ">= 1");
  require(options.input_bits >= 1 && options.input_bits <= 16, "input_bits", options.input_bits, "1..16");
  require(options.activation_bits >= 1 && options.activation_bits <= 16, "activation_bits", options.activation_bits,
          "1..16");
  require(options.weight_terms >= 1 && options.weight_terms <= kWeightExponentWindow, "weight_terms",
          options.weight_terms, "1..7");
  require(options.epochs >= 1, "epochs", options.epochs, ">= 1");
  require(options.float_epochs >= -1 && options.float_epochs <= options.epochs, "float_epochs", options.float_epochs,
          "-1 or 0..epochs");
  require(options.learning_rate > 0, "learning_rate", options.learning_rate, "> 0");
  require(options.batch_size >= 1, "batch_size", options.batch_size, ">= 1");
  require(options.weight_decay >= 0, "weight_decay", options.weight_decay, ">= 0");
}

MatrixXd real_inputs(const std::vector<std::vector<int>>& inputs, int input_count, int input_bits) {
  MatrixXd real(input_count, static_cast<Eigen::Index>(inputs.size()));
  const double lsb = std::ldexp(1.0, -input_bits);
  for (size_t s = 0; s < inputs.size(); ++s)
    for (int i = 0; i < input_count; ++i) real(i, static_cast<Eigen::Index>(s)) = inputs[s][i] * lsb;
  return real;
}

// ---- training ----

// One epoch of Adam steps over a fresh shuffle. gradient(model, batch_inputs, batch_labels) -> FloatMlp, the inputs
// real and uncentered.
template <typename Gradient>
void run_epoch(FloatMlp& model, Adam& adam, const TrainingSet& train, int batch_size, Random& random,
               const Gradient& gradient) {
  std::vector<int> order(train.labels.size());
  std::iota(order.begin(), order.end(), 0);
  random.shuffle(order);
  for (size_t start = 0; start < order.size(); start += batch_size) {
    const size_t count = std::min(order.size() - start, static_cast<size_t>(batch_size));
    MatrixXd batch_inputs(train.inputs.rows(), static_cast<Eigen::Index>(count));
    std::vector<int> batch_labels(count);
    for (size_t b = 0; b < count; ++b) {
      batch_inputs.col(static_cast<Eigen::Index>(b)) = train.inputs.col(order[start + b]);
      batch_labels[b] = train.labels[order[start + b]];
    }
    adam.step(model, gradient(model, batch_inputs, batch_labels));
  }
}

void pretrain(FloatMlp& model, Adam& adam, const TrainingSet& train, const TrainingOptions& options, int epochs,
              Random& random) {
  for (int epoch = 0; epoch < epochs; ++epoch)
    run_epoch(model, adam, train, options.batch_size, random,
              [&](const FloatMlp& centered, const MatrixXd& inputs, const std::vector<int>& labels) {
                const MatrixXd centered_inputs = inputs.colwise() - train.input_mean;
                return backward(centered, forward(centered, {}, centered_inputs), centered_inputs, labels);
              });
}

// Fine-tunes the (centered) shadow weights with the integer model's forward pass; returns the integer model of the
// epoch with the best training accuracy (the first on ties; epoch 0 is the pre-trained model quantized). The gradient
// reaches the shadow weights straight through the quantizers, the hidden bias's fold of the mean input included.
QuantizedMlp fine_tune(FloatMlp shadow, Adam& adam, const TrainingSet& train, const TrainingOptions& options,
                       int epochs, Random& random) {
  QuantizedMlp latest = calibrated_model(shadow, options, train);
  QuantizedMlp best = latest;
  double best_accuracy = logits_accuracy(qat_forward(best, train.inputs).logits, train.labels);
  for (int epoch = 0; epoch < epochs; ++epoch) {
    const int activation_exponent = activation_lsb_exponent(latest);  // kept through the epoch, shift follows it
    run_epoch(shadow, adam, train, options.batch_size, random,
              [&](const FloatMlp& centered, const MatrixXd& inputs, const std::vector<int>& labels) {
                const DequantizedMlp real =
                    dequantize(quantize_model(centered, train.input_mean, options, activation_exponent));
                const ForwardPass pass = forward(real.weights, real.activation, inputs);
                return backward(real.weights, pass, inputs.colwise() - train.input_mean, labels);
              });
    latest = calibrated_model(shadow, options, train);
    const double accuracy = logits_accuracy(qat_forward(latest, train.inputs).logits, train.labels);
    if (accuracy > best_accuracy) {
      best = latest;
      best_accuracy = accuracy;
    }
  }
  return best;
}

}  // namespace

Coefficient quantize_coefficient(double weight, int min_exponent, int terms) {
  if (!std::isfinite(weight)) throw std::invalid_argument(fmt::format("quantize_coefficient: weight {}", weight));
  if (terms < 1 || terms > kWeightExponentWindow)
    throw std::invalid_argument(fmt::format("quantize_coefficient: {} terms, must be 1..7", terms));
  Coefficient coefficient;
  double residual = weight;
  int ceiling = min_exponent + kWeightExponentWindow - 1;  // the highest exponent the next term may take
  const double zero_below = std::ldexp(1.0, min_exponent - 1);
  for (int t = 0; t < terms && ceiling >= min_exponent && std::abs(residual) >= zero_below; ++t) {
    const int sign = residual < 0 ? -1 : 1;
    const int exponent = std::clamp(nearest_power_exponent(std::abs(residual)), min_exponent, ceiling);
    coefficient.terms.push_back({sign, exponent});
    residual -= sign * std::ldexp(1.0, exponent);
    ceiling = exponent - 1;
  }
  return coefficient;
}

int layer_min_exponent(double max_abs_weight) {
  if (!std::isfinite(max_abs_weight) || max_abs_weight < 0)
    throw std::invalid_argument(fmt::format("layer_min_exponent: max |weight| = {}", max_abs_weight));
  const int top = max_abs_weight == 0 ? 0 : nearest_power_exponent(max_abs_weight);
  return top - (kWeightExponentWindow - 1);
}

int activation_shift_for(int64_t max_accumulator, int activation_bits) {
  const int64_t max_level = (int64_t{1} << activation_bits) - 1;
  int shift = 0;
  while (shift < 63 && (std::max<int64_t>(max_accumulator, 0) >> shift) > max_level) ++shift;
  return shift;
}

double accuracy(const QuantizedMlp& mlp, const std::vector<std::vector<int>>& inputs, const std::vector<int>& labels) {
  if (inputs.size() != labels.size())
    throw std::invalid_argument(fmt::format("accuracy: {} samples but {} labels", inputs.size(), labels.size()));
  if (inputs.empty()) return std::numeric_limits<double>::quiet_NaN();
  int correct = 0;
  for (size_t s = 0; s < inputs.size(); ++s) correct += exact_class(mlp, inputs[s]) == labels[s];
  return static_cast<double>(correct) / static_cast<double>(inputs.size());
}

double hidden_accumulator_lsb(const QuantizedMlp& mlp) {
  return std::ldexp(1.0, mlp.hidden.min_exponent - mlp.input_bits);
}

double output_accumulator_lsb(const QuantizedMlp& mlp) {
  return std::ldexp(1.0, activation_lsb_exponent(mlp) + mlp.output.min_exponent);
}

ForwardPass qat_forward(const QuantizedMlp& mlp, const Eigen::MatrixXd& inputs) {
  if (inputs.rows() != mlp.input_count())
    throw std::invalid_argument(fmt::format("qat_forward: {} input rows for a {} MLP", inputs.rows(), mlp.topology()));
  const DequantizedMlp real = dequantize(mlp);
  return forward(real.weights, real.activation, inputs);
}

TrainingResult train_mlp(const std::vector<std::vector<int>>& train_inputs, const std::vector<int>& train_labels,
                         const std::vector<std::vector<int>>& test_inputs, const std::vector<int>& test_labels,
                         int class_count, const TrainingOptions& options) {
  check_options(options, class_count);
  if (train_inputs.empty() || train_inputs[0].empty())
    throw std::invalid_argument("train_mlp: no training samples or no inputs");
  const int input_count = static_cast<int>(train_inputs[0].size());
  check_data("train", train_inputs, train_labels, input_count, options.input_bits, class_count);
  check_data("test", test_inputs, test_labels, input_count, options.input_bits, class_count);
  TrainingSet train{real_inputs(train_inputs, input_count, options.input_bits), train_labels, {}};
  train.input_mean = train.inputs.rowwise().mean();
  const MatrixXd test = real_inputs(test_inputs, input_count, options.input_bits);

  Random random(options.seed);
  FloatMlp model = initial_model(input_count, options.hidden_neurons, class_count, random);
  Adam adam(model, options.learning_rate, options.weight_decay);
  const int float_epochs = options.float_epochs >= 0 ? options.float_epochs : options.epochs / 2;
  pretrain(model, adam, train, options, float_epochs, random);

  const FloatMlp pretrained = uncentered(model, train.input_mean);
  TrainingResult result;
  result.hidden_weights = pretrained.hidden_weights;
  result.hidden_bias = pretrained.hidden_bias;
  result.output_weights = pretrained.output_weights;
  result.output_bias = pretrained.output_bias;
  result.float_train_accuracy = logits_accuracy(forward(pretrained, {}, train.inputs).logits, train.labels);
  result.float_test_accuracy = logits_accuracy(forward(pretrained, {}, test).logits, test_labels);
  result.mlp = fine_tune(model, adam, train, options, options.epochs - float_epochs, random);
  check_mlp(result.mlp);
  result.quantized_train_accuracy = accuracy(result.mlp, train_inputs, train_labels);
  result.quantized_test_accuracy = accuracy(result.mlp, test_inputs, test_labels);
  result.epochs_run = options.epochs;
  return result;
}

}  // namespace pesim::printed
