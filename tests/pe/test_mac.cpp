// SPDX-License-Identifier: Apache-2.0
// mac_int and mac_fixed cores on hand-worked values, and the K-hot weight quantizer.
#include <catch2/catch.hpp>
#include <cmath>
#include <random>

#include "models/pe/mac_fixed/mac_fixed_core.h"
#include "models/pe/mac_int/mac_int_core.h"

using pesim::num::FixedFormat;
using pesim::num::IntFormat;

TEST_CASE("mac_int wraps or saturates the exact sum", "[mac_int]") {
  pesim::pe::MacIntConfig config;
  config.acc_format = IntFormat::make(16, true);
  const pesim::pe::MacIntCore wrap(config);
  CHECK(wrap.mac(0x80, 0x80, 0) == 0x4000);       // -128 * -128 = 16384
  CHECK(wrap.mac(0x80, 0x80, 0x4000) == 0x8000);  // 32768 wraps to -32768
  CHECK(wrap.mac(0xff, 0x02, 0x0001) == 0xffff);  // 1 + (-1 * 2) = -1
  config.acc_format.saturate = true;
  const pesim::pe::MacIntCore saturating(config);
  CHECK(saturating.mac(0x80, 0x80, 0x4000) == 0x7fff);
  config.a_format = IntFormat::make(4, false);
  const pesim::pe::MacIntCore unsigned_a(config);
  CHECK(unsigned_a.mac(0xf, 0xff, 0) == 0xfff1);  // 15 * -1 = -15
}

TEST_CASE("mac_fixed applies the accumulator's quantization and overflow once", "[mac_fixed]") {
  pesim::pe::MacFixedConfig config;
  config.a_format = FixedFormat{8, 4, true};  // 4 fraction bits
  config.b_format = FixedFormat{8, 4, true};
  config.acc_format = FixedFormat{8, 6, true};  // 2 fraction bits, range [-32, 31.75]
  config.acc_format.quantization = pesim::num::Quantization::Rnd;
  config.acc_format.overflow = pesim::num::Overflow::Sat;
  const pesim::pe::MacFixedCore core(config);
  // 1.5625 (0x19) * 1.0625 (0x11) = 1.66015625; + 0.25 = 1.91015625 -> AP_RND at 0.25: 2.0 = raw 8.
  CHECK(core.mac(0x19, 0x11, 0x01) == 0x08);
  // 7.9375 * 7.9375 = 63.00390625 saturates to 31.75 = raw 0x7f.
  CHECK(core.mac(0x7f, 0x7f, 0x00) == 0x7f);
  config.acc_format.overflow = pesim::num::Overflow::Wrap;
  const pesim::pe::MacFixedCore wrapping(config);
  // 63.00390625 -> AP_RND 63.0 = raw 252 -> low 8 bits 0xfc (-1.0).
  CHECK(wrapping.mac(0x7f, 0x7f, 0x00) == 0xfc);
}

TEST_CASE("K-hot weights: port encoding, exact products and the nearest-value quantizer", "[mac_fixed]") {
  pesim::pe::MacFixedConfig config;  // b: ap_fixed<8,2>, 6 fraction bits; exp field 3 bits, terms of 5 bits
  config.khot_terms = 2;
  const pesim::pe::MacFixedCore core(config);
  CHECK(core.widths().b_bits == 10);
  // Terms {enable, negative, exp}: +2^(5-6) = 0.5 and -2^(3-6) = -0.125: w = 0.375.
  const uint64_t w = (0b10101u) | (0b11011u << 5);
  CHECK(pesim::num::to_double(core.b_value(w)) == 0.375);
  CHECK(pesim::num::to_double(core.b_value(core.quantize_b(0.7))) == 0.75);      // 0.5 + 0.25 beats 0.625
  CHECK(pesim::num::to_double(core.b_value(core.quantize_b(-0.3))) == -0.3125);  // -0.25 - 0.0625
  CHECK(pesim::num::to_double(core.b_value(core.quantize_b(0.0))) == 0.0);
  config.khot_terms = 1;
  const pesim::pe::MacFixedCore one_hot(config);
  CHECK(pesim::num::to_double(one_hot.b_value(one_hot.quantize_b(0.7))) == 0.5);
  CHECK(pesim::num::to_double(one_hot.b_value(one_hot.quantize_b(0.76))) == 1.0);
  CHECK(pesim::num::to_double(one_hot.b_value(one_hot.quantize_b(100.0))) == 2.0);  // largest power: 2^(7-6)
}

TEST_CASE("mac_int's host-integer mac equals the exact-value path for every width and mode", "[mac_int]") {
  std::mt19937_64 rng(3);
  for (int trial = 0; trial < 200; ++trial) {
    pesim::pe::MacIntConfig config;
    config.a_format = IntFormat::make(1 + static_cast<int>(rng() % 32), rng() & 1);
    config.b_format = IntFormat::make(1 + static_cast<int>(rng() % 32), rng() & 1);
    config.acc_format = IntFormat::make(2 + static_cast<int>(rng() % 61), rng() & 1);
    config.acc_format.saturate = rng() & 1;
    const pesim::pe::MacIntCore fast(config);
    const pesim::pe::ExactMacCore exact(config.a_format, config.b_format, config.acc_format);
    for (int i = 0; i < 500; ++i) {
      const uint64_t a = rng(), b = rng(), c = rng();
      const uint64_t mask_a = (uint64_t{1} << config.a_format.width_bits) - 1;
      const uint64_t mask_b = (uint64_t{1} << config.b_format.width_bits) - 1;
      const uint64_t mask_c = (uint64_t{1} << config.acc_format.width_bits) - 1;
      INFO(trial << ": " << config.a_format.name << " x " << config.b_format.name << " -> " << config.acc_format.name
                 << (config.acc_format.saturate ? " saturating" : ""));
      REQUIRE(fast.mac(a & mask_a, b & mask_b, c & mask_c) == exact.mac(a & mask_a, b & mask_b, c & mask_c));
    }
  }
}
