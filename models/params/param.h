// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace pesim::params {

// A user-facing parameter, declared once: the declaration drives parsing, validation, `pesim list` and (later)
// database columns and DSE spaces.
struct ParamSpec {
  enum class Type : uint8_t { Int, Bool, Choice };
  std::string name;
  Type type = Type::Int;
  std::string default_value;  // empty: required unless the owner derives it
  std::string unit;           // e.g. "bits", "cycles"; empty for dimensionless
  std::string help;
  std::vector<std::string> choices;  // Type::Choice only
  int64_t min_value = INT64_MIN;     // Type::Int only
  int64_t max_value = INT64_MAX;
};

// Raised for any bad user setting; the message names the key (and where it came from) and what is wrong.
class ParamError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// One key=value the user gave, with where it came from ("--set", "file.yaml:12") for error messages.
struct Setting {
  std::string value;
  std::string origin;
};
using Settings = std::map<std::string, Setting>;

// Parses "k=v,k2=v2" (as given to --set) into `out`, replacing the values of keys `out` already has (a later --set
// overrides an earlier one); a key repeated within `text` is a ParamError.
void parse_assignments(const std::string& text, const std::string& origin, Settings& out);
// Every repeated --set option, in order (later keys win).
Settings parse_set_options(const std::vector<std::string>& texts);

// Typed view of settings checked against a list of specs. Every lookup validates type and range and throws
// ParamError; unknown() lists keys no spec claims, each with the nearest valid name suggested.
class ParamValues {
 public:
  ParamValues(std::vector<ParamSpec> specs, const Settings& settings);

  int64_t get_int(const std::string& name) const;
  bool get_bool(const std::string& name) const;
  std::string get_choice(const std::string& name) const;
  bool is_set(const std::string& name) const;  // given by the user, not defaulted

  const std::vector<ParamSpec>& specs() const { return m_specs; }
  // Throws ParamError naming every key in `settings` that none of `specs` declares.
  static void reject_unknown(const Settings& settings, const std::vector<ParamSpec>& specs);

 private:
  const ParamSpec& spec(const std::string& name) const;
  std::string raw(const std::string& name, std::string& origin) const;

  std::vector<ParamSpec> m_specs;
  Settings m_settings;
};

// `text` for an error message: as it is up to 64 characters, else its start and its length (a hostile input's
// 100,000-character token must not become a 100,000-character message).
std::string excerpt(std::string_view text);

// The candidate closest to `word` by edit distance, or empty when nothing is reasonably close.
std::string nearest_name(const std::string& word, const std::vector<std::string>& candidates);

}  // namespace pesim::params
