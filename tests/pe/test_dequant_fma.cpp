// SPDX-License-Identifier: Apache-2.0
// dequant_fma's functional core: hand-worked dequantizations (exact, rounded, tie to even), specials, the numeric
// views, the definition against the numeric core's operations, and the registry's parameters.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>
#include <random>

#include "models/num/arith.h"
#include "models/pe/dequant_fma/dequant_fma_core.h"
#include "models/pe/registry.h"
#include "tests/support/test_support.h"

using pesim::pe::DequantFmaConfig;
using pesim::pe::DequantFmaCore;

namespace {

DequantFmaCore make_core(int w_bits, bool w_signed, pesim::num::FloatFormat act = pesim::num::FloatFormat::fp16(),
                         pesim::num::FloatFormat acc = pesim::num::FloatFormat::fp32()) {
  DequantFmaConfig config;
  config.w_bits = w_bits;
  config.w_signed = w_signed;
  config.act_format = act;
  config.acc_format = acc;
  return DequantFmaCore(config);
}

pesim::params::Settings settings(const std::string& text) {
  pesim::params::Settings s;
  pesim::params::parse_assignments(text, "--set", s);
  return s;
}

constexpr uint64_t kFp16One = 0x3C00, kFp16Two = 0x4000;

}  // namespace

TEST_CASE("dequant_fma ports: b = {s, z, q}", "[dequant_fma]") {
  const DequantFmaCore core = make_core(4, false);
  CHECK(core.widths().a_bits == 16);
  CHECK(core.widths().b_bits == 24);
  CHECK(core.widths().acc_bits == 32);
  CHECK(core.widths().result_bits == 32);
  CHECK(core.pack_b(13, 8, 0x2C00) == 0x2C008D);
  CHECK(make_core(8, true, pesim::num::FloatFormat::bf16()).widths().b_bits == 32);
}

// q = 13, z = 8, s = 0.0625 (fp16 0x2C00): w = 5 * 0.0625 = 0.3125 (fp16 0x3500), exact. a = 2.0 adds 0.625.
TEST_CASE("dequant_fma exact dequantization and accumulation", "[dequant_fma]") {
  const DequantFmaCore core = make_core(4, false);
  const uint64_t b = core.pack_b(13, 8, 0x2C00);
  CHECK(core.dequantized_weight(b) == 0x3500);
  CHECK(pesim::num::to_double(core.b_value(b)) == 0.3125);
  CHECK(core.mac(kFp16Two, b, pesim::test::fp32_bits(1.0)) == pesim::test::fp32_bits(1.625));
  CHECK(core.mac(kFp16Two, b, core.zero_acc()) == pesim::test::fp32_bits(0.625));
}

// s = 0x3BFF = 1 - 2^-11 (full mantissa), q = 15, z = 8: d * s = 7 - 7 * 2^-11 = 7 - 0.875 * 2^-8. fp16 has
// ulp 2^-8 in [4, 8), so the product lies 0.125 ulp above 7 - 2^-8 and 0.875 ulp below 7: w = 7 - 2^-8 = 6.99609375
// (fp16 0x46FF; 7 would be 0x4700). The fp32 accumulator gets the rounded weight, not the exact 6.99658203125.
TEST_CASE("dequant_fma rounds the dequantized weight into fp16 once", "[dequant_fma]") {
  const DequantFmaCore core = make_core(4, false);
  const uint64_t b = core.pack_b(15, 8, 0x3BFF);
  CHECK(core.dequantized_weight(b) == 0x46FF);
  CHECK(pesim::num::to_double(core.b_value(b)) == 7 - std::ldexp(1, -8));
  CHECK(core.mac(kFp16One, b, core.zero_acc()) == pesim::test::fp32_bits(7 - std::ldexp(1, -8)));
  CHECK(core.mac(kFp16One, b, core.zero_acc()) != pesim::test::fp32_bits(7 * (1 - std::ldexp(1, -11))));
}

// s = 0x3C01 = 1 + 2^-10, q = 11, z = 8: d * s = 3 + 3 * 2^-10 = 3 + 1.5 ulp (ulp 2^-9 in [2, 4)), a tie between
// mantissas 0x201 (odd) and 0x202 (even): w = 3 + 2^-8 = 3.00390625, fp16 0x4202.
TEST_CASE("dequant_fma dequantization ties to even", "[dequant_fma]") {
  const DequantFmaCore core = make_core(4, false);
  CHECK(core.dequantized_weight(core.pack_b(11, 8, 0x3C01)) == 0x4202);
}

// w_signed: q = -3 (0xD), z = 2: d = -5; s = 0.5 -> w = -2.5; a = 2.0 subtracts 5 from 1.
TEST_CASE("dequant_fma signed weights and zero points", "[dequant_fma]") {
  const DequantFmaCore core = make_core(4, true);
  const uint64_t b = core.pack_b(0xD, 2, 0x3800);
  CHECK(pesim::num::to_double(core.b_value(b)) == -2.5);
  CHECK(core.mac(kFp16Two, b, pesim::test::fp32_bits(1.0)) == pesim::test::fp32_bits(-4.0));
  // Extremes: q = -8, z = 7 -> d = -15; q = 7, z = -8 -> d = 15 (w_bits + 1 bits).
  CHECK(pesim::num::to_double(core.b_value(core.pack_b(0x8, 0x7, kFp16One))) == -15);
  CHECK(pesim::num::to_double(core.b_value(core.pack_b(0x7, 0x8, kFp16One))) == 15);
  const DequantFmaCore wide = make_core(8, false, pesim::num::FloatFormat::bf16());
  CHECK(pesim::num::to_double(wide.b_value(wide.pack_b(0, 255, 0x3F80))) == -255);  // 8 significant bits: exact in bf16
}

TEST_CASE("dequant_fma specials: NaN weights, infinities, the sign of a zero weight", "[dequant_fma]") {
  const DequantFmaCore core = make_core(4, false);
  CHECK(core.mac(kFp16One, core.pack_b(8, 8, 0x7C00), 0) == 0x7FC00000);           // 0 * inf
  CHECK(core.mac(kFp16One, core.pack_b(9, 8, 0x7E00), 0) == 0x7FC00000);           // NaN scale
  CHECK(core.mac(kFp16One, core.pack_b(9, 8, 0x7C00), 0) == 0x7F800000);           // 1 * inf
  CHECK(core.mac(kFp16One, core.pack_b(0, 8, 0x0000), 0x80000000) == 0x80000000);  // -8 * +0 = -0; -0 + -0
  CHECK(core.mac(kFp16One, core.pack_b(8, 0, 0x0000), 0x80000000) == 0);           // +0 + -0 = +0
  CHECK(core.dequantized_weight(core.pack_b(15, 0, 0x7BFF)) == 0x7C00);            // 15 * 65504 overflows fp16
  CHECK(core.negate_acc(pesim::test::fp32_bits(1.0)) == pesim::test::fp32_bits(-1.0));
}

TEST_CASE("dequant_fma numeric views: quantize_b encodes s = 1 and the nearest integer", "[dequant_fma]") {
  const DequantFmaCore unsigned_core = make_core(4, false);
  const DequantFmaCore signed_core = make_core(4, true);
  CHECK(unsigned_core.quantize_b(3.0) == unsigned_core.pack_b(11, 8, kFp16One));  // z = 2^(w-1)
  CHECK(signed_core.quantize_b(-3.0) == signed_core.pack_b(0xD, 0, kFp16One));    // z = 0
  for (const DequantFmaCore* core : {&unsigned_core, &signed_core}) {
    CHECK(pesim::num::to_double(core->b_value(core->quantize_b(2.5))) == 2);  // ties to even
    CHECK(pesim::num::to_double(core->b_value(core->quantize_b(-2.6))) == -3);
    CHECK(pesim::num::to_double(core->b_value(core->quantize_b(100))) == 7);  // saturates to [-8, 7]
    CHECK(pesim::num::to_double(core->b_value(core->quantize_b(-100))) == -8);
  }
  CHECK(unsigned_core.quantize_a(0.3125) == 0x3500);
  CHECK(pesim::num::to_double(unsigned_core.a_value(0x3500)) == 0.3125);
  // bf16: q = 9, z = 8, s = 1.0 (0x3F80).
  CHECK(make_core(4, false, pesim::num::FloatFormat::bf16()).quantize_b(1.0) == 0x3F8089);
  CHECK(unsigned_core.result_ulp(1.0) == std::ldexp(1, -23));
}

TEST_CASE("dequant_fma equals mul then fused multiply-add of the numeric core", "[dequant_fma]") {
  using pesim::num::FloatFormat;
  for (const bool w_signed : {false, true}) {
    for (const auto& [act, acc] :
         {std::pair{FloatFormat::fp16(), FloatFormat::fp32()}, std::pair{FloatFormat::bf16(), FloatFormat::fp32()},
          std::pair{FloatFormat::fp16(), FloatFormat::fp16()}}) {
      const DequantFmaCore core = make_core(4, w_signed, act, acc);
      std::mt19937_64 rng(5);
      for (int i = 0; i < 20000; ++i) {
        const uint64_t q = rng() & 15, z = rng() & 15, s = rng() & 0xffff, a = rng() & 0xffff;
        const uint64_t c = rng() & ((uint64_t{1} << acc.width_bits()) - 1);
        const auto as_int = [&](uint64_t v) {
          return w_signed && v >= 8 ? static_cast<int>(v) - 16 : static_cast<int>(v);
        };
        const uint64_t d = pesim::num::from_double(act, as_int(q) - as_int(z)).bits;
        const uint64_t weight = pesim::num::mul(act, d, s).bits;
        REQUIRE(core.mac(a, core.pack_b(q, z, s), c) == pesim::num::fma_mixed(act, a, weight, acc, c, acc).bits);
      }
    }
  }
}

TEST_CASE("dequant_fma registry: parameters and their RTL binding", "[dequant_fma][registry]") {
  using Catch::Matchers::Contains;
  const auto pe = pesim::pe::make_pe("dequant_fma", {});
  CHECK(pe.params_text() == "acc=fp32,act=fp16,stages=1,w_bits=4,w_signed=0");
  CHECK(pe.rtl.top_module == "dequant_fma");
  const std::map<std::string, int64_t> expected{{"W_BITS", 4},   {"W_SIGNED", 0},   {"IN_EXP", 5},
                                                {"IN_MAN", 10},  {"IN_BIAS", 15},   {"ACC_EXP", 8},
                                                {"ACC_MAN", 23}, {"ACC_BIAS", 127}, {"STAGES", 1}};
  CHECK(pe.rtl.parameters == expected);
  const auto bf16 = pesim::pe::make_pe("dequant_fma", settings("w_bits=8,w_signed=1,act=bf16,acc=fp16,stages=2"));
  CHECK(bf16.core->widths().b_bits == 32);
  CHECK(bf16.rtl.parameters.at("IN_EXP") == 8);
  CHECK(bf16.rtl.parameters.at("ACC_MAN") == 10);
  CHECK(bf16.timing.latency_cycles == 2);
  CHECK_THROWS_WITH(pesim::pe::make_pe("dequant_fma", settings("w_bits=9")), Contains("2..8"));
  CHECK_THROWS_WITH(pesim::pe::make_pe("dequant_fma", settings("w_bits=1")), Contains("2..8"));
  CHECK_THROWS_WITH(pesim::pe::make_pe("dequant_fma", settings("act=e4m3")), Contains("fp16"));
}
