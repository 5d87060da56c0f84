// SPDX-License-Identifier: Apache-2.0
// Every floating-point operation and format of the numeric core against the MPFR oracle, on seeded random and
// structured vectors. PESIM_VECTORS_PER_CASE overrides the count (default 1,000,000 for the default environment).
#include <fmt/format.h>

#include <catch2/catch.hpp>
#include <cstdlib>

#include "models/num/arith.h"
#include "models/num/number_format.h"
#include "tests/num/float_vectors.h"
#include "tests/num/mpfr_oracle.h"

namespace {

using pesim::num::FloatFormat;
using pesim::num::FpEnv;
using pesim::num::RoundRule;
using pesim::test::OracleOp;

constexpr uint64_t kSeed = 20261125;

long vectors_per_case(long default_count) {
  const char* env = std::getenv("PESIM_VECTORS_PER_CASE");
  return env != nullptr ? std::atol(env) : default_count;
}

FloatFormat named(const std::string& name) {
  std::set<std::string> used;
  return std::get<FloatFormat>(pesim::num::parse_number_format(name, {}, used));
}

std::string env_name(const FpEnv& env) {
  static const char* names[] = {"rne", "rtz", "rdn", "rup", "rmm"};
  return fmt::format("{}{}{}", names[static_cast<int>(env.rounding)], env.flush_subnormal_outputs ? "+ftz" : "",
                     env.subnormal_inputs_are_zero ? "+daz" : "");
}

// Runs `count` vectors of `op` and reports the first mismatches with everything needed to reproduce them.
void check_against_oracle(OracleOp op, const FloatFormat& fmt, const FloatFormat& out, const FpEnv& env, long count,
                          uint64_t seed) {
  pesim::test::FloatVectorGenerator gen(fmt, seed);
  const pesim::num::NumberFormat in_fmt = fmt, out_fmt = out;
  long mismatches = 0;
  for (long i = 0; i < count; ++i) {
    const uint64_t a = gen.any();
    const uint64_t b = gen.next_u64() % 3 == 0 ? gen.near(a) : gen.any();
    const uint64_t c = gen.next_u64() % 2 == 0 ? gen.near_product(a, b) : gen.any();
    pesim::num::OpResult got;
    switch (op) {
      case OracleOp::Add:
        got = pesim::num::add(in_fmt, a, b, env);
        break;
      case OracleOp::Mul:
        got = pesim::num::mul(in_fmt, a, b, env);
        break;
      case OracleOp::Fma:
        got = pesim::num::fma(in_fmt, a, b, c, env);
        break;
      case OracleOp::Convert:
        got = pesim::num::convert(in_fmt, a, out_fmt, env);
        break;
    }
    const auto want = pesim::test::oracle(op, fmt, out, a, b, c, env);
    if (got.bits == want.bits && got.flags == want.flags) continue;
    if (++mismatches <= 5) {
      UNSCOPED_INFO(
          fmt::format("{}->{} {} seed {} vector {}: a={:x} b={:x} c={:x} got {:x} flags {:02x}, "
                      "MPFR {:x} flags {:02x}",
                      fmt.name, out.name, env_name(env), seed, i, a, b, c, got.bits, got.flags, want.bits, want.flags));
    }
  }
  CHECK(mismatches == 0);
}

const std::vector<std::string> kCoreFormats{"bf16", "fp16", "fp32", "e4m3", "e5m2"};

}  // namespace

TEST_CASE("add, mul, fma of the core formats match MPFR (1M vectors each, RNE)", "[vectors][mpfr]") {
  const long count = vectors_per_case(1000000);
  for (const auto& name : kCoreFormats) {
    const FloatFormat f = named(name);
    for (OracleOp op : {OracleOp::Add, OracleOp::Mul, OracleOp::Fma}) {
      check_against_oracle(op, f, f, FpEnv{}, count, kSeed + static_cast<uint64_t>(op));
    }
  }
}

TEST_CASE("every rounding mode, FTZ and DAZ match MPFR", "[vectors][mpfr]") {
  const long count = vectors_per_case(1000000) / 5;
  std::vector<FpEnv> envs;
  for (RoundRule r : {RoundRule::TowardZero, RoundRule::Down, RoundRule::Up, RoundRule::NearestAway}) {
    envs.push_back(FpEnv{r, false, false});
  }
  envs.push_back(FpEnv{RoundRule::NearestEven, true, true});
  envs.push_back(FpEnv{RoundRule::Up, true, false});
  for (const auto& name : kCoreFormats) {
    const FloatFormat f = named(name);
    for (const FpEnv& env : envs) {
      for (OracleOp op : {OracleOp::Add, OracleOp::Mul, OracleOp::Fma}) {
        check_against_oracle(op, f, f, env, count, kSeed + 7 * static_cast<uint64_t>(op));
      }
    }
  }
}

TEST_CASE("conversions between every pair of formats match MPFR", "[vectors][mpfr]") {
  const long count = vectors_per_case(1000000) / 4;
  std::vector<std::string> names = kCoreFormats;
  names.push_back("fp64");
  names.push_back("e2m1");
  for (const auto& from : names) {
    for (const auto& to : names) {
      for (RoundRule r : {RoundRule::NearestEven, RoundRule::TowardZero, RoundRule::NearestAway}) {
        check_against_oracle(OracleOp::Convert, named(from), named(to), FpEnv{r, false, false}, count / 3, kSeed);
      }
    }
  }
}

TEST_CASE("generic minifloats and format options match MPFR", "[vectors][mpfr]") {
  const long count = vectors_per_case(1000000) / 10;
  std::vector<FloatFormat> formats{named("fp64"), named("tf32"), named("e3m2"), named("e2m3"),
                                   named("e2m1"), named("e3m4"), named("e6m9")};
  FloatFormat no_subnormal = FloatFormat::fp16();
  no_subnormal.name = "fp16-nosub";
  no_subnormal.has_subnormal = false;
  FloatFormat e4m3_nonsaturating = FloatFormat::e4m3();
  e4m3_nonsaturating.name = "e4m3-nonsat";
  e4m3_nonsaturating.saturate = false;
  FloatFormat e5m2_saturating = FloatFormat::e5m2();
  e5m2_saturating.name = "e5m2-sat";
  e5m2_saturating.saturate = true;
  FloatFormat biased = named("e4m3");
  biased.name = "e4m3-bias11";
  biased.bias = 11;
  FloatFormat e4m3_nosub = FloatFormat::e4m3();
  e4m3_nosub.name = "e4m3-nosub";
  e4m3_nosub.has_subnormal = false;
  for (const auto& f : {no_subnormal, e4m3_nonsaturating, e5m2_saturating, biased, e4m3_nosub}) formats.push_back(f);
  for (const auto& f : formats) {
    REQUIRE(f.validate().empty());
    for (RoundRule r : {RoundRule::NearestEven, RoundRule::Up, RoundRule::TowardZero}) {
      for (OracleOp op : {OracleOp::Add, OracleOp::Mul, OracleOp::Fma}) {
        check_against_oracle(op, f, f, FpEnv{r, false, false}, count, kSeed + 11);
      }
    }
  }
}

TEST_CASE("8-bit formats: add and mul exhaustively match MPFR", "[vectors][mpfr]") {
  for (const auto& name : {"e4m3", "e5m2"}) {
    const FloatFormat f = named(name);
    const pesim::num::NumberFormat nf = f;
    long mismatches = 0;
    for (uint64_t a = 0; a < 256; ++a) {
      for (uint64_t b = 0; b < 256; ++b) {
        for (OracleOp op : {OracleOp::Add, OracleOp::Mul}) {
          const auto got = op == OracleOp::Add ? pesim::num::add(nf, a, b) : pesim::num::mul(nf, a, b);
          const auto want = pesim::test::oracle(op, f, f, a, b, 0, {});
          if (got.bits != want.bits || got.flags != want.flags) {
            if (++mismatches <= 5)
              UNSCOPED_INFO(fmt::format("{} {:x} {:x}: {:x} vs {:x}", name, a, b, got.bits, want.bits));
          }
        }
      }
    }
    CHECK(mismatches == 0);
  }
}
