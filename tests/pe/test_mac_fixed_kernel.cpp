// SPDX-License-Identifier: Apache-2.0
// mac_fixed's host-integer kernel (FixedMacKernel) against the exact-value core (ExactMacCore::mac, the bit-level
// reference): every quantization and overflow mode on every 8-bit operand pair against edge accumulators, and
// 10^6 random and edge steps per configuration (LSB offsets both ways, unsigned formats, narrow accumulators that
// overflow often, K-hot weights); 10^8 in the long label (PESIM_KERNEL_STEPS overrides both).
#include <catch2/catch.hpp>
#include <random>
#include <vector>

#include "models/num/fixed_format.h"
#include "models/pe/mac_fixed/mac_fixed_core.h"
#include "tests/support/kernel_test_support.h"

using pesim::num::FixedFormat;
using pesim::num::Overflow;
using pesim::num::Quantization;
using pesim::pe::ExactMacCore;
using pesim::pe::MacFixedConfig;
using pesim::pe::MacFixedCore;

namespace {

constexpr Quantization kQuantizations[] = {Quantization::Rnd,    Quantization::RndZero, Quantization::RndMinInf,
                                           Quantization::RndInf, Quantization::RndConv, Quantization::Trn,
                                           Quantization::TrnZero};
constexpr Overflow kOverflows[] = {Overflow::Sat, Overflow::SatZero, Overflow::SatSym, Overflow::Wrap,
                                   Overflow::WrapSm};

MacFixedConfig config_of(FixedFormat a, FixedFormat b, FixedFormat acc, Quantization q, Overflow o, int khot = 0) {
  acc.quantization = q;
  acc.overflow = o;
  return MacFixedConfig{a, b, acc, khot};
}

void compare(const MacFixedCore& core, const std::vector<uint64_t>& a, const std::vector<uint64_t>& b,
             const std::vector<uint64_t>& acc, int64_t& compared) {
  const std::optional<pesim::test::KernelMismatch> m = pesim::test::compare_with_exact_core(core, a, b, acc, compared);
  INFO(pesim::test::describe(m));
  REQUIRE_FALSE(m.has_value());
}

void check_random_steps(const MacFixedConfig& config, int64_t steps, uint64_t seed) {
  const MacFixedCore core(config);
  REQUIRE(core.has_fast_kernel());
  std::mt19937_64 rng(seed);
  int64_t compared = 0;
  const std::optional<pesim::test::KernelMismatch> m = pesim::test::random_exact_core_steps(core, rng, steps, compared);
  INFO(pesim::test::describe(m));
  REQUIRE_FALSE(m.has_value());
  CHECK(compared == steps);
}

// Formats with the product's LSB below, equal to and above the accumulator's, signed and unsigned, narrow
// accumulators (overflow on most steps) and the widest the parameters accept.
struct Formats {
  FixedFormat a, b, acc;
};
const std::vector<Formats> kFormats = {
    {{8, 3, true}, {8, 2, true}, {24, 10, true}},     // pesim's default: product LSB 2^-11 above acc's 2^-14
    {{8, 1, true}, {8, 1, true}, {12, 4, true}},      // product LSB 2^-14 below acc's 2^-8: 6 bits rounded off
    {{8, 4, false}, {6, 2, true}, {10, 6, false}},    // unsigned a and acc
    {{16, 8, true}, {16, 0, true}, {20, 4, true}},    // wide operands into a narrow accumulator
    {{32, 16, true}, {32, 1, true}, {48, 20, true}},  // the widest --set allows: a 64-bit product, 48-bit acc
    {{4, 8, true}, {4, -2, true}, {16, 12, true}},    // I outside 0..W
    {{8, 3, true}, {8, 2, true}, {8, 8, true}},       // integer accumulator, 11 bits rounded off
};

}  // namespace

TEST_CASE("mac_fixed kernel equals the exact core on every 8-bit operand pair in every mode", "[fast_kernel]") {
  for (Quantization q : kQuantizations) {
    for (Overflow o : kOverflows) {
      const MacFixedCore core(config_of({8, 1, true}, {8, 1, true}, {12, 4, true}, q, o));
      REQUIRE(core.has_fast_kernel());
      INFO(core.widths().acc_bits << " " << static_cast<int>(q) << " " << static_cast<int>(o));
      std::vector<uint64_t> a(256), b(256), acc(256);
      int64_t compared = 0;
      for (uint64_t c : {uint64_t{0}, uint64_t{0x7ff}, uint64_t{0x800}, uint64_t{0xfff}}) {
        for (uint64_t x = 0; x < 256; ++x) {
          for (uint64_t y = 0; y < 256; ++y) a[y] = x, b[y] = y, acc[y] = c;
          compare(core, a, b, acc, compared);
        }
      }
      CHECK(compared == 256 * 256 * 4);
    }
  }
}

TEST_CASE("mac_fixed kernel equals the exact core on random and edge steps in every mode", "[fast_kernel]") {
  uint64_t seed = 1;
  for (const Formats& f : kFormats) {
    for (Quantization q : kQuantizations) {
      for (Overflow o : kOverflows) {
        if (o == Overflow::WrapSm && !f.acc.is_signed) continue;
        INFO("format " << seed / 35 << " q " << static_cast<int>(q) << " o " << static_cast<int>(o));
        check_random_steps(config_of(f.a, f.b, f.acc, q, o), pesim::test::kernel_steps(1'000'000) / 35, seed++);
      }
    }
  }
}

TEST_CASE("mac_fixed kernel equals the exact core with K-hot weights", "[fast_kernel]") {
  for (int terms = 1; terms <= 4; ++terms) {
    for (Overflow o : {Overflow::Wrap, Overflow::Sat, Overflow::WrapSm}) {
      const MacFixedConfig c = config_of({8, 3, true}, {8, 2, true}, {16, 6, true}, Quantization::RndConv, o, terms);
      check_random_steps(c, pesim::test::kernel_steps(1'000'000) / 4, static_cast<uint64_t>(100 + terms));
    }
  }
}

TEST_CASE("mac_fixed kernel equals the exact core on 10^8 random and edge steps", "[fast_kernel][long]") {
  const int64_t steps = pesim::test::kernel_steps(100'000'000) / 4;
  check_random_steps(config_of(kFormats[0].a, kFormats[0].b, kFormats[0].acc, Quantization::Trn, Overflow::Wrap), steps,
                     7);
  check_random_steps(config_of(kFormats[1].a, kFormats[1].b, kFormats[1].acc, Quantization::RndInf, Overflow::WrapSm),
                     steps, 8);
  check_random_steps(config_of(kFormats[3].a, kFormats[3].b, kFormats[3].acc, Quantization::Rnd, Overflow::SatSym),
                     steps, 9);
  check_random_steps(config_of({8, 3, true}, {8, 2, true}, {16, 6, true}, Quantization::RndConv, Overflow::Sat, 3),
                     steps, 10);
}
