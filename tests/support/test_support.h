// SPDX-License-Identifier: Apache-2.0
// Small helpers shared by the Catch2 tests.
#pragma once
#include <catch2/catch.hpp>
#include <cstdint>
#include <cstring>
#include <string>

#include "models/params/param.h"

namespace pesim::test {

// The fp32 encoding of a hand-worked value, which must be exact in fp32.
inline uint32_t fp32_bits(double exact_value) {
  const float f = static_cast<float>(exact_value);
  REQUIRE(static_cast<double>(f) == exact_value);
  uint32_t bits = 0;
  std::memcpy(&bits, &f, sizeof bits);
  return bits;
}

// "k=v,k2=v2" as --set gives it.
inline params::Settings settings(const std::string& text) {
  params::Settings s;
  params::parse_assignments(text, "--set", s);
  return s;
}

}  // namespace pesim::test
