// SPDX-License-Identifier: Apache-2.0
#include "dse/space/design_space.h"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

namespace pesim::dse {
namespace {

int level_of(const Parameter& parameter, const std::string& value) {
  auto found = std::find(parameter.levels.begin(), parameter.levels.end(), value);
  return found == parameter.levels.end() ? -1 : static_cast<int>(found - parameter.levels.begin());
}

void check_levels(const Parameter& parameter) {
  if (parameter.levels.empty())
    throw std::invalid_argument(fmt::format("{}: parameter '{}' has no values", parameter.origin, parameter.name));
  if (parameter.positions.size() != parameter.levels.size())
    throw std::invalid_argument(fmt::format("{}: parameter '{}' has {} positions for {} values", parameter.origin,
                                            parameter.name, parameter.positions.size(), parameter.levels.size()));
  for (size_t i = 0; i < parameter.levels.size(); ++i)
    if (level_of(parameter, parameter.levels[i]) != static_cast<int>(i))
      throw std::invalid_argument(fmt::format("{}: parameter '{}' lists the value '{}' twice", parameter.origin,
                                              parameter.name, parameter.levels[i]));
}

}  // namespace

uint64_t fnv1a(const std::string& text) {
  uint64_t hash = 0xcbf29ce484222325ull;
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 0x100000001b3ull;
  }
  return hash;
}

DesignSpace::DesignSpace(std::vector<Parameter> parameters) : m_parameters(std::move(parameters)) {
  for (const Parameter& parameter : m_parameters) check_levels(parameter);
  for (const Parameter& parameter : m_parameters) {
    int condition = -1;
    std::vector<bool> activating;
    if (!parameter.when_parameter.empty()) {
      auto found = std::find_if(m_parameters.begin(), m_parameters.end(),
                                [&](const Parameter& p) { return p.name == parameter.when_parameter; });
      if (found == m_parameters.end() || found->name == parameter.name)
        throw std::invalid_argument(fmt::format("{}: parameter '{}' depends on '{}', which the space does not have",
                                                parameter.origin, parameter.name, parameter.when_parameter));
      if (!found->when_parameter.empty())
        throw std::invalid_argument(fmt::format("{}: parameter '{}' depends on '{}', itself conditional",
                                                parameter.origin, parameter.name, found->name));
      condition = static_cast<int>(found - m_parameters.begin());
      activating.assign(found->levels.size(), false);
      for (const std::string& value : parameter.when_levels) {
        int level = level_of(*found, value);
        if (level < 0)
          throw std::invalid_argument(fmt::format("{}: parameter '{}' depends on {}={}, not one of its values",
                                                  parameter.origin, parameter.name, found->name, value));
        activating[level] = true;
      }
    }
    m_condition_parameter.push_back(condition);
    m_condition_levels.push_back(std::move(activating));
  }
}

uint64_t DesignSpace::product_size() const {
  uint64_t size = 1;
  for (const Parameter& parameter : m_parameters) {
    const uint64_t levels = parameter.levels.size();
    if (size > (UINT64_MAX - 1) / levels) return UINT64_MAX;
    size *= levels;
  }
  return size;
}

size_t DesignHash::operator()(const Design& design) const {
  uint64_t hash = 0xcbf29ce484222325ull;  // FNV-1a over the levels
  for (int level : design) hash = (hash ^ static_cast<uint32_t>(level)) * 0x100000001b3ull;
  return static_cast<size_t>(hash);
}

bool DesignSpace::is_active(const Design& design, size_t parameter) const {
  int condition = m_condition_parameter[parameter];
  return condition < 0 || m_condition_levels[parameter][design[condition]];
}

Design DesignSpace::canonical(const Design& design) const {
  check(design);
  Design result = design;
  for (size_t i = 0; i < m_parameters.size(); ++i)
    if (!is_active(design, i)) result[i] = 0;
  return result;
}

std::string DesignSpace::key(const Design& design) const {
  Design canonical_design = canonical(design);
  std::string text;
  for (size_t i = 0; i < m_parameters.size(); ++i) {
    if (!is_active(canonical_design, i)) continue;
    if (!text.empty()) text += ';';
    text += m_parameters[i].name + '=' + m_parameters[i].levels[canonical_design[i]];
  }
  return text;
}

std::string DesignSpace::hash(const Design& design) const { return fmt::format("{:016x}", fnv1a(key(design))); }

Design DesignSpace::design_of_key(const std::string& key) const {
  Design design(m_parameters.size(), 0);
  size_t start = 0;
  while (start < key.size()) {
    const size_t end = std::min(key.find(';', start), key.size());
    const std::string item = key.substr(start, end - start);
    const size_t equals = item.find('=');
    const std::string name = item.substr(0, equals);
    auto found =
        std::find_if(m_parameters.begin(), m_parameters.end(), [&](const Parameter& p) { return p.name == name; });
    const int level =
        found == m_parameters.end() || equals == std::string::npos ? -1 : level_of(*found, item.substr(equals + 1));
    if (level < 0) throw std::invalid_argument("design key '" + key + "': '" + item + "' is not in the space");
    design[found - m_parameters.begin()] = level;
    start = end + 1;
  }
  return canonical(design);
}

Design DesignSpace::design_at(uint64_t index) const {
  if (!indexable()) throw std::logic_error("design_at: the space has too many designs to number");
  if (index >= product_size())
    throw std::invalid_argument(fmt::format("design index {} is outside a space of {}", index, product_size()));
  Design design(m_parameters.size());
  for (size_t i = m_parameters.size(); i-- > 0;) {
    uint64_t radix = m_parameters[i].levels.size();
    design[i] = static_cast<int>(index % radix);
    index /= radix;
  }
  return design;
}

uint64_t DesignSpace::index_of(const Design& design) const {
  if (!indexable()) throw std::logic_error("index_of: the space has too many designs to number");
  check(design);
  uint64_t index = 0;
  for (size_t i = 0; i < m_parameters.size(); ++i) index = index * m_parameters[i].levels.size() + design[i];
  return index;
}

std::vector<double> DesignSpace::features(const Design& design) const {
  check(design);
  std::vector<double> result;
  result.reserve(feature_count());
  for (size_t i = 0; i < m_parameters.size(); ++i) {
    const Parameter& parameter = m_parameters[i];
    bool active = is_active(design, i);
    if (parameter.ordered) {
      auto [low, high] = std::minmax_element(parameter.positions.begin(), parameter.positions.end());
      double span = *high - *low;
      result.push_back(!active || span == 0 ? 0.0 : (parameter.positions[design[i]] - *low) / span);
      continue;
    }
    for (size_t level = 0; level < parameter.levels.size(); ++level)
      result.push_back(active && static_cast<int>(level) == design[i] ? 1.0 : 0.0);
  }
  return result;
}

size_t DesignSpace::feature_count() const {
  size_t count = 0;
  for (const Parameter& parameter : m_parameters) count += parameter.ordered ? 1 : parameter.levels.size();
  return count;
}

std::vector<std::string> DesignSpace::feature_names() const {
  std::vector<std::string> names;
  for (const Parameter& parameter : m_parameters) {
    if (parameter.ordered) {
      names.push_back(parameter.name);
      continue;
    }
    for (const std::string& level : parameter.levels) names.push_back(parameter.name + "=" + level);
  }
  return names;
}

void DesignSpace::check(const Design& design) const {
  if (design.size() != m_parameters.size())
    throw std::invalid_argument(
        fmt::format("a design has {} levels for a space of {} parameters", design.size(), m_parameters.size()));
  for (size_t i = 0; i < design.size(); ++i)
    if (design[i] < 0 || design[i] >= static_cast<int>(m_parameters[i].levels.size()))
      throw std::invalid_argument(fmt::format("level {} of parameter '{}' is outside its {} values", design[i],
                                              m_parameters[i].name, m_parameters[i].levels.size()));
}

}  // namespace pesim::dse
