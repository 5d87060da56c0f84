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

#include "models/num/float_format.h"
#include "models/pe/fma_fp/fma_fp_core.h"
#include "models/pe/fma_fp/fp32_fma_kernel.h"

using pesim::num::FloatFormat;
using pesim::pe::FmaFpConfig;
using pesim::pe::FmaFpCore;

namespace {

int64_t steps_from_environment(int64_t default_steps) {
  const char* text = std::getenv("PESIM_KERNEL_STEPS");
  return text != nullptr ? std::atoll(text) : default_steps;
}

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

struct Mismatch {
  uint64_t a = 0, b = 0, acc = 0, fast = 0, reference = 0;
};

// Runs the core's mac_n (fast kernel) on the batch and compares every step with mac(); returns the first difference.
std::optional<Mismatch> compare_batch(const FmaFpCore& core, const std::vector<uint64_t>& a,
                                      const std::vector<uint64_t>& b, const std::vector<uint64_t>& acc,
                                      int64_t& compared) {
  std::vector<uint64_t> fast(a.size());
  core.mac_n(a.data(), b.data(), acc.data(), fast.data(), a.size());
  for (size_t i = 0; i < a.size(); ++i) {
    const uint64_t reference = core.mac(a[i], b[i], acc[i]);
    ++compared;
    if (fast[i] != reference) return Mismatch{a[i], b[i], acc[i], fast[i], reference};
  }
  return std::nullopt;
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
    const std::optional<Mismatch> m = compare_batch(core, a, b, acc, compared);
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
      const std::optional<Mismatch> m = compare_batch(core, a, b, acc, compared);
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
  CHECK_FALSE(FmaFpCore(approx).has_fast_kernel());
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
  const int64_t steps = steps_from_environment(1'000'000);
  check_random_steps(FloatFormat::bf16(), steps, 1);
  check_random_steps(FloatFormat::fp16(), steps, 2);
}

TEST_CASE("fma_fp fp32 kernel equals mac() on 10^8 random and edge steps per 16-bit format", "[fast_kernel][long]") {
  const int64_t steps = steps_from_environment(100'000'000);
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
