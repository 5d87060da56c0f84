// SPDX-License-Identifier: Apache-2.0
// pesim's ap_fixed / ap_ufixed model checked against an independent brute-force reference.
//
// The reference below works on exact dyadic rationals (an __int128 numerator times a power of two) and implements
// the Xilinx HLS ap_fixed<W,I,Q,O> conversion rules (N = 0) directly from their definition: quantize the exact value
// at the LSB 2^(I-W) with Q, then apply O to the quantized integer. It deliberately uses none of pesim's rounding
// helpers (round_magnitude, round_increment, wrap_twos_complement).
#include <catch2/catch.hpp>
#include <cstdint>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "models/num/arith.h"
#include "models/num/exact_value.h"
#include "models/num/fixed_format.h"
#include "models/num/number_format.h"
#include "models/num/rounding.h"

namespace {

using pesim::num::ExactValue;
using pesim::num::FixedFormat;
using pesim::num::Flags;
using pesim::num::NumberFormat;
using pesim::num::Overflow;
using pesim::num::Quantization;

using i128 = __int128;

constexpr Quantization kAllQ[] = {Quantization::Rnd,    Quantization::RndZero, Quantization::RndMinInf,
                                  Quantization::RndInf, Quantization::RndConv, Quantization::Trn,
                                  Quantization::TrnZero};
constexpr Overflow kAllO[] = {Overflow::Sat, Overflow::SatZero, Overflow::SatSym, Overflow::Wrap, Overflow::WrapSm};

// ---------------------------------------------------------------------------------------------------------------
// Exact dyadic rationals: value = num * 2^exp.
// ---------------------------------------------------------------------------------------------------------------
struct Dyadic {
  i128 num = 0;
  int exp = 0;
};

i128 pow2(int n) {
  if (n < 0 || n > 120) FAIL("pow2 exponent out of the reference's range: " << n);
  return i128{1} << n;
}

// Mathematical floor(n / 2^s) for s >= 0, without relying on the behaviour of >> on negative values.
i128 floor_div_pow2(i128 n, int s) {
  const i128 d = pow2(s);
  if (n >= 0) return n / d;
  return -((-n + d - 1) / d);
}

// Mathematical n mod 2^bits, in [0, 2^bits).
i128 mod_pow2(i128 n, int bits) {
  const i128 m = pow2(bits);
  return ((n % m) + m) % m;
}

Dyadic dy_mul(Dyadic a, Dyadic b) { return {a.num * b.num, a.exp + b.exp}; }

Dyadic dy_add(Dyadic a, Dyadic b) {
  const int e = a.exp < b.exp ? a.exp : b.exp;
  return {a.num * pow2(a.exp - e) + b.num * pow2(b.exp - e), e};
}

bool dy_equal(Dyadic a, Dyadic b) {
  const int e = a.exp < b.exp ? a.exp : b.exp;
  return a.num * pow2(a.exp - e) == b.num * pow2(b.exp - e);
}

std::string i128_str(i128 v) {
  if (v == 0) return "0";
  const bool neg = v < 0;
  std::string s;
  while (v != 0) {
    const int digit = static_cast<int>(v % 10);
    s.insert(s.begin(), static_cast<char>('0' + (digit < 0 ? -digit : digit)));
    v /= 10;
  }
  return neg ? "-" + s : s;
}

std::string dy_str(Dyadic d) { return i128_str(d.num) + "*2^" + std::to_string(d.exp); }

ExactValue to_exact(Dyadic d) {
  const bool neg = d.num < 0;
  const i128 mag = neg ? -d.num : d.num;
  return ExactValue::finite(neg, static_cast<pesim::num::u128>(mag), d.exp);
}

// The signed value of a raw W-bit pattern in the given format (unsigned formats: the pattern itself).
i128 raw_value(const FixedFormat& f, uint64_t raw) {
  const i128 r = mod_pow2(static_cast<i128>(raw), f.width_bits);
  if (f.is_signed && r >= pow2(f.width_bits - 1)) return r - pow2(f.width_bits);
  return r;
}

std::string raw_str(const FixedFormat& f, uint64_t raw) {
  std::ostringstream os;
  os << "raw 0x" << std::hex << raw << std::dec << " (= " << i128_str(raw_value(f, raw)) << " LSBs)";
  return os.str();
}

std::string flags_str(Flags fl) {
  std::string s;
  if (fl & pesim::num::kFlagInexact) s += "inexact ";
  if (fl & pesim::num::kFlagUnderflow) s += "underflow ";
  if (fl & pesim::num::kFlagOverflow) s += "overflow ";
  if (fl & pesim::num::kFlagDivByZero) s += "divbyzero ";
  if (fl & pesim::num::kFlagInvalid) s += "invalid ";
  return s.empty() ? "none" : s;
}

// ---------------------------------------------------------------------------------------------------------------
// The reference: HLS ap_fixed<W,I,Q,O> conversion of an exact value.
// ---------------------------------------------------------------------------------------------------------------
struct RefResult {
  uint64_t raw = 0;
  Flags flags = 0;
};

RefResult reference_quantize(const FixedFormat& f, Dyadic x) {
  const int W = f.width_bits;
  const int F = W - f.int_bits;
  // x * 2^F = num * 2^shift = T + rem / den, T = floor(x * 2^F), 0 <= rem < den.
  const int shift = x.exp + F;
  i128 T = 0;
  i128 rem = 0;
  i128 den = 1;
  if (shift >= 0) {
    T = x.num * pow2(shift);
  } else {
    den = pow2(-shift);
    T = floor_div_pow2(x.num, -shift);
    rem = x.num - T * den;
  }
  if (rem < 0 || rem >= den) FAIL("reference floor division is broken for " << dy_str(x));
  const bool inexact = rem != 0;
  const bool negative = x.num < 0;

  // Step 1: quantization.
  bool up = false;
  if (f.quantization == Quantization::Trn) {
    up = false;
  } else if (f.quantization == Quantization::TrnZero) {
    up = negative && inexact;
  } else if (2 * rem > den) {
    up = true;
  } else if (2 * rem < den) {
    up = false;
  } else {  // exactly half-way between T and T + 1
    switch (f.quantization) {
      case Quantization::Rnd:
        up = true;
        break;  // ties toward +inf
      case Quantization::RndZero:
        up = negative;
        break;  // ties toward zero
      case Quantization::RndMinInf:
        up = false;
        break;  // ties toward -inf
      case Quantization::RndInf:
        up = !negative;
        break;  // ties away from zero
      case Quantization::RndConv:
        up = (T % 2) != 0;
        break;  // ties to even
      default:
        FAIL("unreachable quantization");
        break;
    }
  }
  const i128 q = T + (up ? 1 : 0);

  // Step 2: overflow, judged on the quantized value.
  i128 lo = f.is_signed ? -pow2(W - 1) : 0;
  const i128 hi = f.is_signed ? pow2(W - 1) - 1 : pow2(W) - 1;
  if (f.is_signed && f.overflow == Overflow::SatSym) lo = -hi;
  const bool overflow = q < lo || q > hi;
  i128 v = q;
  if (overflow) {
    switch (f.overflow) {
      case Overflow::Sat:
      case Overflow::SatSym:
        v = q < lo ? lo : hi;
        break;
      case Overflow::SatZero:
        v = 0;
        break;
      case Overflow::Wrap:
        v = mod_pow2(q, W);
        break;
      case Overflow::WrapSm: {
        i128 V = mod_pow2(q, W);
        const i128 ro = V / pow2(W - 1);               // bit W-1 of the wrapped value
        const i128 ld = mod_pow2(T, W + 1) / pow2(W);  // bit W of floor(x * 2^F), two's complement
        if (ld != ro) {
          const i128 low = mod_pow2(V, W - 1);
          V = (pow2(W - 1) - 1 - low) + ld * pow2(W - 1);  // ~V on the low W-1 bits, sign bit := lD
        }
        v = V;
        break;
      }
    }
  }
  RefResult r;
  r.raw = static_cast<uint64_t>(mod_pow2(v, W));
  if (overflow) r.flags |= pesim::num::kFlagOverflow;
  if (inexact) r.flags |= pesim::num::kFlagInexact;
  return r;
}

FixedFormat make_fmt(bool is_signed, int W, int I, Quantization q, Overflow o) {
  FixedFormat f;
  f.is_signed = is_signed;
  f.width_bits = W;
  f.int_bits = I;
  f.quantization = q;
  f.overflow = o;
  return f;
}

// Records a mismatch; only the first few are reported in detail so that a systematic bug does not flood the log.
struct MismatchLog {
  long long count = 0;
  void report(const std::string& what) {
    ++count;
    if (count <= 12) FAIL_CHECK(what);
  }
};

// ---------------------------------------------------------------------------------------------------------------
// 1. Worked examples
// ---------------------------------------------------------------------------------------------------------------
struct Example {
  Quantization q;
  Overflow o;
  int twice_input;  // the input is twice_input / 2
  int expected;     // expected value in LSBs (ap_fixed<4,4>: LSB = 1)
  Flags expected_flags;
};

TEST_CASE("ap_fixed<4,4> worked examples", "[fixed]") {
  using Q = Quantization;
  using O = Overflow;
  constexpr Flags kOv = pesim::num::kFlagOverflow;
  constexpr Flags kIx = pesim::num::kFlagInexact;
  const std::vector<Example> examples = {
      {Q::Rnd, O::Sat, 38, 7, kOv},
      {Q::Rnd, O::Sat, -38, -8, kOv},
      {Q::Rnd, O::SatSym, -38, -7, kOv},
      {Q::Rnd, O::SatSym, -16, -7, kOv},  // the minimum code itself becomes -max
      {Q::Rnd, O::SatSym, -14, -7, 0},
      {Q::Trn, O::WrapSm, 16, 7, kOv},
      {Q::Trn, O::WrapSm, 18, 6, kOv},
      {Q::Trn, O::WrapSm, 24, 3, kOv},
      {Q::Trn, O::WrapSm, 34, -2, kOv},
      {Q::Trn, O::WrapSm, -18, -8, kOv},
      {Q::Trn, O::WrapSm, -24, -5, kOv},
      {Q::Trn, O::WrapSm, 30, 0, kOv},
      {Q::Trn, O::WrapSm, 32, -1, kOv},
      {Q::Trn, O::WrapSm, 38, -4, kOv},
      {Q::Trn, O::WrapSm, 48, -8, kOv},
      {Q::Trn, O::WrapSm, -34, 0, kOv},
      {Q::Trn, O::WrapSm, -38, 2, kOv},
      {Q::Trn, O::WrapSm, 62, -1, kOv},
      {Q::Trn, O::WrapSm, -62, 1, kOv},
      {Q::Trn, O::WrapSm, 14, 7, 0},  // in range: unchanged
      {Q::Trn, O::WrapSm, -16, -8, 0},
      {Q::Trn, O::SatZero, -38, 0, kOv},
      {Q::Rnd, O::SatZero, -38, 0, kOv},
      {Q::Trn, O::Wrap, 38, 3, kOv},
      {Q::Trn, O::Wrap, -38, -3, kOv},
      {Q::Rnd, O::WrapSm, 31, 0, kOv | kIx},  // 15.5 rounds to 16; lD comes from the unrounded 15
      {Q::Rnd, O::Wrap, 15, -8, kOv | kIx},   // 7.5 rounds up to 8 and wraps
      {Q::Rnd, O::Sat, 15, 7, kOv | kIx},
      {Q::Rnd, O::Sat, -17, -8, kIx},  // -8.5 rounds up (ties toward +inf) to -8: in range
      {Q::RndMinInf, O::Sat, -17, -8, kOv | kIx},
      {Q::RndConv, O::Wrap, 5, 2, kIx},
      {Q::RndConv, O::Wrap, 7, 4, kIx},
      {Q::RndInf, O::Wrap, -5, -3, kIx},
      {Q::RndZero, O::Wrap, -5, -2, kIx},
      {Q::TrnZero, O::Wrap, -5, -2, kIx},
      {Q::Trn, O::Wrap, -5, -3, kIx},
  };
  for (const Example& ex : examples) {
    const FixedFormat f = make_fmt(true, 4, 4, ex.q, ex.o);
    REQUIRE(f.validate().empty());
    const Dyadic x{ex.twice_input, -1};
    const ExactValue v = to_exact(x);
    Flags flags = 0;
    const uint64_t got = pesim::num::encode_fixed(f, v, flags);
    const RefResult ref = reference_quantize(f, x);
    const std::string fmt_name = f.name();
    const std::string input = dy_str(x);
    const std::string got_s = raw_str(f, got) + " flags " + flags_str(flags);
    const std::string ref_s = raw_str(f, ref.raw) + " flags " + flags_str(ref.flags);
    CAPTURE(fmt_name, input, got_s, ref_s, ex.expected);
    // The reference must agree with the hand-worked example, and so must pesim.
    CHECK(raw_value(f, ref.raw) == ex.expected);
    CHECK(ref.flags == ex.expected_flags);
    CHECK(raw_value(f, got) == ex.expected);
    CHECK(flags == ex.expected_flags);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// 2. Validation and brute-force conversion of exact inputs
// ---------------------------------------------------------------------------------------------------------------
TEST_CASE("FixedFormat::validate rejects exactly the undefined combinations", "[fixed]") {
  for (bool is_signed : {true, false}) {
    for (int W = 1; W <= 62; ++W) {
      for (Quantization q : kAllQ) {
        for (Overflow o : kAllO) {
          const FixedFormat f = make_fmt(is_signed, W, 3, q, o);
          const bool expect_reject = (!is_signed && o == Overflow::WrapSm) ||
                                     (is_signed && W == 1 && (o == Overflow::SatSym || o == Overflow::WrapSm));
          const std::string fmt_name = f.name();
          const std::string message = f.validate();
          CAPTURE(fmt_name, message);
          CHECK(message.empty() == !expect_reject);
        }
      }
    }
  }
  CHECK_FALSE(make_fmt(true, 0, 0, Quantization::Trn, Overflow::Wrap).validate().empty());
  CHECK_FALSE(make_fmt(true, 63, 0, Quantization::Trn, Overflow::Wrap).validate().empty());
  CHECK(make_fmt(true, 8, -1024, Quantization::Trn, Overflow::Wrap).validate().empty());
  CHECK(make_fmt(true, 8, 1024, Quantization::Trn, Overflow::Wrap).validate().empty());
  CHECK_FALSE(make_fmt(true, 8, 1025, Quantization::Trn, Overflow::Wrap).validate().empty());
  CHECK_FALSE(make_fmt(true, 8, -1025, Quantization::Trn, Overflow::Wrap).validate().empty());
}

TEST_CASE("encode_fixed matches the reference on every dyadic input near the range", "[fixed]") {
  MismatchLog log;
  long long checked = 0;
  long long formats = 0;
  long long skipped = 0;
  for (bool is_signed : {true, false}) {
    for (int W = 1; W <= 8; ++W) {
      for (int I = -3; I <= 10; ++I) {
        for (Quantization q : kAllQ) {
          for (Overflow o : kAllO) {
            const FixedFormat f = make_fmt(is_signed, W, I, q, o);
            if (!f.validate().empty()) {
              ++skipped;
              continue;
            }
            ++formats;
            const int f_bits = W - I + 3;  // three bits below the LSB
            // x = k * 2^-f_bits; x * 2^F = k / 8 spans [-2^(W+2), 2^(W+2)] LSBs, i.e. well beyond the range.
            const long long K = (1LL << (W + 5)) + 7;
            for (long long k = -K; k <= K; ++k) {
              const Dyadic x{k, -f_bits};
              Flags flags = 0;
              const uint64_t got = pesim::num::encode_fixed(f, to_exact(x), flags);
              const RefResult ref = reference_quantize(f, x);
              ++checked;
              if (got != ref.raw || flags != ref.flags) {
                std::ostringstream os;
                os << f.name() << " input " << dy_str(x) << " (= " << k << "/8 LSBs): expected " << raw_str(f, ref.raw)
                   << " flags " << flags_str(ref.flags) << "; got " << raw_str(f, got) << " flags " << flags_str(flags);
                log.report(os.str());
              }
            }
          }
        }
      }
    }
  }
  std::cout << "[fixed] encode brute force: " << checked << " inputs over " << formats << " formats (" << skipped
            << " invalid combinations skipped), " << log.count << " mismatches\n";
  // Rejected: signed W = 1 with AP_SAT_SYM / AP_WRAP_SM, and every unsigned AP_WRAP_SM (14 values of I, 7 of Q).
  CHECK(skipped == (2 + 8) * 14 * 7);
  CHECK(log.count == 0);
}

// ---------------------------------------------------------------------------------------------------------------
// 3. decode_fixed round trip
// ---------------------------------------------------------------------------------------------------------------
bool exact_to_dyadic(const ExactValue& v, Dyadic& out) {
  if (v.is_zero()) {
    out = {0, 0};
    return true;
  }
  if (!v.is_finite_nonzero() || v.sticky || v.sig >= (pesim::num::u128{1} << 100)) return false;
  const i128 mag = static_cast<i128>(v.sig);
  out = {v.negative ? -mag : mag, v.exp};
  return true;
}

TEST_CASE("decode_fixed gives raw * 2^(I-W) and encodes back to itself", "[fixed]") {
  MismatchLog log;
  long long checked = 0;
  for (bool is_signed : {true, false}) {
    for (int W : {1, 2, 3, 4, 5, 7, 8, 10, 12}) {
      for (int I : {-5, -1, 0, 1, 3, W, W + 1, W + 7, 40}) {
        for (Quantization q : kAllQ) {
          for (Overflow o : kAllO) {
            const FixedFormat f = make_fmt(is_signed, W, I, q, o);
            if (!f.validate().empty()) continue;
            for (uint64_t raw = 0; raw < (uint64_t{1} << W); ++raw) {
              ++checked;
              const ExactValue v = pesim::num::decode_fixed(f, raw);
              const Dyadic expected{raw_value(f, raw), I - W};
              Dyadic got{};
              const bool ok = exact_to_dyadic(v, got);
              if (!ok || !dy_equal(got, expected)) {
                std::ostringstream os;
                os << f.name() << " decode " << raw_str(f, raw) << ": expected " << dy_str(expected) << "; got "
                   << (ok ? dy_str(got) : std::string("a non-finite or sticky value"));
                log.report(os.str());
                continue;
              }
              // Every code encodes back to itself, except the minimum code under AP_SAT_SYM, which becomes -max.
              uint64_t expected_back = raw;
              Flags expected_flags = 0;
              if (is_signed && o == Overflow::SatSym && raw == (uint64_t{1} << (W - 1))) {
                expected_back = raw + 1;
                expected_flags = pesim::num::kFlagOverflow;
              }
              Flags flags = 0;
              const uint64_t back = pesim::num::encode_fixed(f, v, flags);
              if (back != expected_back || flags != expected_flags) {
                std::ostringstream os;
                os << f.name() << " round trip of " << raw_str(f, raw) << ": expected " << raw_str(f, expected_back)
                   << " flags " << flags_str(expected_flags) << "; got " << raw_str(f, back) << " flags "
                   << flags_str(flags);
                log.report(os.str());
              }
            }
          }
        }
      }
    }
  }
  std::cout << "[fixed] decode round trip: " << checked << " raw patterns, " << log.count << " mismatches\n";
  CHECK(log.count == 0);
}

// ---------------------------------------------------------------------------------------------------------------
// 4. Arithmetic through pesim::num::add / mul / fma / convert
// ---------------------------------------------------------------------------------------------------------------
void check_op(MismatchLog& log, const FixedFormat& f, const char* op, const std::string& operands, Dyadic exact,
              const pesim::num::OpResult& got) {
  const RefResult ref = reference_quantize(f, exact);
  if (got.bits != ref.raw || got.flags != ref.flags) {
    std::ostringstream os;
    os << f.name() << " " << op << "(" << operands << ") exact " << dy_str(exact) << ": expected "
       << raw_str(f, ref.raw) << " flags " << flags_str(ref.flags) << "; got " << raw_str(f, got.bits) << " flags "
       << flags_str(got.flags);
    log.report(os.str());
  }
}

// A fixed-point format's signedness and width, as listed by the arithmetic and conversion sweeps.
struct Shape {
  bool is_signed;
  int W;
  int I;
};

TEST_CASE("fixed-point add, mul and fma match the reference", "[fixed]") {
  const std::vector<Shape> shapes = {{true, 5, 2}, {false, 5, 2}, {true, 4, 6}, {true, 4, -1}, {false, 4, -2}};
  std::vector<pesim::num::FpEnv> envs(2);
  envs[1].rounding = pesim::num::RoundRule::Down;  // fixed-point results must not depend on the IEEE rounding
  MismatchLog log;
  long long checked = 0;
  for (const Shape& s : shapes) {
    for (Quantization q : kAllQ) {
      for (Overflow o : kAllO) {
        const FixedFormat f = make_fmt(s.is_signed, s.W, s.I, q, o);
        if (!f.validate().empty()) continue;
        const NumberFormat nf = f;
        const uint64_t n = uint64_t{1} << s.W;
        const int lsb = s.I - s.W;
        for (const auto& env : envs) {
          for (uint64_t a = 0; a < n; ++a) {
            const Dyadic da{raw_value(f, a), lsb};
            for (uint64_t b = 0; b < n; ++b) {
              const Dyadic db{raw_value(f, b), lsb};
              const std::string ab = raw_str(f, a) + ", " + raw_str(f, b);
              check_op(log, f, "add", ab, dy_add(da, db), pesim::num::add(nf, a, b, env));
              check_op(log, f, "mul", ab, dy_mul(da, db), pesim::num::mul(nf, a, b, env));
              checked += 2;
              for (uint64_t c = 0; c < n; ++c) {
                const Dyadic dc{raw_value(f, c), lsb};
                const pesim::num::OpResult got = pesim::num::fma(nf, a, b, c, env);
                const RefResult ref = reference_quantize(f, dy_add(dy_mul(da, db), dc));
                ++checked;
                if (got.bits != ref.raw || got.flags != ref.flags) {
                  check_op(log, f, "fma", ab + ", " + raw_str(f, c), dy_add(dy_mul(da, db), dc), got);
                }
              }
            }
          }
        }
      }
    }
  }
  std::cout << "[fixed] add/mul/fma: " << checked << " operations, " << log.count << " mismatches\n";
  CHECK(log.count == 0);
}

TEST_CASE("convert between fixed-point formats matches the reference", "[fixed]") {
  const std::vector<Shape> sources = {{true, 8, 3},  {false, 8, 5}, {true, 6, 9},
                                      {true, 7, -2}, {false, 6, 0}, {true, 8, 8}};
  const std::vector<Shape> targets = {{true, 4, 2},  {true, 5, -1}, {false, 3, 3}, {true, 6, 9},
                                      {false, 5, 1}, {true, 2, 0},  {true, 1, 1},  {false, 1, -1}};
  MismatchLog log;
  long long checked = 0;
  for (const Shape& s : sources) {
    const FixedFormat from = make_fmt(s.is_signed, s.W, s.I, Quantization::Trn, Overflow::Wrap);
    const NumberFormat nfrom = from;
    for (const Shape& t : targets) {
      for (Quantization q : kAllQ) {
        for (Overflow o : kAllO) {
          const FixedFormat to = make_fmt(t.is_signed, t.W, t.I, q, o);
          if (!to.validate().empty()) continue;
          const NumberFormat nto = to;
          for (uint64_t a = 0; a < (uint64_t{1} << s.W); ++a) {
            const Dyadic da{raw_value(from, a), s.I - s.W};
            ++checked;
            check_op(log, to, "convert", from.name() + " " + raw_str(from, a), da, pesim::num::convert(nfrom, a, nto));
          }
        }
      }
    }
  }
  std::cout << "[fixed] convert: " << checked << " conversions, " << log.count << " mismatches\n";
  CHECK(log.count == 0);
}

}  // namespace
