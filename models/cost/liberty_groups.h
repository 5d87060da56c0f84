// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <string>
#include <utility>
#include <vector>

namespace pesim::cost {

// A Liberty file as its tree of groups: `type (args) { name : value ; name (args) ; group ... }`.
struct LibertyGroup {
  std::string type;                                         // "library", "cell", "pin", "internal_power", ...
  std::vector<std::string> args;                            // unquoted
  std::vector<std::pair<std::string, std::string>> simple;  // name : value (unquoted)
  std::vector<std::pair<std::string, std::vector<std::string>>> complex;  // name (args) ;
  std::vector<LibertyGroup> groups;
  int line = 0;

  const std::string* attribute(const std::string& name) const;  // a simple attribute, or null
  const std::vector<std::string>* complex_attribute(const std::string& name) const;
  std::vector<const LibertyGroup*> children(const std::string& type) const;
  const LibertyGroup* child(const std::string& type) const;  // the first, or null
  std::string name() const { return args.empty() ? "" : args[0]; }
};

// Parses Liberty text (comments, quoted strings and backslash line continuations handled). Throws
// std::runtime_error naming `path` and the line of a syntax error.
LibertyGroup parse_liberty(const std::string& text, const std::string& path);

// Numbers of a Liberty list such as "0.1, 0.2, 0.3" (one or more strings); throws naming `where`.
std::vector<double> liberty_numbers(const std::vector<std::string>& strings, const std::string& where);

}  // namespace pesim::cost
