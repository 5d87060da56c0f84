// SPDX-License-Identifier: Apache-2.0
#include "models/printed/verilog_generator.h"

#include <fmt/format.h>

#include <bit>
#include <sstream>

namespace pesim::printed {
namespace {

// `expression` (of `width` bits) zero-extended to `to` bits.
std::string zero_extend(const std::string& expression, int width, int to) {
  return width == to ? expression : fmt::format("{{{{{}{{1'b0}}}}, {}}}", to - width, expression);
}

// One product's bits as a `width`-bit vector: operand bits [first_bit, operand_bits) at their shifted place.
std::string term_expression(const ShiftedOperand& term, const std::string& operand, int operand_bits, int width) {
  const std::string bits = term.first_bit == operand_bits - 1
                               ? fmt::format("{}[{}]", operand, term.first_bit)
                               : fmt::format("{}[{}:{}]", operand, operand_bits - 1, term.first_bit);
  const int low_zeros = term.first_bit + term.shift;
  const std::string placed = low_zeros == 0 ? bits : fmt::format("{{{}, {}'b0}}", bits, low_zeros);
  return zero_extend(placed, operand_bits + term.shift, width);
}

std::string tree_expression(const std::vector<ShiftedOperand>& terms, int64_t constant,
                            const std::string& operand_prefix, const std::string& operand_suffix, int operand_bits,
                            int width) {
  std::string sum;
  for (const ShiftedOperand& term : terms)
    sum +=
        (sum.empty() ? "" : " + ") +
        term_expression(term, fmt::format("{}{}{}", operand_prefix, term.operand, operand_suffix), operand_bits, width);
  if (constant != 0 || sum.empty()) sum += fmt::format("{}{}'d{}", sum.empty() ? "" : " + ", width, constant);
  return sum;
}

// Both adder trees of a neuron, "NAME_pos" and "NAME_neg", tree_width bits each.
void emit_trees(std::ostringstream& v, const std::string& name, const CircuitNeuron& n, const std::string& prefix,
                const std::string& suffix, int operand_bits) {
  v << fmt::format("  // {}: {} positive and {} negative products\n", name, n.positive.size(), n.negative.size());
  v << fmt::format("  wire [{}:0] {}_pos = {};\n", n.tree_width - 1, name,
                   tree_expression(n.positive, n.positive_constant, prefix, suffix, operand_bits, n.tree_width));
  v << fmt::format("  wire [{}:0] {}_neg = {};\n", n.tree_width - 1, name,
                   tree_expression(n.negative, n.negative_constant, prefix, suffix, operand_bits, n.tree_width));
}

// Quantized ReLU: 0 when negative, else (acc >> shift) saturated to activation_bits, low masked bits zero.
void emit_activation(std::ostringstream& v, const BespokeCircuit& c, int h) {
  const CircuitNeuron& n = c.hidden_neurons()[h];
  const int w = n.tree_width, a = c.mlp().activation_bits, shift = c.mlp().activation_shift;
  const std::string name = fmt::format("h{}", h);
  // A neuron without negative products is never negative (and `pos < 0` would be a constant comparison).
  if (n.max_negative == 0)
    v << fmt::format("  wire {0}_negative = 1'b0;\n", name);
  else
    v << fmt::format("  wire {0}_negative = {0}_pos < {0}_neg;\n", name);
  v << fmt::format("  wire [{1}:0] {0}_diff = {0}_pos - {0}_neg;\n", name, w - 1);
  const int shifted_width = std::max(1, w - shift);
  const std::string shifted = shift >= w   ? "1'b0"
                              : shift == 0 ? name + "_diff"
                                           : fmt::format("{}_diff[{}:{}]", name, w - 1, shift);
  v << fmt::format("  wire [{}:0] {}_shifted = {};\n", shifted_width - 1, name, shifted);
  std::string value = shifted_width > a ? fmt::format("{}_shifted[{}:0]", name, a - 1)
                                        : zero_extend(name + "_shifted", shifted_width, a);
  const bool can_saturate = (n.max_positive >> shift) >> a != 0;
  if (can_saturate)
    value = fmt::format("(|{0}_shifted[{1}:{2}]) ? {{{2}{{1'b1}}}} : {3}", name, shifted_width - 1, a, value);
  const int masked = c.activation_mask(h);
  const std::string mask = masked == 0 ? "" : fmt::format(" & {}'d{}", a, ((int64_t{1} << a) - 1) >> masked << masked);
  v << fmt::format("  wire [{1}:0] {0}_act = {0}_negative ? {2}'d0 : ({3}){4};\n", name, a - 1, a, value, mask);
}

void emit_argmax(std::ostringstream& v, const BespokeCircuit& c) {
  const int width = c.output_width(), dropped = c.argmax_dropped_bits(), compared = width - dropped;
  const int index_bits = class_index_bits(c.mlp().class_count());
  v << fmt::format("  // argmax over the top {} of {} accumulator bits; the lowest index wins ties\n", compared, width);
  for (int o = 0; o < c.mlp().class_count(); ++o)
    v << fmt::format("  wire signed [{}:0] o{}_cmp = o{}_acc[{}:{}];\n", compared - 1, o, o, width - 1, dropped);
  v << fmt::format("  wire signed [{}:0] best0 = o0_cmp;\n  wire [{}:0] index0 = {}'d0;\n", compared - 1,
                   index_bits - 1, index_bits);
  for (int o = 1; o < c.mlp().class_count(); ++o) {
    v << fmt::format("  wire take{0} = o{0}_cmp > best{1};\n", o, o - 1);
    v << fmt::format("  wire signed [{2}:0] best{0} = take{0} ? o{0}_cmp : best{1};\n", o, o - 1, compared - 1);
    v << fmt::format("  wire [{2}:0] index{0} = take{0} ? {3}'d{0} : index{1};\n", o, o - 1, index_bits - 1,
                     index_bits);
  }
  v << fmt::format("  assign class_index = index{};\n", c.mlp().class_count() - 1);
}

}  // namespace

int class_index_bits(int classes) {
  return std::max(1, static_cast<int>(std::bit_width(static_cast<unsigned>(classes - 1))));
}

std::string circuit_verilog(const BespokeCircuit& c, const std::string& module_name) {
  const QuantizedMlp& mlp = c.mlp();
  std::ostringstream v;
  v << fmt::format("// Bespoke printed MLP {} generated by pesim: combinational, every weight hard-wired.\n",
                   mlp.topology());
  v << "module " << module_name << " (\n";
  for (int i = 0; i < mlp.input_count(); ++i) v << fmt::format("  input wire [{}:0] x{},\n", mlp.input_bits - 1, i);
  v << fmt::format("  output wire [{}:0] class_index\n);\n", class_index_bits(mlp.class_count()) - 1);
  for (int h = 0; h < mlp.hidden_count(); ++h) {
    emit_trees(v, fmt::format("h{}", h), c.hidden_neurons()[h], "x", "", mlp.input_bits);
    emit_activation(v, c, h);
  }
  for (int o = 0; o < mlp.class_count(); ++o) {
    const CircuitNeuron& n = c.output_neurons()[o];
    const std::string name = fmt::format("o{}", o);
    emit_trees(v, name, n, "h", "_act", mlp.activation_bits);
    v << fmt::format("  wire [{}:0] {}_acc = {} - {};\n", c.output_width() - 1, name,
                     zero_extend(name + "_pos", n.tree_width, c.output_width()),
                     zero_extend(name + "_neg", n.tree_width, c.output_width()));
  }
  emit_argmax(v, c);
  v << "endmodule\n";
  return v.str();
}

}  // namespace pesim::printed
