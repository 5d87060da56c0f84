// SPDX-License-Identifier: Apache-2.0
// mac_int's host-integer paths against the exact-value core (ExactMacCore::mac, the bit-level reference): mac() and
// the batched mac_n() (32-bit lanes up to 32-bit accumulators, 64-bit lanes up to 61 bits, else the reference), on
// every 8-bit operand pair against edge accumulators, and on 10^6 random and edge steps per configuration (10^8 in
// the long label; PESIM_KERNEL_STEPS overrides both).
#include <catch2/catch.hpp>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "models/num/int_format.h"
#include "models/pe/mac_int/mac_int_core.h"
#include "tests/support/kernel_test_support.h"

using pesim::num::IntFormat;
using pesim::pe::ExactMacCore;
using pesim::pe::MacIntConfig;
using pesim::pe::MacIntCore;

namespace {

struct Widths {
  int a_bits;
  bool a_signed;
  int b_bits;
  bool b_signed;
  int acc_bits;
  bool acc_signed;
};

MacIntCore core_of(const Widths& w) {
  MacIntConfig config;
  config.a_format = IntFormat::make(w.a_bits, w.a_signed);
  config.b_format = IntFormat::make(w.b_bits, w.b_signed);
  config.acc_format = IntFormat::make(w.acc_bits, w.acc_signed);
  return MacIntCore(config);
}

void compare(const MacIntCore& core, const std::vector<uint64_t>& a, const std::vector<uint64_t>& b,
             const std::vector<uint64_t>& acc, int64_t& compared) {
  const std::optional<pesim::test::KernelMismatch> m = pesim::test::compare_with_exact_core(core, a, b, acc, compared);
  INFO(pesim::test::describe(m));
  REQUIRE_FALSE(m.has_value());
}

void check_random_steps(const Widths& w, int64_t steps) {
  const MacIntCore core = core_of(w);
  std::mt19937_64 rng(static_cast<uint64_t>(w.a_bits * 10000 + w.b_bits * 100 + w.acc_bits));
  int64_t compared = 0;
  const std::optional<pesim::test::KernelMismatch> m = pesim::test::random_exact_core_steps(core, rng, steps, compared);
  INFO(pesim::test::describe(m));
  REQUIRE_FALSE(m.has_value());
  CHECK(compared == steps);
}

const std::vector<Widths> kConfigurations = {
    {8, true, 8, true, 32, true},     {4, true, 8, true, 16, true},    {8, false, 8, false, 24, false},
    {16, true, 16, true, 32, true},   {16, false, 16, true, 20, true}, {32, true, 16, true, 32, true},
    {32, true, 32, false, 32, false}, {2, true, 3, false, 5, true},    {8, true, 8, true, 48, true},
    {30, true, 30, true, 60, true},   {40, true, 30, false, 62, true}, {1, false, 1, true, 1, true}};

}  // namespace

TEST_CASE("mac_int kernels equal the exact core on every 8-bit operand pair", "[fast_kernel]") {
  for (const Widths& w : {Widths{8, true, 8, true, 32, true}, Widths{8, false, 8, true, 16, true}}) {
    const MacIntCore core = core_of(w);
    std::vector<uint64_t> a(256), b(256), acc(256);
    int64_t compared = 0;
    for (uint64_t c : pesim::test::integer_edges(w.acc_bits)) {
      for (uint64_t x = 0; x < 256; ++x) {
        for (uint64_t y = 0; y < 256; ++y) a[y] = x, b[y] = y, acc[y] = c;
        compare(core, a, b, acc, compared);
      }
    }
    CHECK(compared == 256 * 256 * 8);
  }
}

TEST_CASE("mac_int kernels equal the exact core on 10^6 random and edge steps per configuration", "[fast_kernel]") {
  for (const Widths& w : kConfigurations) {
    INFO("a " << w.a_bits << (w.a_signed ? "s" : "u") << " b " << w.b_bits << (w.b_signed ? "s" : "u") << " acc "
              << w.acc_bits << (w.acc_signed ? "s" : "u"));
    check_random_steps(w, pesim::test::kernel_steps(1'000'000));
  }
}

TEST_CASE("mac_int kernels equal the exact core on 10^8 random and edge steps", "[fast_kernel][long]") {
  for (const Widths& w : {kConfigurations[0], kConfigurations[1], kConfigurations[3]}) {
    check_random_steps(w, pesim::test::kernel_steps(100'000'000));
  }
}
