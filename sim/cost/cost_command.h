// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <CLI/CLI.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "sim/cost/power_report.h"

namespace pesim::cost {

struct CostRequest {
  std::string pe;
  std::vector<std::string> settings;
  std::string tech = "ihp_sg13g2";
  std::string db = "pesim_cost.db";
  std::string format = "text";
  bool calibration = false;  // print the technology's calibration against its published designs instead
  std::string arch;          // cost a whole array (preset or file) instead of one PE: array_cost_command.h
  PowerOptions power;        // dynamic power from switching activity: power_report.h
};

void add_cost_subcommand(CLI::App& app, CostRequest& request);

// Exit status: 0 done, 2 bad parameters or technology, 1 synthesis, tool or cache failure.
int run_cost(const CostRequest& request, std::ostream& out, std::ostream& err);

}  // namespace pesim::cost
