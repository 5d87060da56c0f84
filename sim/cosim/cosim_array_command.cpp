// SPDX-License-Identifier: Apache-2.0
#include "sim/cosim/cosim_array_command.h"

#include <fmt/format.h>

#include <cinttypes>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "models/array/arch.h"
#include "models/params/param.h"
#include "pesim/version.h"
#include "sim/cosim/array_lockstep.h"
#include "sim/cycle/gemm_operations.h"
#include "workloads/values/value_stream.h"

namespace pesim::cosim {

namespace {

struct GemmShape {
  int64_t m = 0, k = 0, n = 0;
};

GemmShape parse_gemm(const std::string& text) {
  GemmShape s;
  char x1 = 0, x2 = 0;
  size_t used = 0;
  if (text.find_first_of(" \t") != std::string::npos ||
      std::sscanf(text.c_str(), "%" SCNd64 "%c%" SCNd64 "%c%" SCNd64 "%zn", &s.m, &x1, &s.k, &x2, &s.n, &used) != 5 ||
      x1 != 'x' || x2 != 'x' || used != text.size() || s.m < 1 || s.k < 1 || s.n < 1 || s.m > 4096 || s.k > 4096 ||
      s.n > 4096) {
    throw params::ParamError("--gemm '" + text + "': expected MxKxN, each from 1 to 4096");
  }
  return s;
}

void list_arrays(std::ostream& out) {
  out << "verilated RTL arrays (pesim cosim-array --set ...):\n";
  for (const rtl::VerilatedArrayConfig& c : rtl::verilated_arrays()) out << "  " << c.arch_settings << "\n";
}

void print_report(const CosimArrayRequest& r, const array::ArchSpec& arch, const GemmShape& shape,
                  const cycle::GemmWords& words, const ArrayLockstepReport& rep, std::ostream& out) {
  if (r.format == "json") {
    nlohmann::ordered_json j{{"pesim_version", kGitDescribe},
                             {"arch", arch.params_text()},
                             {"m", shape.m},
                             {"k", shape.k},
                             {"n", shape.n},
                             {"operations_per_output", words.k},
                             {"seed", r.seed},
                             {"cycles", rep.cycles},
                             {"folds", rep.folds},
                             {"outputs_compared", rep.outputs_compared},
                             {"value_mismatches", rep.value_mismatches},
                             {"cycle_mismatches", rep.cycle_mismatches},
                             {"chain_mismatches", rep.chain_mismatches},
                             {"first_mismatches", rep.first_mismatches},
                             {"seconds", rep.seconds}};
    out << j.dump() << "\n";
    return;
  }
  out << fmt::format("pesim {} ({}) cosim-array: {}\n", kVersion, kGitDescribe, arch.params_text());
  out << fmt::format("GEMM {}x{}x{} (MxKxN, seed {}), {} operations per output\n", shape.m, shape.k, shape.n, r.seed,
                     words.k);
  out << fmt::format(
      "{} cycles in {} folds, {} outputs compared on their edges: {} value mismatches, {} cycle mismatches; "
      "{} results differ from the functional chains ({:.3f} s)\n",
      rep.cycles, rep.folds, rep.outputs_compared, rep.value_mismatches, rep.cycle_mismatches, rep.chain_mismatches,
      rep.seconds);
  for (const std::string& m : rep.first_mismatches) out << "  " << m << "\n";
}

}  // namespace

void add_cosim_array_subcommand(CLI::App& app, CosimArrayRequest& request) {
  auto* cmd = app.add_subcommand(
      "cosim-array",
      "A GEMM through the cycle engine and the Verilated RTL array in lockstep, every output compared "
      "on its clock edge");
  cmd->add_option("--arch", request.arch, "architecture preset or file (.yaml, .cfg); pesim list arch");
  cmd->add_option("--set", request.settings, "architecture parameters key=value[,key=value], pe.KEY for the PE");
  cmd->add_option("--gemm", request.gemm, "MxKxN: A is MxK, B is KxN (normal values, quantized for the PE)");
  cmd->add_option("--seed", request.seed, "seed of the operand values");
  cmd->add_option("--format", request.format, "text or json")->check(CLI::IsMember({"text", "json"}));
  cmd->add_flag("--list-rtl", request.list, "list the arrays this build verilated");
}

int run_cosim_array(const CosimArrayRequest& r, std::ostream& out, std::ostream& err) {
  if (r.list) {
    list_arrays(out);
    return 0;
  }
  try {
    const array::ArchSpec arch = array::load_arch(r.arch, r.settings);
    const GemmShape shape = parse_gemm(r.gemm);
    const rtl::VerilatedArrayConfig& rtl = find_array_rtl(arch);
    const auto a =
        workloads::draw_values(workloads::Distribution::Normal, 1.0, r.seed, static_cast<size_t>(shape.m * shape.k));
    const auto b = workloads::draw_values(workloads::Distribution::Normal, 1.0, r.seed + 1,
                                          static_cast<size_t>(shape.k * shape.n));
    const cycle::GemmOperations ops = cycle::gemm_operations(arch.pe, a, b, shape.m, shape.n, shape.k);
    const ArrayLockstepReport report = run_array_lockstep(arch, rtl, ops.words);
    print_report(r, arch, shape, ops.words, report, out);
    return report.passed() ? 0 : 1;
  } catch (const std::invalid_argument& e) {  // no verilated array, a PE the arrays cannot start
    err << "pesim cosim-array: " << e.what() << "\n";
    return 2;
  } catch (const std::runtime_error& e) {  // params::ParamError, architecture files
    err << "pesim cosim-array: " << e.what() << "\n";
    return 2;
  }
}

}  // namespace pesim::cosim
