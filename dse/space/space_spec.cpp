// SPDX-License-Identifier: Apache-2.0
#include "dse/space/space_spec.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "dse/eval/metrics.h"
#include "models/array/arch.h"
#include "models/cost/technology.h"
#include "models/params/input_file.h"
#include "models/params/yaml_input.h"

namespace pesim::dse {
namespace {

const std::vector<std::string> kTopKeys{"name",       "workload", "batch", "seq",        "engine",     "values_seed",
                                        "technology", "arch",     "set",   "parameters", "objectives", "constraints"};
const std::vector<std::string> kEngines{"analytical", "cycle"};
const std::vector<std::string> kParameterKeys{"values", "min", "max", "step", "scale", "when", "categorical"};
constexpr uint64_t kMaxDesigns = uint64_t{1} << 40;
constexpr size_t kMaxLevels = 4096;

std::string joined(const std::vector<std::string>& names) {
  std::string text;
  for (const std::string& name : names) text += (text.empty() ? "" : ", ") + name;
  return text;
}

std::string suggestion(const std::string& word, const std::vector<std::string>& candidates) {
  const std::string nearest = params::nearest_name(word, candidates);
  return nearest.empty() ? "" : " (did you mean '" + nearest + "'?)";
}

bool parse_int(const std::string& text, int64_t& value) {
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  return ec == std::errc() && ptr == end;
}

// Reads one spec; every message starts with SOURCE:LINE of the node it is about.
class SpecReader {
 public:
  explicit SpecReader(std::string source) : m_source(std::move(source)) {}

  // A key the spec lacks has no mark (line -1): the message then names the file alone.
  std::string origin(const YAML::Node& node) const {
    if (!node.IsDefined() || node.Mark().is_null()) return m_source;
    return fmt::format("{}:{}", m_source, node.Mark().line + 1);
  }

  [[noreturn]] void fail(const YAML::Node& node, const std::string& message) const {
    throw SpaceError(origin(node) + ": " + message);
  }

  void check_keys(const YAML::Node& map, const std::vector<std::string>& allowed, const std::string& what) const {
    if (!map.IsMap()) fail(map, what + ": expected a map of " + joined(allowed));
    for (const auto& entry : map) {
      const std::string key = entry.first.Scalar();
      if (std::find(allowed.begin(), allowed.end(), key) == allowed.end())
        fail(entry.first,
             fmt::format("{}: unknown key '{}'{}; valid: {}", what, key, suggestion(key, allowed), joined(allowed)));
    }
  }

  std::string scalar(const YAML::Node& node, const std::string& what) const {
    if (!node.IsScalar()) fail(node, what + ": expected a single value");
    return node.Scalar();
  }

  int64_t integer(const YAML::Node& node, const std::string& what) const {
    int64_t value = 0;
    if (!parse_int(scalar(node, what), value))
      fail(node, fmt::format("{}: '{}' is not an integer", what, node.Scalar()));
    return value;
  }

  double number(const YAML::Node& node, const std::string& what) const {
    const std::string text = scalar(node, what);
    try {
      size_t used = 0;
      const double value = std::stod(text, &used);
      if (used == text.size() && std::isfinite(value)) return value;
    } catch (const std::exception&) {
    }
    fail(node, fmt::format("{}: '{}' is not a number", what, text));
  }

  const std::string& source() const { return m_source; }

 private:
  std::string m_source;
};

// A parameter with its levels' settings, before the space is assembled.
struct ParsedParameter {
  Parameter parameter;
  std::vector<params::Settings> settings;
  YAML::Node node;
};

std::vector<std::string> arch_keys() {
  std::vector<std::string> keys;
  for (const params::ParamSpec& spec : array::arch_param_specs()) keys.push_back(spec.name);
  return keys;
}

bool is_setting_key(const std::string& name) {
  const std::vector<std::string> keys = arch_keys();
  return name.rfind("pe.", 0) == 0 || std::find(keys.begin(), keys.end(), name) != keys.end();
}

// min/max with step (linear) or scale: log2 (every power of two between them).
void read_range(const SpecReader& in, const YAML::Node& node, const std::string& what, Parameter& p) {
  if (!node["min"] || !node["max"]) in.fail(node, what + ": a range needs both min and max");
  const int64_t low = in.integer(node["min"], what + ": min"), high = in.integer(node["max"], what + ": max");
  if (low > high) in.fail(node["max"], fmt::format("{}: empty range, min {} > max {}", what, low, high));
  const std::string scale = node["scale"] ? in.scalar(node["scale"], what + ": scale") : "linear";
  if (scale != "linear" && scale != "log2")
    in.fail(node["scale"], fmt::format("{}: scale '{}'; valid: linear, log2", what, scale));
  if (scale == "log2") {
    if (node["step"]) in.fail(node["step"], what + ": step does not apply to scale log2 (each level doubles)");
    if (low <= 0) in.fail(node["min"], what + ": a log2 range needs min > 0");
    for (int64_t v = low; v <= high; v *= 2) {
      p.levels.push_back(std::to_string(v));
      p.positions.push_back(std::log2(static_cast<double>(v)));
      if (v > high / 2) break;
    }
    return;
  }
  const int64_t step = node["step"] ? in.integer(node["step"], what + ": step") : 1;
  if (step <= 0) in.fail(node["step"], fmt::format("{}: step {} must be positive", what, step));
  // Counted in 128 bits and walked by count: high - low and low + i * step may not fit in 64 (a range ending at
  // INT64_MAX once looped forever, wrapping).
  const auto count = (static_cast<__int128>(high) - low) / step + 1;
  if (count > static_cast<__int128>(kMaxLevels))
    in.fail(node, fmt::format("{}: more than {} values", what, kMaxLevels));
  for (int64_t i = 0; i < static_cast<int64_t>(count); ++i) {
    const auto v = static_cast<int64_t>(low + static_cast<__int128>(i) * step);
    p.levels.push_back(std::to_string(v));
    p.positions.push_back(static_cast<double>(v));
  }
}

// values: [..] (ordered when every value is an integer, unless categorical: true) or values: {NAME: {key: value}}
// (named configurations, each applying several settings).
void read_values(const SpecReader& in, const YAML::Node& values, const std::string& what, bool force_categorical,
                 ParsedParameter& out) {
  Parameter& p = out.parameter;
  if (values.IsMap()) {
    p.ordered = false;
    for (const auto& entry : values) {
      const std::string level = entry.first.Scalar();
      if (!entry.second.IsMap()) in.fail(entry.second, fmt::format("{}: {}: expected a map of settings", what, level));
      params::Settings settings;
      for (const auto& setting : entry.second) {
        const std::string key = setting.first.Scalar();
        if (!is_setting_key(key))
          in.fail(setting.first, fmt::format("{}: {}: unknown architecture key '{}'{}", what, level, key,
                                             suggestion(key, arch_keys())));
        settings[key] = {in.scalar(setting.second, what + ": " + level + ": " + key), in.origin(setting.first)};
      }
      p.levels.push_back(level);
      out.settings.push_back(std::move(settings));
    }
  } else if (values.IsSequence()) {
    bool all_integers = !force_categorical;
    for (const YAML::Node& value : values) {
      const std::string text = in.scalar(value, what + ": values");
      int64_t number = 0;
      all_integers = all_integers && parse_int(text, number);
      p.levels.push_back(text);
      if (!is_setting_key(p.name)) continue;
      out.settings.push_back({{p.name, {text, in.origin(value)}}});
    }
    p.ordered = all_integers;
    if (all_integers)
      for (const std::string& level : p.levels) p.positions.push_back(static_cast<double>(std::stoll(level)));
  } else {
    in.fail(values, what + ": values: expected a list or a map of named configurations");
  }
  if (p.levels.empty()) in.fail(values, what + ": values: empty, a parameter needs at least one value");
  if (p.levels.size() > kMaxLevels) in.fail(values, fmt::format("{}: more than {} values", what, kMaxLevels));
  for (size_t i = 0; i < p.levels.size(); ++i)
    for (size_t j = 0; j < i; ++j)
      if (p.levels[i] == p.levels[j])
        in.fail(values, fmt::format("{}: the value '{}' appears twice", what, p.levels[i]));
  if (!p.ordered)
    for (size_t i = 0; i < p.levels.size(); ++i) p.positions.push_back(static_cast<double>(i));
}

void read_condition(const SpecReader& in, const YAML::Node& when, const std::string& what, Parameter& p) {
  if (!when.IsMap() || when.size() != 1) in.fail(when, what + ": when: expected {PARAMETER: [VALUE, ...]}");
  const auto entry = *when.begin();
  p.when_parameter = entry.first.Scalar();
  if (entry.second.IsScalar()) {
    p.when_levels.push_back(entry.second.Scalar());
  } else if (entry.second.IsSequence()) {
    for (const YAML::Node& value : entry.second) p.when_levels.push_back(in.scalar(value, what + ": when"));
  } else {
    in.fail(entry.second, what + ": when: expected a value or a list of values");
  }
}

YAML::Node values_map(const YAML::Node& list) {
  YAML::Node map(YAML::NodeType::Map);
  map["values"] = list;
  return map;
}

ParsedParameter read_parameter(const SpecReader& in, const std::string& name, const YAML::Node& node) {
  const std::string what = "parameters: " + name;
  ParsedParameter out;
  out.node = node;
  Parameter& p = out.parameter;
  p.name = name;
  p.origin = in.origin(node);
  if (!node.IsSequence()) in.check_keys(node, kParameterKeys, what);
  // A bare list is shorthand for values: [...]. (A new node: assigning to a copy of `node` would rewrite it.)
  const YAML::Node body = node.IsSequence() ? values_map(node) : node;
  const bool categorical = body["categorical"] && body["categorical"].as<std::string>() == "true";
  if (body["values"]) {
    if (body["min"] || body["max"] || body["step"] || body["scale"])
      in.fail(node, what + ": give either values or a range (min, max, step or scale), not both");
    if (!body["values"].IsMap() && !is_setting_key(name))
      in.fail(node, fmt::format("{}: unknown architecture key '{}'{}; a parameter of other names needs named "
                                "configurations (values: {{NAME: {{key: value}}}})",
                                what, name, suggestion(name, arch_keys())));
    read_values(in, body["values"], what, categorical, out);
  } else {
    if (!is_setting_key(name))
      in.fail(node, fmt::format("{}: unknown architecture key '{}'{}", what, name, suggestion(name, arch_keys())));
    read_range(in, body, what, p);
    for (size_t i = 0; i < p.levels.size(); ++i) out.settings.push_back({{name, {p.levels[i], p.origin}}});
  }
  if (body["when"]) read_condition(in, body["when"], what, p);
  return out;
}

std::vector<Objective> read_objectives(const SpecReader& in, const YAML::Node& list) {
  if (!list || !list.IsSequence() || list.size() == 0)
    in.fail(list ? list : YAML::Node(), "objectives: expected a list of {minimize: METRIC} or {maximize: METRIC}");
  std::vector<Objective> objectives;
  for (const YAML::Node& entry : list) {
    in.check_keys(entry, {"minimize", "maximize"}, "objectives");
    if (entry.size() != 1) in.fail(entry, "objectives: one of minimize or maximize per entry");
    const auto item = *entry.begin();
    Objective objective{in.scalar(item.second, "objectives"), item.first.Scalar() == "maximize",
                        in.origin(item.second)};
    if (!find_metric(objective.metric))
      in.fail(item.second, fmt::format("objectives: unknown metric '{}'{}; valid: {}", objective.metric,
                                       suggestion(objective.metric, metric_names()), joined(metric_names())));
    for (const Objective& other : objectives)
      if (other.metric == objective.metric)
        in.fail(item.second, "objectives: '" + objective.metric + "' appears twice");
    objectives.push_back(objective);
  }
  return objectives;
}

// "METRIC <= BOUND" or "METRIC >= BOUND".
Constraint read_constraint(const SpecReader& in, const YAML::Node& node) {
  std::istringstream text(in.scalar(node, "constraints"));
  Constraint c;
  std::string op, bound;
  text >> c.metric >> op >> bound;
  std::string rest;
  if (bound.empty() || (text >> rest) || (op != "<=" && op != ">="))
    in.fail(node, fmt::format("constraints: '{}': expected 'METRIC <= BOUND' or 'METRIC >= BOUND'", node.Scalar()));
  if (!find_metric(c.metric))
    in.fail(node, fmt::format("constraints: unknown metric '{}'{}; valid: {}", c.metric,
                              suggestion(c.metric, metric_names()), joined(metric_names())));
  c.upper = op == "<=";
  YAML::Node bound_node(bound);
  c.bound = in.number(bound_node, "constraints: " + c.metric);
  c.origin = in.origin(node);
  // Every metric is positive, so an upper bound at or below zero admits no design.
  if (c.upper && c.bound <= 0)
    in.fail(node,
            fmt::format("constraints: {} <= {} admits no design ({} is always positive)", c.metric, bound, c.metric));
  return c;
}

std::vector<Constraint> read_constraints(const SpecReader& in, const YAML::Node& list) {
  std::vector<Constraint> constraints;
  if (!list) return constraints;
  if (!list.IsSequence()) in.fail(list, "constraints: expected a list of 'METRIC <= BOUND'");
  for (const YAML::Node& node : list) {
    Constraint c = read_constraint(in, node);
    for (const Constraint& other : constraints) {
      if (other.metric != c.metric || other.upper == c.upper) continue;
      const Constraint& upper = c.upper ? c : other;
      const Constraint& lower = c.upper ? other : c;
      if (lower.bound > upper.bound)
        in.fail(node, fmt::format("constraints: {} >= {:g} ({}) contradicts {} <= {:g} ({}): no design can meet both",
                                  c.metric, lower.bound, lower.origin, c.metric, upper.bound, upper.origin));
    }
    constraints.push_back(c);
  }
  return constraints;
}

params::Settings read_base(const SpecReader& in, const YAML::Node& root) {
  params::Settings base;
  if (root["arch"]) {
    const std::string preset = in.scalar(root["arch"], "arch");
    try {
      base = array::preset_settings(preset);
    } catch (const params::ParamError& e) {
      in.fail(root["arch"], std::string("arch: ") + e.what());
    }
  }
  if (const YAML::Node set = root["set"]) {
    if (!set.IsMap()) in.fail(set, "set: expected a map of architecture settings");
    for (const auto& entry : set) {
      const std::string key = entry.first.Scalar();
      if (!is_setting_key(key))
        in.fail(entry.first, fmt::format("set: unknown architecture key '{}'{}", key, suggestion(key, arch_keys())));
      base[key] = {in.scalar(entry.second, "set: " + key), in.origin(entry.first)};
    }
  }
  return base;
}

WorkloadSpec read_workload(const SpecReader& in, const YAML::Node& root) {
  if (!root["workload"]) in.fail(root, "missing key 'workload' (a zoo MODEL:PHASE, a CNN, or a workload file)");
  WorkloadSpec w;
  w.workload = in.scalar(root["workload"], "workload");
  const std::filesystem::path file(w.workload);
  const bool is_file = w.workload.find(':') == std::string::npos && file.has_extension();
  if (is_file && file.is_relative() && in.source() != "<default>")
    w.workload = (std::filesystem::path(in.source()).parent_path() / file).string();
  if (root["batch"]) w.batch = in.integer(root["batch"], "batch");
  if (root["seq"]) w.sequence_length = in.integer(root["seq"], "seq");
  if (w.batch < 1 || w.batch > (1 << 20)) in.fail(root["batch"], "batch: must be in 1..1048576");
  if (w.sequence_length < 1 || w.sequence_length > (1 << 24)) in.fail(root["seq"], "seq: must be in 1..16777216");
  return w;
}

EngineSpec read_engine(const SpecReader& in, const YAML::Node& root) {
  EngineSpec engine;
  if (const YAML::Node node = root["engine"]) {
    engine.name = in.scalar(node, "engine");
    engine.origin = in.origin(node);
    if (std::find(kEngines.begin(), kEngines.end(), engine.name) == kEngines.end())
      in.fail(node, fmt::format("engine: unknown engine '{}'{}; valid: {}", engine.name,
                                suggestion(engine.name, kEngines), joined(kEngines)));
  }
  if (const YAML::Node node = root["values_seed"]) {
    if (!engine.cycle()) in.fail(node, "values_seed: operand values exist only with 'engine: cycle'");
    const int64_t seed = in.integer(node, "values_seed");
    if (seed < 0) in.fail(node, "values_seed: must be at least 0");
    engine.values_seed = static_cast<uint64_t>(seed);
  }
  return engine;
}

// A design holding `level` of `parameter` (and, if conditional, the first value that activates it).
Design probe_design(const DesignSpace& space, size_t parameter, int level) {
  Design design(space.dimensions(), 0);
  design[parameter] = level;
  const Parameter& p = space.parameters()[parameter];
  if (!p.when_parameter.empty()) {
    for (size_t i = 0; i < space.dimensions(); ++i) {
      if (space.parameters()[i].name != p.when_parameter) continue;
      const auto& levels = space.parameters()[i].levels;
      design[i] = static_cast<int>(std::find(levels.begin(), levels.end(), p.when_levels.front()) - levels.begin());
    }
  }
  return space.canonical(design);
}

// Builds the architecture of every parameter level once, so that a value the architecture refuses is reported
// with its file and line before anything runs.
void check_levels(const SpaceSpec& spec, const std::vector<ParsedParameter>& parsed, const SpecReader& in) {
  for (size_t i = 0; i < spec.space.dimensions(); ++i) {
    for (size_t level = 0; level < spec.space.parameters()[i].levels.size(); ++level) {
      try {
        array::make_arch(spec.arch_settings(probe_design(spec.space, i, static_cast<int>(level))));
      } catch (const std::exception& e) {
        in.fail(parsed[i].node, fmt::format("parameters: {}: value '{}': {}", spec.space.parameters()[i].name,
                                            spec.space.parameters()[i].levels[level], e.what()));
      }
    }
  }
}

YAML::Node load_yaml(const std::string& text, const std::string& source) {
  try {
    return params::parse_yaml_document(text, source);
  } catch (const params::ParamError& e) {
    throw SpaceError(e.what());
  }
}

}  // namespace

params::Settings SpaceSpec::arch_settings(const Design& design) const {
  params::Settings settings = base;
  const Design canonical_design = space.canonical(design);
  for (size_t i = 0; i < space.dimensions(); ++i) {
    if (!space.is_active(canonical_design, i) || level_settings[i].empty()) continue;
    for (const auto& [key, setting] : level_settings[i][canonical_design[i]]) settings[key] = setting;
  }
  return settings;
}

std::string SpaceSpec::describe(const Design& design) const {
  std::string described = space.key(design);
  std::replace(described.begin(), described.end(), ';', ' ');
  return described;
}

SpaceSpec parse_space(const std::string& yaml_text, const std::string& source) {
  const SpecReader in(source);
  const YAML::Node root = load_yaml(yaml_text, source);
  if (!root || !root.IsMap()) throw SpaceError(source + ":1: a space spec is a map of " + joined(kTopKeys));
  in.check_keys(root, kTopKeys, "space");
  SpaceSpec spec;
  spec.source = source;
  spec.text = yaml_text;
  spec.name = root["name"] ? in.scalar(root["name"], "name") : std::filesystem::path(source).stem().string();
  spec.workload = read_workload(in, root);
  spec.engine = read_engine(in, root);
  spec.technology = root["technology"] ? in.scalar(root["technology"], "technology") : "ihp_sg13g2";
  try {
    cost::find_technology(spec.technology);  // every evaluation would fail on an unknown one
  } catch (const std::invalid_argument& e) {
    in.fail(root["technology"], e.what());
  }
  spec.base = read_base(in, root);
  const YAML::Node parameters = root["parameters"];
  if (!parameters || !parameters.IsMap() || parameters.size() == 0)
    in.fail(parameters ? parameters : root, "parameters: expected a map of at least one parameter");
  std::vector<ParsedParameter> parsed;
  std::vector<Parameter> dimensions;
  for (const auto& entry : parameters) {
    parsed.push_back(read_parameter(in, entry.first.Scalar(), entry.second));
    dimensions.push_back(parsed.back().parameter);
    spec.level_settings.push_back(parsed.back().settings);
  }
  try {
    spec.space = DesignSpace(dimensions);
  } catch (const std::invalid_argument& e) {
    throw SpaceError(e.what());
  }
  if (spec.space.product_size() > kMaxDesigns)  // saturating, never wrapped
    in.fail(parameters, fmt::format("parameters: the space has more than {} designs", kMaxDesigns));
  spec.objectives = read_objectives(in, root["objectives"]);
  spec.constraints = read_constraints(in, root["constraints"]);
  check_levels(spec, parsed, in);
  return spec;
}

SpaceSpec read_space_file(const std::string& path) {
  std::string text;
  try {
    text = params::read_input_file(path, "space spec");
  } catch (const params::ParamError& e) {
    throw SpaceError(e.what());
  }
  return parse_space(text, path);
}

SpaceSpec default_space() { return parse_space(default_space_yaml(), "<default>"); }

}  // namespace pesim::dse
