// SPDX-License-Identifier: Apache-2.0
// Each PE kind's fast kernel (mac_n) against its reference path (mac() step by step), on edge patterns and random
// words: exhaustively over every operand pair of 8-bit formats, 10^6 steps per configuration in the unit label and
// 10^8 in the long one (PESIM_KERNEL_STEPS overrides both). Any difference is reported with its operands.
#include <bit>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "models/num/arith.h"
#include "models/num/float_format.h"
#include "models/pe/fma_fp/approx_norm_kernel.h"
#include "models/pe/fma_fp/fma_fp_core.h"
#include "models/pe/fma_fp/fp32_fma_kernel.h"
#include "tests/support/kernel_test_support.h"

using pesim::num::FloatFormat;
using pesim::pe::FmaFpConfig;
using pesim::pe::FmaFpCore;

namespace {

// fp32 accumulator patterns where rounding, signs and specials differ: zeros, subnormals, the normal range's ends,
// infinities, quiet and signaling NaNs.
const std::vector<uint32_t>& fp32_edges() {
  static const std::vector<uint32_t> edges = {0x00000000, 0x80000000, 0x00000001, 0x80000001, 0x007fffff, 0x807fffff,
                                              0x00800000, 0x80800000, 0x3f800000, 0xbf800000, 0x3f800001, 0x7f7fffff,
                                              0xff7fffff, 0x7f800000, 0xff800000, 0x7fc00000, 0xffc00001, 0x7f800001,
                                              0x33800000, 0x4b800000, 0x0b800000, 0x1f800000, 0xa0000000, 0x5f000000};
  return edges;
}

// Operand words of an in-format: every edge class of its encoding (zeros, smallest and largest subnormal and normal,
// one, infinities and NaNs where it has them), both signs.
std::vector<uint64_t> operand_edges(const FloatFormat& f) {
  const uint64_t sign = f.sign_mask(), man = f.man_mask(), one_exp = static_cast<uint64_t>(f.bias) << f.man_bits;
  std::vector<uint64_t> words = {0,
                                 1,
                                 man,
                                 man + 1,
                                 one_exp,
                                 one_exp | 1,
                                 f.max_finite_magnitude(),
                                 f.infinity_magnitude(),
                                 f.infinity_magnitude() | 1,
                                 f.infinity_magnitude() | man};
  const size_t unsigned_count = words.size();
  for (size_t i = 0; i < unsigned_count; ++i) words.push_back(words[i] | sign);
  return words;
}

// Random steps: operands uniform or from the edges; the accumulator uniform, from the edges, or within a few ULPs of
// minus the product (cancellation, where the sticky bits and the sign of zero decide).
void random_batch(std::mt19937_64& rng, const FloatFormat& in, const std::vector<uint64_t>& edges, size_t count,
                  std::vector<uint64_t>& a, std::vector<uint64_t>& b, std::vector<uint64_t>& acc) {
  const uint64_t mask = (uint64_t{1} << in.width_bits()) - 1;
  const auto operand = [&] { return rng() % 4 == 0 ? edges[rng() % edges.size()] : rng() & mask; };
  const auto value = [&](uint64_t word) {
    return static_cast<float>(pesim::num::to_double(pesim::num::decode_float(in, word, {})));
  };
  a.resize(count), b.resize(count), acc.resize(count);
  for (size_t i = 0; i < count; ++i) {
    a[i] = operand(), b[i] = operand();
    switch (rng() % 4) {
      case 0:
        acc[i] = fp32_edges()[rng() % fp32_edges().size()];
        break;
      case 1: {
        const uint32_t minus_product = std::bit_cast<uint32_t>(-(value(a[i]) * value(b[i])));
        acc[i] = static_cast<uint32_t>(minus_product + static_cast<uint32_t>(rng() % 9) - 4u);
        break;
      }
      default:
        acc[i] = static_cast<uint32_t>(rng());
    }
  }
}

FmaFpCore exact_core(const FloatFormat& in) {
  FmaFpConfig config;
  config.in_format = in;
  config.acc_format = FloatFormat::fp32();
  return FmaFpCore(config);
}

void check_random_steps(const FloatFormat& in, int64_t steps, uint64_t seed) {
  const FmaFpCore core = exact_core(in);
  REQUIRE(core.has_fast_kernel());
  std::mt19937_64 rng(seed);
  const std::vector<uint64_t> edges = operand_edges(in);
  std::vector<uint64_t> a, b, acc;
  int64_t compared = 0;
  while (compared < steps) {
    random_batch(rng, in, edges, static_cast<size_t>(std::min<int64_t>(4096, steps - compared)), a, b, acc);
    const std::optional<pesim::test::KernelMismatch> m = pesim::test::compare_with_reference(core, a, b, acc, compared);
    INFO("in=" << in.name << " seed " << seed << ": a=" << std::hex << (m ? m->a : 0) << " b=" << (m ? m->b : 0)
               << " acc=" << (m ? m->acc : 0) << " fast=" << (m ? m->fast : 0)
               << " reference=" << (m ? m->reference : 0));
    REQUIRE_FALSE(m.has_value());
  }
  CHECK(compared == steps);
}

// Every a x b pair of an 8-bit format against every fp32 edge accumulator and a few random ones.
void check_exhaustive_pairs(const FloatFormat& in) {
  const FmaFpCore core = exact_core(in);
  REQUIRE(core.has_fast_kernel());
  std::mt19937_64 rng(11);
  std::vector<uint64_t> accs(fp32_edges().begin(), fp32_edges().end());
  for (int i = 0; i < 8; ++i) accs.push_back(static_cast<uint32_t>(rng()));
  const uint64_t words = uint64_t{1} << in.width_bits();
  std::vector<uint64_t> a(words), b(words), acc(words);
  int64_t compared = 0;
  for (uint64_t c : accs) {
    for (uint64_t x = 0; x < words; ++x) {
      for (uint64_t y = 0; y < words; ++y) a[y] = x, b[y] = y, acc[y] = c;
      const std::optional<pesim::test::KernelMismatch> m =
          pesim::test::compare_with_reference(core, a, b, acc, compared);
      INFO("in=" << in.name << ": a=" << std::hex << (m ? m->a : 0) << " b=" << (m ? m->b : 0) << " acc="
                 << (m ? m->acc : 0) << " fast=" << (m ? m->fast : 0) << " reference=" << (m ? m->reference : 0));
      REQUIRE_FALSE(m.has_value());
    }
  }
  CHECK(compared == static_cast<int64_t>(words * words * accs.size()));
}

}  // namespace

TEST_CASE("fma_fp fp32 kernel: exists exactly where the host's fma is the same function", "[fast_kernel]") {
  CHECK(exact_core(FloatFormat::bf16()).has_fast_kernel());
  CHECK(exact_core(FloatFormat::fp16()).has_fast_kernel());
  CHECK(exact_core(FloatFormat::e4m3()).has_fast_kernel());
  CHECK(exact_core(FloatFormat::e5m2()).has_fast_kernel());
  // Not into a bf16 or fp16 accumulator (the host would round twice), not with approximate normalization, not for
  // operands binary32 cannot hold exactly.
  CHECK_FALSE(pesim::pe::Fp32FmaKernel::make(FloatFormat::bf16(), FloatFormat::bf16()));
  CHECK_FALSE(pesim::pe::Fp32FmaKernel::make(FloatFormat::fp16(), FloatFormat::fp16()));
  CHECK_FALSE(pesim::pe::Fp32FmaKernel::make(FloatFormat::ieee("e9m6", 9, 6), FloatFormat::fp32()));
  FmaFpConfig approx;
  approx.approximate = true;
  CHECK(FmaFpCore(approx).has_fast_kernel());  // ApproxNormKernel, below
  CHECK_FALSE(pesim::pe::ApproxNormKernel::make(FloatFormat::fp32(), FloatFormat::fp32(), 2));  // 24-bit operands
  CHECK(pesim::pe::Fp32FmaKernel::host_environment_is_default());
}

TEST_CASE("fma_fp fp32 kernel: bf16 words decode by a shift, fp16 by F16C, 8-bit formats by the table",
          "[fast_kernel]") {
  using pesim::pe::Fp32FmaKernel;
  using pesim::pe::OperandDecoder;
  CHECK(Fp32FmaKernel::make(FloatFormat::bf16(), FloatFormat::fp32())->decoder() == OperandDecoder::bf16_shift);
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("f16c")) {
    CHECK(Fp32FmaKernel::make(FloatFormat::fp16(), FloatFormat::fp32())->decoder() == OperandDecoder::fp16_convert);
  }
  CHECK(Fp32FmaKernel::make(FloatFormat::e4m3(), FloatFormat::fp32())->decoder() == OperandDecoder::table);
  // A 16-bit format that is neither (bf16 without subnormals) keeps the table.
  FloatFormat no_subnormals = FloatFormat::bf16();
  no_subnormals.has_subnormal = false;
  const auto kernel = Fp32FmaKernel::make(no_subnormals, FloatFormat::fp32());
  if (kernel) CHECK(kernel->decoder() == OperandDecoder::table);
}

TEST_CASE("fma_fp fp32 kernel equals mac() on every 8-bit operand pair", "[fast_kernel]") {
  check_exhaustive_pairs(FloatFormat::e4m3());
  check_exhaustive_pairs(FloatFormat::e5m2());
}

TEST_CASE("fma_fp fp32 kernel equals mac() on 10^6 random and edge steps per 16-bit format", "[fast_kernel]") {
  const int64_t steps = pesim::test::kernel_steps(1'000'000);
  check_random_steps(FloatFormat::bf16(), steps, 1);
  check_random_steps(FloatFormat::fp16(), steps, 2);
}

TEST_CASE("fma_fp fp32 kernel equals mac() on 10^8 random and edge steps per 16-bit format", "[fast_kernel][long]") {
  const int64_t steps = pesim::test::kernel_steps(100'000'000);
  check_random_steps(FloatFormat::bf16(), steps, 101);
  check_random_steps(FloatFormat::fp16(), steps, 102);
}

TEST_CASE("fma_fp fp32 kernel: --kernel reference takes mac() step by step", "[fast_kernel]") {
  FmaFpCore core = exact_core(FloatFormat::bf16());
  core.set_kernel_path(pesim::pe::IPeCore::KernelPath::reference);
  const std::vector<uint64_t> a = {0x3f80, 0x7fc0}, b = {0x4000, 0x3f80}, acc = {0x3f800000, 0};
  std::vector<uint64_t> out(2);
  core.mac_n(a.data(), b.data(), acc.data(), out.data(), 2);
  CHECK(out == std::vector<uint64_t>{0x40400000, 0x7fc00000});
}

namespace {

// Approximate normalization: partial-sum words of every shape the internal format has (normalized or not, zero with
// any exponent, the largest exponents, infinities and NaN), and sums that nearly cancel the product.
class ApproxSteps {
 public:
  ApproxSteps(const FmaFpCore& core, const FmaFpConfig& config, uint64_t seed)
      : m_core(core), m_config(config), m_rng(seed) {}

  void fill(size_t count, std::vector<uint64_t>& a, std::vector<uint64_t>& b, std::vector<uint64_t>& acc) {
    const FloatFormat& in = m_config.in_format;
    const FloatFormat& f = m_config.acc_format;
    const std::vector<uint64_t> edges = operand_edges(in);
    const uint64_t in_mask = (uint64_t{1} << in.width_bits()) - 1;
    const int p = f.man_bits + 1;
    a.resize(count), b.resize(count), acc.resize(count);
    for (size_t i = 0; i < count; ++i) {
      a[i] = m_rng() % 4 == 0 ? edges[m_rng() % edges.size()] : m_rng() & in_mask;
      b[i] = m_rng() % 4 == 0 ? edges[m_rng() % edges.size()] : m_rng() & in_mask;
      const uint64_t sign = m_rng() & 1;
      switch (m_rng() % 5) {
        case 0: {  // near minus the product: the acc-format word of -(a * b), a few ULPs off, made internal
          const double product =
              pesim::num::to_double(pesim::num::exact_mul(m_core.a_value(a[i]), m_core.b_value(b[i]), m_invalid));
          const uint64_t word = pesim::num::from_double(f, -product).bits;
          acc[i] = m_core.internal_from_acc((word + m_rng() % 5 - 2) & ((uint64_t{1} << f.width_bits()) - 1));
          break;
        }
        case 1:  // exponent fields at the ends: 0, 1, the largest finite, all ones (infinity or NaN)
          acc[i] = (sign << (f.exp_bits + p)) |
                   (std::vector<uint64_t>{0, 1, f.exp_field_max() - 1, f.exp_field_max()}[m_rng() % 4] << p) |
                   (m_rng() % 3 == 0 ? 0 : m_rng() & ((uint64_t{1} << p) - 1));
          break;
        default:  // any word: un-normalized significands included
          acc[i] = m_rng() & ((uint64_t{1} << (1 + f.exp_bits + p)) - 1);
      }
    }
  }

 private:
  const FmaFpCore& m_core;
  FmaFpConfig m_config;
  std::mt19937_64 m_rng;
  bool m_invalid = false;
};

FmaFpConfig approx_config(const FloatFormat& in, const FloatFormat& acc, int window_bits) {
  FmaFpConfig c;
  c.in_format = in;
  c.acc_format = acc;
  c.approximate = true;
  c.window_bits = window_bits;
  return c;
}

void check_approx_steps(const FmaFpConfig& config, int64_t steps) {
  const FmaFpCore core(config);
  REQUIRE(core.has_fast_kernel());
  ApproxSteps source(core, config, static_cast<uint64_t>(config.window_bits * 131 + config.acc_format.man_bits));
  std::vector<uint64_t> a, b, acc;
  int64_t compared = 0;
  while (compared < steps) {
    source.fill(static_cast<size_t>(std::min<int64_t>(4096, steps - compared)), a, b, acc);
    const std::optional<pesim::test::KernelMismatch> m = pesim::test::compare_with_reference(core, a, b, acc, compared);
    INFO("in=" << config.in_format.name << " acc=" << config.acc_format.name << " window " << config.window_bits
               << std::hex << ": a=" << (m ? m->a : 0) << " b=" << (m ? m->b : 0) << " acc=" << (m ? m->acc : 0)
               << " fast=" << (m ? m->fast : 0) << " reference=" << (m ? m->reference : 0));
    REQUIRE_FALSE(m.has_value());
  }
  CHECK(compared == steps);
}

const std::vector<FmaFpConfig>& approx_configurations() {
  static const std::vector<FmaFpConfig> configs = {approx_config(FloatFormat::bf16(), FloatFormat::fp32(), 1),
                                                   approx_config(FloatFormat::bf16(), FloatFormat::fp32(), 2),
                                                   approx_config(FloatFormat::bf16(), FloatFormat::fp32(), 4),
                                                   approx_config(FloatFormat::bf16(), FloatFormat::fp32(), 0),
                                                   approx_config(FloatFormat::fp16(), FloatFormat::fp32(), 2),
                                                   approx_config(FloatFormat::bf16(), FloatFormat::bf16(), 3),
                                                   approx_config(FloatFormat::e4m3(), FloatFormat::bf16(), 2),
                                                   approx_config(FloatFormat::e5m2(), FloatFormat::fp16(), 1)};
  return configs;
}

}  // namespace

TEST_CASE("fma_fp approx kernel equals mac() on every 8-bit operand pair", "[fast_kernel]") {
  for (const FmaFpConfig& config : {approx_configurations()[6], approx_configurations()[7]}) {
    const FmaFpCore core(config);
    std::vector<uint64_t> accs;
    std::vector<uint64_t> a, b, acc;
    ApproxSteps source(core, config, 5);
    source.fill(24, a, b, accs);
    const uint64_t words = uint64_t{1} << config.in_format.width_bits();
    int64_t compared = 0;
    for (uint64_t c : accs) {
      a.assign(words, 0), b.assign(words, 0), acc.assign(words, c);
      for (uint64_t x = 0; x < words; ++x) {
        for (uint64_t y = 0; y < words; ++y) a[y] = x, b[y] = y;
        const std::optional<pesim::test::KernelMismatch> m =
            pesim::test::compare_with_reference(core, a, b, acc, compared);
        INFO(std::hex << "a=" << (m ? m->a : 0) << " b=" << (m ? m->b : 0) << " acc=" << (m ? m->acc : 0)
                      << " fast=" << (m ? m->fast : 0) << " reference=" << (m ? m->reference : 0));
        REQUIRE_FALSE(m.has_value());
      }
    }
    CHECK(compared == static_cast<int64_t>(words * words * accs.size()));
  }
}

TEST_CASE("fma_fp approx kernel equals mac() on 10^6 random and edge steps per configuration", "[fast_kernel]") {
  for (const FmaFpConfig& config : approx_configurations())
    check_approx_steps(config, pesim::test::kernel_steps(1'000'000));
}

TEST_CASE("fma_fp approx kernel equals mac() on 10^8 random and edge steps", "[fast_kernel][long]") {
  for (const FmaFpConfig& config : {approx_configurations()[1], approx_configurations()[4]}) {
    check_approx_steps(config, pesim::test::kernel_steps(100'000'000));
  }
}
