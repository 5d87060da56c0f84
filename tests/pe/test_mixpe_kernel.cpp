// SPDX-License-Identifier: Apache-2.0
// MixPE's fast kernel (MixPeCore::mac_n) against its reference path (mac() step by step, the numeric core's
// fma_mixed): MAC and DEQUANT operations mixed, edge and random operands, W4A8 and W4A16 in several weight widths and
// group sizes; every int8 x weight pair against edge partial sums; 10^6 steps per configuration in the unit label and
// 10^8 in the long one (PESIM_KERNEL_STEPS overrides both).
#include <bit>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <random>
#include <vector>

#include "models/pe/mixpe/mixpe_core.h"
#include "tests/support/kernel_test_support.h"

using pesim::pe::MixPeConfig;
using pesim::pe::MixPeCore;

namespace {

MixPeConfig config_of(bool act_fp16, int w_bits, bool w_signed, int group_size) {
  MixPeConfig c;
  c.act_fp16 = act_fp16;
  c.w_bits = w_bits;
  c.w_signed = w_signed;
  c.group_size = group_size;
  return c;
}

uint64_t mask_of(int bits) { return bits >= 64 ? ~uint64_t{0} : (uint64_t{1} << bits) - 1; }

// fp32 words where rounding, signs and specials differ.
const std::vector<uint32_t> kFp32Edges = {0x00000000, 0x80000000, 0x00000001, 0x807fffff, 0x00800000, 0x3f800000,
                                          0xbf800001, 0x7f7fffff, 0xff7fffff, 0x7f800000, 0xff800000, 0x7fc00000,
                                          0xffc00001, 0x4b800000, 0x33800000, 0x1f800000};
const std::vector<uint16_t> kFp16Edges = {0x0000, 0x8000, 0x0001, 0x83ff, 0x0400, 0x3c00, 0xbc01,
                                          0x7bff, 0xfbff, 0x7c00, 0xfc00, 0x7e00, 0xfe01, 0x6800};

// Random operations of `core`: a quarter DEQUANT, operands from the edges or uniform in their fields; for W4A16 the
// partial sum is sometimes near minus the product (cancellation).
class StepSource {
 public:
  StepSource(const MixPeCore& core, uint64_t seed) : m_core(core), m_config(core.config()), m_rng(seed) {}

  void fill(size_t count, std::vector<uint64_t>& a, std::vector<uint64_t>& b, std::vector<uint64_t>& acc) {
    a.resize(count), b.resize(count), acc.resize(count);
    for (size_t i = 0; i < count; ++i) {
      const bool dequant = m_rng() % 4 == 0;
      const uint64_t weight = m_rng() & mask_of(m_config.w_bits);
      b[i] = dequant ? m_core.dequant_b(fp16_word(), weight) : m_core.mac_b(weight);
      if (m_config.act_fp16) {
        a[i] = dequant ? fp32_word() : fp16_word();
        acc[i] = m_core.pack_acc(fp32_word(), fp32_word());
      } else {
        a[i] = m_rng() % 4 == 0 ? (m_rng() % 2 == 0 ? 0 : mask_of(m_config.a_port_bits())) : m_rng();
        a[i] &= mask_of(dequant ? m_config.a_port_bits() : 8);
        acc[i] = m_core.pack_acc(fp32_word(), m_rng() & mask_of(m_config.sum_bits()));
      }
    }
  }

 private:
  uint64_t fp32_word() {
    return m_rng() % 3 == 0 ? kFp32Edges[m_rng() % kFp32Edges.size()] : static_cast<uint32_t>(m_rng());
  }
  uint64_t fp16_word() {
    return m_rng() % 3 == 0 ? kFp16Edges[m_rng() % kFp16Edges.size()] : static_cast<uint16_t>(m_rng());
  }

  const MixPeCore& m_core;
  MixPeConfig m_config;
  std::mt19937_64 m_rng;
};

void check_random_steps(const MixPeConfig& config, int64_t steps) {
  const MixPeCore core(config);
  REQUIRE(core.has_fast_kernel());
  StepSource source(core, static_cast<uint64_t>(config.w_bits * 1000 + config.group_size + config.act_fp16));
  std::vector<uint64_t> a, b, acc;
  int64_t compared = 0;
  while (compared < steps) {
    source.fill(static_cast<size_t>(std::min<int64_t>(4096, steps - compared)), a, b, acc);
    const std::optional<pesim::test::KernelMismatch> m = pesim::test::compare_with_reference(core, a, b, acc, compared);
    INFO("act " << (config.act_fp16 ? "fp16" : "int8") << " w " << config.w_bits << (config.w_signed ? "s" : "u")
                << " G " << config.group_size << std::hex << ": a=" << (m ? m->a : 0) << " b=" << (m ? m->b : 0)
                << " acc=" << (m ? m->acc : 0) << " fast=" << (m ? m->fast : 0)
                << " reference=" << (m ? m->reference : 0));
    REQUIRE_FALSE(m.has_value());
  }
  CHECK(compared == steps);
}

const std::vector<MixPeConfig> kConfigurations = {config_of(false, 4, false, 128), config_of(false, 4, true, 32),
                                                  config_of(false, 8, true, 64),   config_of(false, 2, false, 512),
                                                  config_of(true, 4, false, 128),  config_of(true, 4, true, 32),
                                                  config_of(true, 8, true, 64),    config_of(true, 3, false, 16)};

}  // namespace

TEST_CASE("mixpe kernel: exists exactly where the host's arithmetic is the same function", "[fast_kernel]") {
  for (const MixPeConfig& c : kConfigurations) CHECK(MixPeCore(c).has_fast_kernel());
  MixPeConfig fp16_out = config_of(true, 4, false, 128);
  fp16_out.out_format = pesim::num::FloatFormat::fp16();  // y rounded twice by the host
  CHECK_FALSE(MixPeCore(fp16_out).has_fast_kernel());
  CHECK_FALSE(MixPeCore(config_of(false, 8, true, 1 << 10)).has_fast_kernel());  // S of 26 bits: D beyond 2^24
}

TEST_CASE("mixpe kernel equals mac() on every int8 x weight MAC against edge partial sums", "[fast_kernel]") {
  for (const MixPeConfig& c : {config_of(false, 4, true, 32), config_of(false, 8, false, 128)}) {
    const MixPeCore core(c);
    std::vector<uint64_t> a, b, acc;
    for (uint64_t sum : {uint64_t{0}, uint64_t{1}, mask_of(c.sum_bits()), mask_of(c.sum_bits() - 1)}) {
      for (uint64_t x = 0; x < 256; ++x) {
        for (uint64_t q = 0; q <= mask_of(c.w_bits); ++q) {
          a.push_back(x), b.push_back(core.mac_b(q)), acc.push_back(core.pack_acc(0x3f800000, sum));
        }
      }
    }
    int64_t compared = 0;
    CHECK_FALSE(pesim::test::compare_with_reference(core, a, b, acc, compared).has_value());
    CHECK(compared == static_cast<int64_t>(a.size()));
  }
}

TEST_CASE("mixpe kernel equals mac() on 10^6 random and edge steps per configuration", "[fast_kernel]") {
  for (const MixPeConfig& c : kConfigurations) check_random_steps(c, pesim::test::kernel_steps(1'000'000));
}

TEST_CASE("mixpe kernel equals mac() on 10^8 random and edge steps", "[fast_kernel][long]") {
  for (const MixPeConfig& c : {kConfigurations[0], kConfigurations[4]}) {
    check_random_steps(c, pesim::test::kernel_steps(100'000'000));
  }
}

TEST_CASE("mixpe kernel: --kernel reference takes mac() step by step", "[fast_kernel]") {
  MixPeCore core(config_of(true, 4, false, 128));
  core.set_kernel_path(pesim::pe::IPeCore::KernelPath::reference);
  const std::vector<uint64_t> a = {0x3c00}, b = {core.mac_b(3)}, acc = {core.pack_acc(0, 0x3f800000)};
  std::vector<uint64_t> out(1);
  core.mac_n(a.data(), b.data(), acc.data(), out.data(), 1);
  CHECK(out[0] == core.pack_acc(0, 0x40800000));  // 1 + 1 * 3 = 4
}
