// SPDX-License-Identifier: Apache-2.0
// The `pesim` command line: one subcommand per job; each lives in its own folder of sim/.
#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <systemc>

#include "dse/dse_command.h"
#include "dse/printed/printed_command.h"
#include "dse/report/report_command.h"
#include "pesim/version.h"
#include "sim/analytical/sim_command.h"
#include "sim/cli/list_command.h"
#include "sim/cosim/cosim_array_command.h"
#include "sim/cosim/cosim_command.h"
#include "sim/cost/cost_command.h"
#include "sim/error/error_command.h"
#include "sim/eval/eval_command.h"

namespace {

void add_eval(CLI::App& app, pesim::eval::EvalRequest& request) {
  auto* eval = app.add_subcommand("eval", "Run TestFloat-style hex vectors (stdin) through the numeric core");
  eval->add_option("op", request.op, "OP.FMT: add.F mul.F fma.F fma.A.C cvt.SRC.DST cast.fixed")->required();
  eval->add_option("--set", request.settings, "key=value[,key=value]: rm, ftz, daz, format options");
  eval->add_flag("--flags", request.print_flags,
                 "append the exception flags byte (TestFloat bits: v=10 o=04 u=02 x=01)");
}

// Every subcommand's request, filled in by CLI11.
struct Requests {
  pesim::eval::EvalRequest eval;
  pesim::error::ErrorRequest error;
  pesim::cosim::CosimRequest cosim;
  pesim::cosim::CosimArrayRequest cosim_array;
  pesim::cost::CostRequest cost;
  pesim::analytical::SimRequest sim;
  pesim::dse::DseRequest dse;
  pesim::dse::ReportRequest report;
  pesim::printed::PrintedCommand printed;
  std::string list_topic;
};

void add_subcommands(CLI::App& app, Requests& r) {
  add_eval(app, r.eval);
  pesim::error::add_error_subcommand(app, r.error);
  pesim::cosim::add_cosim_subcommand(app, r.cosim);
  pesim::cosim::add_cosim_array_subcommand(app, r.cosim_array);
  pesim::cost::add_cost_subcommand(app, r.cost);
  pesim::analytical::add_sim_subcommand(app, r.sim);
  pesim::dse::add_dse_subcommand(app, r.dse);
  pesim::dse::add_report_subcommand(app, r.report);
  pesim::printed::add_printed_subcommand(app, r.printed);
  auto* list = app.add_subcommand("list", "List what pesim knows: formats, pes, zoo, arch");
  list->add_option("topic", r.list_topic, "formats | pes | zoo | arch")->required();
}

// The chosen subcommand's exit status; an exception that escapes it exits 1.
int run_command(const CLI::App& app, Requests& r) {
  try {
    if (app.got_subcommand("eval")) return pesim::eval::run_eval(r.eval, std::cin, std::cout, std::cerr);
    if (app.got_subcommand("error")) return pesim::error::run_error(r.error, std::cout, std::cerr);
    if (app.got_subcommand("cosim")) return pesim::cosim::run_cosim(r.cosim, std::cout, std::cerr);
    if (app.got_subcommand("cosim-array")) return pesim::cosim::run_cosim_array(r.cosim_array, std::cout, std::cerr);
    if (app.got_subcommand("cost")) return pesim::cost::run_cost(r.cost, std::cout, std::cerr);
    if (app.got_subcommand("sim")) return pesim::analytical::run_sim(r.sim, std::cout, std::cerr);
    if (app.got_subcommand("dse")) return pesim::dse::run_dse(r.dse, std::cout, std::cerr);
    if (app.got_subcommand("report")) return pesim::dse::run_report(r.report, std::cout, std::cerr);
    if (app.got_subcommand("printed")) return pesim::printed::run_printed(r.printed, std::cout, std::cerr);
    if (app.got_subcommand("list")) return pesim::cli::run_list(r.list_topic, std::cout, std::cerr);
  } catch (const std::exception& e) {
    std::cerr << "pesim: " << e.what() << "\n";
    return 1;
  }
  return 0;
}

// Whether everything written to standard output reached it: a full disk or a closed pipe must not end in status 0
// with the results lost.
bool output_written() {
  std::cout.flush();
  if (std::cout && std::fflush(stdout) == 0 && std::ferror(stdout) == 0) return true;
  std::cerr << "pesim: writing the results to standard output failed (" << std::strerror(errno) << ")\n";
  return false;
}

}  // namespace

// SystemC starts pesim: main() below hands over to sc_elab_and_sim(), which calls sc_main().
int sc_main(int argc, char** argv) {
  // The kernel's "simulation stopped by user" note is noise in pesim's output.
  sc_core::sc_report_handler::set_actions("/OSCI/SystemC", sc_core::SC_INFO, sc_core::SC_DO_NOTHING);
  CLI::App app{"pesim: cycle-level simulator and design-space explorer for the processing elements of ML accelerators"};
  app.set_version_flag("--version", std::string(pesim::kVersion) + " (" + pesim::kGitDescribe + ")");
  app.require_subcommand(1);
  Requests requests;
  add_subcommands(app, requests);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version exit 0; every usage error (an unknown option, a value a check refuses) exits 2, as a bad
    // input file does, rather than with CLI11's own codes.
    return app.exit(e) == 0 ? 0 : 2;
  }
  for (int i = 0; i < argc; ++i) requests.sim.command_line += (i ? " " : "") + std::string(argv[i]);  // for --db
  requests.dse.command_line = requests.sim.command_line;
  const int status = run_command(app, requests);
  return output_written() ? status : 1;
}

int main(int argc, char** argv) {
  setenv("SC_COPYRIGHT_MESSAGE", "DISABLE", 1);  // before the kernel prints its banner
  return sc_core::sc_elab_and_sim(argc, argv);
}
