// SPDX-License-Identifier: Apache-2.0
#include "sim/cli/list_command.h"

#include <fmt/format.h>

#include <ostream>

#include "models/num/number_format.h"
#include "models/pe/registry.h"

namespace pesim::cli {

namespace {

void print_specs(const std::vector<params::ParamSpec>& specs, std::ostream& out) {
  for (const auto& s : specs) {
    std::string type = s.type == params::ParamSpec::Type::Int    ? "int"
                       : s.type == params::ParamSpec::Type::Bool ? "bool"
                                                                 : "choice";
    if (!s.choices.empty()) {
      type += " {";
      for (size_t i = 0; i < s.choices.size(); ++i) type += (i ? "," : "") + s.choices[i];
      type += "}";
    }
    out << fmt::format("      {:<14} {:<8} default {:<8} {:<5} {}\n", s.name, type.substr(0, type.find(' ')),
                       s.default_value.empty() ? "required" : s.default_value, s.unit, s.help);
    if (!s.choices.empty()) out << fmt::format("      {:<14} {}\n", "", type.substr(type.find(' ') + 1));
  }
}

int list_pes(std::ostream& out) {
  out << "PE kinds (pesim cosim|error KIND --set key=value,...):\n";
  for (const auto& kind : pe::pe_kinds()) {
    out << fmt::format("  {:<10} {}\n", kind.name, kind.help);
    print_specs(pe::all_param_specs(kind), out);
  }
  return 0;
}

}  // namespace

int run_list(const std::string& topic, std::ostream& out, std::ostream& err) {
  if (topic == "pes") return list_pes(out);
  if (topic != "formats") {
    err << "pesim list: unknown topic '" << topic << "' (known: formats, pes)\n";
    return 2;
  }
  out << "Number formats (pesim eval OP.FMT --set key=value):\n";
  for (const auto& [name, description] : num::named_formats()) {
    out << fmt::format("  {:<15} {}\n", name, description);
  }
  for (const char* family : {"fp32", "int8", "fixed"}) {
    out << fmt::format("  options of {} formats:\n", family[0] == 'f' && family[1] == 'p' ? "floating-point"
                                                     : family[0] == 'i'                   ? "integer"
                                                                                          : "fixed-point");
    print_specs(num::format_option_specs(family), out);
  }
  out << "  options of every operation: rm {rne,rtz,rdn,rup,rmm} (default rne), ftz 0|1, daz 0|1\n";
  return 0;
}

}  // namespace pesim::cli
