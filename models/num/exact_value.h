// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <cstdint>

#include "models/num/rounding.h"

namespace pesim::num {

using u128 = unsigned __int128;

// The exact (unrounded) result of an operation, before it is rounded into a destination format. Every format
// decodes into this form, every operation computes in it, and every format encodes from it: one rounding per op.
//
// Contract for finite values: |value| = sig * 2^exp exactly when !sticky; when sticky, |value| lies strictly
// between sig * 2^exp and (sig + 1) * 2^exp. Operands of exact_add/exact_mul must have sig < 2^125 and
// !sticky (decoded values always do: formats carry at most 62 significant bits).
struct ExactValue {
  enum class Kind : uint8_t { Zero, Finite, Infinite, NaN };
  Kind kind = Kind::Zero;
  bool negative = false;
  bool signaling = false;  // NaN only: a signaling NaN operand raises invalid when consumed
  bool sticky = false;
  u128 sig = 0;
  int32_t exp = 0;

  bool is_nan() const { return kind == Kind::NaN; }
  bool is_inf() const { return kind == Kind::Infinite; }
  bool is_zero() const { return kind == Kind::Zero; }
  bool is_finite_nonzero() const { return kind == Kind::Finite; }

  static ExactValue zero(bool negative);
  static ExactValue infinity(bool negative);
  static ExactValue nan(bool signaling = false);
  static ExactValue finite(bool negative, u128 sig, int32_t exp);  // sig == 0 gives a zero of that sign
};

// The value as a host double, rounded to nearest (NaN and infinities kept); for reports, never for arithmetic.
double to_double(const ExactValue& v);

// Index of the most significant set bit of a non-zero value.
int msb_index(u128 v);

// A magnitude rounded to a multiple of 2^lsb_exp: kept * 2^lsb_exp.
struct RoundedMagnitude {
  u128 kept = 0;  // may have grown by one bit through the rounding carry
  bool inexact = false;
  bool overflowed_u128 = false;  // kept does not fit 128 bits (value far above any destination range)
};

// Rounds the finite magnitude of `v` to a multiple of 2^lsb_exp with the given rule.
RoundedMagnitude round_magnitude(const ExactValue& v, int32_t lsb_exp, RoundRule rule);

// Exact arithmetic with IEEE 754 special-value rules. Results are exact except that exact_add may return a
// sticky tail when its operands are more than ~125 bits apart (rounding into any pesim format stays correct).
// `rule` only decides the sign of an exact zero sum (negative under RoundRule::Down).
// `invalid` is set for signaling-NaN operands and for inf - inf and 0 * inf.
ExactValue exact_mul(const ExactValue& a, const ExactValue& b, bool& invalid);
ExactValue exact_add(const ExactValue& a, const ExactValue& b, RoundRule rule, bool& invalid);
ExactValue exact_fma(const ExactValue& a, const ExactValue& b, const ExactValue& c, RoundRule rule, bool& invalid);

}  // namespace pesim::num
