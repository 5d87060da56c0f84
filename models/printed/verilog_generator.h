// SPDX-License-Identifier: Apache-2.0
// Verilog of a bespoke printed MLP circuit, generated from its compiled form (bespoke_circuit.h): every weight a
// wired shift of the operand bits it keeps, one positive and one negative adder tree per neuron, a quantized ReLU
// (sign check, shift, saturation) per hidden neuron and a comparator chain for the argmax.
#pragma once
#include <string>

#include "models/printed/bespoke_circuit.h"

namespace pesim::printed {

// Bits of the class index output (at least 1).
int class_index_bits(int classes);

// A combinational Verilog-2005 module: inputs x0 .. x{N-1} of input_bits each (unsigned), output `class_index`.
// Every expression is width-exact (Verilator -Wall clean apart from unused masked bits).
std::string circuit_verilog(const BespokeCircuit& circuit, const std::string& module_name);

}  // namespace pesim::printed
