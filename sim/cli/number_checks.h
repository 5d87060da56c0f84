// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <CLI/CLI.hpp>
#include <cmath>
#include <string>

namespace pesim::cli {

// Option checks for real numbers. CLI11's PositiveNumber and Range let "nan" through (every comparison with NaN is
// false), and accept "inf"; these take finite numbers only.
inline CLI::Validator finite_in_range(double min, double max) {
  return CLI::Validator(
      [min, max](std::string& text) -> std::string {
        double value = 0;
        if (!CLI::detail::lexical_cast(text, value)) return "'" + text + "' is not a number";
        if (!std::isfinite(value) || value < min || value > max) {
          return "'" + text + "' is not in [" + CLI::detail::to_string(min) + ", " + CLI::detail::to_string(max) + "]";
        }
        return {};
      },
      "FINITE in [" + CLI::detail::to_string(min) + " - " + CLI::detail::to_string(max) + "]");
}

inline CLI::Validator positive_finite() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        double value = 0;
        if (!CLI::detail::lexical_cast(text, value)) return "'" + text + "' is not a number";
        if (!std::isfinite(value) || value <= 0) return "'" + text + "' is not a positive finite number";
        return {};
      },
      "POSITIVE FINITE");
}

}  // namespace pesim::cli
