// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <CLI/CLI.hpp>
#include <cstdint>
#include <ostream>
#include <string>

#include "dse/report/report_data.h"

namespace pesim::dse {

// `pesim report`: what a DSE database holds, as one self-contained HTML page (Pareto fronts, hypervolume against
// evaluations, cost-model accuracy, the front's designs), a CSV of every evaluation, or JSON of runs, evaluations,
// fronts and models.
struct ReportRequest {
  std::string db;
  int64_t run = 0;              // 0: every run
  std::string format = "html";  // html, csv or json
  std::string out;              // file; empty: stdout
};

void add_report_subcommand(CLI::App& app, ReportRequest& request);
// Exit status 2, with a message naming the file, for a missing or non-pesim database, an unknown run or an output
// file that cannot be written; 0 otherwise.
int run_report(const ReportRequest& request, std::ostream& out, std::ostream& err);

// The formats, for callers holding the data already.
void write_csv(const ReportData& data, std::ostream& out);
void write_json(const ReportData& data, std::ostream& out);

// RFC 4180: a field holding a comma, a double quote, CR or LF is quoted, its quotes doubled.
std::string csv_field(const std::string& text);

}  // namespace pesim::dse
