// SPDX-License-Identifier: Apache-2.0
// MixPE's core on hand-worked values, a whole int8 group against an independent integer mpGEMM, and its timing.
#include <bit>
#include <catch2/catch.hpp>
#include <cstring>
#include <random>

#include "models/params/param.h"
#include "models/pe/mixpe/mixpe_core.h"
#include "models/pe/registry.h"
#include "tests/support/test_support.h"

using pesim::pe::MixPeConfig;
using pesim::pe::MixPeCore;

namespace {

uint64_t low(int64_t value, int bits) { return static_cast<uint64_t>(value) & ((uint64_t{1} << bits) - 1); }

}  // namespace

TEST_CASE("mixpe int8: port widths, one MAC and one dequantization by hand", "[mixpe]") {
  const MixPeCore core(MixPeConfig{});  // W4A8, unsigned q, G = 128, fp32 output
  const auto widths = core.widths();
  CHECK(widths.a_bits == 15);    // A of 128 int8 values
  CHECK(widths.b_bits == 21);    // {op, s, q}
  CHECK(widths.acc_bits == 51);  // {y fp32, S of 8 + 4 + 7 bits}
  CHECK(widths.result_bits == 32);

  // -3 * 13 = -39
  const uint64_t after_mac = core.mac(0xfd, core.mac_b(13), core.zero_acc());
  CHECK(core.sum_of(after_mac) == low(-39, 19));
  CHECK(core.finish(after_mac) == 0);
  // A = 10, z = 8, s = 0.5: D = -39 - 8 * 10 = -119, y = 0.5 * -119 = -59.5; S restarts at 0.
  const uint64_t after_dequant = core.mac(10, core.dequant_b(0x3800, 8), after_mac);
  CHECK(core.finish(after_dequant) == pesim::test::fp32_bits(-59.5));
  CHECK(core.sum_of(after_dequant) == 0);
}

TEST_CASE("mixpe int8: a group equals the exact integer mpGEMM followed by one dequantization", "[mixpe]") {
  for (const bool w_signed : {false, true}) {
    MixPeConfig config;
    config.w_signed = w_signed;
    const MixPeCore core(config);
    std::mt19937_64 rng(7);
    for (int trial = 0; trial < 200; ++trial) {
      uint64_t acc = core.zero_acc();
      int64_t sum_aq = 0;
      int64_t sum_a = 0;
      for (int k = 0; k < config.group_size; ++k) {
        const int64_t a = static_cast<int64_t>(rng() % 256) - 128;
        const int64_t q = w_signed ? static_cast<int64_t>(rng() % 16) - 8 : static_cast<int64_t>(rng() % 16);
        acc = core.mac(low(a, 8), core.mac_b(low(q, 4)), acc);
        sum_aq += a * q;
        sum_a += a;
      }
      const int64_t z = w_signed ? 0 : static_cast<int64_t>(rng() % 16);
      const uint64_t scale = 0x2000 + rng() % 0x1800;  // fp16 scales in [2^-7, 2^-1)
      acc = core.mac(low(sum_a, 15), core.dequant_b(scale, low(z, 4)), acc);
      // s * D is exact in a double; the cast is the one rounding to fp32.
      const double s = std::ldexp(1024.0 + static_cast<double>(scale & 0x3ff), static_cast<int>(scale >> 10) - 25);
      CHECK(core.finish(acc) ==
            std::bit_cast<uint32_t>(static_cast<float>(s * static_cast<double>(sum_aq - z * sum_a))));
    }
  }
}

TEST_CASE("mixpe fp16: products are exact, the sign of a zero product is q's", "[mixpe]") {
  MixPeConfig config;
  config.act_fp16 = true;
  config.w_signed = true;
  const MixPeCore core(config);
  CHECK(core.widths().a_bits == 32);    // A is fp32
  CHECK(core.widths().acc_bits == 64);  // {y fp32, S fp32}
  // 1.5 * -3 = -4.5
  CHECK(core.sum_of(core.mac(0x3e00, core.mac_b(0xd), core.zero_acc())) == pesim::test::fp32_bits(-4.5));
  // +0 * -5 = -0, and -0 + -0 = -0
  CHECK(core.sum_of(core.mac(0x0000, core.mac_b(0xb), core.pack_acc(0, 0x80000000))) == 0x80000000);
  // S = 6.0, A = 2.0, z = -1, s = 0.25: D = 6 + 2 = 8, y = 1 + 2 = 3.
  const uint64_t acc = core.pack_acc(pesim::test::fp32_bits(1.0), pesim::test::fp32_bits(6.0));
  CHECK(core.finish(core.mac(pesim::test::fp32_bits(2.0), core.dequant_b(0x3400, 0xf), acc)) ==
        pesim::test::fp32_bits(3.0));
}

TEST_CASE("mixpe timing follows the datapath choice", "[mixpe]") {
  const auto parallel = pesim::pe::make_pe("mixpe", pesim::test::settings("stages=2"));
  CHECK(parallel.timing.latency_cycles == 2);
  CHECK(parallel.timing.initiation_interval_cycles == 1);
  const auto serial = pesim::pe::make_pe("mixpe", pesim::test::settings("datapath=serial,w_bits=3,stages=2"));
  CHECK(serial.timing.latency_cycles == 4);  // 3 weight bits, then one more pipeline stage
  CHECK(serial.timing.initiation_interval_cycles == 3);
  CHECK_THROWS(pesim::pe::make_pe("mixpe", pesim::test::settings("w_bits=9")));
  CHECK_THROWS(pesim::pe::make_pe("mixpe", pesim::test::settings("group_size=0")));
}
