// SPDX-License-Identifier: Apache-2.0
// fma_fp's functional core: exact variant vs the numeric core, approximate variants on hand-worked chains, and
// window_bits=full vs the exact variant over long random chains.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>
#include <random>

#include "models/num/arith.h"
#include "models/pe/fma_fp/fma_fp_core.h"
#include "models/pe/registry.h"
#include "tests/support/test_support.h"

using pesim::pe::FmaFpConfig;
using pesim::pe::FmaFpCore;

namespace {

FmaFpCore make_core(bool approximate, int window_bits, pesim::num::FloatFormat acc = pesim::num::FloatFormat::fp32()) {
  FmaFpConfig config;
  config.acc_format = acc;
  config.approximate = approximate;
  config.window_bits = window_bits;
  return FmaFpCore(config);
}

// Runs a chain from +0 (or from c0) and returns the edge unit's result.
uint64_t run_chain(const FmaFpCore& core, uint64_t c0_acc_bits, const std::vector<std::pair<uint64_t, uint64_t>>& ops,
                   bool approximate) {
  uint64_t acc = approximate ? core.internal_from_acc(c0_acc_bits) : c0_acc_bits;
  for (const auto& [a, b] : ops) acc = core.mac(a, b, acc);
  return core.finish(acc);
}

}  // namespace

TEST_CASE("fma_fp exact equals the numeric core's fused multiply-add", "[fma_fp]") {
  const FmaFpCore core = make_core(false, 0);
  std::mt19937_64 rng(7);
  const auto bf16 = pesim::num::FloatFormat::bf16();
  const auto fp32 = pesim::num::FloatFormat::fp32();
  for (int i = 0; i < 200000; ++i) {
    const uint64_t a = rng() & 0xffff, b = rng() & 0xffff, c = rng() & 0xffffffff;
    REQUIRE(core.mac(a, b, c) == pesim::num::fma_mixed(bf16, a, b, fp32, c, fp32).bits);
  }
}

// c0 = 1.0; step 1 adds -(1 - 2^-8)^2, cancelling 8 bits: 2^-7 - 2^-16. Step 2 adds 2^-15 * 2^-15 = 2^-30.
// The exact sum 2^-7 - 2^-16 + 2^-30 spans 23 bits, so fp32 holds it. With a 1-bit window, step 1 leaves the sum
// with its top slot at 2^-1 (a 1-bit shift), so step 2 rounds at 2^-25 and 2^-30 is lost; a 2-bit window reaches
// 2^-4 after two steps (rounding at 2^-27): lost too. A 4-bit window reaches 2^-8 in step 2 (rounding at 2^-31) and
// an 8-bit one normalizes step 1 fully: nothing is lost.
TEST_CASE("fma_fp approximate normalization loses the low bits after deep cancellation", "[fma_fp]") {
  const uint64_t one = pesim::test::fp32_bits(1.0);
  const std::vector<std::pair<uint64_t, uint64_t>> ops{{0xBF7F, 0x3F7F}, {0x3800, 0x3800}};
  const uint64_t exact = pesim::test::fp32_bits(std::ldexp(1, -7) - std::ldexp(1, -16) + std::ldexp(1, -30));
  const uint64_t truncated = pesim::test::fp32_bits(std::ldexp(1, -7) - std::ldexp(1, -16));
  CHECK(run_chain(make_core(false, 0), one, ops, false) == exact);
  CHECK(run_chain(make_core(true, 0), one, ops, true) == exact);
  CHECK(run_chain(make_core(true, 8), one, ops, true) == exact);
  CHECK(run_chain(make_core(true, 4), one, ops, true) == exact);
  CHECK(run_chain(make_core(true, 2), one, ops, true) == truncated);
  CHECK(run_chain(make_core(true, 1), one, ops, true) == truncated);
}

TEST_CASE("fma_fp 1-bit window: the word after cancellation is un-normalized by exactly one shift", "[fma_fp]") {
  const FmaFpCore core = make_core(true, 1);
  const uint64_t word = core.mac(0xBF7F, 0x3F7F, core.internal_from_acc(pesim::test::fp32_bits(1.0)));
  // Top slot 2^-1 (exponent field 126), LSB 2^-24: 2^-7 - 2^-16 = 511 * 2^-16 = (511 << 8) * 2^-24.
  CHECK(((word >> 24) & 0xff) == 126);
  CHECK((word & 0xffffff) == (511u << 8));
  CHECK(core.finish(word) == pesim::test::fp32_bits(std::ldexp(1, -7) - std::ldexp(1, -16)));
}

TEST_CASE("fma_fp window_bits=full equals the exact variant over long random chains", "[fma_fp]") {
  for (const auto& acc : {pesim::num::FloatFormat::fp32(), pesim::num::FloatFormat::bf16()}) {
    const FmaFpCore exact = make_core(false, 0, acc);
    const FmaFpCore full = make_core(true, 0, acc);
    std::mt19937_64 rng(11);
    std::normal_distribution<double> normal;
    for (int chain = 0; chain < 2000; ++chain) {
      uint64_t exact_acc = exact.zero_acc(), full_acc = full.zero_acc();
      for (int k = 0; k < 256; ++k) {
        const uint64_t a = exact.quantize_a(normal(rng)), b = exact.quantize_b(normal(rng));
        exact_acc = exact.mac(a, b, exact_acc);
        full_acc = full.mac(a, b, full_acc);
        REQUIRE(full.finish(full_acc) == exact_acc);
      }
    }
  }
}

TEST_CASE("fma_fp specials: canonical NaN, infinities, signed zeros", "[fma_fp]") {
  const FmaFpCore core = make_core(true, 2);
  const uint64_t inf = core.internal_from_acc(0x7f800000);
  CHECK(core.finish(core.mac(0x7f80, 0x0000, 0)) == 0x7fc00000);                                   // inf * 0
  CHECK(core.finish(core.mac(0xff80, 0x3f80, inf)) == 0x7fc00000);                                 // -inf + inf
  CHECK(core.finish(core.mac(0x3f80, 0x3f80, inf)) == 0x7f800000);                                 // finite + inf
  CHECK(core.finish(core.mac(0x8000, 0x3f80, core.internal_from_acc(0x80000000))) == 0x80000000);  // -0 + -0
  CHECK(core.finish(core.mac(0xbf80, 0x3f80, core.internal_from_acc(0x3f800000))) == 0);           // 1 - 1 = +0
  CHECK(core.finish(core.mac(0x7f7f, 0x7f7f, 0)) == 0x7f800000);                                   // overflow to inf
}

TEST_CASE("fma_fp internal word round trip of every acc-format class", "[fma_fp]") {
  const FmaFpCore core = make_core(true, 4);
  for (uint64_t bits :
       {0x00000000u, 0x80000000u, 0x00000001u, 0x807fffffu, 0x00800000u, 0x3f800000u, 0x7f7fffffu, 0xff800000u}) {
    CHECK(core.finish(core.internal_from_acc(bits)) == bits);
  }
}
