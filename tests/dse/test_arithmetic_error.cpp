// SPDX-License-Identifier: Apache-2.0
// The DSE's arithmetic-error metric (arith_error_rms_rel): a PE's K-order chains on sampled operands against their
// exact product, checked against chains written from the IEEE definition of a fused multiply-add into fp32.
#include <catch2/catch.hpp>
#include <cmath>

#include "dse/space/space_spec.h"
#include "models/array/arch.h"
#include "models/num/seeded_random.h"
#include "sim/error/pe_error.h"

using namespace pesim;

namespace {

const std::string kPes = R"(name: arithmetic
workload: llama2-7b:decode
arch: int8
parameters:
  pe:
    values:
      int8: {pe: mac_int}
      bf16: {pe: fma_fp, pe.in: bf16, pe.acc: fp32, pe.norm: exact}
      fp16: {pe: fma_fp, pe.in: fp16, pe.acc: fp32}
      mixpe_w4a8: {pe: mixpe, pe.act: int8, pe.group_size: 32}
      mixpe_w4a16: {pe: mixpe, pe.act: fp16, pe.group_size: 32}
objectives:
  - minimize: latency_ms
  - minimize: area_mm2
)";

array::ArchSpec arch_of(int pe_level) {
  const dse::SpaceSpec spec = dse::parse_space(kPes, "arithmetic.yaml");
  return array::make_arch(spec.arch_settings({pe_level}));
}

// Round to nearest, ties to even, to `significant_bits` (bf16 8, fp16 11; no overflow or subnormals at these
// magnitudes).
double round_to_bits(double value, int significant_bits) {
  if (value == 0) return value;
  const double quantum = std::ldexp(1.0, std::ilogb(value) - (significant_bits - 1));
  return std::nearbyint(value / quantum) * quantum;
}

}  // namespace

TEST_CASE("Arithmetic error: exact integer chains score 0", "[dse][error]") {
  const array::ArchSpec int8 = arch_of(0);
  const error::PeErrorStats stats = error::sampled_chain_errors(*int8.pe.core, 16, 512, 16, 1);
  CHECK(stats.outputs == 256);
  CHECK(stats.nonfinite_outputs == 0);
  CHECK(stats.rms_rel_error == 0);
}

TEST_CASE("Arithmetic error: bf16 and fp16 FMA chains into fp32 are fmaf's, step for step", "[dse][error]") {
  constexpr int m = 4, k = 1024, n = 5;
  for (const auto& [pe_level, significant_bits] : {std::pair{1, 8}, std::pair{2, 11}}) {
    const error::PeErrorStats stats = error::sampled_chain_errors(*arch_of(pe_level).pe.core, m, k, n, 7);
    // The same draws (A row by row, then B), rounded to the input format, each output a chain of fused
    // multiply-adds rounded once to fp32 (the products are exact in float), against the exact sum (long double:
    // each product has at most 22 significant bits).
    num::SeededRandom random(7);
    std::vector<double> a(m * k), b(k * n);
    for (double& value : a) value = round_to_bits(random.normal(), significant_bits);
    for (double& value : b) value = round_to_bits(random.normal(), significant_bits);
    double squared_error = 0, squared_exact = 0;
    for (int i = 0; i < m; ++i) {
      for (int j = 0; j < n; ++j) {
        float chain = 0.0f;
        long double exact = 0;
        for (int p = 0; p < k; ++p) {
          chain = std::fmaf(static_cast<float>(a[i * k + p]), static_cast<float>(b[p * n + j]), chain);
          exact += static_cast<long double>(a[i * k + p]) * b[p * n + j];
        }
        squared_error += std::pow(static_cast<double>(chain - exact), 2);
        squared_exact += std::pow(static_cast<double>(exact), 2);
      }
    }
    const double reference = std::sqrt(squared_error / squared_exact);
    INFO("significant bits " << significant_bits);
    CHECK(reference > 0);
    CHECK(stats.outputs == m * n);
    CHECK(stats.rms_rel_error == Approx(reference).epsilon(1e-6));
  }
}

TEST_CASE("Arithmetic error: MixPE runs its group schedule, dequantize operations included", "[dse][error]") {
  // A plain chain of MAC steps would never apply the group scales: every output 0, relative error 1.
  // W4A8: int8 x int4 group sums are exact; only the fp32 accumulation of the dequantized groups can round, and on
  // 8 groups of these operands it does not.
  const error::PeErrorStats w4a8 = error::sampled_chain_errors(*arch_of(3).pe.core, 8, 256, 8, 3);
  CHECK(w4a8.outputs == 64);
  CHECK(w4a8.nonfinite_outputs == 0);
  CHECK(w4a8.rms_rel_error == 0);
  // W4A16: fp16 activation sums and products round.
  const error::PeErrorStats w4a16 = error::sampled_chain_errors(*arch_of(4).pe.core, 8, 256, 8, 3);
  CHECK(w4a16.nonfinite_outputs == 0);
  CHECK(w4a16.rms_rel_error > 0);
  CHECK(w4a16.rms_rel_error < 1e-2);
}
