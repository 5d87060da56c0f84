// SPDX-License-Identifier: Apache-2.0
#include "models/cost/boolean_function.h"

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace pesim::cost {

namespace {

size_t word_count(int variables) { return variables <= 6 ? 1 : size_t{1} << (variables - 6); }

// Bits of the truth table that exist (fewer than 64 when there are fewer than 6 variables).
uint64_t valid_mask(int variables) { return variables >= 6 ? ~uint64_t{0} : (uint64_t{1} << (1u << variables)) - 1; }

TruthTable combine(const TruthTable& x, const TruthTable& y, char op) {
  TruthTable r = x;
  for (size_t i = 0; i < r.words.size(); ++i) {
    if (op == '&') r.words[i] &= y.words[i];
    if (op == '|') r.words[i] |= y.words[i];
    if (op == '^') r.words[i] ^= y.words[i];
  }
  return r;
}

TruthTable invert(TruthTable t) {
  for (uint64_t& w : t.words) w = ~w;
  t.words[0] &= valid_mask(t.variables);
  return t;
}

// Recursive descent over the expression text; each rule returns the truth table of what it parsed.
class Parser {
 public:
  Parser(const std::string& text, const std::vector<std::string>& variables, const std::string& where)
      : m_text(text), m_variables(variables), m_where(where) {}

  TruthTable parse() {
    TruthTable t = parse_or();
    skip_space();
    if (m_pos != m_text.size()) fail("unexpected '" + std::string(1, m_text[m_pos]) + "'");
    return t;
  }

 private:
  [[noreturn]] void fail(const std::string& message) const {
    throw std::runtime_error(m_where + ": function \"" + m_text + "\" at character " + std::to_string(m_pos + 1) +
                             ": " + message);
  }
  void skip_space() {
    while (m_pos < m_text.size() && std::isspace(static_cast<unsigned char>(m_text[m_pos]))) ++m_pos;
  }
  char peek() {
    skip_space();
    return m_pos < m_text.size() ? m_text[m_pos] : '\0';
  }
  static bool name_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '[' || c == ']' || c == '.';
  }
  bool starts_operand(char c) { return c == '!' || c == '(' || name_char(c); }

  TruthTable parse_or() {
    TruthTable t = parse_and();
    while (peek() == '|' || peek() == '+') {
      ++m_pos;
      t = combine(t, parse_and(), '|');
    }
    return t;
  }
  TruthTable parse_and() {
    TruthTable t = parse_xor();
    for (char c = peek(); c == '&' || c == '*' || starts_operand(c); c = peek()) {
      if (c == '&' || c == '*') ++m_pos;  // otherwise juxtaposition
      t = combine(t, parse_xor(), '&');
    }
    return t;
  }
  TruthTable parse_xor() {
    TruthTable t = parse_unary();
    while (peek() == '^') {
      ++m_pos;
      t = combine(t, parse_unary(), '^');
    }
    return t;
  }
  TruthTable parse_unary() {
    if (peek() == '!') {
      ++m_pos;
      return invert(parse_unary());
    }
    TruthTable t = parse_primary();
    while (peek() == '\'') {
      ++m_pos;
      t = invert(t);
    }
    return t;
  }
  TruthTable parse_primary() {
    const char c = peek();
    if (c == '(') {
      ++m_pos;
      TruthTable t = parse_or();
      if (peek() != ')') fail("missing ')'");
      ++m_pos;
      return t;
    }
    if (!name_char(c)) fail(c == '\0' ? "unexpected end" : "unexpected '" + std::string(1, c) + "'");
    const size_t start = m_pos;
    while (m_pos < m_text.size() && name_char(m_text[m_pos])) ++m_pos;
    const std::string name = m_text.substr(start, m_pos - start);
    const int n = static_cast<int>(m_variables.size());
    if (name == "0" || name == "1") return TruthTable::constant(n, name == "1");
    const auto it = std::find(m_variables.begin(), m_variables.end(), name);
    if (it == m_variables.end()) fail("unknown name '" + name + "'");
    return TruthTable::variable(n, static_cast<int>(it - m_variables.begin()));
  }

  const std::string& m_text;
  const std::vector<std::string>& m_variables;
  const std::string& m_where;
  size_t m_pos = 0;
};

}  // namespace

TruthTable TruthTable::constant(int variables, bool value) {
  TruthTable t;
  t.variables = variables;
  t.words.assign(word_count(variables), value ? ~uint64_t{0} : 0);
  t.words[0] &= valid_mask(variables);
  return t;
}

TruthTable TruthTable::variable(int variables, int index) {
  TruthTable t = constant(variables, false);
  for (uint32_t a = 0; a < (1u << variables); ++a) {
    if ((a >> index) & 1) t.words[a >> 6] |= uint64_t{1} << (a & 63);
  }
  return t;
}

bool TruthTable::depends_on(int variable) const {
  for (uint32_t a = 0; a < (1u << variables); ++a) {
    if (at(a) != at(a ^ (1u << variable))) return true;
  }
  return false;
}

TruthTable parse_boolean_function(const std::string& text, const std::vector<std::string>& variables,
                                  const std::string& where) {
  if (static_cast<int>(variables.size()) > TruthTable::kMaxVariables) {
    throw std::runtime_error(where + ": more than " + std::to_string(TruthTable::kMaxVariables) + " variables");
  }
  return Parser(text, variables, where).parse();
}

}  // namespace pesim::cost
