// SPDX-License-Identifier: Apache-2.0
// The value check's exact sums: the 128-bit integer path (ExactSumPath::fast) gives the same statistics as MPFR's
// (ExactSumPath::reference), field for field, on quantized GEMMs of every kind and on values at the integer path's
// limits; and where the values do not allow it, the fast path falls back to MPFR.
#include <bit>
#include <catch2/catch.hpp>
#include <cmath>

#include "models/array/arch.h"
#include "models/num/seeded_random.h"
#include "sim/cycle/gemm_operations.h"
#include "sim/error/pe_error.h"
#include "tests/support/test_support.h"
#include "workloads/values/value_stream.h"

using namespace pesim;

namespace {

void check_same_stats(const error::PeErrorStats& fast, const error::PeErrorStats& reference) {
  CHECK(fast.outputs == reference.outputs);
  CHECK(fast.nonfinite_outputs == reference.nonfinite_outputs);
  CHECK(fast.nonzero_outputs == reference.nonzero_outputs);
  CHECK(fast.max_abs_error == reference.max_abs_error);
  CHECK(fast.mean_abs_error == reference.mean_abs_error);
  CHECK(fast.max_rel_error == reference.max_rel_error);
  CHECK(fast.mean_rel_error == reference.mean_rel_error);
  CHECK(fast.rms_rel_error == reference.rms_rel_error);
  CHECK(fast.sum_squared_error == reference.sum_squared_error);
  CHECK(fast.sum_squared_exact == reference.sum_squared_exact);
  CHECK(fast.ulp_histogram == reference.ulp_histogram);
}

void check_paths_agree(const pe::IPeCore& core, const error::GemmValues& values, const std::vector<uint64_t>& y) {
  const std::vector<size_t> all = error::checked_outputs(error::CheckedOutputs::full, values.m, values.n, 0);
  check_same_stats(error::measure_value_errors(core, values, y, all, error::ExactSumPath::fast),
                   error::measure_value_errors(core, values, y, all, error::ExactSumPath::reference));
}

}  // namespace

TEST_CASE("value check: integer exact sums equal MPFR's on quantized GEMMs", "[value_check]") {
  for (const char* config : {"pe=mac_int", "pe=fma_fp,pe.in=bf16", "pe=fma_fp,pe.in=fp16",
                             "pe=fma_fp,pe.in=e4m3,pe.acc=bf16,pe.norm=approx,pe.window_bits=2",
                             "pe=mac_fixed,pe.acc_bits=12,pe.acc_int_bits=4", "pe=bitfusion", "pe=mixpe,pe.act=fp16"}) {
    const auto arch = array::make_arch(test::settings(config));
    for (double scale : {1.0, 1e-6, 300.0}) {
      INFO(config << " scale " << scale);
      const int64_t m = 7, n = 5, k = 300;
      const auto a = workloads::draw_values(workloads::Distribution::Normal, scale, 11, static_cast<size_t>(m * k));
      const auto b = workloads::draw_values(workloads::Distribution::Laplace, 1.0, 12, static_cast<size_t>(k * n));
      const cycle::GemmOperations g = cycle::gemm_operations(arch.pe, a, b, m, n, k);
      const error::PeGemmOperands ops{static_cast<int>(m), static_cast<int>(n), static_cast<int>(g.words.k), g.words.a,
                                      g.words.b};
      CHECK(error::exact_sums_fit_integers(g.values));
      check_paths_agree(*arch.pe.core, g.values, error::pe_chain_gemm(*arch.pe.core, ops));
    }
  }
}

TEST_CASE("value check: integer exact sums at their limits, and the fallback beyond", "[value_check]") {
  const auto arch = array::make_arch(test::settings("pe=fma_fp,pe.in=bf16,pe.acc=fp32"));
  const pe::IPeCore& core = *arch.pe.core;
  num::SeededRandom random(3);
  // A's values are multiples of 2^-58 below 2^1 (59 bits), B's of 2^-50 below 2^10 (60 bits): k = 15 products need
  // 124 bits, inside the integer path, k = 40 126 bits, its limit; A down to 2^-70 or 2^-1000 is beyond it.
  for (const auto& [k, a_low] : std::vector<std::pair<int64_t, int>>{{15, -58}, {40, -58}, {40, -70}, {4, -1000}}) {
    INFO("k " << k << " lowest A exponent " << a_low);
    const int64_t m = 3, n = 4;
    error::GemmValues values{m, n, k, std::vector<double>(static_cast<size_t>(m * k)),
                             std::vector<double>(static_cast<size_t>(k * n))};
    for (size_t i = 0; i < values.a.size(); ++i) {
      const double sign = random.index(2) == 0 ? -1.0 : 1.0;
      values.a[i] = i % 3 == 0 ? sign * std::ldexp(1.0, a_low) : sign * std::ldexp(1.0 + random.index(1000), -9);
    }
    for (size_t i = 0; i < values.b.size(); ++i) {
      values.b[i] = i % 4 == 1 ? std::ldexp(1.0, -50) : -std::ldexp(1.0 + random.index(1 << 20), -10);
    }
    values.b[0] = std::ldexp(1023.0, 0);
    std::vector<uint64_t> y(static_cast<size_t>(m * n));
    for (size_t i = 0; i < y.size(); ++i)
      y[i] = std::bit_cast<uint32_t>(static_cast<float>(i) - 3.5f);  // fp32 result words
    CHECK(error::exact_sums_fit_integers(values) == (a_low == -58));
    check_paths_agree(core, values, y);
  }
  SECTION("non-finite values take MPFR's path") {
    error::GemmValues values{1, 1, 2, {INFINITY, 1.0}, {1.0, 2.0}};
    CHECK_FALSE(error::exact_sums_fit_integers(values));
    check_paths_agree(core, values, {std::bit_cast<uint32_t>(1.0f)});
  }
}

TEST_CASE("operand values and words do not depend on the thread count", "[value_check]") {
  // Sizes that split into several chunks (the chunks are 2^15 values), with a remainder.
  const int64_t m = 300, n = 70, k = 333;
  const cycle::RealOperands one = cycle::normal_operands(m, n, k, 5, 1);
  const cycle::RealOperands three = cycle::normal_operands(m, n, k, 5, 3);
  CHECK(one.a == three.a);
  CHECK(one.b == three.b);
  CHECK(one.a == workloads::draw_values(workloads::Distribution::Normal, 1.0, 5, static_cast<size_t>(m * k)));
  for (const char* config : {"pe=mac_int", "pe=fma_fp,pe.in=fp16", "pe=bitfusion,pe.a_bits=4,pe.b_bits=4"}) {
    INFO(config);
    const auto arch = array::make_arch(test::settings(config));
    const cycle::GemmOperations g1 = cycle::gemm_operations(arch.pe, one.a, one.b, m, n, k, 1);
    const cycle::GemmOperations g3 = cycle::gemm_operations(arch.pe, one.a, one.b, m, n, k, 3);
    CHECK(g1.words.a == g3.words.a);
    CHECK(g1.words.b == g3.words.b);
    CHECK(g1.values.a == g3.values.a);
    CHECK(g1.values.b == g3.values.b);
  }
}
