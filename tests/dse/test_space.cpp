// SPDX-License-Identifier: Apache-2.0
// Design spaces: canonical designs of conditional parameters, the space spec's parsing and its error messages.
#include <catch2/catch.hpp>
#include <filesystem>
#include <set>

#include "dse/space/space_spec.h"
#include "pesim/version.h"

using namespace pesim::dse;

namespace {

Parameter parameter(const std::string& name, std::vector<std::string> levels, bool ordered = false) {
  Parameter p;
  p.name = name;
  p.ordered = ordered;
  p.levels = std::move(levels);
  for (size_t i = 0; i < p.levels.size(); ++i) p.positions.push_back(ordered ? std::stod(p.levels[i]) : double(i));
  p.origin = "test";
  return p;
}

// The message of the SpaceError parse_space throws for `yaml`, or "" when it parses.
std::string error_of(const std::string& yaml) {
  try {
    parse_space(yaml, "space.yaml");
  } catch (const SpaceError& e) {
    return e.what();
  }
  return "";
}

const std::string kValid = R"(name: small
workload: llama2-7b:decode
batch: 4
arch: int8
parameters:
  rows: {min: 8, max: 32, scale: log2}
  cols: [8, 16]
  dataflow: [ws, os]
objectives:
  - minimize: latency_ms
  - minimize: energy_uj
constraints:
  - area_mm2 <= 10
)";

}  // namespace

TEST_CASE("A conditional parameter collapses to one canonical design", "[dse][space]") {
  Parameter kind = parameter("pe", {"a", "b", "c"});
  Parameter group = parameter("g", {"32", "64"}, true);
  group.when_parameter = "pe";
  group.when_levels = {"b"};
  const DesignSpace space({kind, group, parameter("rows", {"8", "16"}, true)});
  REQUIRE(space.product_size() == 12);
  std::set<std::string> hashes;
  int canonical = 0;
  for (uint64_t i = 0; i < space.product_size(); ++i) {
    const Design d = space.design_at(i);
    REQUIRE(space.index_of(d) == i);
    hashes.insert(space.hash(d));
    canonical += space.is_canonical(d) ? 1 : 0;
  }
  CHECK(canonical == 8);  // a and c: 2 designs each; b: 2 groups x 2 rows
  CHECK(hashes.size() == 8);
  CHECK(space.key({0, 1, 1}) == "pe=a;rows=16");
  CHECK(space.key({1, 1, 1}) == "pe=b;g=64;rows=16");
  // Features: one-hot pe (3), the group's position (0 when inactive), rows scaled to [0, 1].
  CHECK(space.features({1, 1, 1}) == std::vector<double>{0, 1, 0, 1, 1});
  CHECK(space.features({2, 1, 0}) == std::vector<double>{0, 0, 1, 0, 0});
  CHECK_THROWS_AS(space.check({3, 0, 0}), std::invalid_argument);
}

TEST_CASE("A space too large to number saturates its size and refuses indices", "[dse][space]") {
  std::vector<Parameter> parameters;
  for (int i = 0; i < 70; ++i) parameters.push_back(parameter("p" + std::to_string(i), {"0", "1"}, true));
  const DesignSpace huge(parameters);
  CHECK(huge.product_size() == UINT64_MAX);
  CHECK_FALSE(huge.indexable());
  CHECK_THROWS_AS(huge.design_at(0), std::logic_error);
  CHECK_THROWS_AS(huge.index_of(Design(70, 0)), std::logic_error);
  parameters.resize(63);
  const DesignSpace large(parameters);
  CHECK(large.product_size() == uint64_t{1} << 63);
  CHECK(large.indexable());
  CHECK(large.index_of(large.design_at(12345)) == 12345);
}

TEST_CASE("A space spec gives designs their architecture settings", "[dse][space]") {
  const SpaceSpec spec = parse_space(kValid, "space.yaml");
  CHECK(spec.name == "small");
  CHECK(spec.space.product_size() == 12);
  CHECK(spec.workload.batch == 4);
  REQUIRE(spec.objectives.size() == 2);
  REQUIRE(spec.constraints.size() == 1);
  CHECK(spec.constraints[0].bound == 10);
  const pesim::params::Settings s = spec.arch_settings({2, 1, 1});
  CHECK(s.at("rows").value == "32");
  CHECK(s.at("cols").value == "16");
  CHECK(s.at("dataflow").value == "os");
  CHECK(s.at("pe").value == "mac_int");  // from the int8 preset
  CHECK(spec.space.parameters()[2].ordered == false);
}

TEST_CASE("A space is timed by the analytical engine unless it names the cycle engine", "[dse][space]") {
  const SpaceSpec analytical = parse_space(kValid, "space.yaml");
  CHECK(analytical.engine.name == "analytical");
  CHECK_FALSE(analytical.engine.cycle());
  const SpaceSpec cycle = parse_space(kValid + "engine: cycle\nvalues_seed: 7\n", "space.yaml");
  CHECK(cycle.engine.cycle());
  CHECK(cycle.engine.values_seed == 7);
  CHECK(cycle.engine.origin == "space.yaml:14");
  CHECK(parse_space(kValid + "engine: cycle\n", "space.yaml").engine.values_seed == 1);
}

TEST_CASE("The example space parses, timed by the cycle engine, its workload found beside it", "[dse][space]") {
  const SpaceSpec spec = read_space_file(pesim::source_path("dse/examples/small_decoder_cycle.yaml"));
  CHECK(spec.engine.cycle());
  CHECK(spec.space.product_size() == 2160);
  CHECK(std::filesystem::exists(spec.workload.workload));
}

TEST_CASE("The default space parses and has 36,000 distinct designs", "[dse][space]") {
  const SpaceSpec spec = default_space();
  uint64_t canonical = 0;
  for (uint64_t i = 0; i < spec.space.product_size(); ++i)
    canonical += spec.space.is_canonical(spec.space.design_at(i));
  CHECK(canonical == 36000);
  CHECK(spec.technology == "ihp_sg13g2");
}

TEST_CASE("Bad space specs name the file, the line and the key", "[dse][space]") {
  SECTION("unknown top-level key, with a suggestion") {
    std::string yaml = kValid + "objectivs: []\n";
    CHECK_THAT(error_of(yaml), Catch::Contains("space.yaml:14") && Catch::Contains("'objectivs'") &&
                                   Catch::Contains("did you mean 'objectives'"));
  }
  SECTION("unknown parameter") {
    std::string yaml = kValid;
    yaml.replace(yaml.find("  cols: [8, 16]"), 15, "  colz: [8, 16]");
    CHECK_THAT(error_of(yaml),
               Catch::Contains("space.yaml:7") && Catch::Contains("'colz'") && Catch::Contains("did you mean 'cols'"));
  }
  SECTION("empty range") {
    std::string yaml = kValid;
    yaml.replace(yaml.find("{min: 8, max: 32, scale: log2}"), 30, "{min: 64, max: 32}");
    CHECK_THAT(error_of(yaml), Catch::Contains("space.yaml:6") && Catch::Contains("empty range"));
  }
  SECTION("empty list") {
    std::string yaml = kValid;
    yaml.replace(yaml.find("[ws, os]"), 8, "[]");
    CHECK_THAT(error_of(yaml),
               Catch::Contains("space.yaml:8") && Catch::Contains("dataflow") && Catch::Contains("empty"));
  }
  SECTION("a value the architecture refuses") {
    std::string yaml = kValid;
    yaml.replace(yaml.find("[ws, os]"), 8, "[ws, xs]");
    CHECK_THAT(error_of(yaml), Catch::Contains("space.yaml:8") && Catch::Contains("'xs'"));
  }
  SECTION("contradictory constraints") {
    std::string yaml = kValid + "  - area_mm2 >= 20\n";
    CHECK_THAT(error_of(yaml),
               Catch::Contains("space.yaml:14") && Catch::Contains("contradicts") && Catch::Contains("space.yaml:13"));
  }
  SECTION("a constraint no design meets") {
    std::string yaml = kValid;
    yaml.replace(yaml.find("area_mm2 <= 10"), 14, "area_mm2 <= 0");
    CHECK_THAT(error_of(yaml), Catch::Contains("space.yaml:13") && Catch::Contains("admits no design"));
  }
  SECTION("unknown metric") {
    std::string yaml = kValid;
    yaml.replace(yaml.find("minimize: energy_uj"), 19, "minimize: energy_pj");
    CHECK_THAT(error_of(yaml), Catch::Contains("space.yaml:11") && Catch::Contains("'energy_pj'") &&
                                   Catch::Contains("did you mean 'energy_uj'"));
  }
  SECTION("a condition on an unknown value") {
    std::string yaml = kValid;
    yaml.replace(yaml.find("  dataflow: [ws, os]"), 20, "  dataflow: {values: [ws, os], when: {cols: [12]}}");
    CHECK_THAT(error_of(yaml), Catch::Contains("dataflow") && Catch::Contains("cols=12"));
  }
  SECTION("an unknown engine, with a suggestion") {
    CHECK_THAT(error_of(kValid + "engine: cycles\n"), Catch::Contains("space.yaml:14") &&
                                                          Catch::Contains("unknown engine 'cycles'") &&
                                                          Catch::Contains("did you mean 'cycle'"));
  }
  SECTION("operand values without the cycle engine") {
    CHECK_THAT(error_of(kValid + "values_seed: 3\n"),
               Catch::Contains("space.yaml:14") && Catch::Contains("values_seed") && Catch::Contains("engine: cycle"));
  }
  SECTION("a negative values seed") {
    CHECK_THAT(error_of(kValid + "engine: cycle\nvalues_seed: -2\n"),
               Catch::Contains("space.yaml:15") && Catch::Contains("values_seed"));
  }
  SECTION("malformed YAML") { CHECK_THAT(error_of("name: [unclosed\n"), Catch::Contains("space.yaml:")); }
}
