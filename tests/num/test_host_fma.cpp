// SPDX-License-Identifier: Apache-2.0
// fp32 and fp64 fused multiply-add against the host's fmaf/fma, results and exception flags (x86 detects
// tininess after rounding, as pesim does).
#include <fmt/format.h>

#include <catch2/catch.hpp>
#include <cfenv>
#include <cmath>
#include <cstring>

#include "models/num/arith.h"
#include "tests/num/float_vectors.h"

namespace {

using pesim::num::Flags;

Flags host_flags() {
  Flags f = 0;
  if (std::fetestexcept(FE_INVALID)) f |= pesim::num::kFlagInvalid;
  if (std::fetestexcept(FE_OVERFLOW)) f |= pesim::num::kFlagOverflow;
  if (std::fetestexcept(FE_UNDERFLOW)) f |= pesim::num::kFlagUnderflow;
  if (std::fetestexcept(FE_INEXACT)) f |= pesim::num::kFlagInexact;
  return f;
}

template <typename Float, typename Bits>
void check_host(const pesim::num::FloatFormat& fmt, Float (*host_fma)(Float, Float, Float), long count) {
  pesim::test::FloatVectorGenerator gen(fmt, 42);
  const pesim::num::NumberFormat nf = fmt;
  long mismatches = 0;
  for (long i = 0; i < count; ++i) {
    const auto a = static_cast<Bits>(gen.any());
    const auto b = static_cast<Bits>(gen.any());
    const auto c = static_cast<Bits>(gen.next_u64() % 2 ? gen.near_product(a, b) : gen.any());
    volatile Float fa, fb, fc;  // volatile: keep the compiler from folding the host operation
    Float x;
    std::memcpy(&x, &a, sizeof x);
    fa = x;
    std::memcpy(&x, &b, sizeof x);
    fb = x;
    std::memcpy(&x, &c, sizeof x);
    fc = x;
    std::feclearexcept(FE_ALL_EXCEPT);
    const Float host = host_fma(fa, fb, fc);
    const Flags hflags = host_flags();
    Bits host_bits;
    std::memcpy(&host_bits, &host, sizeof host_bits);
    const pesim::num::OpResult got = pesim::num::fma(nf, a, b, c);
    const bool both_nan = std::isnan(host) && got.bits == fmt.canonical_nan();
    if ((both_nan || got.bits == host_bits) && got.flags == hflags) continue;
    if (++mismatches <= 5) {
      UNSCOPED_INFO(fmt::format("{} fma({:x}, {:x}, {:x}): pesim {:x} flags {:02x}, host {:x} flags {:02x}", fmt.name,
                                a, b, c, got.bits, got.flags, host_bits, hflags));
    }
  }
  CHECK(mismatches == 0);
}

}  // namespace

TEST_CASE("fp32 fma equals the host's fmaf, flags included", "[vectors][host]") {
  check_host<float, uint32_t>(pesim::num::FloatFormat::fp32(), std::fma, 1000000);
}

TEST_CASE("fp64 fma equals the host's fma, flags included", "[vectors][host]") {
  check_host<double, uint64_t>(pesim::num::FloatFormat::fp64(), std::fma, 1000000);
}
