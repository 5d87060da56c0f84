// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <CLI/CLI.hpp>
#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

namespace pesim::cosim {

// `pesim cosim-array --arch PRESET|FILE --set ... --gemm MxKxN`: a GEMM through the cycle engine and the Verilated
// RTL array of the same architecture in lockstep.
struct CosimArrayRequest {
  std::string arch = "scalesim";
  std::vector<std::string> settings;  // --set key=value[,key=value], pe.KEY for the PE
  std::string gemm = "37x45x29";      // MxKxN
  uint64_t seed = 1;
  std::string format = "text";
  bool list = false;  // list the verilated arrays
};

void add_cosim_array_subcommand(CLI::App& app, CosimArrayRequest& request);

// Exit status: 0 no mismatch, 1 mismatch, 2 bad parameters or no verilated array for the architecture.
int run_cosim_array(const CosimArrayRequest& request, std::ostream& out, std::ostream& err);

}  // namespace pesim::cosim
