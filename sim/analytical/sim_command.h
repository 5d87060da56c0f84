// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <CLI/CLI.hpp>
#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "sim/cycle/systolic_engine.h"

namespace pesim::analytical {

// `pesim sim`: a workload on an architecture, layer by layer.
struct SimRequest {
  std::string arch = "int8";          // preset name or .yaml / .cfg file
  std::vector<std::string> settings;  // --set, over the architecture's (pe.KEY for the PE)
  std::string workload;               // SCALE-Sim topology .csv, workload .yaml/.json, zoo MODEL:PHASE or CNN
  int64_t batch = 1;
  int64_t sequence_length = 2048;                  // prefill: tokens per sequence; decode: tokens in the KV cache
  std::string engine = "analytical";               // or "cycle": real values through the cycle-level engine
  uint64_t seed = 1;                               // cycle engine: synthetic operand values (normal, sd 1)
  int64_t max_macs = cycle::kDefaultMaxLayerMacs;  // cycle engine: refuse larger layers
  std::string check = "sample";                    // cycle engine: outputs compared, none / sample / full
  std::string kernel = "fast";                     // cycle engine: the PE's fast kernel, or reference (mac() steps)
  int threads = 0;                                 // cycle engine: threads for independent folds (0: all cores)
  std::string compat;                              // "" or "scalesim"
  std::string format = "text";
  std::vector<std::string> npy;           // cycle engine: A.npy B.npy, the array layers' operand values
  std::string tech;                       // energy on this technology; empty: no energy
  std::string cost_db = "pesim_cost.db";  // synthesis cache for --tech
  std::string db;                         // SQLite file to record the run in; empty: not recorded
  std::string command_line;               // as typed, for the record (set by main)
};

void add_sim_subcommand(CLI::App& app, SimRequest& request);
// Exit status 2 for a bad architecture, setting or workload (the message names file, line and field) or a database
// that cannot be opened or written (nothing of the run is written then).
int run_sim(const SimRequest& request, std::ostream& out, std::ostream& err);

}  // namespace pesim::analytical
