// SPDX-License-Identifier: Apache-2.0
#include "models/num/arith.h"

#include <cstring>

namespace pesim::num {

namespace {

OpResult finish(const NumberFormat& out, const ExactValue& exact, bool invalid, const FpEnv& env) {
  OpResult r;
  if (invalid) r.flags |= kFlagInvalid;
  r.bits = encode(out, exact, env, r.flags);
  return r;
}

}  // namespace

OpResult add(const NumberFormat& fmt, uint64_t a, uint64_t b, const FpEnv& env) {
  bool invalid = false;
  const ExactValue sum = exact_add(decode(fmt, a, env), decode(fmt, b, env), env.rounding, invalid);
  return finish(fmt, sum, invalid, env);
}

OpResult mul(const NumberFormat& fmt, uint64_t a, uint64_t b, const FpEnv& env) {
  bool invalid = false;
  const ExactValue product = exact_mul(decode(fmt, a, env), decode(fmt, b, env), invalid);
  return finish(fmt, product, invalid, env);
}

OpResult fma(const NumberFormat& fmt, uint64_t a, uint64_t b, uint64_t c, const FpEnv& env) {
  return fma_mixed(fmt, a, b, fmt, c, fmt, env);
}

OpResult fma_mixed(const NumberFormat& product_fmt, uint64_t a, uint64_t b, const NumberFormat& addend_fmt, uint64_t c,
                   const NumberFormat& out_fmt, const FpEnv& env) {
  bool invalid = false;
  const ExactValue exact = exact_fma(decode(product_fmt, a, env), decode(product_fmt, b, env),
                                     decode(addend_fmt, c, env), env.rounding, invalid);
  return finish(out_fmt, exact, invalid, env);
}

OpResult convert(const NumberFormat& from, uint64_t a, const NumberFormat& to, const FpEnv& env) {
  const ExactValue v = decode(from, a, env);
  return finish(to, v, v.is_nan() && v.signaling, env);
}

OpResult from_double(const NumberFormat& to, double value, const FpEnv& env) {
  uint64_t bits = 0;
  std::memcpy(&bits, &value, sizeof bits);
  return convert(FloatFormat::fp64(), bits, to, env);
}

}  // namespace pesim::num
