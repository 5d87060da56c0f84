// SPDX-License-Identifier: Apache-2.0
// `pesim error KIND ...`: GEMM error of one PE configuration against the exact result.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>

#include "models/pe/registry.h"
#include "pesim/version.h"
#include "sim/error/error_command.h"
#include "sim/error/pe_error.h"
#include "sim/error/real_gemm.h"
#include "workloads/tensors/npy.h"
#include "workloads/values/value_stream.h"
#include "workloads/zoo/model_zoo.h"

namespace pesim::error {

namespace {

// LLM-like activation outliers for --dist outliers: 1% of A's channels (columns, along K) scaled 20x, the
// magnitude of the systematic outlier features reported for LLM activations (LLM.int8()).
constexpr double kOutlierChannelFraction = 0.01;
constexpr double kOutlierFactor = 20.0;

struct PeErrorRun {
  pe::PeInstance pe;
  PeGemmOperands ops;
  std::string source;     // "normal(sd 1), seed 1" or the .npy paths
  std::string zoo_layer;  // the zoo layer the GEMM samples, if any
};

// Parses "RxC" (zoo sampling) or "MxKxN" (--gemm) into `sizes`; false on anything else.
bool parse_sizes(const std::string& text, std::vector<int64_t>& sizes) {
  sizes.clear();
  size_t start = 0;
  while (start <= text.size()) {
    const size_t x = std::min(text.find('x', start), text.size());
    const std::string part = text.substr(start, x - start);
    if (part.empty() || part.find_first_not_of("0123456789") != std::string::npos || part.size() > 9) return false;
    sizes.push_back(std::stoll(part));
    if (sizes.back() < 1) return false;
    start = x + 1;
  }
  return true;
}

// The zoo layer's GEMM, cut to a block of sampled outputs: every output still runs the layer's full K chain.
void zoo_shape(const ErrorRequest& r, RealGemm& g) {
  const size_t first = r.zoo.find(':'), second = r.zoo.find(':', first + 1);
  if (first == std::string::npos || second == std::string::npos) {
    throw params::ParamError("--zoo '" + r.zoo + "': expected MODEL:PHASE:LAYER (pesim list zoo)");
  }
  workloads::Phase phase{};
  if (!workloads::parse_phase(r.zoo.substr(first + 1, second - first - 1), phase)) {
    throw params::ParamError("--zoo '" + r.zoo + "': phase must be prefill or decode");
  }
  try {
    const auto& model = workloads::find_model(r.zoo.substr(0, first));
    const std::string layer_name = r.zoo.substr(second + 1);
    std::string known;
    for (const auto& layer : workloads::zoo_layers(model, phase, r.batch, r.sequence_length)) {
      known += " " + layer.name;
      if (layer.name != layer_name) continue;
      std::vector<int64_t> block;
      if (!parse_sizes(r.sample_outputs, block) || block.size() != 2) {
        throw params::ParamError("--sample-outputs '" + r.sample_outputs + "': expected RxC");
      }
      g.m = static_cast<int>(std::min(layer.m, block[0]));
      g.k = static_cast<int>(layer.k);
      g.n = static_cast<int>(std::min(layer.n, block[1]));
      g.zoo_layer = fmt::format("{} (layer GEMM {}x{}x{}, x{} blocks; outputs sampled: {}x{})", r.zoo, layer.m, layer.k,
                                layer.n, layer.count, g.m, g.n);
      return;
    }
    throw params::ParamError("--zoo '" + r.zoo + "': no layer '" + layer_name + "'; " + model.name + " has" + known);
  } catch (const std::invalid_argument& e) {
    throw params::ParamError("--zoo '" + r.zoo + "': " + e.what());
  }
}

}  // namespace

RealGemm real_gemm_operands(const ErrorRequest& r) {
  RealGemm g;
  if (!r.npy.empty()) {
    const workloads::Tensor2d a = workloads::read_npy(r.npy[0]);
    const workloads::Tensor2d b = workloads::read_npy(r.npy[1]);
    if (a.cols != b.rows) {
      throw workloads::NpyError(fmt::format("{} is {}x{} but {} is {}x{}: A's columns must equal B's rows", r.npy[0],
                                            a.rows, a.cols, r.npy[1], b.rows, b.cols));
    }
    g.m = static_cast<int>(a.rows);
    g.k = static_cast<int>(a.cols);
    g.n = static_cast<int>(b.cols);
    g.a = a.values;
    g.b = b.values;
    g.source = r.npy[0] + " x " + r.npy[1];
    return g;
  }
  g.m = r.m;
  g.k = r.k;
  g.n = r.n;
  if (!r.zoo.empty()) zoo_shape(r, g);
  if (!r.gemm.empty()) {
    std::vector<int64_t> sizes;
    if (!parse_sizes(r.gemm, sizes) || sizes.size() != 3 || sizes[0] > 65536 || sizes[1] > (1 << 20) ||
        sizes[2] > 65536) {
      throw params::ParamError("--gemm '" + r.gemm + "': expected MxKxN with sizes up to 65536x1048576x65536");
    }
    g.m = static_cast<int>(sizes[0]);
    g.k = static_cast<int>(sizes[1]);
    g.n = static_cast<int>(sizes[2]);
  }
  const bool outliers = r.distribution == "outliers";
  workloads::Distribution dist = workloads::Distribution::Normal;
  if (!outliers) workloads::parse_distribution(r.distribution, dist);
  g.a = workloads::draw_values(dist, r.scale, r.seed, static_cast<size_t>(g.m) * g.k);
  g.b = workloads::draw_values(dist, r.scale, r.seed + 1, static_cast<size_t>(g.k) * g.n);
  if (outliers) workloads::add_channel_outliers(g.a, g.k, kOutlierChannelFraction, kOutlierFactor, r.seed + 2);
  g.source = fmt::format("{} (sd {}), seed {}", r.distribution, r.scale, r.seed);
  return g;
}

namespace {

// For approximate-normalization PEs: the fraction of outputs whose word differs from the same PE with exact
// normalization.
std::optional<double> fraction_differing_from_exact(const PeErrorRun& run, const std::vector<uint64_t>& y) {
  const auto norm = run.pe.params.find("norm");
  if (norm == run.pe.params.end() || norm->second == "exact") return std::nullopt;
  params::Settings exact_settings;
  for (const auto& [key, value] : run.pe.params) exact_settings[key] = {value, "derived"};
  exact_settings["norm"].value = "exact";
  exact_settings["window_bits"].value = "full";
  const pe::PeInstance exact = pe::make_pe(run.pe.kind, exact_settings);
  const std::vector<uint64_t> y_exact = pe_chain_gemm(*exact.core, run.ops);
  int64_t differ = 0;
  for (size_t i = 0; i < y.size(); ++i) differ += y[i] != y_exact[i] ? 1 : 0;
  return static_cast<double>(differ) / static_cast<double>(y.size());
}

std::string bucket_name(size_t b) {
  if (b == 0) return "0";
  if (b == kUlpBucketBounds.size()) return fmt::format(">{}", kUlpBucketBounds.back());
  return fmt::format("<={}", kUlpBucketBounds[b]);
}

void print_pe_json(const ErrorRequest& r, const PeErrorRun& run, const PeErrorStats& s, std::optional<double> differ,
                   double seconds, std::ostream& out) {
  nlohmann::json histogram = nlohmann::json::object();
  for (size_t b = 0; b < kUlpBuckets; ++b) histogram[bucket_name(b)] = s.ulp_histogram[b];
  nlohmann::json j{{"pesim_version", kGitDescribe},
                   {"pe", run.pe.kind},
                   {"params", run.pe.params},
                   {"m", run.ops.m},
                   {"k", run.ops.k},
                   {"n", run.ops.n},
                   {"operands", run.source},
                   {"seed", r.seed},
                   {"outputs", s.outputs},
                   {"max_abs_error", s.max_abs_error},
                   {"mean_abs_error", s.mean_abs_error},
                   {"max_rel_error", s.max_rel_error},
                   {"mean_rel_error", s.mean_rel_error},
                   {"ulp_histogram", histogram},
                   {"nonfinite_outputs", s.nonfinite_outputs},
                   {"seconds", seconds}};
  if (!run.zoo_layer.empty()) j["zoo_layer"] = run.zoo_layer;
  j["fraction_differing_from_exact_normalization"] = differ ? nlohmann::json(*differ) : nlohmann::json(nullptr);
  out << j.dump() << "\n";
}

void print_pe_text(const PeErrorRun& run, const PeErrorStats& s, std::optional<double> differ, double seconds,
                   std::ostream& out) {
  out << fmt::format("pesim {} ({}) error: {} {}\n", kVersion, kGitDescribe, run.pe.kind, run.pe.params_text());
  if (!run.zoo_layer.empty()) out << "zoo layer   " << run.zoo_layer << "\n";
  out << fmt::format("GEMM {}x{}x{} (MxKxN), operands {}; each output a chain of {} mac steps, then the edge unit\n",
                     run.ops.m, run.ops.k, run.ops.n, run.source, run.ops.k);
  out << fmt::format("abs error   max {:.4e}  mean {:.4e}\n", s.max_abs_error, s.mean_abs_error);
  out << fmt::format("rel error   max {:.4e}  mean {:.4e}\n", s.max_rel_error, s.mean_rel_error);
  out << "ULP error   ";
  for (size_t b = 0; b < kUlpBuckets; ++b) out << fmt::format("{}: {}  ", bucket_name(b), s.ulp_histogram[b]);
  out << "\n";
  if (differ) out << fmt::format("differs from exact normalization in {:.4f}% of outputs\n", 100 * *differ);
  out << fmt::format("{} outputs ({} non-finite) in {:.2f} s\n", s.outputs, s.nonfinite_outputs, seconds);
}

}  // namespace

int run_pe_error(const ErrorRequest& r, std::ostream& out, std::ostream& err) {
  const auto start = std::chrono::steady_clock::now();
  PeErrorRun run;
  try {
    run.pe = pe::make_pe(r.pe, params::parse_set_options(r.settings));
    const RealGemm g = real_gemm_operands(r);
    run.ops = {g.m, g.n, g.k, quantize_operands(g.a, true, *run.pe.core), quantize_operands(g.b, false, *run.pe.core)};
    run.source = g.source;
    run.zoo_layer = g.zoo_layer;
  } catch (const std::runtime_error& e) {  // params::ParamError, workloads::NpyError
    err << "pesim error: " << e.what() << "\n";
    return 2;
  }
  const std::vector<uint64_t> y = pe_chain_gemm(*run.pe.core, run.ops);
  const PeErrorStats stats = measure_pe_errors(*run.pe.core, run.ops, y);
  const std::optional<double> differ = fraction_differing_from_exact(run, y);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (r.output_format == "json") {
    print_pe_json(r, run, stats, differ, seconds, out);
  } else {
    print_pe_text(run, stats, differ, seconds, out);
  }
  return 0;
}

}  // namespace pesim::error
