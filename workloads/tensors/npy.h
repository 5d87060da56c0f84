// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace pesim::workloads {

// A 2-D tensor read from a NumPy .npy file, values widened exactly to double, row-major.
struct Tensor2d {
  int64_t rows = 0, cols = 0;
  std::vector<double> values;
  double at(int64_t r, int64_t c) const { return values[static_cast<size_t>(r * cols + c)]; }
};

class NpyError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Reads a C-ordered .npy file (format versions 1.0 to 3.0) of dtype float32, float16, float64, int8, uint8, int16
// or int32, shape (rows, cols) or (n,) (one row). Throws NpyError naming the file and the header field at fault.
Tensor2d read_npy(const std::string& path);

// Writes a float32 .npy file (for tests and examples).
void write_npy_f32(const std::string& path, const Tensor2d& tensor);

}  // namespace pesim::workloads
