// SPDX-License-Identifier: Apache-2.0
// `pesim error mixpe ...`: a quantized GEMM through MixPE and through the dequantize-in-the-loop baseline, both
// against the exact mpGEMM of the same quantized operands (MPFR) and against the unquantized real GEMM.
#include <fmt/format.h>
#include <mpfr.h>

#include <chrono>
#include <cmath>
#include <nlohmann/json.hpp>
#include <ostream>

#include "models/num/arith.h"
#include "models/pe/dequant_fma/dequant_fma_core.h"
#include "models/pe/mixpe/mixpe_core.h"
#include "models/pe/registry.h"
#include "pesim/version.h"
#include "sim/error/error_command.h"
#include "sim/error/group_quantization.h"
#include "sim/error/pe_error.h"
#include "sim/error/real_gemm.h"

namespace pesim::error {

namespace {

const num::FloatFormat kFp16 = num::FloatFormat::fp16();
const num::FloatFormat kFp32 = num::FloatFormat::fp32();

// One output of MixPE: each group's MACs, then its dequant operation.
double mixpe_output(const pe::MixPeCore& core, const PeActivations& act, const GroupQuantizedWeights& w, int row,
                    int col) {
  uint64_t acc = core.zero_acc();
  const size_t row_start = static_cast<size_t>(row) * w.k;
  for (int first = 0; first < w.k; first += w.group_size) {
    const int last = std::min(w.k, first + w.group_size);
    for (int kk = first; kk < last; ++kk) {
      acc = core.mac(act.words[row_start + kk],
                     core.mac_b(static_cast<uint64_t>(w.q[static_cast<size_t>(kk) * w.n + col])), acc);
    }
    const size_t group = w.group_index(first, col);
    const uint64_t a_sum = group_activation_sum(core.config(), act, row_start + first, row_start + last);
    acc = core.mac(a_sum, core.dequant_b(w.scale[group], static_cast<uint64_t>(w.zero_point[group])), acc);
  }
  return num::to_double(core.result_value(core.finish(acc)));
}

// One output of the dequantize-in-the-loop baseline (fp16 activations: int8 values are exact in fp16).
double baseline_output(const pe::DequantFmaCore& core, const PeActivations& act, const GroupQuantizedWeights& w,
                       int row, int col) {
  uint64_t acc = core.zero_acc();
  for (int kk = 0; kk < w.k; ++kk) {
    const size_t group = w.group_index(kk, col);
    const uint64_t a_fp16 = num::from_double(kFp16, act.values[static_cast<size_t>(row) * w.k + kk], {}).bits;
    const uint64_t b = core.pack_b(static_cast<uint64_t>(w.q[static_cast<size_t>(kk) * w.n + col]),
                                   static_cast<uint64_t>(w.zero_point[group]), w.scale[group]);
    acc = core.mac(a_fp16, b, acc);
  }
  return num::to_double(core.result_value(core.finish(acc)));
}

struct MixpeErrorReport {
  PeErrorStats mixpe_vs_exact, baseline_vs_exact, mixpe_vs_real, baseline_vs_real, quantized_vs_real;
  int64_t identical_to_baseline = 0;
  double max_rel_diff_to_baseline = 0;
};

// Output (row, col) of the exact product of the quantized operands, summed in MPFR (`exact` and `term` are scratch
// of enough precision), rounded once to a double.
double exact_quantized_output(const PeActivations& act, const GroupQuantizedWeights& w, int row, int col, mpfr_t exact,
                              mpfr_t term) {
  mpfr_set_zero(exact, 1);
  for (int kk = 0; kk < w.k; ++kk) {
    mpfr_set_d(term, act.values[static_cast<size_t>(row) * w.k + kk], MPFR_RNDN);
    mpfr_mul_d(term, term, w.dequantized(kk, col), MPFR_RNDN);  // both exact doubles: an exact product
    mpfr_add(exact, exact, term, MPFR_RNDN);
  }
  return mpfr_get_d(exact, MPFR_RNDN);
}

void tally(PeErrorStats& stats, double result, double exact, double ulp) {
  if (!std::isfinite(result)) return stats.add_nonfinite();
  stats.add(std::fabs(result - exact), std::fabs(exact), ulp);
}

MixpeErrorReport measure(const pe::MixPeCore& mixpe, const pe::DequantFmaCore& baseline, const RealGemm& g,
                         const PeActivations& act, const GroupQuantizedWeights& w) {
  MixpeErrorReport report;
  mpfr_t exact, term;
  mpfr_inits2(2560, exact, term, static_cast<mpfr_ptr>(nullptr));
  const num::FloatFormat& out = mixpe.config().out_format;
  for (int row = 0; row < g.m; ++row) {
    for (int col = 0; col < g.n; ++col) {
      double real = 0;
      for (int kk = 0; kk < g.k; ++kk)
        real += g.a[static_cast<size_t>(row) * g.k + kk] * g.b[static_cast<size_t>(kk) * g.n + col];
      const double exact_pe_units = exact_quantized_output(act, w, row, col, exact, term);
      const double y_mixpe = mixpe_output(mixpe, act, w, row, col);
      const double y_baseline = baseline_output(baseline, act, w, row, col);
      const double ulp = num::ulp_at(out, std::fabs(exact_pe_units));
      const double row_scale = act.row_scale[row];
      tally(report.mixpe_vs_exact, y_mixpe, exact_pe_units, ulp);
      tally(report.baseline_vs_exact, y_baseline, exact_pe_units, num::ulp_at(kFp32, std::fabs(exact_pe_units)));
      tally(report.mixpe_vs_real, y_mixpe * row_scale, real, ulp * row_scale);
      tally(report.baseline_vs_real, y_baseline * row_scale, real, ulp * row_scale);
      tally(report.quantized_vs_real, exact_pe_units * row_scale, real, ulp * row_scale);
      report.identical_to_baseline += y_mixpe == y_baseline ? 1 : 0;
      if (y_baseline != 0 && std::isfinite(y_mixpe) && std::isfinite(y_baseline)) {
        report.max_rel_diff_to_baseline =
            std::max(report.max_rel_diff_to_baseline, std::fabs(y_mixpe - y_baseline) / std::fabs(y_baseline));
      }
    }
  }
  mpfr_clears(exact, term, static_cast<mpfr_ptr>(nullptr));
  for (PeErrorStats* s : {&report.mixpe_vs_exact, &report.baseline_vs_exact, &report.mixpe_vs_real,
                          &report.baseline_vs_real, &report.quantized_vs_real}) {
    s->finish();
  }
  return report;
}

// Flat keys (PREFIX_max_rel_error, ...), so that scripts read every figure as a top-level field.
void add_stats(nlohmann::json& j, const std::string& prefix, const PeErrorStats& s) {
  j[prefix + "_max_rel_error"] = s.max_rel_error;
  j[prefix + "_mean_rel_error"] = s.mean_rel_error;
  j[prefix + "_max_abs_error"] = s.max_abs_error;
  j[prefix + "_mean_abs_error"] = s.mean_abs_error;
  j[prefix + "_rms_rel_error"] = s.rms_rel_error;
  j[prefix + "_nonfinite_outputs"] = s.nonfinite_outputs;
}

void print_report(const ErrorRequest& r, const pe::PeInstance& pe, const RealGemm& g, const std::string& weights,
                  const MixpeErrorReport& rep, double seconds, std::ostream& out) {
  const int64_t outputs = rep.mixpe_vs_exact.outputs;
  if (r.output_format == "json") {
    nlohmann::json j{{"pesim_version", kGitDescribe},
                     {"pe", pe.kind},
                     {"params", pe.params},
                     {"m", g.m},
                     {"k", g.k},
                     {"n", g.n},
                     {"operands", g.source},
                     {"weights", weights},
                     {"seed", r.seed},
                     {"outputs", outputs},
                     {"identical_to_baseline", rep.identical_to_baseline},
                     {"max_rel_diff_to_baseline", rep.max_rel_diff_to_baseline},
                     {"seconds", seconds}};
    add_stats(j, "mixpe_vs_exact", rep.mixpe_vs_exact);
    add_stats(j, "baseline_vs_exact", rep.baseline_vs_exact);
    add_stats(j, "mixpe_vs_real", rep.mixpe_vs_real);
    add_stats(j, "baseline_vs_real", rep.baseline_vs_real);
    add_stats(j, "quantized_vs_real", rep.quantized_vs_real);
    if (!g.zoo_layer.empty()) j["zoo_layer"] = g.zoo_layer;
    out << j.dump() << "\n";
    return;
  }
  out << fmt::format("pesim {} ({}) error: {} {}\n", kVersion, kGitDescribe, pe.kind, pe.params_text());
  if (!g.zoo_layer.empty()) out << "zoo layer   " << g.zoo_layer << "\n";
  out << fmt::format("GEMM {}x{}x{} (MxKxN), operands {}; weights {}\n", g.m, g.k, g.n, g.source, weights);
  out << "relative error                     max          mean         RMS-relative\n";
  const auto line = [&](const char* name, const PeErrorStats& s) {
    out << fmt::format("{:<32} {:.4e}   {:.4e}   {:.4e}\n", name, s.max_rel_error, s.mean_rel_error, s.rms_rel_error);
  };
  line("MixPE vs exact mpGEMM", rep.mixpe_vs_exact);
  line("dequant-in-loop vs exact mpGEMM", rep.baseline_vs_exact);
  line("MixPE vs real GEMM", rep.mixpe_vs_real);
  line("dequant-in-loop vs real GEMM", rep.baseline_vs_real);
  line("exact mpGEMM vs real GEMM", rep.quantized_vs_real);
  out << fmt::format("MixPE equals the baseline in {} of {} outputs (max rel difference {:.4e})\n",
                     rep.identical_to_baseline, outputs, rep.max_rel_diff_to_baseline);
  out << fmt::format("{} outputs ({} non-finite) in {:.2f} s\n", outputs, rep.mixpe_vs_exact.nonfinite_outputs,
                     seconds);
}

// Quantization turns values into integers: NaN and infinities have no quantized value.
void require_finite(const RealGemm& g) {
  for (const auto& [values, name] : {std::pair{&g.a, "A"}, std::pair{&g.b, "B"}}) {
    for (size_t i = 0; i < values->size(); ++i) {
      if (!std::isfinite((*values)[i])) {
        throw std::runtime_error(fmt::format("{} ({}): element {} is {}; MixPE's quantization needs finite values",
                                             name, g.source, i, (*values)[i]));
      }
    }
  }
}

}  // namespace

int run_mixpe_error(const ErrorRequest& r, std::ostream& out, std::ostream& err) {
  const auto start = std::chrono::steady_clock::now();
  try {
    const pe::PeInstance pe = pe::make_pe(r.pe, params::parse_set_options(r.settings));
    const auto& mixpe = dynamic_cast<const pe::MixPeCore&>(*pe.core);
    const pe::MixPeConfig& c = mixpe.config();
    params::Settings baseline_settings;
    baseline_settings["w_bits"] = {std::to_string(c.w_bits), "derived from mixpe"};
    baseline_settings["w_signed"] = {c.w_signed ? "1" : "0", "derived from mixpe"};
    baseline_settings["acc"] = {c.out_format.name, "derived from mixpe"};
    const pe::PeInstance baseline = pe::make_pe("dequant_fma", baseline_settings);
    const RealGemm g = real_gemm_operands(r);
    require_finite(g);
    const GroupQuantizedWeights w =
        r.scale_files.empty()
            ? quantize_min_max(g.b, g.k, g.n, c.group_size, c.w_bits, c.w_signed)
            : quantize_with(g.b, g.k, g.n, c.group_size, c.w_bits, c.w_signed, r.scale_files[0], r.scale_files[1]);
    const std::string weights = r.scale_files.empty() ? fmt::format("per-group min-max, G={}", c.group_size)
                                                      : fmt::format("scales {}, zero points {}, G={}", r.scale_files[0],
                                                                    r.scale_files[1], c.group_size);
    const PeActivations act = quantize_activations(g.a, g.m, g.k, c.act_fp16);
    const MixpeErrorReport report = measure(mixpe, dynamic_cast<const pe::DequantFmaCore&>(*baseline.core), g, act, w);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    print_report(r, pe, g, weights, report, seconds, out);
  } catch (const std::runtime_error& e) {  // params::ParamError, workloads::NpyError, bad scale files
    err << "pesim error: " << e.what() << "\n";
    return 2;
  }
  return 0;
}

}  // namespace pesim::error
