// SPDX-License-Identifier: Apache-2.0
// The `pesim` command line: one subcommand per job; each lives in its own folder of sim/.
#include <CLI/CLI.hpp>
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

}  // namespace

// SystemC starts pesim: main() below hands over to sc_elab_and_sim(), which calls sc_main().
int sc_main(int argc, char** argv) {
  // The kernel's "simulation stopped by user" note is noise in pesim's output.
  sc_core::sc_report_handler::set_actions("/OSCI/SystemC", sc_core::SC_INFO, sc_core::SC_DO_NOTHING);
  CLI::App app{"pesim: cycle-level simulator and design-space explorer for the processing elements of ML accelerators"};
  app.set_version_flag("--version", std::string(pesim::kVersion) + " (" + pesim::kGitDescribe + ")");
  app.require_subcommand(1);

  pesim::eval::EvalRequest eval_request;
  add_eval(app, eval_request);
  pesim::error::ErrorRequest error_request;
  pesim::error::add_error_subcommand(app, error_request);
  pesim::cosim::CosimRequest cosim_request;
  pesim::cosim::add_cosim_subcommand(app, cosim_request);
  pesim::cosim::CosimArrayRequest cosim_array_request;
  pesim::cosim::add_cosim_array_subcommand(app, cosim_array_request);
  pesim::cost::CostRequest cost_request;
  pesim::cost::add_cost_subcommand(app, cost_request);
  pesim::analytical::SimRequest sim_request;
  pesim::analytical::add_sim_subcommand(app, sim_request);
  pesim::dse::DseRequest dse_request;
  pesim::dse::add_dse_subcommand(app, dse_request);
  pesim::dse::ReportRequest report_request;
  pesim::dse::add_report_subcommand(app, report_request);
  pesim::printed::PrintedCommand printed_command;
  pesim::printed::add_printed_subcommand(app, printed_command);
  std::string list_topic;
  auto* list = app.add_subcommand("list", "List what pesim knows: formats, pes, zoo, arch");
  list->add_option("topic", list_topic, "formats | pes | zoo | arch")->required();

  CLI11_PARSE(app, argc, argv);
  for (int i = 0; i < argc; ++i) sim_request.command_line += (i ? " " : "") + std::string(argv[i]);  // for --db
  dse_request.command_line = sim_request.command_line;
  try {
    if (app.got_subcommand("eval")) return pesim::eval::run_eval(eval_request, std::cin, std::cout, std::cerr);
    if (app.got_subcommand("error")) return pesim::error::run_error(error_request, std::cout, std::cerr);
    if (app.got_subcommand("cosim")) return pesim::cosim::run_cosim(cosim_request, std::cout, std::cerr);
    if (app.got_subcommand("cosim-array")) {
      return pesim::cosim::run_cosim_array(cosim_array_request, std::cout, std::cerr);
    }
    if (app.got_subcommand("cost")) return pesim::cost::run_cost(cost_request, std::cout, std::cerr);
    if (app.got_subcommand("sim")) return pesim::analytical::run_sim(sim_request, std::cout, std::cerr);
    if (app.got_subcommand("dse")) return pesim::dse::run_dse(dse_request, std::cout, std::cerr);
    if (app.got_subcommand("report")) return pesim::dse::run_report(report_request, std::cout, std::cerr);
    if (app.got_subcommand("printed")) return pesim::printed::run_printed(printed_command, std::cout, std::cerr);
    if (app.got_subcommand("list")) return pesim::cli::run_list(list_topic, std::cout, std::cerr);
  } catch (const std::exception& e) {
    std::cerr << "pesim: " << e.what() << "\n";
    return 1;
  }
  return 0;
}

int main(int argc, char** argv) {
  setenv("SC_COPYRIGHT_MESSAGE", "DISABLE", 1);  // before the kernel prints its banner
  return sc_core::sc_elab_and_sim(argc, argv);
}
