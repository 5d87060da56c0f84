// SPDX-License-Identifier: Apache-2.0
// fma_fp's host-integer kernel (IntegerFmaKernel) against FmaFpCore::mac (the bit-level reference) on every step,
// norm=exact into bf16, fp16 and fp32 and norm=approx with every window: every 8-bit operand pair against edge
// partial sums, and 10^6 random and edge steps per main configuration (10^8 in the long label; PESIM_KERNEL_STEPS
// overrides). Partial sums: the format's edge words (zeros, subnormals, the largest finite, infinities, NaN),
// uniform words (the internal word's un-normalized significands included) and near-cancellations of the product.
#include <catch2/catch.hpp>
#include <random>
#include <vector>

#include "models/num/arith.h"
#include "models/num/exact_value.h"
#include "models/num/float_format.h"
#include "models/pe/fma_fp/fma_fp_core.h"
#include "models/pe/fma_fp/integer_fma_kernel.h"
#include "tests/support/kernel_test_support.h"

using pesim::num::FloatFormat;
using pesim::pe::FmaFpConfig;
using pesim::pe::FmaFpCore;
using pesim::pe::IntegerFmaKernel;

namespace {

FmaFpConfig config_of(const FloatFormat& in, const FloatFormat& acc, bool approximate, int window_bits = 0) {
  FmaFpConfig c;
  c.in_format = in;
  c.acc_format = acc;
  c.approximate = approximate;
  c.window_bits = window_bits;
  return c;
}

std::vector<uint64_t> edge_words(const FloatFormat& f) {
  const uint64_t man = f.man_mask(), one = static_cast<uint64_t>(f.bias) << f.man_bits;
  std::vector<uint64_t> words = {0,
                                 1,
                                 man,
                                 man + 1,
                                 one,
                                 one | 1,
                                 f.max_finite_magnitude(),
                                 one - 1,
                                 man / 2,
                                 f.infinity_magnitude(),
                                 f.infinity_magnitude() | 1,
                                 f.infinity_magnitude() | man};
  const size_t count = words.size();
  for (size_t i = 0; i < count; ++i) words.push_back(words[i] | f.sign_mask());
  return words;
}

// Steps for one configuration: operands uniform or edges; partial sums as the file header says.
class Steps {
 public:
  Steps(const FmaFpCore& core, const FmaFpConfig& config, uint64_t seed)
      : m_core(core),
        m_config(config),
        m_rng(seed),
        m_operand_edges(edge_words(config.in_format)),
        m_acc_edges(edge_words(config.acc_format)) {}

  uint64_t operand() {
    const uint64_t mask = (uint64_t{1} << m_config.in_format.width_bits()) - 1;
    return m_rng() % 4 == 0 ? m_operand_edges[m_rng() % m_operand_edges.size()] : m_rng() & mask;
  }

  uint64_t partial_sum(uint64_t a, uint64_t b) {
    const FloatFormat& f = m_config.acc_format;
    const uint64_t acc_mask = (uint64_t{1} << f.width_bits()) - 1;
    uint64_t word = 0;
    switch (m_rng() % 4) {
      case 0:
        word = m_acc_edges[m_rng() % m_acc_edges.size()];
        break;
      case 1: {  // a few ULPs from -(a * b)
        bool invalid = false;
        const double product =
            pesim::num::to_double(pesim::num::exact_mul(m_core.a_value(a), m_core.b_value(b), invalid));
        word = (pesim::num::from_double(f, -product).bits + m_rng() % 9 - 4) & acc_mask;
        break;
      }
      case 2:
        if (m_config.approximate) {  // any internal word, un-normalized significands included
          return m_rng() & ((uint64_t{1} << (f.width_bits() + 1)) - 1);
        }
        [[fallthrough]];
      default:
        word = m_rng() & acc_mask;
    }
    return m_config.approximate ? m_core.internal_from_acc(word) : word;
  }

 private:
  const FmaFpCore& m_core;
  FmaFpConfig m_config;
  std::mt19937_64 m_rng;
  std::vector<uint64_t> m_operand_edges, m_acc_edges;
};

void require_same(const FmaFpCore& core, const IntegerFmaKernel& kernel, uint64_t a, uint64_t b, uint64_t acc) {
  const uint64_t reference = core.mac(a, b, acc);
  const uint64_t fast = kernel.mac(a, b, acc);
  if (fast != reference) {
    INFO(std::hex << "a=" << a << " b=" << b << " acc=" << acc << " kernel=" << fast << " reference=" << reference);
    REQUIRE(fast == reference);
  }
}

void check_random_steps(const FmaFpConfig& config, int64_t steps, uint64_t seed) {
  INFO("in=" << config.in_format.name << " acc=" << config.acc_format.name << " approx=" << config.approximate
             << " window " << config.window_bits);
  const FmaFpCore core(config);
  const auto kernel =
      IntegerFmaKernel::make(config.in_format, config.acc_format, config.approximate, config.window_bits);
  REQUIRE(kernel.has_value());
  Steps source(core, config, seed);
  for (int64_t i = 0; i < steps; ++i) {
    const uint64_t a = source.operand(), b = source.operand();
    require_same(core, *kernel, a, b, source.partial_sum(a, b));
  }
}

const std::vector<FmaFpConfig>& main_configurations() {
  static const std::vector<FmaFpConfig> configs = {
      config_of(FloatFormat::bf16(), FloatFormat::bf16(), false),
      config_of(FloatFormat::fp16(), FloatFormat::fp16(), false),
      config_of(FloatFormat::bf16(), FloatFormat::fp32(), false),
      config_of(FloatFormat::bf16(), FloatFormat::fp32(), true, 2),
      config_of(FloatFormat::bf16(), FloatFormat::bf16(), true, 2),
      config_of(FloatFormat::fp16(), FloatFormat::fp32(), true, 1),
  };
  return configs;
}

const std::vector<FmaFpConfig>& more_configurations() {
  static const std::vector<FmaFpConfig> configs = {
      config_of(FloatFormat::fp16(), FloatFormat::bf16(), false),
      config_of(FloatFormat::fp16(), FloatFormat::fp32(), false),
      config_of(FloatFormat::e4m3(), FloatFormat::bf16(), false),
      config_of(FloatFormat::e5m2(), FloatFormat::fp16(), false),
      config_of(FloatFormat::bf16(), FloatFormat::fp32(), true, 0),
      config_of(FloatFormat::bf16(), FloatFormat::fp32(), true, 4),
      config_of(FloatFormat::bf16(), FloatFormat::fp32(), true, 8),
      config_of(FloatFormat::fp16(), FloatFormat::fp16(), true, 3),
      config_of(FloatFormat::e4m3(), FloatFormat::bf16(), true, 2),
      config_of(FloatFormat::e5m2(), FloatFormat::fp16(), true, 1),
  };
  return configs;
}

}  // namespace

TEST_CASE("fma_fp integer kernel: made for every IEEE-style accumulator, not for saturating or wide formats",
          "[fast_kernel]") {
  for (const FmaFpConfig& c : main_configurations())
    CHECK(IntegerFmaKernel::make(c.in_format, c.acc_format, c.approximate, c.window_bits));
  CHECK_FALSE(IntegerFmaKernel::make(FloatFormat::fp32(), FloatFormat::fp32(), false, 0));  // 32-bit operands
  CHECK_FALSE(IntegerFmaKernel::make(FloatFormat::bf16(), FloatFormat::e4m3(), false, 0));  // saturating, no inf
  CHECK_FALSE(IntegerFmaKernel::make(FloatFormat::bf16(), FloatFormat::fp64(), false, 0));
  // The core uses it where the host's fma does not apply: norm=exact into bf16 has a fast kernel now.
  CHECK(FmaFpCore(config_of(FloatFormat::bf16(), FloatFormat::bf16(), false)).has_fast_kernel());
}

TEST_CASE("fma_fp integer kernel equals mac() on every 8-bit operand pair", "[fast_kernel]") {
  for (const FmaFpConfig& config :
       {more_configurations()[2], more_configurations()[3], more_configurations()[8], more_configurations()[9]}) {
    const FmaFpCore core(config);
    const auto kernel =
        IntegerFmaKernel::make(config.in_format, config.acc_format, config.approximate, config.window_bits);
    REQUIRE(kernel.has_value());
    Steps source(core, config, 3);
    int64_t compared = 0;
    for (int i = 0; i < 12; ++i) {
      const uint64_t acc = source.partial_sum(source.operand(), source.operand());
      for (uint64_t a = 0; a < 256; ++a) {
        for (uint64_t b = 0; b < 256; ++b, ++compared) require_same(core, *kernel, a, b, acc);
      }
    }
    CHECK(compared == 12 * 256 * 256);
  }
}

TEST_CASE("fma_fp integer kernel equals mac() on random and edge steps", "[fast_kernel]") {
  uint64_t seed = 1;
  for (const FmaFpConfig& config : main_configurations())
    check_random_steps(config, pesim::test::kernel_steps(1'000'000), seed++);
  for (const FmaFpConfig& config : more_configurations())
    check_random_steps(config, pesim::test::kernel_steps(1'000'000) / 4, seed++);
}

TEST_CASE("fma_fp integer kernel equals mac() on 10^8 random and edge steps", "[fast_kernel][long]") {
  check_random_steps(main_configurations()[0], pesim::test::kernel_steps(100'000'000), 101);
  check_random_steps(main_configurations()[3], pesim::test::kernel_steps(100'000'000), 102);
}
