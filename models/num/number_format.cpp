// SPDX-License-Identifier: Apache-2.0
#include "models/num/number_format.h"

#include <algorithm>
#include <string_view>

namespace pesim::num {

namespace {

using params::ParamError;
using params::ParamSpec;
using params::ParamValues;
using params::Settings;

// The number a run of decimal digits spells, saturated at a million (more than any width pesim takes, so an absurd
// width still gets the format's range message); -1 unless `text` is one or more digits only.
int bounded_number(std::string_view text) {
  constexpr int kCeiling = 1'000'000;
  if (text.empty()) return -1;
  int value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return -1;
    value = std::min(kCeiling, value * 10 + (c - '0'));
  }
  return value;
}

FloatFormat mx_minifloat(const std::string& name, int exp_bits, int man_bits) {
  FloatFormat f = FloatFormat::ieee(name, exp_bits, man_bits);
  f.has_inf = false;
  f.has_nan = false;
  f.saturate = true;
  return f;
}

struct NamedFloat {
  const char* name;
  FloatFormat (*make)();
  const char* description;
};

const std::vector<NamedFloat>& named_floats() {
  static const std::vector<NamedFloat> table{
      {"fp64", [] { return FloatFormat::fp64(); }, "IEEE binary64"},
      {"fp32", [] { return FloatFormat::fp32(); }, "IEEE binary32"},
      {"tf32", [] { return FloatFormat::ieee("tf32", 8, 10); }, "TensorFloat-32: fp32 range, 10-bit mantissa"},
      {"fp16", [] { return FloatFormat::fp16(); }, "IEEE binary16"},
      {"bf16", [] { return FloatFormat::bf16(); }, "bfloat16: fp32 range, 7-bit mantissa"},
      {"e5m2", [] { return FloatFormat::e5m2(); }, "OCP FP8 E5M2, IEEE-like, bias 15"},
      {"e4m3", [] { return FloatFormat::e4m3(); }, "OCP FP8 E4M3, bias 7, no inf, NaN S.1111.111, saturating"},
      {"e3m2", [] { return mx_minifloat("e3m2", 3, 2); }, "OCP MX FP6 E3M2: no inf/NaN, saturating"},
      {"e2m3", [] { return mx_minifloat("e2m3", 2, 3); }, "OCP MX FP6 E2M3: no inf/NaN, saturating"},
      {"e2m1", [] { return mx_minifloat("e2m1", 2, 1); }, "OCP MX FP4 E2M1: no inf/NaN, saturating"},
  };
  return table;
}

bool float_preset(const std::string& name, FloatFormat& out) {
  for (const auto& f : named_floats()) {
    if (name == f.name) {
      out = f.make();
      return true;
    }
  }
  // eEmM: E exponent and M mantissa bits.
  const size_t m_at = name.find('m');
  if (name.empty() || name[0] != 'e' || m_at == std::string::npos) return false;
  const int e = bounded_number(std::string_view(name).substr(1, m_at - 1));
  const int man = bounded_number(std::string_view(name).substr(m_at + 1));
  if (e < 0 || man < 0) return false;
  if (e < 1 || e > 11 || man > 52)
    throw ParamError("format '" + params::excerpt(name) + "': exponent 1..11 and mantissa 0..52 bits");
  out = FloatFormat::ieee(name, e, man);
  if (man == 0 || e < 2) out = mx_minifloat(name, e, man);  // too small for IEEE specials
  return true;
}

bool int_preset(const std::string& name, IntFormat& out) {
  const bool is_unsigned = name.starts_with("uint");
  const std::string_view prefix = is_unsigned ? "uint" : "int";
  if (!name.starts_with(prefix)) return false;
  const int bits = bounded_number(std::string_view(name).substr(prefix.size()));
  if (bits < 0) return false;
  out = IntFormat::make(bits, !is_unsigned);
  return true;
}

std::string b(bool v) { return v ? "1" : "0"; }

std::vector<ParamSpec> float_specs(const FloatFormat& p) {
  using T = ParamSpec::Type;
  return {
      {"bias", T::Int, std::to_string(p.bias), "", "exponent bias", {}, -4096, 4096},
      {"has_inf", T::Bool, b(p.has_inf), "", "top exponent field encodes infinities (IEEE style)"},
      {"has_nan", T::Bool, b(p.has_nan), "", "format has NaN encodings"},
      {"has_subnormal", T::Bool, b(p.has_subnormal), "", "exponent field 0 encodes subnormals (else only zero)"},
      {"saturate", T::Bool, b(p.saturate), "", "overflow gives the largest finite value instead of inf/NaN"},
  };
}

std::vector<ParamSpec> int_specs() {
  return {{"saturate", ParamSpec::Type::Bool, "0", "", "out-of-range results saturate instead of wrapping"}};
}

std::vector<ParamSpec> fixed_specs() {
  using T = ParamSpec::Type;
  return {
      {"W", T::Int, "", "bits", "total width W of ap_fixed<W,I,Q,O>", {}, 1, 62},
      {"I", T::Int, "", "bits", "integer bits I, sign included", {}, -1024, 1024},
      {"Q",
       T::Choice,
       "AP_TRN",
       "",
       "quantization mode",
       {"AP_RND", "AP_RND_ZERO", "AP_RND_MIN_INF", "AP_RND_INF", "AP_RND_CONV", "AP_TRN", "AP_TRN_ZERO"}},
      {"O",
       T::Choice,
       "AP_WRAP",
       "",
       "overflow mode",
       {"AP_SAT", "AP_SAT_ZERO", "AP_SAT_SYM", "AP_WRAP", "AP_WRAP_SM"}},
  };
}

// Keeps only the settings a spec list declares, recording them as used.
Settings select(const Settings& options, const std::vector<ParamSpec>& specs, std::set<std::string>& used) {
  Settings selected;
  for (const auto& s : specs) {
    const auto it = options.find(s.name);
    if (it == options.end()) continue;
    selected.insert(*it);
    used.insert(s.name);
  }
  return selected;
}

void check(const std::string& problem, const std::string& name) {
  if (!problem.empty()) throw ParamError("format '" + params::excerpt(name) + "': " + problem);
}

std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

FixedFormat make_fixed(const std::string& name, const Settings& options, std::set<std::string>& used) {
  Settings given = select(options, fixed_specs(), used);
  for (const char* key : {"Q", "O"}) {
    if (given.count(key)) {
      std::string& v = given[key].value;
      v = upper(v).rfind("AP_", 0) == 0 ? upper(v) : "AP_" + upper(v);  // accept "rnd" for AP_RND
    }
  }
  const ParamValues values(fixed_specs(), given);
  FixedFormat f;
  f.is_signed = name == "fixed";
  f.width_bits = static_cast<int>(values.get_int("W"));
  f.int_bits = static_cast<int>(values.get_int("I"));
  parse_quantization(values.get_choice("Q"), f.quantization);
  parse_overflow(values.get_choice("O"), f.overflow);
  check(f.validate(), name);
  return f;
}

}  // namespace

int width_bits(const NumberFormat& fmt) {
  return std::visit(
      [](const auto& f) -> int {
        using F = std::decay_t<decltype(f)>;
        if constexpr (std::is_same_v<F, FloatFormat>)
          return f.width_bits();
        else
          return f.width_bits;
      },
      fmt);
}

std::string format_name(const NumberFormat& fmt) {
  return std::visit(
      [](const auto& f) -> std::string {
        using F = std::decay_t<decltype(f)>;
        if constexpr (std::is_same_v<F, FixedFormat>)
          return f.name();
        else
          return f.name;
      },
      fmt);
}

ExactValue decode(const NumberFormat& fmt, uint64_t bits, const FpEnv& env) {
  if (const auto* f = std::get_if<FloatFormat>(&fmt)) return decode_float(*f, bits, env);
  if (const auto* i = std::get_if<IntFormat>(&fmt)) return decode_int(*i, bits);
  return decode_fixed(std::get<FixedFormat>(fmt), bits);
}

uint64_t encode(const NumberFormat& fmt, const ExactValue& v, const FpEnv& env, Flags& flags) {
  if (const auto* f = std::get_if<FloatFormat>(&fmt)) return encode_float(*f, v, env, flags);
  if (const auto* i = std::get_if<IntFormat>(&fmt)) return encode_int(*i, v, env, flags);
  return encode_fixed(std::get<FixedFormat>(fmt), v, flags);
}

std::vector<ParamSpec> format_option_specs(const std::string& name) {
  FloatFormat f;
  if (float_preset(name, f)) return float_specs(f);
  IntFormat i;
  if (int_preset(name, i)) return int_specs();
  if (name == "fixed" || name == "ufixed") return fixed_specs();
  return {};
}

NumberFormat parse_number_format(const std::string& name, const Settings& options, std::set<std::string>& used) {
  FloatFormat f;
  if (float_preset(name, f)) {
    const ParamValues values(float_specs(f), select(options, float_specs(f), used));
    f.bias = static_cast<int32_t>(values.get_int("bias"));
    f.has_inf = values.get_bool("has_inf");
    f.has_nan = values.get_bool("has_nan");
    f.has_subnormal = values.get_bool("has_subnormal");
    f.saturate = values.get_bool("saturate");
    check(f.validate(), name);
    return f;
  }
  IntFormat i;
  if (int_preset(name, i)) {
    i.saturate = ParamValues(int_specs(), select(options, int_specs(), used)).get_bool("saturate");
    check(i.validate(), name);
    return i;
  }
  if (name == "fixed" || name == "ufixed") return make_fixed(name, options, used);
  std::vector<std::string> known{"fixed", "ufixed", "int8", "uint8"};
  for (const auto& n : named_floats()) known.push_back(n.name);
  std::string message = "unknown number format '" + params::excerpt(name) + "'";
  const std::string near = params::nearest_name(name, known);
  if (!near.empty()) message += " (did you mean '" + near + "'?)";
  throw ParamError(message + "; see `pesim list formats`");
}

std::vector<std::pair<std::string, std::string>> named_formats() {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& n : named_floats()) out.emplace_back(n.name, n.description);
  out.emplace_back("eXmY", "generic minifloat, X exponent and Y mantissa bits, IEEE-like by default");
  out.emplace_back("intN / uintN", "N-bit two's-complement / unsigned integer, 1 <= N <= 62");
  out.emplace_back("fixed / ufixed", "ap_fixed / ap_ufixed <W,I,Q,O>; options W, I, Q, O");
  return out;
}

}  // namespace pesim::num
