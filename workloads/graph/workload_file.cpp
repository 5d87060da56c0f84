// SPDX-License-Identifier: Apache-2.0
#include "workloads/graph/workload_file.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <map>

#include "models/params/param.h"
#include "models/params/yaml_input.h"

namespace pesim::workloads {

namespace {

// Limits keep every product pesim forms from these values inside 64 bits (the topology reader's 2^24 for dimensions).
constexpr int64_t kMaxDimension = int64_t{1} << 24;
constexpr int64_t kMaxElements = int64_t{1} << 48;
constexpr int64_t kMaxRepeat = int64_t{1} << 32;

const std::vector<std::string> kTopKeys{"name", "repeat", "ops"};
const std::vector<std::string> kCommonKeys{"name", "type", "repeat", "after"};
const std::vector<std::string> kGemmKeys{"m", "n", "k"};
const std::vector<std::string> kConvKeys{"ifmap_h", "ifmap_w", "filter_h", "filter_w", "channels",
                                         "filters", "stride",  "stride_h", "stride_w", "depthwise"};
const std::vector<std::string> kVectorKeys{"elements"};

// Reads one file; every message starts with FILE:LINE of the node it is about.
class Reader {
 public:
  explicit Reader(std::string path) : m_path(std::move(path)) {}

  [[noreturn]] void fail(const YAML::Node& node, const std::string& message) const {
    throw WorkloadError(fmt::format("{}:{}: {}", m_path, node.Mark().line + 1, message));
  }

  // Every key of `map` is in `allowed`; else an error naming the key, the nearest allowed one and, for a key of
  // another op type, that it does not apply here.
  void check_keys(const YAML::Node& map, const std::vector<std::string>& allowed, const std::string& what) const {
    for (const auto& entry : map) {
      const std::string key = entry.first.Scalar();
      if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
      const std::string nearest = params::nearest_name(key, allowed);
      std::string all;
      for (const std::string& name : allowed) all += (all.empty() ? "" : ", ") + name;
      fail(entry.first, fmt::format("{}: unknown key '{}'{}; valid: {}", what, key,
                                    nearest.empty() ? "" : " (did you mean '" + nearest + "'?)", all));
    }
  }

  // map[key] as an integer in 1..max; `required` false: absent gives `fallback`.
  int64_t positive(const YAML::Node& map, const std::string& key, const std::string& what, int64_t max,
                   bool required = true, int64_t fallback = 1) const {
    const YAML::Node value = map[key];
    if (!value) {
      if (required) fail(map, fmt::format("{}: missing key '{}'", what, key));
      return fallback;
    }
    if (!value.IsScalar()) fail(value, fmt::format("{}: {}: expected an integer", what, key));
    const std::string& text = value.Scalar();
    int64_t number = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
    if (error == std::errc::result_out_of_range ||
        (error == std::errc{} && end == text.data() + text.size() && number > max)) {
      fail(value, fmt::format("{}: {}: {} is over the limit {}", what, key, text, max));
    }
    if (error != std::errc{} || end != text.data() + text.size()) {
      fail(value, fmt::format("{}: {}: '{}' is not an integer", what, key, text));
    }
    if (number <= 0) fail(value, fmt::format("{}: {}: {} is not a positive integer", what, key, text));
    return number;
  }

  std::string text(const YAML::Node& map, const std::string& key, const std::string& what) const {
    const YAML::Node value = map[key];
    if (!value) fail(map, fmt::format("{}: missing key '{}'", what, key));
    if (!value.IsScalar() || value.Scalar().empty()) fail(value, fmt::format("{}: {}: expected a name", what, key));
    return value.Scalar();
  }

  std::string origin(const YAML::Node& node) const { return fmt::format("{}:{}", m_path, node.Mark().line + 1); }

 private:
  std::string m_path;
};

std::vector<std::string> op_keys(const std::vector<std::string>& own) {
  std::vector<std::string> keys = kCommonKeys;
  keys.insert(keys.end(), own.begin(), own.end());
  return keys;
}

std::vector<std::string> type_names() {
  std::vector<std::string> names{"gemm", "conv"};
  for (const VectorKindInfo& info : vector_kinds()) names.push_back(info.name);
  return names;
}

LayerSpec read_conv(const Reader& in, const YAML::Node& op, const std::string& what) {
  in.check_keys(op, op_keys(kConvKeys), what);
  LayerSpec layer;
  ConvShape& c = layer.conv;
  c.ifmap_h = in.positive(op, "ifmap_h", what, kMaxDimension);
  c.ifmap_w = in.positive(op, "ifmap_w", what, kMaxDimension);
  c.filter_h = in.positive(op, "filter_h", what, kMaxDimension);
  c.filter_w = in.positive(op, "filter_w", what, kMaxDimension);
  c.channels = in.positive(op, "channels", what, kMaxDimension);
  c.filters = in.positive(op, "filters", what, kMaxDimension);
  const int64_t stride = in.positive(op, "stride", what, kMaxDimension, false, 1);
  c.stride_h = in.positive(op, "stride_h", what, kMaxDimension, false, stride);
  c.stride_w = in.positive(op, "stride_w", what, kMaxDimension, false, stride);
  if (c.filter_h > c.ifmap_h || c.filter_w > c.ifmap_w) {
    in.fail(op[c.filter_h > c.ifmap_h ? "filter_h" : "filter_w"],
            fmt::format("{}: the filter ({}x{}) is larger than the input ({}x{})", what, c.filter_h, c.filter_w,
                        c.ifmap_h, c.ifmap_w));
  }
  if (const YAML::Node depthwise = op["depthwise"]) {
    bool is_depthwise = false;
    if (!depthwise.IsScalar() || !YAML::convert<bool>::decode(depthwise, is_depthwise)) {
      in.fail(depthwise, what + ": depthwise: expected true or false");
    }
    // As SCALE-Sim runs a depthwise layer: one single-channel convolution per channel.
    if (is_depthwise) {
      layer.repeat = c.channels;
      c.channels = 1;
    }
  }
  return layer;
}

// One entry of `ops`, without its dependencies.
OpNode read_op(const Reader& in, const YAML::Node& op, int64_t file_repeat) {
  if (!op.IsMap()) in.fail(op, "ops: each op is a map with name and type");
  const std::string name = in.text(op, "name", "op");
  const std::string what = "op '" + name + "'";
  const std::string type = in.text(op, "type", what);
  const int64_t repeat = in.positive(op, "repeat", what, kMaxRepeat, false, 1) * file_repeat;
  VectorKind kind{};
  if (parse_vector_kind(type, kind)) {
    in.check_keys(op, op_keys(kVectorKeys), what + " (" + type + ")");
    return VectorOp{name, in.origin(op), kind, in.positive(op, "elements", what, kMaxElements), repeat};
  }
  LayerSpec layer;
  if (type == "gemm") {
    in.check_keys(op, op_keys(kGemmKeys), what + " (gemm)");
    layer.is_gemm = true;
    layer.m = in.positive(op, "m", what, kMaxDimension);
    layer.n = in.positive(op, "n", what, kMaxDimension);
    layer.k = in.positive(op, "k", what, kMaxDimension);
  } else if (type == "conv") {
    layer = read_conv(in, op, what + " (conv)");
  } else {
    const std::vector<std::string> names = type_names();
    const std::string nearest = params::nearest_name(type, names);
    std::string all;
    for (const std::string& n : names) all += (all.empty() ? "" : ", ") + n;
    in.fail(op["type"], fmt::format("{}: unknown type '{}'{}; valid: {}", what, type,
                                    nearest.empty() ? "" : " (did you mean '" + nearest + "'?)", all));
  }
  layer.name = name;
  layer.origin = in.origin(op);
  layer.repeat *= repeat;
  return layer;
}

// The names an op's `after` lists (one name or a sequence of them), each with its node for messages.
std::vector<YAML::Node> after_entries(const Reader& in, const YAML::Node& op) {
  const YAML::Node after = op["after"];
  if (!after) return {};
  if (after.IsScalar()) return {after};
  if (!after.IsSequence()) in.fail(after, "after: expected a name or a list of names");
  std::vector<YAML::Node> entries;
  for (const YAML::Node& entry : after) {
    if (!entry.IsScalar()) in.fail(entry, "after: expected a name");
    entries.push_back(entry);
  }
  return entries;
}

YAML::Node load(const std::string& path) {
  try {
    return params::load_yaml_input(path, "workload file");
  } catch (const params::ParamError& e) {
    throw WorkloadError(e.what());
  }
}

void add_dependencies(const Reader& in, const YAML::Node& ops, const std::map<std::string, size_t>& index,
                      OperatorGraph& graph) {
  std::vector<std::string> names;
  for (const auto& [name, v] : index) names.push_back(name);
  for (size_t v = 0; v < ops.size(); ++v) {
    for (const YAML::Node& entry : after_entries(in, ops[v])) {
      const auto found = index.find(entry.Scalar());
      if (found == index.end()) {
        const std::string nearest = params::nearest_name(entry.Scalar(), names);
        in.fail(entry, fmt::format("op '{}': after: no op named '{}'{}", op_name(graph.op(v)), entry.Scalar(),
                                   nearest.empty() ? "" : " (did you mean '" + nearest + "'?)"));
      }
      graph.add_dependency(found->second, v);
    }
  }
}

}  // namespace

OperatorGraph read_workload_file(const std::string& path) {
  const Reader in(path);
  const YAML::Node root = load(path);
  if (!root.IsMap()) throw WorkloadError(path + ": expected a map with an 'ops' list");
  in.check_keys(root, kTopKeys, "workload");
  const int64_t file_repeat = in.positive(root, "repeat", "workload", kMaxRepeat, false, 1);
  const YAML::Node ops = root["ops"];
  if (!ops) throw WorkloadError(path + ": missing key 'ops' (the list of operations)");
  if (!ops.IsSequence() || ops.size() == 0) in.fail(ops, "ops: expected a non-empty list of operations");
  OperatorGraph graph;
  std::map<std::string, size_t> index;
  for (const YAML::Node& op : ops) {
    const size_t v = graph.add_op(read_op(in, op, file_repeat));
    const auto [it, added] = index.emplace(op_name(graph.op(v)), v);
    if (!added)
      in.fail(op, fmt::format("duplicate op name '{}' (first at {})", it->first, op_origin(graph.op(it->second))));
  }
  add_dependencies(in, ops, index, graph);
  try {
    graph.schedule();
  } catch (const GraphError& e) {
    throw WorkloadError(path + ": " + e.what());
  }
  return graph;
}

}  // namespace pesim::workloads
