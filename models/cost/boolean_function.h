// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace pesim::cost {

// A boolean function of up to kMaxVariables variables as its truth table: bit i holds the value for the assignment
// in which variable j has the value of bit j of i.
struct TruthTable {
  static constexpr int kMaxVariables = 16;
  int variables = 0;
  std::vector<uint64_t> words;  // 2^variables bits, at least one word

  bool at(uint32_t assignment) const { return (words[assignment >> 6] >> (assignment & 63)) & 1; }
  // Whether flipping the variable changes the function for some assignment.
  bool depends_on(int variable) const;
  static TruthTable constant(int variables, bool value);
  static TruthTable variable(int variables, int index);
};

// Parses a Liberty boolean expression (function, next_state, clocked_on, when, ...) over the named variables.
// Operators, from the tightest: ! (prefix) and ' (postfix) not; ^ xor; & * and juxtaposition and; | + or;
// parentheses; constants 0 and 1. Throws std::runtime_error starting with `where` on a syntax error or a name not
// in `variables`.
TruthTable parse_boolean_function(const std::string& text, const std::vector<std::string>& variables,
                                  const std::string& where);

}  // namespace pesim::cost
