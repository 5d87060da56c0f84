// SPDX-License-Identifier: Apache-2.0
#include "sim/error/gemm_error.h"

#include <mpfr.h>

#include <cmath>
#include <cstring>

#include "models/num/arith.h"

namespace pesim::error {

namespace {

const num::NumberFormat kFp64 = num::FloatFormat::fp64();

double to_double(const num::NumberFormat& fmt, uint64_t bits) {
  const uint64_t double_bits = num::convert(fmt, bits, kFp64).bits;
  double d = 0;
  std::memcpy(&d, &double_bits, sizeof d);
  return d;
}

// Precision at which MPFR holds any sum of K products of `in_fmt` values exactly (products are exact doubles for
// formats of up to 26 significand bits; wider inputs are summed at 2200 bits, exact for any double product).
mpfr_prec_t exact_precision(const num::NumberFormat& in_fmt, int k) {
  const auto* f = std::get_if<num::FloatFormat>(&in_fmt);
  if (f == nullptr || f->exp_bits > 8) return 2200 + 64;
  const int span_bits = 2 * ((1 << f->exp_bits) + f->man_bits + 2);  // product exponent range, both ends
  return span_bits + 64 + static_cast<int>(std::log2(k + 1.0));
}

// RAII for a small set of MPFR variables of one precision.
struct MpfrScratch {
  mpfr_t sum, term, diff;
  explicit MpfrScratch(mpfr_prec_t prec) { mpfr_inits2(prec, sum, term, diff, static_cast<mpfr_ptr>(nullptr)); }
  ~MpfrScratch() { mpfr_clears(sum, term, diff, static_cast<mpfr_ptr>(nullptr)); }
};

}  // namespace

std::vector<double> fma_chain_gemm(const GemmOperands& ops, const num::NumberFormat& in_fmt,
                                   const num::NumberFormat& acc_fmt, const num::FpEnv& env) {
  std::vector<double> y(static_cast<size_t>(ops.m) * ops.n);
  for (int i = 0; i < ops.m; ++i) {
    for (int j = 0; j < ops.n; ++j) {
      uint64_t acc = 0;
      for (int p = 0; p < ops.k; ++p) {
        const uint64_t a = ops.a_bits[static_cast<size_t>(i) * ops.k + p];
        const uint64_t b = ops.b_bits[static_cast<size_t>(p) * ops.n + j];
        acc = num::fma_mixed(in_fmt, a, b, acc_fmt, acc, acc_fmt, env).bits;
      }
      y[static_cast<size_t>(i) * ops.n + j] = to_double(acc_fmt, acc);
    }
  }
  return y;
}

std::vector<GemmErrorStats> measure_errors(const GemmOperands& ops, const num::NumberFormat& in_fmt,
                                           const std::vector<std::vector<double>>& computed) {
  std::vector<GemmErrorStats> stats(computed.size());
  std::vector<double> error_squares(computed.size(), 0.0);
  double exact_squares = 0;
  int64_t nonzero_outputs = 0;
  MpfrScratch s(exact_precision(in_fmt, ops.k));
  for (int i = 0; i < ops.m; ++i) {
    for (int j = 0; j < ops.n; ++j) {
      mpfr_set_zero(s.sum, 1);
      for (int p = 0; p < ops.k; ++p) {
        mpfr_set_d(s.term, to_double(in_fmt, ops.a_bits[static_cast<size_t>(i) * ops.k + p]), MPFR_RNDN);
        mpfr_mul_d(s.term, s.term, to_double(in_fmt, ops.b_bits[static_cast<size_t>(p) * ops.n + j]), MPFR_RNDN);
        mpfr_add(s.sum, s.sum, s.term, MPFR_RNDN);
      }
      const double exact = mpfr_get_d(s.sum, MPFR_RNDN);
      exact_squares += exact * exact;
      nonzero_outputs += mpfr_zero_p(s.sum) ? 0 : 1;
      for (size_t c = 0; c < computed.size(); ++c) {
        const double y = computed[c][static_cast<size_t>(i) * ops.n + j];
        if (!std::isfinite(y)) {
          ++stats[c].nonfinite_outputs;
          continue;
        }
        mpfr_set_d(s.diff, y, MPFR_RNDN);
        mpfr_sub(s.diff, s.diff, s.sum, MPFR_RNDN);
        const double error = std::fabs(mpfr_get_d(s.diff, MPFR_RNDN));
        stats[c].exact_outputs += mpfr_zero_p(s.diff) ? 1 : 0;
        error_squares[c] += error * error;
        if (mpfr_zero_p(s.sum)) continue;
        const double relative = error / std::fabs(exact);
        stats[c].max_relative_error = std::max(stats[c].max_relative_error, relative);
        stats[c].mean_relative_error += relative;
      }
    }
  }
  for (size_t c = 0; c < computed.size(); ++c) {
    if (nonzero_outputs > 0) stats[c].mean_relative_error /= static_cast<double>(nonzero_outputs);
    stats[c].frobenius_relative_error = exact_squares > 0 ? std::sqrt(error_squares[c] / exact_squares) : 0.0;
  }
  return stats;
}

}  // namespace pesim::error
