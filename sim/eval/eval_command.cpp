// SPDX-License-Identifier: Apache-2.0
#include "sim/eval/eval_command.h"

#include <fmt/format.h>

#include <istream>
#include <ostream>
#include <set>
#include <sstream>

#include "models/num/arith.h"
#include "sim/eval/decimal.h"

namespace pesim::eval {

namespace {

using num::NumberFormat;
using params::ParamError;

enum class OpKind { Add, Mul, Fma, Cvt, Cast };

// One parsed OP.FMT request: the operation, its formats by role, and the environment.
struct Operation {
  OpKind kind = OpKind::Add;
  std::vector<std::pair<std::string, NumberFormat>> formats;  // role -> format; operands use the first
  num::FpEnv env;
  int operand_count = 0;

  const NumberFormat& operand_format() const { return formats.front().second; }
  const NumberFormat& result_format() const { return formats.back().second; }
};

// Input error at one line; the message is complete.
struct LineError {
  std::string message;
};

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::stringstream stream(text);
  std::string part;
  while (std::getline(stream, part, separator)) parts.push_back(part);
  return parts;
}

params::Settings parse_settings(const std::vector<std::string>& raw) {
  params::Settings settings;
  for (const auto& arg : raw) params::parse_assignments(arg, "--set " + arg, settings);
  return settings;
}

// Settings that apply to one role: unprefixed keys, and "role.key" with the prefix removed.
params::Settings settings_for_role(const params::Settings& all, const std::string& role) {
  params::Settings out;
  for (const auto& [key, value] : all) {
    const size_t dot = key.find('.');
    if (dot == std::string::npos)
      out.emplace(key, value);
    else if (key.substr(0, dot) == role)
      out[key.substr(dot + 1)] = value;
  }
  return out;
}

num::FpEnv parse_env(const params::Settings& settings, std::set<std::string>& used) {
  const std::vector<params::ParamSpec> specs{
      {"rm", params::ParamSpec::Type::Choice, "rne", "", "IEEE rounding mode", {"rne", "rtz", "rdn", "rup", "rmm"}},
      {"ftz", params::ParamSpec::Type::Bool, "0", "", "flush tiny results to zero"},
      {"daz", params::ParamSpec::Type::Bool, "0", "", "read subnormal operands as zero"},
  };
  params::Settings given;
  for (const auto& s : specs) {
    if (settings.count(s.name)) {
      given.emplace(s.name, settings.at(s.name));
      used.insert(s.name);
    }
  }
  const params::ParamValues values(specs, given);
  num::FpEnv env;
  num::parse_ieee_rounding(values.get_choice("rm"), env.rounding);
  env.flush_subnormal_outputs = values.get_bool("ftz");
  env.subnormal_inputs_are_zero = values.get_bool("daz");
  return env;
}

void reject_unused(const params::Settings& settings, const std::set<std::string>& used, const Operation& op) {
  for (const auto& [key, setting] : settings) {
    if (used.count(key)) continue;
    std::vector<params::ParamSpec> specs;
    for (const auto& [role, fmt] : op.formats) {
      for (auto s : num::format_option_specs(num::format_name(fmt))) specs.push_back(s);
    }
    for (const char* name : {"rm", "ftz", "daz"}) specs.push_back({name});
    params::ParamValues::reject_unknown({{key, setting}}, specs);
    throw ParamError(setting.origin + ": parameter '" + key + "' does not apply to this operation");
  }
}

Operation parse_operation(const std::string& spec, const params::Settings& settings) {
  const std::vector<std::string> parts = split(spec, '.');
  const std::string& name = parts.empty() ? spec : parts[0];
  Operation op;
  std::vector<std::pair<std::string, std::string>> roles;  // role -> format name
  if ((name == "add" || name == "mul" || name == "fma") && parts.size() == 2) {
    op.kind = name == "add" ? OpKind::Add : name == "mul" ? OpKind::Mul : OpKind::Fma;
    op.operand_count = op.kind == OpKind::Fma ? 3 : 2;
    roles = {{"fmt", parts[1]}};
  } else if (name == "fma" && parts.size() == 3) {
    op.kind = OpKind::Fma;
    op.operand_count = 3;
    roles = {{"ab", parts[1]}, {"c", parts[2]}};
  } else if (name == "cvt" && parts.size() == 3) {
    op.kind = OpKind::Cvt;
    op.operand_count = 1;
    roles = {{"src", parts[1]}, {"dst", parts[2]}};
  } else if (name == "cast" && parts.size() == 2 && (parts[1] == "fixed" || parts[1] == "ufixed")) {
    op.kind = OpKind::Cast;
    op.operand_count = 1;
    roles = {{"dst", parts[1]}};
  } else {
    throw ParamError("operation '" + spec + "' is not one of add.F, mul.F, fma.F, fma.A.C, cvt.SRC.DST, cast.fixed");
  }
  std::set<std::string> used;
  for (const auto& [role, format] : roles) {
    std::set<std::string> role_used;
    const params::Settings role_settings = settings_for_role(settings, role);
    op.formats.emplace_back(role, num::parse_number_format(format, role_settings, role_used));
    for (const auto& key : role_used) {
      used.insert(key);
      used.insert(role + "." + key);
    }
  }
  op.env = parse_env(settings, used);
  reject_unused(settings, used, op);
  return op;
}

std::string hex(uint64_t bits, int width_bits) { return fmt::format("{:0{}x}", bits, (width_bits + 3) / 4); }

uint64_t parse_hex_field(const std::string& token, int width_bits, int field) {
  std::string digits = token;
  if (digits.size() > 2 && digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X')) digits = digits.substr(2);
  uint64_t value = 0;
  bool ok = !digits.empty() && digits.size() <= 16;
  for (char c : digits) {
    const int d = std::isdigit(static_cast<unsigned char>(c)) ? c - '0'
                  : (c >= 'a' && c <= 'f')                    ? c - 'a' + 10
                  : (c >= 'A' && c <= 'F')                    ? c - 'A' + 10
                                                              : -1;
    ok = ok && d >= 0;
    value = (value << 4) | static_cast<uint64_t>(d < 0 ? 0 : d);
  }
  if (!ok) throw LineError{fmt::format("field {} '{}': not a hex number", field, token)};
  if (width_bits < 64 && (value >> width_bits) != 0) {
    throw LineError{fmt::format("field {} '{}': wider than the format's {} bits", field, token, width_bits)};
  }
  return value;
}

std::string cast_line(const Operation& op, const std::string& token) {
  const auto& fixed = std::get<num::FixedFormat>(op.result_format());
  num::ExactValue value;
  if (!parse_decimal(token, fixed.lsb_exp(), value)) throw LineError{"field 1 '" + token + "': not a decimal number"};
  num::Flags flags = 0;
  const uint64_t raw = num::encode_fixed(fixed, value, flags);
  std::string line = token + " " + hex(raw, fixed.width_bits) + " " +
                     exact_decimal(raw, fixed.width_bits, fixed.is_signed, fixed.lsb_exp());
  return line;
}

std::string evaluate_line(const Operation& op, const std::vector<std::string>& tokens, bool print_flags) {
  if (static_cast<int>(tokens.size()) != op.operand_count) {
    throw LineError{fmt::format("expected {} operand{}, found {}", op.operand_count, op.operand_count == 1 ? "" : "s",
                                tokens.size())};
  }
  if (op.kind == OpKind::Cast) return cast_line(op, tokens[0]);
  const NumberFormat& in = op.operand_format();
  const int in_width = num::width_bits(in);
  std::vector<uint64_t> v;
  std::string line;
  for (size_t i = 0; i < tokens.size(); ++i) {
    const bool is_addend = op.kind == OpKind::Fma && i == 2;
    const NumberFormat& f = is_addend ? op.result_format() : in;
    v.push_back(parse_hex_field(tokens[i], is_addend ? num::width_bits(f) : in_width, static_cast<int>(i + 1)));
    line += hex(v.back(), num::width_bits(f)) + " ";
  }
  num::OpResult r;
  switch (op.kind) {
    case OpKind::Add:
      r = num::add(in, v[0], v[1], op.env);
      break;
    case OpKind::Mul:
      r = num::mul(in, v[0], v[1], op.env);
      break;
    case OpKind::Fma:
      r = num::fma_mixed(in, v[0], v[1], op.result_format(), v[2], op.result_format(), op.env);
      break;
    case OpKind::Cvt:
      r = num::convert(in, v[0], op.result_format(), op.env);
      break;
    case OpKind::Cast:
      break;
  }
  line += hex(r.bits, num::width_bits(op.result_format()));
  if (print_flags) line += fmt::format(" {:02x}", r.flags);
  return line;
}

}  // namespace

int run_eval(const EvalRequest& request, std::istream& in, std::ostream& out, std::ostream& err) {
  Operation op;
  try {
    op = parse_operation(request.op, parse_settings(request.settings));
  } catch (const ParamError& e) {
    err << "pesim eval: " << e.what() << "\n";
    return 2;
  }
  std::string text;
  for (long line_number = 1; std::getline(in, text); ++line_number) {
    if (!text.empty() && text.back() == '\r') text.pop_back();
    std::vector<std::string> tokens;
    std::istringstream fields(text);
    for (std::string t; fields >> t;) tokens.push_back(t);
    if (tokens.empty()) {
      out << "\n";
      continue;
    }
    try {
      out << evaluate_line(op, tokens, request.print_flags) << "\n";
    } catch (const LineError& e) {
      out.flush();
      err << "pesim eval: " << request.input_name << ":" << line_number << ": " << e.message << "\n";
      return 1;
    }
  }
  return 0;
}

}  // namespace pesim::eval
