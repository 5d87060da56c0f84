// SPDX-License-Identifier: Apache-2.0
#include "models/params/param.h"

#include <algorithm>
#include <charconv>
#include <set>

namespace pesim::params {

namespace {

size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t substitution = diagonal + (a[i - 1] == b[j - 1] ? 0 : 1);
      diagonal = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, substitution});
    }
  }
  return row[b.size()];
}

std::string describe(const std::string& name, const std::string& origin) {
  return origin.empty() ? "parameter '" + name + "'" : origin + ": parameter '" + name + "'";
}

}  // namespace

void parse_assignments(const std::string& text, const std::string& origin, Settings& out) {
  std::set<std::string> seen;  // within this text; an earlier text's keys may be overridden
  size_t start = 0;
  while (start <= text.size()) {
    const size_t comma = std::min(text.find(',', start), text.size());
    const std::string item = text.substr(start, comma - start);
    const size_t eq = item.find('=');
    if (eq == std::string::npos || eq == 0) {
      throw ParamError(origin + ": '" + item + "' is not of the form key=value");
    }
    const std::string key = item.substr(0, eq);
    if (!seen.insert(key).second)
      throw ParamError(origin + ": key '" + excerpt(key) + "' given twice in '" + excerpt(text) + "'");
    out[key] = Setting{item.substr(eq + 1), origin};
    start = comma + 1;
  }
}

Settings parse_set_options(const std::vector<std::string>& texts) {
  Settings settings;
  for (const auto& text : texts) parse_assignments(text, "--set", settings);
  return settings;
}

std::string excerpt(std::string_view text) {
  constexpr size_t kWhole = 64, kStart = 40;
  if (text.size() <= kWhole) return std::string(text);
  return std::string(text.substr(0, kStart)) + "... (" + std::to_string(text.size()) + " characters)";
}

std::string nearest_name(const std::string& word, const std::vector<std::string>& candidates) {
  std::string best;
  size_t best_distance = SIZE_MAX;
  for (const auto& c : candidates) {
    const size_t d = edit_distance(word, c);
    if (d < best_distance) {
      best_distance = d;
      best = c;
    }
  }
  return best_distance <= std::max<size_t>(2, word.size() / 3) ? best : std::string{};
}

ParamValues::ParamValues(std::vector<ParamSpec> specs, const Settings& settings)
    : m_specs(std::move(specs)), m_settings(settings) {}

void ParamValues::reject_unknown(const Settings& settings, const std::vector<ParamSpec>& specs) {
  std::vector<std::string> names;
  for (const auto& s : specs) names.push_back(s.name);
  for (const auto& [key, setting] : settings) {
    if (std::find(names.begin(), names.end(), key) != names.end()) continue;
    std::string message = describe(key, setting.origin) + " is unknown";
    const std::string near = nearest_name(key, names);
    if (!near.empty()) message += " (did you mean '" + near + "'?)";
    std::string all;
    for (const auto& n : names) all += (all.empty() ? "" : ", ") + n;
    throw ParamError(message + "; valid: " + (all.empty() ? "none" : all));
  }
}

const ParamSpec& ParamValues::spec(const std::string& name) const {
  for (const auto& s : m_specs) {
    if (s.name == name) return s;
  }
  throw std::logic_error("pesim bug: undeclared parameter '" + name + "'");
}

bool ParamValues::is_set(const std::string& name) const { return m_settings.count(name) != 0; }

std::string ParamValues::raw(const std::string& name, std::string& origin) const {
  const auto it = m_settings.find(name);
  if (it != m_settings.end()) {
    origin = it->second.origin;
    return it->second.value;
  }
  const ParamSpec& s = spec(name);
  if (s.default_value.empty()) throw ParamError(describe(name, "") + " is required: " + s.help);
  origin.clear();
  return s.default_value;
}

int64_t ParamValues::get_int(const std::string& name) const {
  std::string origin;
  const std::string text = raw(name, origin);
  const ParamSpec& s = spec(name);
  int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size()) {
    throw ParamError(describe(name, origin) + ": '" + text + "' is not an integer");
  }
  if (value < s.min_value || value > s.max_value) {
    throw ParamError(describe(name, origin) + ": " + text + " is outside " + std::to_string(s.min_value) + ".." +
                     std::to_string(s.max_value));
  }
  return value;
}

bool ParamValues::get_bool(const std::string& name) const {
  std::string origin;
  const std::string text = raw(name, origin);
  if (text == "1" || text == "true" || text == "yes" || text == "on") return true;
  if (text == "0" || text == "false" || text == "no" || text == "off") return false;
  throw ParamError(describe(name, origin) + ": '" + text + "' is not a boolean (use 1/0, true/false)");
}

std::string ParamValues::get_choice(const std::string& name) const {
  std::string origin;
  const std::string text = raw(name, origin);
  const ParamSpec& s = spec(name);
  if (std::find(s.choices.begin(), s.choices.end(), text) != s.choices.end()) return text;
  std::string message = describe(name, origin) + ": '" + text + "' is not one of";
  for (const auto& c : s.choices) message += " " + c;
  const std::string near = nearest_name(text, s.choices);
  if (!near.empty()) message += " (did you mean '" + near + "'?)";
  throw ParamError(message);
}

}  // namespace pesim::params
