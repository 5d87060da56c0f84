// SPDX-License-Identifier: Apache-2.0
#include "sim/eval/decimal.h"

#include <gmp.h>

#include <cctype>
#include <string_view>

namespace pesim::eval {

namespace {

// RAII for one mpz_t.
struct Mpz {
  mpz_t v;
  Mpz() { mpz_init(v); }
  ~Mpz() { mpz_clear(v); }
  Mpz(const Mpz&) = delete;
  Mpz& operator=(const Mpz&) = delete;
};

num::u128 low_bits(const mpz_t v, int bits) {
  num::u128 out = 0;
  for (int i = bits - 1; i >= 0; --i) out = (out << 1) | static_cast<num::u128>(mpz_tstbit(v, i));
  return out;
}

constexpr int kGuardBits = 2;       // half bit and one more below the destination LSB
constexpr int kMaxExactBits = 124;  // stays below exact_add's operand limit
constexpr int kKeptLowBits = 100;   // for out-of-range values: more than any W + guard bits

// The pieces of sign? digits ('.' digits)? ([eE] sign? 1-6 digits)?, scanned by hand: std::regex matches
// recursively and overflows the stack on inputs of some hundred thousand characters.
struct DecimalText {
  bool negative = false;
  std::string_view integer, fraction;
  long exponent = 0;
};

bool digits_at(std::string_view text, size_t& at, std::string_view& out) {
  const size_t start = at;
  while (at < text.size() && std::isdigit(static_cast<unsigned char>(text[at])) != 0) ++at;
  out = text.substr(start, at - start);
  return at > start;
}

bool scan_decimal(std::string_view text, DecimalText& out) {
  size_t at = 0;
  if (at < text.size() && (text[at] == '+' || text[at] == '-')) out.negative = text[at++] == '-';
  const bool has_integer = digits_at(text, at, out.integer);
  bool has_fraction = false;
  if (at < text.size() && text[at] == '.') has_fraction = digits_at(text, ++at, out.fraction);
  if (!has_integer && !has_fraction) return false;
  if (at < text.size() && (text[at] == 'e' || text[at] == 'E')) {
    bool negative_exponent = false;
    if (++at < text.size() && (text[at] == '+' || text[at] == '-')) negative_exponent = text[at++] == '-';
    std::string_view exponent;
    if (!digits_at(text, at, exponent) || exponent.size() > 6) return false;
    out.exponent = std::stol(std::string(exponent)) * (negative_exponent ? -1 : 1);
  }
  return at == text.size();
}

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != b[i]) return false;
  }
  return true;
}

// inf, infinity or nan with an optional sign, in any case.
bool scan_special(std::string_view text, num::ExactValue& out) {
  const bool negative = !text.empty() && text[0] == '-';
  if (!text.empty() && (text[0] == '+' || text[0] == '-')) text.remove_prefix(1);
  if (equals_ignoring_case(text, "nan")) {
    out = num::ExactValue::nan();
    return true;
  }
  if (!equals_ignoring_case(text, "inf") && !equals_ignoring_case(text, "infinity")) return false;
  out = num::ExactValue::infinity(negative);
  return true;
}

}  // namespace

bool parse_decimal(const std::string& text, int32_t lsb_exp, num::ExactValue& out) {
  if (scan_special(text, out)) return true;
  DecimalText d;
  if (!scan_decimal(text, d)) return false;
  const bool negative = d.negative;
  const std::string digits = std::string(d.integer) + std::string(d.fraction);
  const long decimal_exp = d.exponent - static_cast<long>(d.fraction.size());
  const long binary_shift = kGuardBits - static_cast<long>(lsb_exp);  // scale by 2^(guard - lsb)
  Mpz numerator, denominator, quotient, remainder;
  mpz_set_str(numerator.v, digits.c_str(), 10);
  mpz_set_ui(denominator.v, 1);
  Mpz power;
  mpz_ui_pow_ui(power.v, 10, static_cast<unsigned long>(decimal_exp < 0 ? -decimal_exp : decimal_exp));
  mpz_mul(decimal_exp < 0 ? denominator.v : numerator.v, decimal_exp < 0 ? denominator.v : numerator.v, power.v);
  if (binary_shift >= 0)
    mpz_mul_2exp(numerator.v, numerator.v, static_cast<mp_bitcnt_t>(binary_shift));
  else
    mpz_mul_2exp(denominator.v, denominator.v, static_cast<mp_bitcnt_t>(-binary_shift));
  mpz_fdiv_qr(quotient.v, remainder.v, numerator.v, denominator.v);
  const bool sticky = mpz_sgn(remainder.v) != 0;
  const int32_t exp = lsb_exp - kGuardBits;
  if (mpz_sgn(quotient.v) == 0 && !sticky) {
    out = num::ExactValue::zero(negative);
    return true;
  }
  num::u128 sig = 0;
  if (mpz_sizeinbase(quotient.v, 2) <= kMaxExactBits) {
    sig = low_bits(quotient.v, kMaxExactBits);
  } else {
    // Far outside any fixed-point range: keep the low bits wrapping needs and a high bit that marks the overflow.
    sig = low_bits(quotient.v, kKeptLowBits) | (num::u128{1} << (kMaxExactBits - 1));
  }
  if (sig == 0) {
    // Only a tail below a quarter LSB: any value in that interval rounds alike, so stand in with one of them.
    out = num::ExactValue::finite(negative, 1, exp - 1);
    return true;
  }
  out = num::ExactValue::finite(negative, sig, exp);
  out.sticky = sticky;
  return true;
}

std::string exact_decimal(uint64_t raw, int width_bits, bool is_signed, int32_t exp) {
  Mpz value;
  const bool negative = is_signed && ((raw >> (width_bits - 1)) & 1) != 0;
  const uint64_t mask = width_bits >= 64 ? ~uint64_t{0} : (uint64_t{1} << width_bits) - 1;
  const uint64_t magnitude = negative ? ((~raw + 1) & mask) : (raw & mask);
  mpz_import(value.v, 1, 1, sizeof magnitude, 0, 0, &magnitude);
  if (exp >= 0) {
    mpz_mul_2exp(value.v, value.v, static_cast<mp_bitcnt_t>(exp));
    char* s = mpz_get_str(nullptr, 10, value.v);
    std::string out = (negative ? "-" : "") + std::string(s);
    free(s);
    return out;
  }
  // raw / 2^k == raw * 5^k / 10^k: print the integer, then place the decimal point k digits from the right.
  const auto k = static_cast<unsigned long>(-exp);
  Mpz five;
  mpz_ui_pow_ui(five.v, 5, k);
  mpz_mul(value.v, value.v, five.v);
  char* s = mpz_get_str(nullptr, 10, value.v);
  std::string digits(s);
  free(s);
  if (digits.size() <= k) digits.insert(0, k + 1 - digits.size(), '0');
  std::string out = digits.substr(0, digits.size() - k) + "." + digits.substr(digits.size() - k);
  while (out.back() == '0') out.pop_back();
  if (out.back() == '.') out.pop_back();
  return (negative && out != "0" ? "-" : "") + out;
}

}  // namespace pesim::eval
