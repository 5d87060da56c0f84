// SPDX-License-Identifier: Apache-2.0
#include "models/cost/liberty_groups.h"

#include <cctype>
#include <sstream>
#include <stdexcept>

namespace pesim::cost {

namespace {

struct Token {
  enum Kind { kWord, kString, kPunct, kEnd } kind = kEnd;
  std::string text;
  int line = 0;
};

class Lexer {
 public:
  Lexer(const std::string& text, const std::string& path) : m_text(text), m_path(path) {}

  Token next() {
    skip();
    Token t;
    t.line = m_line;
    if (m_pos >= m_text.size()) return t;
    const char c = m_text[m_pos];
    if (c == '"') return quoted(t);
    if (c == '(' || c == ')' || c == '{' || c == '}' || c == ':' || c == ';' || c == ',') {
      t.kind = Token::kPunct;
      t.text = std::string(1, c);
      ++m_pos;
      return t;
    }
    t.kind = Token::kWord;
    while (m_pos < m_text.size() && !std::isspace(static_cast<unsigned char>(m_text[m_pos])) &&
           std::string("(){}:;,\"").find(m_text[m_pos]) == std::string::npos) {
      t.text += m_text[m_pos++];
    }
    if (t.text == "\\") return next();  // a line continuation
    return t;
  }
  [[noreturn]] void fail(int line, const std::string& message) const {
    throw std::runtime_error(m_path + ":" + std::to_string(line) + ": " + message);
  }

 private:
  void skip() {
    while (m_pos < m_text.size()) {
      const char c = m_text[m_pos];
      if (c == '\n') ++m_line;
      if (std::isspace(static_cast<unsigned char>(c)) || (c == '\\' && next_is_newline())) {
        ++m_pos;
      } else if (m_text.compare(m_pos, 2, "/*") == 0) {
        const size_t end = m_text.find("*/", m_pos + 2);
        if (end == std::string::npos) fail(m_line, "unterminated comment");
        for (size_t i = m_pos; i < end; ++i) m_line += m_text[i] == '\n';
        m_pos = end + 2;
      } else if (m_text.compare(m_pos, 2, "//") == 0) {
        while (m_pos < m_text.size() && m_text[m_pos] != '\n') ++m_pos;
      } else {
        return;
      }
    }
  }
  bool next_is_newline() const {
    size_t i = m_pos + 1;
    while (i < m_text.size() && (m_text[i] == ' ' || m_text[i] == '\t' || m_text[i] == '\r')) ++i;
    return i < m_text.size() && m_text[i] == '\n';
  }
  Token quoted(Token t) {
    t.kind = Token::kString;
    for (++m_pos; m_pos < m_text.size() && m_text[m_pos] != '"'; ++m_pos) {
      if (m_text[m_pos] == '\\' && m_pos + 1 < m_text.size() && m_text[m_pos + 1] == '\n') continue;
      if (m_text[m_pos] == '\n') ++m_line;
      if (m_text[m_pos] != '\n') t.text += m_text[m_pos];
    }
    if (m_pos >= m_text.size()) fail(t.line, "unterminated string");
    ++m_pos;
    return t;
  }

  const std::string& m_text;
  const std::string& m_path;
  size_t m_pos = 0;
  int m_line = 1;
};

class Parser {
 public:
  Parser(const std::string& text, const std::string& path) : m_lexer(text, path) { advance(); }

  LibertyGroup parse_file() {
    if (m_token.kind != Token::kWord) m_lexer.fail(m_token.line, "expected a library group");
    LibertyGroup root;
    root.type = m_token.text;
    root.line = m_token.line;
    advance();
    root.args = parse_args();
    expect("{");
    parse_body(root);
    return root;
  }

 private:
  void advance() { m_token = m_lexer.next(); }
  bool is(const char* punct) const { return m_token.kind == Token::kPunct && m_token.text == punct; }
  void expect(const char* punct) {
    if (!is(punct)) m_lexer.fail(m_token.line, std::string("expected '") + punct + "' before '" + m_token.text + "'");
    advance();
  }
  std::vector<std::string> parse_args() {
    expect("(");
    std::vector<std::string> args;
    while (!is(")")) {
      if (m_token.kind == Token::kEnd) m_lexer.fail(m_token.line, "unterminated argument list");
      if (!is(",")) args.push_back(m_token.text);
      advance();
    }
    advance();
    return args;
  }
  // Statements up to and including the closing brace.
  void parse_body(LibertyGroup& group) {
    while (!is("}")) {
      if (m_token.kind != Token::kWord) m_lexer.fail(m_token.line, "expected an attribute or group name");
      const std::string name = m_token.text;
      const int line = m_token.line;
      advance();
      if (is(":")) {
        advance();
        std::string value = m_token.text;
        const int value_line = m_token.line;
        advance();
        // A value may span several words (e.g. an unquoted expression) up to ';' or the end of its line.
        while (m_token.kind == Token::kWord && m_token.line == value_line) {
          value += " " + m_token.text;
          advance();
        }
        if (is(";")) advance();
        group.simple.emplace_back(name, value);
      } else if (is("(")) {
        std::vector<std::string> args = parse_args();
        if (is("{")) {
          advance();
          LibertyGroup child;
          child.type = name;
          child.args = std::move(args);
          child.line = line;
          parse_body(child);
          group.groups.push_back(std::move(child));
        } else {
          if (is(";")) advance();
          group.complex.emplace_back(name, std::move(args));
        }
      } else {
        m_lexer.fail(line, "expected ':' or '(' after '" + name + "'");
      }
    }
    advance();
  }

  Lexer m_lexer;
  Token m_token;
};

}  // namespace

const std::string* LibertyGroup::attribute(const std::string& name) const {
  for (const auto& [key, value] : simple) {
    if (key == name) return &value;
  }
  return nullptr;
}

const std::vector<std::string>* LibertyGroup::complex_attribute(const std::string& name) const {
  for (const auto& [key, value] : complex) {
    if (key == name) return &value;
  }
  return nullptr;
}

std::vector<const LibertyGroup*> LibertyGroup::children(const std::string& child_type) const {
  std::vector<const LibertyGroup*> found;
  for (const LibertyGroup& g : groups) {
    if (g.type == child_type) found.push_back(&g);
  }
  return found;
}

const LibertyGroup* LibertyGroup::child(const std::string& child_type) const {
  for (const LibertyGroup& g : groups) {
    if (g.type == child_type) return &g;
  }
  return nullptr;
}

LibertyGroup parse_liberty(const std::string& text, const std::string& path) { return Parser(text, path).parse_file(); }

std::vector<double> liberty_numbers(const std::vector<std::string>& strings, const std::string& where) {
  std::vector<double> numbers;
  for (const std::string& s : strings) {
    std::istringstream in(s);
    for (std::string item; std::getline(in, item, ',');) {
      const size_t start = item.find_first_not_of(" \t\r\n");
      if (start == std::string::npos) continue;
      try {
        size_t used = 0;
        numbers.push_back(std::stod(item.substr(start), &used));
        if (item.find_first_not_of(" \t\r\n", start + used) != std::string::npos) throw std::invalid_argument(item);
      } catch (const std::exception&) {
        throw std::runtime_error(where + ": not a number: '" + item + "'");
      }
    }
  }
  return numbers;
}

}  // namespace pesim::cost
