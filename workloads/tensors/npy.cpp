// SPDX-License-Identifier: Apache-2.0
#include "workloads/tensors/npy.h"

#include <cmath>
#include <cstring>
#include <fstream>
#include <regex>

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

std::string header_field(const std::string& header, const std::string& key, const std::string& path) {
  const std::regex pattern("'" + key + "'\\s*:\\s*('[^']*'|True|False|\\([^)]*\\))");
  std::smatch match;
  if (!std::regex_search(header, match, pattern)) throw NpyError(path + ": header has no '" + key + "' field");
  return match[1];
}

std::vector<int64_t> parse_shape(const std::string& text, const std::string& path) {
  std::vector<int64_t> dims;
  const std::regex number("\\d+");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), number); it != std::sregex_iterator(); ++it) {
    dims.push_back(std::stoll(it->str()));
  }
  if (dims.empty() || dims.size() > 2) {
    throw NpyError(path + ": field 'shape' " + text + ": pesim reads 1-D or 2-D arrays");
  }
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
    throw NpyError(path + ": field 'descr' " + descr + ": supported are <f4 <f2 <f8 |i1 |u1 <i2 <i4");
  }
  if (header_field(header, "fortran_order", path) != "False") {
    throw NpyError(path + ": field 'fortran_order': pesim reads C-ordered arrays (use numpy.ascontiguousarray)");
  }
  const std::vector<int64_t> dims = parse_shape(header_field(header, "shape", path), path);
  Tensor2d t{dims[0], dims[1], {}};
  const size_t count = static_cast<size_t>(t.rows * t.cols);
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
