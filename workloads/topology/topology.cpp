// SPDX-License-Identifier: Apache-2.0
#include "workloads/topology/topology.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>

#include "models/params/input_file.h"
#include "models/params/param.h"

namespace pesim::workloads {

namespace {

std::string trim(const std::string& text) {
  const size_t first = text.find_first_not_of(" \t\r");
  if (first == std::string::npos) return "";
  return text.substr(first, text.find_last_not_of(" \t\r") - first + 1);
}

std::vector<std::string> split_fields(const std::string& line) {
  std::vector<std::string> fields;
  size_t start = 0;
  while (true) {
    const size_t comma = line.find(',', start);
    fields.push_back(trim(line.substr(start, comma - start)));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  if (fields.size() > 1 && fields.back().empty()) fields.pop_back();  // the trailing comma
  return fields;
}

// Layer dimensions are at most 2^24 (16,777,216): every product pesim forms from them stays far inside 64 bits.
constexpr int64_t kMaxDimension = int64_t{1} << 24;

bool is_digits(const std::string& text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](unsigned char ch) { return std::isdigit(ch); });
}

bool has_digit(const std::string& text) {
  return std::any_of(text.begin(), text.end(), [](unsigned char ch) { return std::isdigit(ch); });
}

bool is_positive_integer(const std::string& text) {
  return is_digits(text) && text.size() < 10 && std::stoll(text) > 0 && std::stoll(text) <= kMaxDimension;
}

const char* kConvColumns[] = {"Layer name", "IFMAP Height", "IFMAP Width", "Filter Height",    "Filter Width",
                              "Channels",   "Num Filter",   "Strides",     "Horizontal stride"};
const char* kGemmColumns[] = {"Layer", "M", "N", "K"};

int64_t field_value(const std::vector<std::string>& fields, size_t index, const char* column,
                    const std::string& where) {
  if (!is_positive_integer(fields[index])) {
    throw TopologyError(
        fmt::format("{}: field {} ({}): '{}' is not a positive integer", where, index + 1, column, fields[index]));
  }
  return std::stoll(fields[index]);
}

LayerSpec parse_row(const std::vector<std::string>& fields, const std::string& where) {
  LayerSpec layer;
  layer.origin = where;
  layer.name = fields[0];
  if (layer.name.empty()) throw TopologyError(where + ": field 1 (Layer name): empty");
  if (fields.size() == 4) {
    layer.is_gemm = true;
    layer.m = field_value(fields, 1, kGemmColumns[1], where);
    layer.n = field_value(fields, 2, kGemmColumns[2], where);
    layer.k = field_value(fields, 3, kGemmColumns[3], where);
    return layer;
  }
  if (fields.size() != 8 && fields.size() != 9) {
    throw TopologyError(
        fmt::format("{}: {} fields; expected 8 or 9 (name, IFMAP Height, IFMAP Width, Filter Height, "
                    "Filter Width, Channels, Num Filter, Strides[, horizontal stride]) or 4 (name, "
                    "M, N, K)",
                    where, fields.size()));
  }
  int64_t v[9] = {};
  for (size_t i = 1; i < fields.size(); ++i) v[i] = field_value(fields, i, kConvColumns[i], where);
  ConvShape& c = layer.conv;
  c = {v[1], v[2], v[3], v[4], v[5], v[6], v[7], fields.size() == 9 ? v[8] : v[7]};
  if (c.filter_h > c.ifmap_h || c.filter_w > c.ifmap_w) {
    throw TopologyError(fmt::format("{}: field {}: the filter ({}x{}) is larger than the input ({}x{})", where,
                                    c.filter_h > c.ifmap_h ? 4 : 5, c.filter_h, c.filter_w, c.ifmap_h, c.ifmap_w));
  }
  return layer;
}

// SCALE-Sim runs a depthwise layer ("DP" in its name) as one single-channel layer per channel: pesim keeps one
// single-channel layer that repeats once per channel (the same cycles and traffic; one report row, not C).
void append_layer(std::vector<LayerSpec>& layers, LayerSpec layer) {
  if (!layer.is_gemm && layer.name.find("DP") != std::string::npos) {
    layer.repeat = layer.conv.channels;
    layer.conv.channels = 1;
  }
  layers.push_back(std::move(layer));
}

}  // namespace

GemmDims gemm_dims(const LayerSpec& layer, OutputSizeRule rule) {
  if (layer.is_gemm) return {layer.m, layer.n, layer.k};
  const ConvShape& c = layer.conv;
  const auto out = [rule](int64_t in, int64_t filter, int64_t stride) {
    return rule == OutputSizeRule::Floor ? (in - filter) / stride + 1 : (in - filter + stride - 1) / stride + 1;
  };
  return {out(c.ifmap_h, c.filter_h, c.stride_h) * out(c.ifmap_w, c.filter_w, c.stride_w), c.filters,
          c.filter_h * c.filter_w * c.channels};
}

namespace {

std::string read_topology_text(const std::string& path) {
  try {
    return params::read_input_file(path, "topology file");
  } catch (const params::ParamError& e) {
    throw TopologyError(e.what());
  }
}

}  // namespace

std::vector<LayerSpec> read_scalesim_topology(const std::string& path) {
  std::istringstream file(read_topology_text(path));
  std::vector<LayerSpec> layers;
  std::string line;
  bool header_checked = false;
  for (int number = 1; std::getline(file, line); ++number) {
    if (trim(line).empty()) continue;
    const std::vector<std::string> fields = split_fields(line);
    if (!header_checked) {
      header_checked = true;
      // The first line is SCALE-Sim's header ("IFMAP Height", "M"): no digit in its second field. A first line with
      // a digit there is a layer, checked as one (so "1O0", a typo, is an error, not a header).
      if (fields.size() < 2 || !has_digit(fields[1])) continue;
    }
    append_layer(layers, parse_row(fields, fmt::format("{}:{}", path, number)));
  }
  if (layers.empty()) throw TopologyError(path + ": no layers");
  return layers;
}

}  // namespace pesim::workloads
