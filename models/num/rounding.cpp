// SPDX-License-Identifier: Apache-2.0
#include "models/num/rounding.h"

namespace pesim::num {

bool parse_ieee_rounding(std::string_view name, RoundRule& rule) {
  struct Entry {
    std::string_view name;
    RoundRule rule;
  };
  static constexpr Entry kTable[] = {{"rne", RoundRule::NearestEven},
                                     {"rtz", RoundRule::TowardZero},
                                     {"rdn", RoundRule::Down},
                                     {"rup", RoundRule::Up},
                                     {"rmm", RoundRule::NearestAway}};
  for (const auto& e : kTable) {
    if (e.name == name) {
      rule = e.rule;
      return true;
    }
  }
  return false;
}

std::string flags_to_string(Flags flags) {
  // Letters as in TestFloat: v invalid, z divide-by-zero, o overflow, u underflow, x inexact.
  std::string out;
  if (flags & kFlagInvalid) out += 'v';
  if (flags & kFlagDivByZero) out += 'z';
  if (flags & kFlagOverflow) out += 'o';
  if (flags & kFlagUnderflow) out += 'u';
  if (flags & kFlagInexact) out += 'x';
  return out.empty() ? "-" : out;
}

}  // namespace pesim::num
