// SPDX-License-Identifier: Apache-2.0
#include "sim/error/error_command.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstring>
#include <ostream>

#include "models/num/arith.h"
#include "models/pe/registry.h"
#include "pesim/version.h"
#include "sim/cli/number_checks.h"
#include "sim/error/gemm_error.h"
#include "sim/error/pe_error.h"
#include "workloads/tensors/npy.h"
#include "workloads/values/value_stream.h"

namespace pesim::error {

namespace {

struct ConfigResult {
  std::string input_format, accumulator_format;
  GemmErrorStats stats;
};

num::NumberFormat parse_format(const std::string& name) {
  std::set<std::string> used;
  return num::parse_number_format(name, {}, used);
}

// Draws `count` values and rounds each to `fmt` (round to nearest even).
std::vector<uint64_t> quantized_values(const num::NumberFormat& fmt, workloads::Distribution d, double scale,
                                       uint64_t seed, size_t count) {
  std::vector<uint64_t> bits;
  bits.reserve(count);
  for (double v : workloads::draw_values(d, scale, seed, count)) bits.push_back(num::from_double(fmt, v).bits);
  return bits;
}

void print_text(const ErrorRequest& r, const std::vector<ConfigResult>& results, double seconds, std::ostream& out) {
  out << fmt::format("pesim {} ({}) error: GEMM {}x{}x{}, operands {}(sd {}), seed {}\n", kVersion, kGitDescribe, r.m,
                     r.n, r.k, r.distribution, r.scale, r.seed);
  out << "Y = A*B as a chain of fused multiply-adds (one rounding each, RNE) vs the exact sum of the same products\n";
  out << fmt::format("{:<8} {:<8} {:>12} {:>12} {:>12} {:>8} {:>9}\n", "inputs", "accum", "max_rel_err", "mean_rel_err",
                     "frob_rel_err", "exact", "nonfinite");
  for (const auto& c : results) {
    out << fmt::format("{:<8} {:<8} {:>12.3e} {:>12.3e} {:>12.3e} {:>8} {:>9}\n", c.input_format, c.accumulator_format,
                       c.stats.max_relative_error, c.stats.mean_relative_error, c.stats.frobenius_relative_error,
                       c.stats.exact_outputs, c.stats.nonfinite_outputs);
  }
  out << fmt::format("{} configurations, {} MACs each, in {:.2f} s\n", results.size(), int64_t{r.m} * r.n * r.k,
                     seconds);
}

void print_json(const ErrorRequest& r, const std::vector<ConfigResult>& results, std::ostream& out) {
  out << fmt::format(R"({{"pesim_version": "{}", "git": "{}", "m": {}, "n": {}, "k": {}, "distribution": "{}", )"
                     R"("scale": {}, "seed": {}, "results": [)",
                     kVersion, kGitDescribe, r.m, r.n, r.k, r.distribution, r.scale, r.seed);
  for (size_t i = 0; i < results.size(); ++i) {
    const auto& c = results[i];
    out << fmt::format(R"({}{{"input_format": "{}", "accumulator_format": "{}", "max_relative_error": {:.6e}, )"
                       R"("mean_relative_error": {:.6e}, "frobenius_relative_error": {:.6e}, "exact_outputs": {}, )"
                       R"("nonfinite_outputs": {}}})",
                       i ? ", " : "", c.input_format, c.accumulator_format, c.stats.max_relative_error,
                       c.stats.mean_relative_error, c.stats.frobenius_relative_error, c.stats.exact_outputs,
                       c.stats.nonfinite_outputs);
  }
  out << "]}\n";
}

}  // namespace

void add_error_subcommand(CLI::App& app, ErrorRequest& r) {
  auto* cmd = app.add_subcommand("error", "Numerical error of GEMMs through the numeric core or a PE, against MPFR");
  cmd->add_option("pe", r.pe, "PE kind (pesim list pes); without it, the table of FMA input/accumulator formats");
  cmd->add_option("--set", r.settings, "PE parameters key=value[,key=value]");
  cmd->add_option("--gemm", r.gemm, "MxKxN: A is MxK, B is KxN (PE mode)");
  cmd->add_option("--npy", r.npy, "A.npy B.npy: real operand tensors instead of synthetic ones (PE mode)")->expected(2);
  cmd->add_option("--scales", r.scale_files,
                  "mixpe: S.npy Z.npy, per-group weight scales and zero points (groups x N) instead of min-max")
      ->expected(2);
  cmd->add_option("--zoo", r.zoo,
                  "MODEL:PHASE:LAYER of the built-in zoo (pesim list zoo), e.g. llama2-7b:decode:q_proj");
  cmd->add_option("--batch", r.batch, "zoo: sequences or images per pass")
      ->check(CLI::Range(int64_t{1}, int64_t{1} << 20))
      ->capture_default_str();
  cmd->add_option("--seq", r.sequence_length, "zoo: tokens per sequence (prefill)")
      ->check(CLI::Range(int64_t{1}, int64_t{1} << 20))
      ->capture_default_str();
  cmd->add_option("--sample-outputs", r.sample_outputs, "zoo: RxC block of Y computed, each output a full K chain")
      ->capture_default_str();
  cmd->add_option("--m", r.m, "rows of A and Y")->check(CLI::Range(1, 1 << 16))->capture_default_str();
  cmd->add_option("--n", r.n, "columns of B and Y")->check(CLI::Range(1, 1 << 16))->capture_default_str();
  cmd->add_option("--k", r.k, "reduction length")->check(CLI::Range(1, 1 << 20))->capture_default_str();
  cmd->add_option("--inputs", r.input_formats, "formats of A and B")->delimiter(',')->capture_default_str();
  cmd->add_option("--accumulators", r.accumulator_formats, "accumulator formats")
      ->delimiter(',')
      ->capture_default_str();
  cmd->add_option("--dist", r.distribution, "operand distribution")
      ->check(CLI::IsMember({"normal", "laplace", "uniform", "outliers"}))
      ->capture_default_str();
  cmd->add_option("--scale", r.scale, "standard deviation of operands")
      ->check(cli::positive_finite())
      ->capture_default_str();
  cmd->add_option("--seed", r.seed, "random seed (printed with the results)")->capture_default_str();
  cmd->add_option("--format", r.output_format, "text or json")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
}

int run_error(const ErrorRequest& r, std::ostream& out, std::ostream& err) {
  if (r.pe == "mixpe") return run_mixpe_error(r, out, err);
  if (!r.scale_files.empty()) {
    err << "pesim error: --scales applies to mixpe only (its per-group weight scales and zero points)\n";
    return 2;
  }
  if (!r.pe.empty()) return run_pe_error(r, out, err);
  if (r.distribution == "outliers" || !r.npy.empty() || !r.gemm.empty() || !r.settings.empty() || !r.zoo.empty()) {
    err << "pesim error: --dist outliers, --npy, --gemm, --zoo and --set need a PE kind (pesim error KIND ...)\n";
    return 2;
  }
  workloads::Distribution dist{};
  workloads::parse_distribution(r.distribution, dist);
  const auto start = std::chrono::steady_clock::now();
  std::vector<ConfigResult> results;
  try {
    for (const auto& in_name : r.input_formats) {
      const num::NumberFormat in_fmt = parse_format(in_name);
      GemmOperands ops{r.m, r.n, r.k, quantized_values(in_fmt, dist, r.scale, r.seed, static_cast<size_t>(r.m) * r.k),
                       quantized_values(in_fmt, dist, r.scale, r.seed + 1, static_cast<size_t>(r.k) * r.n)};
      std::vector<std::vector<double>> computed;
      for (const auto& acc_name : r.accumulator_formats) {
        computed.push_back(fma_chain_gemm(ops, in_fmt, parse_format(acc_name), {}));
      }
      const std::vector<GemmErrorStats> stats = measure_errors(ops, in_fmt, computed);
      for (size_t c = 0; c < stats.size(); ++c) results.push_back({in_name, r.accumulator_formats[c], stats[c]});
    }
  } catch (const params::ParamError& e) {
    err << "pesim error: " << e.what() << "\n";
    return 2;
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (r.output_format == "json")
    print_json(r, results, out);
  else
    print_text(r, results, seconds, out);
  return 0;
}

}  // namespace pesim::error
