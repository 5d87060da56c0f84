// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>
#include <set>

#include "models/num/arith.h"

namespace {

using namespace pesim::num;

NumberFormat parse(const std::string& name, const pesim::params::Settings& options = {}) {
  std::set<std::string> used;
  return parse_number_format(name, options, used);
}

}  // namespace

TEST_CASE("integers wrap by default and saturate on request, raising overflow", "[unit][int]") {
  const NumberFormat int8 = parse("int8");
  CHECK(add(int8, 0x7f, 0x01).bits == 0x80);  // 127 + 1 wraps to -128
  CHECK(add(int8, 0x7f, 0x01).flags == kFlagOverflow);
  CHECK(mul(int8, 0xff, 0xff).bits == 0x01);        // -1 * -1
  CHECK(fma(int8, 0x10, 0x10, 0x01).bits == 0x01);  // 256 + 1 wraps to 1
  const NumberFormat sat = parse("int8", {{"saturate", {"1", "test"}}});
  CHECK(add(sat, 0x7f, 0x01).bits == 0x7f);
  CHECK(add(sat, 0x80, 0xff).bits == 0x80);  // -128 - 1 -> -128
  const NumberFormat uint4 = parse("uint4");
  CHECK(add(uint4, 0xf, 0x1).bits == 0x0);
  CHECK(mul(uint4, 0x3, 0x5).bits == 0xf);
}

TEST_CASE("float to integer conversion rounds by the environment", "[unit][int]") {
  const NumberFormat fp32 = FloatFormat::fp32();
  const NumberFormat int8 = parse("int8");
  CHECK(convert(fp32, 0x40200000, int8).bits == 0x02);  // 2.5 -> 2 (even)
  CHECK(convert(fp32, 0x40200000, int8).flags == kFlagInexact);
  CHECK(convert(fp32, 0xc0200000, int8, FpEnv{RoundRule::NearestAway}).bits == 0xfd);  // -2.5 -> -3
  CHECK(convert(fp32, 0x40600000, int8, FpEnv{RoundRule::TowardZero}).bits == 0x03);   // 3.5 -> 3
  CHECK(convert(fp32, 0x7fc00000, int8).bits == 0x00);                                 // NaN -> 0, invalid
  CHECK(convert(fp32, 0x7fc00000, int8).flags == kFlagInvalid);
  CHECK(convert(fp32, 0xff800000, int8).bits == 0x80);  // -inf -> -128
  CHECK(convert(int8, 0x80, fp32).bits == 0xc3000000);  // -128 exactly
}

TEST_CASE("format names and options are checked", "[unit][params]") {
  CHECK_THROWS_AS(parse("int0"), pesim::params::ParamError);
  CHECK_THROWS_AS(parse("int63"), pesim::params::ParamError);
  CHECK_THROWS_AS(parse("bf61"), pesim::params::ParamError);
  CHECK_THROWS_WITH(parse("fixed", {{"W", {"8", "--set"}}}), Catch::Contains("'I' is required"));
  CHECK_THROWS_WITH(parse("fixed", {{"W", {"8", "--set"}}, {"I", {"2", "--set"}}, {"Q", {"AP_RNDD", "--set"}}}),
                    Catch::Contains("did you mean 'AP_RND'"));
  CHECK_THROWS_WITH(parse("fp16", {{"bias", {"x", "--set"}}}), Catch::Contains("not an integer"));
  const auto e4m3 = std::get<FloatFormat>(parse("e4m3"));
  CHECK(e4m3.bias == 7);
  CHECK_FALSE(e4m3.has_inf);
  CHECK(e4m3.saturate);
  const auto custom = std::get<FloatFormat>(parse("e3m4", {{"has_subnormal", {"0", "--set"}}}));
  CHECK_FALSE(custom.has_subnormal);
}
