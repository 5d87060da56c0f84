// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <CLI/CLI.hpp>
#include <ostream>
#include <string>

#include "dse/printed/printed_flow.h"

namespace pesim::printed {

// `pesim printed run DATASET` and `pesim printed datasets`.
struct PrintedCommand {
  PrintedRequest run;
  bool list_datasets = false;
  CLI::App* run_command = nullptr;
  CLI::App* datasets_command = nullptr;
};

void add_printed_subcommand(CLI::App& app, PrintedCommand& command);
// Exit status 0; 1 when a check found a mismatch (a bug, reported with a reproducer); 2 for bad input (the data set
// file, line and field), options, or a failing tool.
int run_printed(const PrintedCommand& command, std::ostream& out, std::ostream& err);

}  // namespace pesim::printed
