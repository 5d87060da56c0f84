// SPDX-License-Identifier: Apache-2.0
// OperandQuantizer against the cores it stands for: every word's value, and quantize() at every midpoint between
// adjacent values, either side of it and of each value, beyond the ends, at the specials and on random values, for
// both ports of every PE kind's defaults and of the configurations the engines use most.
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "models/pe/operand_quantizer.h"
#include "models/pe/registry.h"
#include "tests/support/test_support.h"

using pesim::pe::OperandQuantizer;

namespace {

bool same_value(double x, double y) { return (std::isnan(x) && std::isnan(y)) || x == y; }

// The probe points of one port: around every value and midpoint of its table, and outside it.
std::vector<double> probe_points(const std::vector<double>& word_values) {
  std::vector<double> finite;
  for (double v : word_values) {
    if (std::isfinite(v)) finite.push_back(v);
  }
  std::sort(finite.begin(), finite.end());
  finite.erase(std::unique(finite.begin(), finite.end()), finite.end());
  constexpr double kInf = std::numeric_limits<double>::infinity();
  std::vector<double> points = {
      0.0, -0.0, kInf, -kInf, std::numeric_limits<double>::quiet_NaN(), finite.front() * 4 - 1, finite.back() * 4 + 1};
  for (size_t i = 0; i < finite.size(); ++i) {
    points.push_back(finite[i]);
    points.push_back(std::nextafter(finite[i], -kInf));
    points.push_back(std::nextafter(finite[i], kInf));
    if (i + 1 == finite.size()) continue;
    const double midpoint = finite[i] + (finite[i + 1] - finite[i]) / 2;
    points.push_back(midpoint);
    points.push_back(std::nextafter(midpoint, -kInf));
    points.push_back(std::nextafter(midpoint, kInf));
  }
  std::mt19937_64 rng(7);
  std::normal_distribution<double> normal(0.0, 1.0);
  for (double scale : {1e-3, 1.0, 50.0, 1e4}) {
    for (int i = 0; i < 20000; ++i) points.push_back(scale * normal(rng));
  }
  return points;
}

void check_port(const pesim::pe::IPeCore& core, OperandQuantizer::Port port, int word_bits) {
  const bool is_a = port == OperandQuantizer::Port::a;
  INFO((is_a ? "port a" : "port b") << ", " << word_bits << "-bit words");
  const auto quantizer = OperandQuantizer::make(core, port, word_bits);
  if (word_bits > 16) {
    CHECK_FALSE(quantizer.has_value());
    return;
  }
  REQUIRE(quantizer.has_value());
  std::vector<double> word_values(size_t{1} << word_bits);
  for (uint64_t word = 0; word < word_values.size(); ++word) {
    word_values[word] = pesim::num::to_double(is_a ? core.a_value(word) : core.b_value(word));
    if (!same_value(quantizer->value(word), word_values[word])) {
      INFO("word " << word);
      REQUIRE(quantizer->value(word) == word_values[word]);
    }
  }
  int64_t probes = 0;
  for (double v : probe_points(word_values)) {
    const uint64_t expected = is_a ? core.quantize_a(v) : core.quantize_b(v);
    ++probes;
    if (quantizer->quantize(v, core) != expected) {
      INFO("value " << v << " (" << std::hexfloat << v << ")");
      REQUIRE(quantizer->quantize(v, core) == expected);
    }
  }
  CHECK(probes > 80000);
}

}  // namespace

TEST_CASE("operand quantizer: the same words and values as the core, for every kind", "[operand_quantizer]") {
  std::vector<std::pair<std::string, std::string>> configurations;
  for (const auto& kind : pesim::pe::pe_kinds()) configurations.emplace_back(kind.name, "");
  configurations.insert(configurations.end(), {{"fma_fp", "in=fp16"},
                                               {"fma_fp", "in=e4m3"},
                                               {"fma_fp", "in=e5m2,acc=bf16,norm=approx,window_bits=2"},
                                               {"mac_int", "a_bits=4,b_bits=16,a_signed=0"},
                                               {"mac_fixed", "khot=2"},
                                               {"bitfusion", "a_bits=4,b_bits=2"},
                                               {"mixpe", "act=fp16"}});
  for (const auto& [kind, settings] : configurations) {
    INFO(kind << " " << settings);
    const pesim::pe::PeInstance pe =
        pesim::pe::make_pe(kind, settings.empty() ? pesim::params::Settings{} : pesim::test::settings(settings));
    const pesim::pe::PortWidths widths = pe.core->widths();
    check_port(*pe.core, OperandQuantizer::Port::a, widths.a_bits / widths.lanes);
    check_port(*pe.core, OperandQuantizer::Port::b, widths.b_bits / widths.lanes);
  }
}
