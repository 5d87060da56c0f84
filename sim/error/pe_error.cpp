// SPDX-License-Identifier: Apache-2.0
#include "sim/error/pe_error.h"

#include <mpfr.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <optional>

#include "models/num/seeded_random.h"

namespace pesim::error {

namespace {

// Enough bits to hold any sum of products of pesim operands exactly: operand significands have at most 62 bits
// and exponents lie within about +-1100 (fp32/bf16 products span 2^-298 .. 2^256; fixed formats far less).
constexpr mpfr_prec_t kExactPrecisionBits = 2560;

void set_exact(mpfr_t dst, const num::ExactValue& v) {
  if (v.is_nan()) {
    mpfr_set_nan(dst);
  } else if (v.is_inf()) {
    mpfr_set_inf(dst, v.negative ? -1 : 1);
  } else if (v.is_zero()) {
    mpfr_set_zero(dst, v.negative ? -1 : 1);
  } else {
    mpfr_set_uj(dst, static_cast<uintmax_t>(v.sig), MPFR_RNDN);  // sig < 2^63: exact
    mpfr_mul_2si(dst, dst, v.exp, MPFR_RNDN);
    if (v.negative) mpfr_neg(dst, dst, MPFR_RNDN);
  }
}

size_t ulp_bucket(double ulps) {
  for (size_t b = 0; b < kUlpBucketBounds.size(); ++b) {
    if (ulps <= kUlpBucketBounds[b]) return b;
  }
  return kUlpBucketBounds.size();
}

struct ExactScratch {
  mpfr_t sum, term, factor, diff;
  ExactScratch() {
    for (mpfr_ptr x : {sum, term, factor, diff}) mpfr_init2(x, kExactPrecisionBits);
  }
  ~ExactScratch() {
    for (mpfr_ptr x : {sum, term, factor, diff}) mpfr_clear(x);
  }
};

// Each output's chain over a kind's own mapping against the exact product of the mapped operand values (summed in
// MPFR, then rounded once to a double), in the result's units.
PeErrorStats mapped_chain_errors(const pe::IPeCore& core, const pe::GemmMapping& g, int m, int k, int n) {
  const std::vector<uint64_t> y = pe_chain_gemm(core, {m, n, static_cast<int>(g.ops), g.a_words, g.b_words});
  PeErrorStats stats;
  ExactScratch s;
  for (int row = 0; row < m; ++row) {
    for (int col = 0; col < n; ++col) {
      mpfr_set_zero(s.sum, 1);
      for (int p = 0; p < k; ++p) {
        mpfr_set_d(s.term, g.a_values[static_cast<size_t>(row) * k + p], MPFR_RNDN);
        mpfr_mul_d(s.term, s.term, g.b_values[static_cast<size_t>(p) * n + col], MPFR_RNDN);  // exact doubles
        mpfr_add(s.sum, s.sum, s.term, MPFR_RNDN);
      }
      const double exact = mpfr_get_d(s.sum, MPFR_RNDN);
      const double result = num::to_double(core.result_value(y[static_cast<size_t>(row) * n + col]));
      if (!std::isfinite(result)) {
        stats.add_nonfinite();
        continue;
      }
      stats.add(std::fabs(result - exact), std::fabs(exact), core.result_ulp(std::fabs(exact)));
    }
  }
  stats.finish();
  return stats;
}

}  // namespace

std::vector<uint64_t> quantize_operands(const std::vector<double>& values, bool is_a, const pe::IPeCore& core) {
  std::vector<uint64_t> words;
  words.reserve(values.size());
  for (double v : values) words.push_back(is_a ? core.quantize_a(v) : core.quantize_b(v));
  return words;
}

std::vector<uint64_t> pe_chain_gemm(const pe::IPeCore& core, const PeGemmOperands& ops) {
  std::vector<uint64_t> y(static_cast<size_t>(ops.m) * ops.n);
  for (int i = 0; i < ops.m; ++i) {
    for (int j = 0; j < ops.n; ++j) y[static_cast<size_t>(i) * ops.n + j] = pe_chain_output(core, ops, i, j);
  }
  return y;
}

uint64_t pe_chain_output(const pe::IPeCore& core, const PeGemmOperands& ops, int64_t i, int64_t j) {
  uint64_t acc = core.zero_acc();
  for (int64_t p = 0; p < ops.k; ++p) {
    acc =
        core.mac(ops.a_words[static_cast<size_t>(i * ops.k + p)], ops.b_words[static_cast<size_t>(p * ops.n + j)], acc);
  }
  return core.finish(acc);
}

std::vector<size_t> checked_outputs(CheckedOutputs which, int64_t m, int64_t n, uint64_t seed, size_t sample_size) {
  const auto count = static_cast<size_t>(m * n);
  std::vector<size_t> outputs;
  if (which == CheckedOutputs::none) return outputs;
  if (which == CheckedOutputs::full || count <= sample_size) {
    outputs.resize(count);
    for (size_t i = 0; i < count; ++i) outputs[i] = i;
    return outputs;
  }
  // Floyd's algorithm: sample_size distinct indices in sample_size draws, whatever the result's size.
  num::SeededRandom random(seed);
  std::vector<size_t> drawn;
  for (size_t j = count - sample_size; j < count; ++j) {
    const auto t = static_cast<size_t>(random.index(j + 1));
    const bool seen = std::find(drawn.begin(), drawn.end(), t) != drawn.end();
    drawn.push_back(seen ? j : t);
  }
  std::sort(drawn.begin(), drawn.end());
  return drawn;
}

namespace {

// One output against s.sum, its exact value.
void tally_output(PeErrorStats& stats, ExactScratch& s, const pe::IPeCore& core, uint64_t y) {
  set_exact(s.diff, core.result_value(y));
  if (!mpfr_number_p(s.diff) || !mpfr_number_p(s.sum)) return stats.add_nonfinite();
  mpfr_sub(s.diff, s.diff, s.sum, MPFR_RNDN);
  const double exact = std::fabs(mpfr_get_d(s.sum, MPFR_RNDN));
  stats.add(std::fabs(mpfr_get_d(s.diff, MPFR_RNDN)), exact, core.result_ulp(exact));
}

}  // namespace

PeErrorStats measure_pe_errors(const pe::IPeCore& core, const PeGemmOperands& ops, const std::vector<uint64_t>& y) {
  PeErrorStats stats;
  ExactScratch s;
  for (int i = 0; i < ops.m; ++i) {
    for (int j = 0; j < ops.n; ++j) {
      mpfr_set_zero(s.sum, 1);
      for (int p = 0; p < ops.k; ++p) {
        set_exact(s.term, core.a_value(ops.a_words[static_cast<size_t>(i) * ops.k + p]));
        set_exact(s.factor, core.b_value(ops.b_words[static_cast<size_t>(p) * ops.n + j]));
        mpfr_mul(s.term, s.term, s.factor, MPFR_RNDN);
        mpfr_add(s.sum, s.sum, s.term, MPFR_RNDN);
      }
      tally_output(stats, s, core, y[static_cast<size_t>(i) * ops.n + j]);
    }
  }
  stats.finish();
  return stats;
}

PeErrorStats sampled_chain_errors(const pe::IPeCore& core, int m, int k, int n, uint64_t seed) {
  num::SeededRandom random(seed);
  std::vector<double> a(static_cast<size_t>(m) * k), b(static_cast<size_t>(k) * n);
  for (double& value : a) value = random.normal();
  for (double& value : b) value = random.normal();
  // A kind with its own mapping (MixPE: group-quantized weights whose scales enter through DEQUANT operations).
  if (const std::optional<pe::GemmMapping> mapped = core.map_gemm(a, b, m, n, k))
    return mapped_chain_errors(core, *mapped, m, k, n);
  PeGemmOperands ops{m, n, k, quantize_operands(a, true, core), quantize_operands(b, false, core)};
  return measure_pe_errors(core, ops, pe_chain_gemm(core, ops));
}

PeErrorStats measure_value_errors(const pe::IPeCore& core, const GemmValues& values, const std::vector<uint64_t>& y) {
  return measure_value_errors(core, values, y, checked_outputs(CheckedOutputs::full, values.m, values.n, 0));
}

namespace {

// Y = A * B's exact sums in 128-bit integers, where the operand values allow: every A value is an integer multiple of
// 2^a_lsb below 2^a_top in magnitude (likewise B), so a * b = (a / 2^a_lsb) (b / 2^b_lsb) 2^(a_lsb + b_lsb) with
// integer factors of at most a_top - a_lsb and b_top - b_lsb bits, and a sum of k such products needs at most
// (a_top - a_lsb) + (b_top - b_lsb) + bit_width(k) bits. When that fits in 126 bits (every quantized format pesim
// has up to fp16, int32 and its fixed formats), the integer sum is the exact sum, as MPFR's is.
class FixedPointDots {
 public:
  // Nothing when a value is not finite or the sums could need more than 126 bits.
  static std::optional<FixedPointDots> make(const GemmValues& values) {
    const std::optional<Scale> a = scale_of(values.a), b = scale_of(values.b);
    if (!a || !b) return std::nullopt;
    const int bits = (a->top - a->lsb) + (b->top - b->lsb) + std::bit_width(static_cast<uint64_t>(values.k));
    if (a->top - a->lsb > 63 || b->top - b->lsb > 63 || bits > 126) return std::nullopt;
    return FixedPointDots(values, *a, *b);
  }

  // Output (i, j)'s exact sum into `sum` (which has room for 128 bits).
  void exact_sum(int64_t i, int64_t j, mpfr_t sum) const {
    __int128 total = 0;
    const int64_t* a = &m_a[static_cast<size_t>(i * m_k)];
    const int64_t* b = &m_b[static_cast<size_t>(j)];
    for (int64_t p = 0; p < m_k; ++p) total += static_cast<__int128>(a[p]) * b[static_cast<size_t>(p * m_n)];
    const auto magnitude = static_cast<unsigned __int128>(total < 0 ? -total : total);
    mpfr_set_uj_2exp(sum, static_cast<uintmax_t>(magnitude >> 64), 64, MPFR_RNDN);
    mpfr_add_ui_low(sum, static_cast<uint64_t>(magnitude));
    mpfr_mul_2si(sum, sum, m_exponent, MPFR_RNDN);
    if (total < 0) mpfr_neg(sum, sum, MPFR_RNDN);
  }

 private:
  struct Scale {
    int lsb = 0, top = 0;  // every value is a multiple of 2^lsb and below 2^top in magnitude
  };

  // A finite double as +-significand * 2^exponent with an integer significand below 2^53, read from its bits (the
  // same numbers frexp and ldexp give, at a fraction of their cost on a million operands).
  struct Parts {
    uint64_t significand;
    int exponent;
  };
  static Parts parts_of(double v) {
    const uint64_t bits = std::bit_cast<uint64_t>(v);
    const auto exponent_field = static_cast<int>((bits >> 52) & 0x7ff);
    const uint64_t fraction = bits & ((uint64_t{1} << 52) - 1);
    if (exponent_field == 0) return {fraction, -1074};  // subnormal
    return {fraction | (uint64_t{1} << 52), exponent_field - 1075};
  }

  static std::optional<Scale> scale_of(const std::vector<double>& values) {
    Scale s{std::numeric_limits<int>::max(), std::numeric_limits<int>::min()};
    for (double v : values) {
      if (!std::isfinite(v)) return std::nullopt;
      if (v == 0) continue;
      const Parts p = parts_of(v);  // |v| < 2^(exponent + bit width), a multiple of 2^(exponent + trailing zeros)
      s.lsb = std::min(s.lsb, p.exponent + std::countr_zero(p.significand));
      s.top = std::max(s.top, p.exponent + static_cast<int>(std::bit_width(p.significand)));
    }
    if (s.top < s.lsb) s = {0, 0};  // all zero
    return s;
  }

  // Each value / 2^lsb, exact (make() checked that it fits 63 bits).
  static std::vector<int64_t> integers(const std::vector<double>& values, int lsb) {
    std::vector<int64_t> out(values.size());
    for (size_t i = 0; i < values.size(); ++i) {
      if (values[i] == 0) continue;
      const Parts p = parts_of(values[i]);
      const int shift = p.exponent - lsb;  // negative where the significand's low bits are zeros below 2^lsb
      const auto magnitude = static_cast<int64_t>(shift >= 0 ? p.significand << shift : p.significand >> -shift);
      out[i] = std::signbit(values[i]) ? -magnitude : magnitude;
    }
    return out;
  }

  static void mpfr_add_ui_low(mpfr_t sum, uint64_t low) {
    mpfr_t part;
    mpfr_init2(part, 64);
    mpfr_set_uj(part, static_cast<uintmax_t>(low), MPFR_RNDN);
    mpfr_add(sum, sum, part, MPFR_RNDN);
    mpfr_clear(part);
  }

  FixedPointDots(const GemmValues& values, const Scale& a, const Scale& b)
      : m_k(values.k),
        m_n(values.n),
        m_exponent(a.lsb + b.lsb),
        m_a(integers(values.a, a.lsb)),
        m_b(integers(values.b, b.lsb)) {}

  int64_t m_k, m_n;
  long m_exponent;
  std::vector<int64_t> m_a, m_b;
};

void mpfr_exact_sum(const GemmValues& values, int64_t i, int64_t j, ExactScratch& s) {
  mpfr_set_zero(s.sum, 1);
  for (int64_t p = 0; p < values.k; ++p) {
    mpfr_set_d(s.term, values.a[static_cast<size_t>(i * values.k + p)], MPFR_RNDN);
    mpfr_mul_d(s.term, s.term, values.b[static_cast<size_t>(p * values.n + j)], MPFR_RNDN);
    mpfr_add(s.sum, s.sum, s.term, MPFR_RNDN);
  }
}

}  // namespace

bool exact_sums_fit_integers(const GemmValues& values) { return FixedPointDots::make(values).has_value(); }

PeErrorStats measure_value_errors(const pe::IPeCore& core, const GemmValues& values, const std::vector<uint64_t>& y,
                                  const std::vector<size_t>& outputs, ExactSumPath path) {
  PeErrorStats stats;
  ExactScratch s;
  const std::optional<FixedPointDots> fixed =
      path == ExactSumPath::fast && !outputs.empty() ? FixedPointDots::make(values) : std::nullopt;
  for (size_t output : outputs) {
    const auto i = static_cast<int64_t>(output) / values.n, j = static_cast<int64_t>(output) % values.n;
    if (fixed) {
      fixed->exact_sum(i, j, s.sum);
    } else {
      mpfr_exact_sum(values, i, j, s);
    }
    tally_output(stats, s, core, y[output]);
  }
  stats.finish();
  return stats;
}

void PeErrorStats::add(double abs_error, double abs_exact, double ulp) {
  ++outputs;
  sum_squared_error += abs_error * abs_error;
  sum_squared_exact += abs_exact * abs_exact;
  max_abs_error = std::max(max_abs_error, abs_error);
  mean_abs_error += abs_error;
  ++ulp_histogram[ulp_bucket(abs_error / ulp)];
  if (abs_exact == 0) return;
  ++nonzero_outputs;
  max_rel_error = std::max(max_rel_error, abs_error / abs_exact);
  mean_rel_error += abs_error / abs_exact;
}

void PeErrorStats::finish() {
  const int64_t finite = outputs - nonfinite_outputs;
  if (finite > 0) mean_abs_error /= static_cast<double>(finite);
  if (nonzero_outputs > 0) mean_rel_error /= static_cast<double>(nonzero_outputs);
  if (sum_squared_exact > 0) rms_rel_error = std::sqrt(sum_squared_error / sum_squared_exact);
}

}  // namespace pesim::error
