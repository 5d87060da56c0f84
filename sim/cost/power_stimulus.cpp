// SPDX-License-Identifier: Apache-2.0
#include "sim/cost/power_stimulus.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "sim/cosim/stimulus.h"
#include "sim/error/pe_error.h"
#include "sim/error/real_gemm.h"

namespace pesim::cost {

namespace {

constexpr int64_t kResetCycles = 2;

error::RealGemm real_operands(const StimulusOptions& o) {
  error::ErrorRequest r;
  r.gemm = o.gemm;
  r.npy = o.npy;
  r.zoo = o.zoo;
  r.batch = o.batch;
  r.sequence_length = o.sequence_length;
  r.distribution = o.distribution;
  r.scale = o.scale;
  r.seed = o.seed;
  return error::real_gemm_operands(r);
}

// The largest magnitude a saturating operand format holds well (1.5 x its largest exact power of two, or that
// power), or 0 when the format overflows to infinity and takes values unscaled.
double saturating_top(const pe::IPeCore& core, bool is_a) {
  auto value = [&](double v) {
    const uint64_t word = is_a ? core.quantize_a(v) : core.quantize_b(v);
    return num::to_double(is_a ? core.a_value(word) : core.b_value(word));
  };
  if (!std::isfinite(value(1e300))) return 0;
  for (int e = 62; e > -60; --e) {
    const double p = std::ldexp(1.0, e);
    if (value(p) != p) continue;
    return std::abs(value(1.5 * p) - 1.5 * p) <= p / 64 ? 1.5 * p : p;
  }
  return 0;
}

std::vector<uint64_t> operand_words(std::vector<double> values, bool is_a, const pe::IPeCore& core) {
  const double top = saturating_top(core, is_a);
  double largest = 0;
  for (double v : values) largest = std::max(largest, std::abs(v));
  if (top > 0 && largest > 0) {
    for (double& v : values) v *= top / largest;
  }
  return error::quantize_operands(values, is_a, core);
}

// `lanes` operand words packed into one port word, lane i in bits [i * port_bits / lanes, ...).
uint64_t pack(const std::vector<uint64_t>& words, size_t first, size_t stride, int lanes, int port_bits) {
  if (lanes == 1) return words[first];
  const int lane_bits = port_bits / lanes;
  const uint64_t mask = lane_bits >= 64 ? ~uint64_t{0} : (uint64_t{1} << lane_bits) - 1;
  uint64_t packed = 0;
  for (int i = 0; i < lanes; ++i) packed |= (words[first + i * stride] & mask) << (i * lane_bits);
  return packed;
}

// Appends one operation and the idle cycles of its initiation interval (ports held, in_valid 0).
void issue(PortStimulus& s, const pe::PeInstance& pe, uint64_t a, uint64_t b, uint64_t c, double macs) {
  s.cycles.push_back(rtl::PeInputs{false, true, a, b, c});
  for (int i = 1; i < pe.timing.initiation_interval_cycles; ++i)
    s.cycles.push_back(rtl::PeInputs{false, false, a, b, c});
  ++s.operations;
  s.macs += macs;
}

void weight_stationary(const pe::PeInstance& pe, const error::RealGemm& g, const StimulusOptions& o, PortStimulus& s) {
  const pe::IPeCore& core = *pe.core;
  const pe::PortWidths w = core.widths();
  const std::vector<uint64_t> a = operand_words(g.a, true, core), b = operand_words(g.b, false, core);
  const int lanes = w.lanes;
  const int k_ops = g.k / lanes;  // operations along K
  if (k_ops < 1) throw params::ParamError(fmt::format("K = {} is smaller than the PE's {} lanes", g.k, lanes));
  const int row = std::min(o.pe_row, k_ops - 1);
  const int rows = row + 1;  // the fold: this PE and the rows above it
  s.dataflow = fmt::format("weight-stationary, PE in row {} of its column (c carries {} products)", row, row * lanes);
  s.source = g.source + (g.zoo_layer.empty() ? "" : ", " + g.zoo_layer);
  // Folds of `rows` operations along K, each column n of B, each row m of A.
  for (int fold = 0; s.operations < o.operations; fold = (fold + 1) % std::max(1, k_ops / rows)) {
    const size_t k0 = static_cast<size_t>(fold) * rows * lanes;
    for (int n = 0; n < g.n && s.operations < o.operations; ++n) {
      const uint64_t weight = pack(b, (k0 + row * lanes) * g.n + n, g.n, lanes, w.b_bits);
      for (int m = 0; m < g.m && s.operations < o.operations; ++m) {
        uint64_t c = core.zero_acc();
        for (int r = 0; r < row; ++r) {
          const size_t k = k0 + r * lanes;
          c = core.mac(pack(a, m * static_cast<size_t>(g.k) + k, 1, lanes, w.a_bits),
                       pack(b, k * g.n + n, g.n, lanes, w.b_bits), c);
        }
        issue(s, pe, pack(a, m * static_cast<size_t>(g.k) + k0 + row * lanes, 1, lanes, w.a_bits), weight, c, lanes);
      }
    }
  }
}

// A kind with its own GEMM mapping (IPeCore::map_gemm): each output's operation chain in turn, output-stationary,
// rows cycling; the stream stops at a group boundary once it has the operations asked for.
void mapped_output_stationary(const pe::PeInstance& pe, const pe::GemmMapping& mapped, const error::RealGemm& g,
                              const StimulusOptions& o, PortStimulus& s) {
  const pe::IPeCore& core = *pe.core;
  s.dataflow = "output-stationary, " + mapped.layout;
  s.source = g.source + (g.zoo_layer.empty() ? "" : ", " + g.zoo_layer) + "; " + mapped.quantization;
  for (int m = 0; s.operations < o.operations; m = (m + 1) % g.m) {
    for (int n = 0; n < g.n && s.operations < o.operations; ++n) {
      uint64_t acc = core.zero_acc();
      for (int64_t op = 0; op < mapped.ops; ++op) {
        if (mapped.starts_group(op) && s.operations >= o.operations) break;
        const uint64_t a = mapped.a_words[static_cast<size_t>(m * mapped.ops + op)];
        const uint64_t b = mapped.b_words[static_cast<size_t>(op * g.n + n)];
        issue(s, pe, a, b, acc, mapped.macs_per_op[static_cast<size_t>(op)]);
        acc = core.mac(a, b, acc);
      }
    }
  }
}

// The vector file through pesim cosim's reader, with the ports held between operations.
void from_vector_file(const pe::PeInstance& pe, const StimulusOptions& o, PortStimulus& s) {
  cosim::Stimulus file(pe, o.vector_file);
  s.dataflow = "vector file";
  s.source = o.vector_file;
  rtl::PeInputs held;
  for (uint64_t cycle = kResetCycles; !file.exhausted(cycle); ++cycle) {
    rtl::PeInputs in = file.next(cycle, rtl::PeOutputs{});
    if (in.valid) {
      held = in;
      ++s.operations;
      s.macs += pe.core->widths().lanes;
    } else {
      in = rtl::PeInputs{false, false, held.a, held.b, held.c};
    }
    s.cycles.push_back(in);
  }
}

PortStimulus port_stimulus(const pe::PeInstance& pe, const StimulusOptions& options) {
  PortStimulus s;
  s.reset_cycles = kResetCycles;
  s.cycles.assign(kResetCycles, rtl::PeInputs{true, false, 0, 0, 0});
  if (options.operations < 1) throw params::ParamError("--vectors must be at least 1");
  if (!options.vector_file.empty()) {
    from_vector_file(pe, options, s);
  } else {
    const error::RealGemm g = real_operands(options);
    if (const std::optional<pe::GemmMapping> mapped = pe.core->map_gemm(g.a, g.b, g.m, g.n, g.k)) {
      mapped_output_stationary(pe, *mapped, g, options, s);
    } else {
      weight_stationary(pe, g, options, s);
    }
  }
  return s;
}

}  // namespace

PortStimulus make_port_stimulus(const pe::PeInstance& pe, const StimulusOptions& options) {
  try {
    return port_stimulus(pe, options);
  } catch (const StimulusError&) {
    throw;
  } catch (const std::exception& e) {  // params::ParamError, workloads::NpyError, the vector file's reader
    throw StimulusError(e.what());
  }
}

}  // namespace pesim::cost
