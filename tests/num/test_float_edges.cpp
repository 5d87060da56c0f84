// SPDX-License-Identifier: Apache-2.0
// Directed edge cases with hand-worked expected encodings: signed zeros, subnormals, overflow, NaN and infinity,
// ties, massive cancellation in fma, the OCP FP8 rules, FTZ/DAZ.
#include <catch2/catch.hpp>

#include "models/num/arith.h"

namespace {

using namespace pesim::num;

const NumberFormat kBf16 = FloatFormat::bf16();
const NumberFormat kFp16 = FloatFormat::fp16();
const NumberFormat kFp32 = FloatFormat::fp32();
const NumberFormat kE4m3 = FloatFormat::e4m3();
const NumberFormat kE5m2 = FloatFormat::e5m2();

FpEnv with(RoundRule r) { return FpEnv{r, false, false}; }

}  // namespace

TEST_CASE("signed zeros follow IEEE 754", "[unit][float]") {
  CHECK(add(kFp32, 0x00000000, 0x80000000).bits == 0x00000000);                         // +0 + -0 = +0
  CHECK(add(kFp32, 0x00000000, 0x80000000, with(RoundRule::Down)).bits == 0x80000000);  // ... = -0 rounding down
  CHECK(add(kFp32, 0x80000000, 0x80000000).bits == 0x80000000);                         // -0 + -0 = -0
  CHECK(add(kFp32, 0x3f800000, 0xbf800000).bits == 0x00000000);                         // 1 - 1 = +0
  CHECK(add(kFp32, 0x3f800000, 0xbf800000, with(RoundRule::Down)).bits == 0x80000000);
  CHECK(mul(kFp32, 0x80000000, 0x3f800000).bits == 0x80000000);              // -0 * 1 = -0
  CHECK(fma(kFp32, 0x80000000, 0x3f800000, 0x00000000).bits == 0x00000000);  // -0*1 + +0 = +0
  CHECK(fma(kFp32, 0x80000000, 0x3f800000, 0x80000000).bits == 0x80000000);  // -0*1 + -0 = -0
  CHECK(fma(kFp32, 0x40000000, 0x40400000, 0xc0c00000).bits == 0x00000000);  // 2*3 - 6 = +0
}

TEST_CASE("fma rounds once: massive cancellation keeps the low product bits", "[unit][float]") {
  // (1 + 2^-23)(1 - 2^-23) - 1 = -2^-46 exactly; a separately rounded product would give 0.
  const OpResult r = fma(kFp32, 0x3f800001, 0x3f7ffffe, 0xbf800000);
  CHECK(r.bits == 0xa8800000);
  CHECK(r.flags == 0);
  CHECK(add(kFp32, mul(kFp32, 0x3f800001, 0x3f7ffffe).bits, 0xbf800000).bits == 0x00000000);  // product rounded to 1
  // bf16: (1 + 2^-7)^2 - 1 = 2^-6 (1 + 2^-8): a tie at 8 bits, to even 2^-6.
  CHECK(fma(kBf16, 0x3f81, 0x3f81, 0xbf80).bits == 0x3c80);
  CHECK(fma(kBf16, 0x3f81, 0x3f81, 0xbf80).flags == kFlagInexact);
  // bf16: (1 + 2^-7)(1 + 2^-6) - 1 = 2^-6 + 2^-7 + 2^-13 = 2^-6 (1.1 + 2^-7 binary): exact.
  CHECK(fma(kBf16, 0x3f81, 0x3f82, 0xbf80).bits == 0x3cc1);
  CHECK(fma(kBf16, 0x3f81, 0x3f82, 0xbf80).flags == 0);
}

TEST_CASE("subnormals, underflow and ties to even", "[unit][float]") {
  // fp16 smallest subnormal * 0.5 is a tie between 0 and 2^-24: even gives 0, with underflow and inexact.
  const OpResult half_min = mul(kFp16, 0x0001, 0x3800);
  CHECK(half_min.bits == 0x0000);
  CHECK(half_min.flags == (kFlagUnderflow | kFlagInexact));
  CHECK(mul(kFp16, 0x0003, 0x3800).bits == 0x0002);  // 1.5 ulp -> 2 ulp (even)
  CHECK(mul(kFp16, 0x0001, 0x3800, with(RoundRule::Up)).bits == 0x0001);
  CHECK(mul(kFp16, 0x0001, 0x3800, with(RoundRule::NearestAway)).bits == 0x0001);
  // Exact subnormal results raise nothing.
  CHECK(add(kFp16, 0x0001, 0x0001).flags == 0);
  CHECK(add(kFp16, 0x0001, 0x0001).bits == 0x0002);
  // Largest subnormal + smallest subnormal = smallest normal.
  CHECK(add(kFp16, 0x03ff, 0x0001).bits == 0x0400);
  // bf16 conversion ties: 1 + 2^-8 is halfway between 1 and 1 + 2^-7: even keeps 1.
  CHECK(convert(kFp32, 0x3f808000, kBf16).bits == 0x3f80);
  CHECK(convert(kFp32, 0x3f818000, kBf16).bits == 0x3f82);
  CHECK(convert(kFp32, 0x3f808001, kBf16).bits == 0x3f81);
}

TEST_CASE("tininess is detected after rounding", "[unit][float]") {
  // fp16: 2^-14 (1 - 2^-11) (0x3bff * 0x0400) has 11 significant bits, so with an unbounded exponent it stays below
  // 2^-14: tiny. In the format it is a tie between 0x03ff and 0x0400 and rounds to even, the smallest normal.
  const OpResult tiny = mul(kFp16, 0x3bff, 0x0400);
  CHECK(tiny.bits == 0x0400);
  CHECK(tiny.flags == (kFlagUnderflow | kFlagInexact));
  // 2^-14 (1 - 2^-12) needs 12 bits: rounded to 11 it becomes 2^-14 itself, so it is not tiny: inexact only.
  // Built from fp32 operands as 2^-14 * 1 - 2^-26 (0x38800000, 0x3f800000, 0xb2800000), rounded once into fp16.
  const NumberFormat fp32 = FloatFormat::fp32();
  const OpResult not_tiny = fma_mixed(fp32, 0x38800000, 0x3f800000, fp32, 0xb2800000, kFp16);
  CHECK(not_tiny.bits == 0x0400);
  CHECK(not_tiny.flags == kFlagInexact);
}

TEST_CASE("overflow by rounding mode, saturation", "[unit][float]") {
  CHECK(add(kFp16, 0x7bff, 0x7bff).bits == 0x7c00);
  CHECK(add(kFp16, 0x7bff, 0x7bff).flags == (kFlagOverflow | kFlagInexact));
  CHECK(add(kFp16, 0x7bff, 0x7bff, with(RoundRule::TowardZero)).bits == 0x7bff);
  CHECK(add(kFp16, 0xfbff, 0xfbff, with(RoundRule::Up)).bits == 0xfbff);
  CHECK(add(kFp16, 0xfbff, 0xfbff, with(RoundRule::Down)).bits == 0xfc00);
  // E4M3 saturates at 448 (0x7e); 0x7f is NaN.
  CHECK(mul(kE4m3, 0x7e, 0x40).bits == 0x7e);  // 448 * 2
  CHECK(mul(kE4m3, 0xfe, 0x40).bits == 0xfe);
  CHECK(convert(kFp32, 0x43e80000, kE4m3).bits == 0x7e);  // 464: the tie between 448 and 480 -> 448
  CHECK(convert(kFp32, 0x4e6e6b28, kE4m3).bits == 0x7e);  // 1e9
  CHECK(convert(kFp32, 0x7f800000, kE4m3).bits == 0x7e);  // +inf saturates, raising invalid
  CHECK(convert(kFp32, 0x7f800000, kE4m3).flags == kFlagInvalid);
  // E5M2 is IEEE-like: overflow to infinity.
  CHECK(mul(kE5m2, 0x7b, 0x7b).bits == 0x7c);
}

TEST_CASE("NaN and infinity propagation", "[unit][float]") {
  CHECK(add(kFp32, 0x7f800000, 0xff800000).bits == 0x7fc00000);  // inf - inf
  CHECK(add(kFp32, 0x7f800000, 0xff800000).flags == kFlagInvalid);
  CHECK(mul(kFp32, 0x7f800000, 0x00000000).flags == kFlagInvalid);              // inf * 0
  CHECK(add(kFp32, 0x7f800001, 0x3f800000).flags == kFlagInvalid);              // signaling NaN operand
  CHECK(add(kFp32, 0x7fc00001, 0x3f800000).flags == 0);                         // quiet NaN operand
  CHECK(add(kFp32, 0xffc12345, 0x3f800000).bits == 0x7fc00000);                 // canonical quiet NaN out
  CHECK(fma(kFp32, 0x7f800000, 0x3f800000, 0xff800000).flags == kFlagInvalid);  // inf*1 - inf
  CHECK(fma(kFp32, 0x7f800000, 0x00000000, 0x7fc00000).flags == 0);             // 0*inf + qNaN: quiet, as on x86
  CHECK(fma(kFp32, 0x7f800000, 0x00000000, 0x7f800001).flags == kFlagInvalid);  // ... + sNaN
  CHECK(fma(kFp32, 0x7f800000, 0x3f800000, 0x7f800000).bits == 0x7f800000);
  CHECK(mul(kE4m3, 0x7f, 0x38).bits == 0x7f);  // E4M3 NaN
  CHECK(convert(kE4m3, 0xff, kFp16).bits == 0x7e00);
  CHECK(convert(kE5m2, 0x7c, kFp16).bits == 0x7c00);  // E5M2 inf is fp16 inf
}

TEST_CASE("FTZ and DAZ", "[unit][float]") {
  FpEnv ftz{RoundRule::NearestEven, true, false};
  CHECK(add(kFp16, 0x0001, 0x0001, ftz).bits == 0x0000);
  CHECK(add(kFp16, 0x8001, 0x8001, ftz).bits == 0x8000);
  CHECK(add(kFp16, 0x8001, 0x8001, ftz).flags == (kFlagUnderflow | kFlagInexact));
  FpEnv daz{RoundRule::NearestEven, false, true};
  CHECK(add(kFp16, 0x0001, 0x3c00, daz).bits == 0x3c00);  // the subnormal reads as zero: exact 1
  CHECK(add(kFp16, 0x0001, 0x3c00, daz).flags == 0);
}

TEST_CASE("format validation rejects impossible formats", "[unit][float]") {
  FloatFormat f = FloatFormat::fp16();
  f.has_nan = false;
  CHECK_FALSE(f.validate().empty());  // infinity without NaN
  f = FloatFormat::e4m3();
  f.has_nan = false;
  f.saturate = false;
  CHECK_FALSE(f.validate().empty());  // nowhere to put an overflow
  f = FloatFormat::ieee("e12m3", 12, 3);
  CHECK_FALSE(f.validate().empty());
}
