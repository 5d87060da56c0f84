// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <CLI/CLI.hpp>
#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

namespace pesim::cosim {

struct CosimRequest {
  std::string pe;
  std::vector<std::string> settings;  // --set key=value[,key=value]
  uint64_t cycles = 100000;
  uint64_t seed = 1;
  std::string vectors;  // vector file instead of random stimulus
  std::string vcd;      // VCD of the RTL around a mismatch
  std::string repro_dir = ".";
  std::string format = "text";
  bool list = false;  // list the verilated configurations
};

void add_cosim_subcommand(CLI::App& app, CosimRequest& request);

// Exit status: 0 no mismatch, 1 mismatch, 2 bad parameters or no verilated RTL for the configuration.
int run_cosim(const CosimRequest& request, std::ostream& out, std::ostream& err);

}  // namespace pesim::cosim
