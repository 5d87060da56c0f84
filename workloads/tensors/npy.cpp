// SPDX-License-Identifier: Apache-2.0
#include "workloads/tensors/npy.h"

#include <fmt/format.h>

#include <cctype>
#include <cmath>
#include <cstring>
#include <fstream>
#include <string_view>

#include "models/params/param.h"

namespace pesim::workloads {

namespace {

struct Dtype {
  const char* descr;
  size_t bytes;
  double (*decode)(const unsigned char*);
};

template <class T>
double decode_as(const unsigned char* p) {
  T v;
  std::memcpy(&v, p, sizeof v);
  return static_cast<double>(v);
}

// IEEE binary16, little-endian, exactly.
double decode_f16(const unsigned char* p) {
  const uint16_t h = static_cast<uint16_t>(p[0] | (p[1] << 8));
  const int exponent = (h >> 10) & 0x1f;
  const int mantissa = h & 0x3ff;
  double magnitude = 0;
  if (exponent == 0x1f)
    magnitude = mantissa ? std::nan("") : INFINITY;
  else if (exponent == 0)
    magnitude = std::ldexp(mantissa, -24);
  else
    magnitude = std::ldexp(mantissa | 0x400, exponent - 25);
  return (h & 0x8000) ? -magnitude : magnitude;
}

const Dtype kDtypes[] = {
    {"<f4", 4, decode_as<float>},   {"<f8", 8, decode_as<double>},  {"<f2", 2, decode_f16},
    {"|i1", 1, decode_as<int8_t>},  {"|u1", 1, decode_as<uint8_t>}, {"<i2", 2, decode_as<int16_t>},
    {"<i4", 4, decode_as<int32_t>},
};

// The text of a field of the header's Python dict literal: a quoted string (quotes kept), True/False, or a tuple
// (parentheses kept). Scanned by hand: std::regex matches recursively and overflows the stack on long fields.
std::string header_field(const std::string& header, const std::string& key, const std::string& path) {
  const std::string quoted_key = "'" + key + "'";
  const auto missing = [&] { return NpyError(path + ": header has no '" + key + "' field"); };
  size_t at = header.find(quoted_key);
  if (at == std::string::npos) throw missing();
  const auto skip_spaces = [&] {
    while (at < header.size() && std::isspace(static_cast<unsigned char>(header[at])) != 0) ++at;
  };
  at += quoted_key.size();
  skip_spaces();
  if (at >= header.size() || header[at] != ':') throw missing();
  ++at;
  skip_spaces();
  if (at >= header.size()) throw missing();
  const char open = header[at];
  if (open == '\'' || open == '(') {
    const size_t close = header.find(open == '(' ? ')' : '\'', at + 1);
    if (close == std::string::npos) throw NpyError(path + ": header field '" + key + "' is not closed");
    return header.substr(at, close + 1 - at);
  }
  size_t end = at;
  while (end < header.size() && std::isalpha(static_cast<unsigned char>(header[end])) != 0) ++end;
  const std::string word = header.substr(at, end - at);
  if (word != "True" && word != "False") throw NpyError(path + ": header field '" + key + "' is not a value");
  return word;
}

// "(R, C)", "(N,)": each dimension a non-negative decimal no larger than kMaxDimension.
std::vector<int64_t> parse_shape(const std::string& text, const std::string& path) {
  constexpr int64_t kMaxDimension = int64_t{1} << 40;
  const auto bad = [&](const std::string& why) {
    return NpyError(path + ": field 'shape' " + params::excerpt(text) + ": " + why);
  };
  if (text.front() != '(') throw bad("not a tuple");
  std::vector<int64_t> dims;
  std::string_view inside = std::string_view(text).substr(1, text.size() - 2);  // header_field keeps the parentheses
  while (!inside.empty()) {
    const size_t comma = inside.find(',');
    std::string_view item = inside.substr(0, comma);
    inside = comma == std::string_view::npos ? std::string_view() : inside.substr(comma + 1);
    while (!item.empty() && std::isspace(static_cast<unsigned char>(item.front())) != 0) item.remove_prefix(1);
    while (!item.empty() && std::isspace(static_cast<unsigned char>(item.back())) != 0) item.remove_suffix(1);
    if (item.empty() && inside.empty() && !dims.empty()) break;  // the trailing comma of "(N,)"
    if (item.empty()) throw bad("an empty dimension");
    int64_t value = 0;
    for (char c : item) {
      if (c < '0' || c > '9') throw bad("dimension '" + params::excerpt(item) + "' is not a non-negative integer");
      value = value * 10 + (c - '0');
      if (value > kMaxDimension) throw bad("dimension " + params::excerpt(item) + " is over 2^40");
    }
    dims.push_back(value);
  }
  if (dims.empty() || dims.size() > 2) throw bad("pesim reads 1-D or 2-D arrays");
  if (dims.size() == 1) dims.insert(dims.begin(), 1);
  return dims;
}

std::string read_header(std::ifstream& file, const std::string& path) {
  char magic[8];
  if (!file.read(magic, 8) || std::memcmp(magic, "\x93NUMPY", 6) != 0) throw NpyError(path + ": not a .npy file");
  const int major = static_cast<unsigned char>(magic[6]);
  uint32_t length = 0;
  unsigned char len_bytes[4] = {0, 0, 0, 0};
  if (major == 1) {
    if (!file.read(reinterpret_cast<char*>(len_bytes), 2)) throw NpyError(path + ": truncated header");
    length = len_bytes[0] | (len_bytes[1] << 8);
  } else if (major == 2 || major == 3) {
    if (!file.read(reinterpret_cast<char*>(len_bytes), 4)) throw NpyError(path + ": truncated header");
    length = len_bytes[0] | (len_bytes[1] << 8) | (len_bytes[2] << 16) | (uint32_t{len_bytes[3]} << 24);
  } else {
    throw NpyError(path + ": .npy format version " + std::to_string(major) + " is not supported");
  }
  // numpy itself refuses headers over 10,000 bytes unless told otherwise; a longer one is not a real array's.
  constexpr uint32_t kMaxHeaderBytes = 1 << 16;
  if (length > kMaxHeaderBytes) {
    throw NpyError(path + ": header of " + std::to_string(length) + " bytes (pesim reads headers up to " +
                   std::to_string(kMaxHeaderBytes) + ")");
  }
  std::string header(length, '\0');
  if (!file.read(header.data(), length)) throw NpyError(path + ": truncated header");
  return header;
}

}  // namespace

Tensor2d read_npy(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) throw NpyError(path + ": cannot open");
  const std::string header = read_header(file, path);
  const std::string descr = header_field(header, "descr", path);
  const Dtype* dtype = nullptr;
  for (const Dtype& d : kDtypes) {
    if ("'" + std::string(d.descr) + "'" == descr) dtype = &d;
  }
  if (dtype == nullptr) {
    throw NpyError(path + ": field 'descr' " + params::excerpt(descr) + ": supported are <f4 <f2 <f8 |i1 |u1 <i2 <i4");
  }
  if (header_field(header, "fortran_order", path) != "False") {
    throw NpyError(path + ": field 'fortran_order': pesim reads C-ordered arrays (use numpy.ascontiguousarray)");
  }
  const std::vector<int64_t> dims = parse_shape(header_field(header, "shape", path), path);
  Tensor2d t{dims[0], dims[1], {}};
  // The data's size is checked against the file before anything is allocated for it, so a header claiming a huge
  // shape costs nothing (and rows x cols, each at most 2^40, is only formed once it is known to fit).
  const std::streamoff data_at = file.tellg();
  file.seekg(0, std::ios::end);
  const auto available_elements = static_cast<size_t>(file.tellg() - data_at) / dtype->bytes;
  file.seekg(data_at);
  if (t.rows != 0 && static_cast<size_t>(t.cols) > available_elements / static_cast<size_t>(t.rows)) {
    throw NpyError(fmt::format("{}: data ends before the {} x {} elements the header's shape gives ({} in the file)",
                               path, t.rows, t.cols, available_elements));
  }
  const auto count = static_cast<size_t>(t.rows * t.cols);
  std::vector<unsigned char> raw(count * dtype->bytes);
  if (!file.read(reinterpret_cast<char*>(raw.data()), static_cast<std::streamsize>(raw.size()))) {
    throw NpyError(path + ": data ends before " + std::to_string(count) + " elements");
  }
  t.values.resize(count);
  for (size_t i = 0; i < count; ++i) t.values[i] = dtype->decode(&raw[i * dtype->bytes]);
  return t;
}

void write_npy_f32(const std::string& path, const Tensor2d& tensor) {
  std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + std::to_string(tensor.rows) + ", " +
                       std::to_string(tensor.cols) + "), }";
  while ((10 + header.size() + 1) % 64 != 0) header += ' ';
  header += '\n';
  std::ofstream file(path, std::ios::binary);
  const uint16_t length = static_cast<uint16_t>(header.size());
  file.write("\x93NUMPY\x01\x00", 8);
  file.put(static_cast<char>(length & 0xff));
  file.put(static_cast<char>(length >> 8));
  file << header;
  for (double v : tensor.values) {
    const float f = static_cast<float>(v);
    file.write(reinterpret_cast<const char*>(&f), sizeof f);
  }
  if (!file) throw NpyError(path + ": write failed");
}

}  // namespace pesim::workloads
