// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <CLI/CLI.hpp>
#include <cstdint>
#include <ostream>
#include <string>

namespace pesim::dse {

// `pesim dse`: a design-space sweep, every evaluation stored in SQLite.
struct DseRequest {
  std::string space;  // space spec .yaml; empty: the built-in default space
  std::string strategy = "model";
  int64_t budget = 0;  // evaluations; 0: the strategy's default (grid: the whole space; others: kDefaultBudget)
  uint64_t seed = 1;
  int64_t batch = 0;  // designs per ask; 0: the strategy's default
  std::string cost_model = "gp";
  std::string db = "pesim_dse.db";
  std::string cost_db = "pesim_cost.db";
  bool resume = false;
  bool mpi = false;
  bool print_space = false;
  int64_t validate_run = 0;  // > 0: fit the cost model on --train designs of this stored run, test on the others
  int64_t train = 0;
  int64_t test_limit = 5000;
  std::string features = "workload";  // --validate-run: what the model sees, "workload" or "parameters"
  std::string progress = "auto";      // auto (a bar on a terminal, lines otherwise), bar, lines, none
  std::string format = "text";
  std::string command_line;
};

constexpr int64_t kDefaultBudget = 400;

void add_dse_subcommand(CLI::App& app, DseRequest& request);
// Exit status 2 for a bad space spec (FILE:LINE: key), options or database, or a failure during the sweep (printed
// as `pesim dse: ...`; the run is marked interrupted, for --resume); 0 when the sweep finished. Under --mpi, a
// failure that leaves ranks evaluating ends the whole job with MPI_Abort and status 2.
int run_dse(const DseRequest& request, std::ostream& out, std::ostream& err);

}  // namespace pesim::dse
