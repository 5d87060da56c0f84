// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace pesim::error {

// `pesim error`: numerical error of GEMMs computed as chains of one-rounding fused multiply-adds, for every pair
// of input and accumulator formats, against the exact result (MPFR). Needs no input file.
struct ErrorRequest {
  int m = 64, n = 64, k = 256;
  std::vector<std::string> input_formats{"bf16", "fp16", "e5m2", "e4m3"};
  std::vector<std::string> accumulator_formats{"fp32", "bf16", "fp16"};
  std::string distribution = "normal";
  double scale = 1.0;  // standard deviation of the operand values
  uint64_t seed = 1;
  std::string output_format = "text";  // text | json
};

void add_error_subcommand(CLI::App& app, ErrorRequest& request);
int run_error(const ErrorRequest& request, std::ostream& out, std::ostream& err);

}  // namespace pesim::error
