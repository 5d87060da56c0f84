// SPDX-License-Identifier: Apache-2.0
#include "tests/num/mpfr_oracle.h"

#include <mpfr.h>

#include <cmath>

namespace pesim::test {

namespace {

using num::FloatFormat;

constexpr mpfr_prec_t kExactPrecision = 4500;  // holds any fp64 fma result exactly

struct Mpfr {
  mpfr_t v;
  explicit Mpfr(mpfr_prec_t prec = kExactPrecision) { mpfr_init2(v, prec); }
  ~Mpfr() { mpfr_clear(v); }
  Mpfr(const Mpfr&) = delete;
  Mpfr& operator=(const Mpfr&) = delete;
};

// Restores MPFR's exponent range when leaving a scope.
struct ExponentRange {
  mpfr_exp_t emin = mpfr_get_emin(), emax = mpfr_get_emax();
  ~ExponentRange() {
    mpfr_set_emin(emin);
    mpfr_set_emax(emax);
  }
};

struct Operand {
  bool is_snan = false;
  bool is_nan = false;
};

Operand decode(const FloatFormat& f, uint64_t bits, const num::FpEnv& env, mpfr_t out) {
  const int m = f.man_bits;
  const bool negative = (bits >> (f.exp_bits + m)) & 1;
  const uint64_t field = (bits >> m) & ((uint64_t{1} << f.exp_bits) - 1);
  const uint64_t mant = bits & ((uint64_t{1} << m) - 1);
  const uint64_t top = (uint64_t{1} << f.exp_bits) - 1;
  Operand info;
  if (f.has_inf && field == top) {
    if (mant == 0) {
      mpfr_set_inf(out, negative ? -1 : 1);
    } else {
      mpfr_set_nan(out);
      info.is_nan = true;
      info.is_snan = ((mant >> (m - 1)) & 1) == 0;
    }
    return info;
  }
  if (!f.has_inf && f.has_nan && field == top && mant == (uint64_t{1} << m) - 1) {
    mpfr_set_nan(out);
    info.is_nan = true;
    return info;
  }
  if (field == 0 && (mant == 0 || !f.has_subnormal || env.subnormal_inputs_are_zero)) {
    mpfr_set_zero(out, negative ? -1 : 1);
    return info;
  }
  const long exp = field == 0 ? 1 - f.bias - m : static_cast<long>(field) - f.bias - m;
  const uint64_t sig = field == 0 ? mant : (mant | (uint64_t{1} << m));
  mpfr_set_ui_2exp(out, sig, exp, MPFR_RNDN);  // exact: sig has at most 53 bits, out has kExactPrecision
  if (negative) mpfr_neg(out, out, MPFR_RNDN);
  return info;
}

uint64_t sign_bit(const FloatFormat& f, bool negative) {
  return negative ? uint64_t{1} << (f.exp_bits + f.man_bits) : 0;
}
uint64_t top_field(const FloatFormat& f) { return (uint64_t{1} << f.exp_bits) - 1; }

uint64_t max_finite_bits(const FloatFormat& f) {
  const uint64_t mant_ones = (uint64_t{1} << f.man_bits) - 1;
  if (f.has_inf) return ((top_field(f) - 1) << f.man_bits) | mant_ones;
  if (f.has_nan) return (top_field(f) << f.man_bits) | (mant_ones - 1);
  return (top_field(f) << f.man_bits) | mant_ones;
}

uint64_t nan_bits(const FloatFormat& f) {
  if (f.has_inf) return (top_field(f) << f.man_bits) | (uint64_t{1} << (f.man_bits - 1));
  return f.has_nan ? (top_field(f) << f.man_bits) | ((uint64_t{1} << f.man_bits) - 1) : 0;
}

// Largest finite value as a number.
void max_finite_value(const FloatFormat& f, mpfr_t out) {
  const uint64_t bits = max_finite_bits(f);
  const uint64_t field = bits >> f.man_bits;
  const uint64_t sig = (bits & ((uint64_t{1} << f.man_bits) - 1)) | (uint64_t{1} << f.man_bits);
  mpfr_set_ui_2exp(out, sig, static_cast<long>(field) - f.bias - f.man_bits, MPFR_RNDN);
}

// A finite value that the format represents exactly -> its bit pattern.
uint64_t encode_representable(const FloatFormat& f, const mpfr_t r) {
  const bool negative = mpfr_signbit(r) != 0;
  if (mpfr_zero_p(r)) return sign_bit(f, negative);
  Mpfr scaled;
  mpfr_abs(scaled.v, r, MPFR_RNDN);
  const long e = mpfr_get_exp(scaled.v) - 1;  // |r| in [2^e, 2^(e+1))
  const long emin = 1 - f.bias;
  if (e >= emin) {
    mpfr_mul_2si(scaled.v, scaled.v, f.man_bits - e, MPFR_RNDN);  // now in [2^m, 2^(m+1)), an integer
    const uint64_t sig = mpfr_get_ui(scaled.v, MPFR_RNDN);
    return sign_bit(f, negative) | (static_cast<uint64_t>(e + f.bias) << f.man_bits) |
           (sig - (uint64_t{1} << f.man_bits));
  }
  mpfr_mul_2si(scaled.v, scaled.v, f.man_bits - emin, MPFR_RNDN);
  return sign_bit(f, negative) | mpfr_get_ui(scaled.v, MPFR_RNDN);
}

mpfr_rnd_t mpfr_mode(num::RoundRule rule) {
  switch (rule) {
    case num::RoundRule::TowardZero:
      return MPFR_RNDZ;
    case num::RoundRule::Down:
      return MPFR_RNDD;
    case num::RoundRule::Up:
      return MPFR_RNDU;
    default:
      return MPFR_RNDN;
  }
}

// Rounds exact x to p bits with MPFR's (huge) default exponent range; returns the ternary value.
int round_unbounded(const FloatFormat& f, const mpfr_t x, mpfr_rnd_t rnd, mpfr_t out) {
  mpfr_set_prec(out, f.man_bits + 1);
  return mpfr_set(out, x, rnd);
}

// Rounds x to the format's precision, exponent range and subnormals (IEEE rounding under `rnd`).
void round_to_format(const FloatFormat& f, const mpfr_t x, mpfr_rnd_t rnd, mpfr_t out) {
  ExponentRange saved;
  mpfr_set_prec(out, f.man_bits + 1);
  // MPFR exponents: x = 0.1xxx * 2^EXP. Smallest normal 2^(1-bias) has EXP 2-bias; smallest subnormal 2^(1-bias-m).
  const mpfr_exp_t emin = f.has_subnormal ? 2 - f.bias - f.man_bits : 2 - f.bias;
  mpfr_set_emin(emin);
  mpfr_set_emax(1 << 20);
  int t = mpfr_set(out, x, rnd);
  t = mpfr_check_range(out, t, rnd);
  if (f.has_subnormal) mpfr_subnormalize(out, t, rnd);
}

// Round to nearest, ties away from zero: MPFR's directed results around x, and the tie test done exactly.
void round_ties_away(const FloatFormat& f, const mpfr_t x, bool to_format, mpfr_t out) {
  Mpfr down, up, mid;
  mpfr_set_prec(down.v, f.man_bits + 1);
  mpfr_set_prec(up.v, f.man_bits + 1);
  if (to_format) {
    round_to_format(f, x, MPFR_RNDZ, down.v);
    round_to_format(f, x, MPFR_RNDA, up.v);
  } else {
    round_unbounded(f, x, MPFR_RNDZ, down.v);
    round_unbounded(f, x, MPFR_RNDA, up.v);
  }
  mpfr_add(mid.v, down.v, up.v, MPFR_RNDN);
  mpfr_div_2ui(mid.v, mid.v, 1, MPFR_RNDN);
  mpfr_set_prec(out, f.man_bits + 1);
  if (mpfr_equal_p(mid.v, x) && !mpfr_equal_p(down.v, up.v)) {
    mpfr_set(out, up.v, MPFR_RNDN);
  } else if (to_format) {
    round_to_format(f, x, MPFR_RNDN, out);
  } else {
    round_unbounded(f, x, MPFR_RNDN, out);
  }
}

OracleResult overflow_result(const FloatFormat& f, bool negative, num::RoundRule rule) {
  const bool toward_zero = rule == num::RoundRule::TowardZero || (rule == num::RoundRule::Up && negative) ||
                           (rule == num::RoundRule::Down && !negative);
  OracleResult r{0, static_cast<num::Flags>(num::kFlagOverflow | num::kFlagInexact)};
  if (f.saturate || toward_zero)
    r.bits = sign_bit(f, negative) | max_finite_bits(f);
  else if (f.has_inf)
    r.bits = sign_bit(f, negative) | (top_field(f) << f.man_bits);
  else
    r.bits = nan_bits(f);
  return r;
}

OracleResult round_exact(const FloatFormat& f, const mpfr_t x, const num::FpEnv& env) {
  const bool negative = mpfr_signbit(x) != 0;
  const bool ties_away = env.rounding == num::RoundRule::NearestAway;
  const mpfr_rnd_t rnd = mpfr_mode(env.rounding);
  Mpfr unbounded, limit, minimum, result;
  if (ties_away)
    round_ties_away(f, x, false, unbounded.v);
  else
    round_unbounded(f, x, rnd, unbounded.v);
  max_finite_value(f, limit.v);
  if (mpfr_cmpabs(unbounded.v, limit.v) > 0) return overflow_result(f, negative, env.rounding);
  mpfr_set_ui_2exp(minimum.v, 1, 1 - f.bias, MPFR_RNDN);
  const bool tiny = mpfr_cmpabs(unbounded.v, minimum.v) < 0;
  OracleResult r;
  if (tiny && env.flush_subnormal_outputs) {
    r.bits = sign_bit(f, negative);
    r.flags = num::kFlagUnderflow | num::kFlagInexact;
    return r;
  }
  if (ties_away)
    round_ties_away(f, x, true, result.v);
  else
    round_to_format(f, x, rnd, result.v);
  const bool inexact = !mpfr_equal_p(result.v, x);
  if (inexact) r.flags |= num::kFlagInexact;
  if (inexact && tiny) r.flags |= num::kFlagUnderflow;
  if (mpfr_zero_p(result.v)) mpfr_setsign(result.v, result.v, negative, MPFR_RNDN);
  r.bits = encode_representable(f, result.v);
  return r;
}

OracleResult special_result(const FloatFormat& out, const mpfr_t x) {
  OracleResult r;
  if (mpfr_nan_p(x)) {
    r.bits = nan_bits(out);
    if (!out.has_nan) r.flags |= num::kFlagInvalid;
    return r;
  }
  const bool negative = mpfr_signbit(x) != 0;  // infinity
  if (out.has_inf) {
    r.bits = sign_bit(out, negative) | (top_field(out) << out.man_bits);
  } else {
    r.flags |= num::kFlagInvalid;
    r.bits = out.saturate ? sign_bit(out, negative) | max_finite_bits(out) : nan_bits(out);
  }
  return r;
}

}  // namespace

OracleResult oracle(OracleOp op, const FloatFormat& fmt, const FloatFormat& out, uint64_t a, uint64_t b, uint64_t c,
                    const num::FpEnv& env) {
  Mpfr x, y, z, exact;
  const Operand oa = decode(fmt, a, env, x.v);
  const Operand ob = op == OracleOp::Convert ? Operand{} : decode(fmt, b, env, y.v);
  const Operand oc = op == OracleOp::Fma ? decode(fmt, c, env, z.v) : Operand{};
  const mpfr_rnd_t zero_sign_rnd = env.rounding == num::RoundRule::Down ? MPFR_RNDD : MPFR_RNDN;
  bool invalid = oa.is_snan || ob.is_snan || oc.is_snan;
  mpfr_clear_nanflag();
  int ternary = 0;
  switch (op) {
    case OracleOp::Add:
      ternary = mpfr_add(exact.v, x.v, y.v, zero_sign_rnd);
      break;
    case OracleOp::Mul:
      ternary = mpfr_mul(exact.v, x.v, y.v, zero_sign_rnd);
      break;
    case OracleOp::Fma:
      ternary = mpfr_fma(exact.v, x.v, y.v, z.v, zero_sign_rnd);
      break;
    case OracleOp::Convert:
      ternary = mpfr_set(exact.v, x.v, MPFR_RNDN);
      break;
  }
  if (ternary != 0) std::abort();  // kExactPrecision must hold every exact result
  const bool operand_nan = oa.is_nan || ob.is_nan || oc.is_nan;
  if (mpfr_nan_p(exact.v) && !operand_nan) invalid = true;  // inf - inf, 0 * inf
  OracleResult r = mpfr_number_p(exact.v) ? (mpfr_zero_p(exact.v) ? OracleResult{encode_representable(out, exact.v), 0}
                                                                  : round_exact(out, exact.v, env))
                                          : special_result(out, exact.v);
  if (invalid) r.flags |= num::kFlagInvalid;
  return r;
}

}  // namespace pesim::test
