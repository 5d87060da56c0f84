// SPDX-License-Identifier: Apache-2.0
// What the cost models see of a design: the parameters' features and the workload's operand footprints against the
// design's buffers, worked by hand for a two-GEMM workload.
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>

#include "dse/eval/workload_features.h"
#include "dse/search/strategy.h"

using namespace pesim::dse;

namespace {

// Two GEMMs sharing M and K (SCALE-Sim's `name, M, N, K` rows): g1 64 x 128 by 128 x 256, g2 64 x 128 by 128 x 512.
std::string two_gemm_space() {
  const std::filesystem::path csv = std::filesystem::temp_directory_path() / "pesim_features_two_gemms.csv";
  std::ofstream(csv) << "Layer, M, N, K,\ng1, 64, 256, 128,\ng2, 64, 512, 128,\n";
  return "name: footprints\nworkload: " + csv.string() + R"(
arch: int8
set: {ifmap_sram_bytes: 16384, filter_sram_bytes: 81920, ofmap_sram_bytes: 65536}
parameters:
  pe:
    values:
      int8: {pe: mac_int}
      mixpe_w4a8: {pe: mixpe, pe.act: int8, pe.group_size: 32}
  rows: [8, 32]
  cols: [8, 64]
objectives:
  - minimize: latency_ms
  - minimize: area_mm2
)";
}

std::map<std::string, double> named_features(const WorkloadFeatures& features, const Design& design) {
  const std::vector<std::string> names = features.names();
  const std::vector<double> values = features.of(design);
  REQUIRE(values.size() == names.size());
  std::map<std::string, double> named;
  for (size_t i = 0; i < names.size(); ++i) named[names[i]] = values[i];
  return named;
}

}  // namespace

TEST_CASE("Workload features: each distinct operand footprint once, after the parameters'", "[dse][features]") {
  const SpaceSpec spec = parse_space(two_gemm_space(), "footprints.yaml");
  const WorkloadFeatures features(spec);
  // Nine footprints per GEMM; g2 shares g1's inputs (M x K, M x R, K x R), K x C weights and M x C outputs.
  CHECK(features.footprints().size() == 13);
  CHECK(features.count() == spec.space.feature_count() + 2 + 13);
  const std::vector<std::string> names = features.names();
  CHECK(names.size() == features.count());
  for (const char* expected :
       {"fits.ifmap.8192", "fits.ifmap.64xR", "fits.ifmap.128xR", "fits.filter.32768", "fits.filter.65536",
        "fits.filter.256xR", "fits.filter.512xR", "fits.filter.128xC", "fits.ofmap.16384", "fits.ofmap.32768",
        "fits.ofmap.64xC", "fits.ofmap.256xC", "fits.ofmap.512xC"})
    CHECK(std::count(names.begin(), names.end(), expected) == 1);
}

TEST_CASE("Workload features: a footprint fits when its bytes are at most half its SRAM", "[dse][features]") {
  const SpaceSpec spec = parse_space(two_gemm_space(), "footprints.yaml");
  const WorkloadFeatures features(spec);
  // int8 (8-bit activations and weights, 32-bit outputs), 32 rows, 64 columns. Halves: ifmap 8192 bytes, filter
  // 40960, ofmap 32768.
  const auto int8 = named_features(features, {0, 1, 1});
  CHECK(int8.at("log2_activation_bits") == 3);
  CHECK(int8.at("log2_weight_bits") == 3);
  CHECK(int8.at("fits.ifmap.8192") == 1);    // 8192 bytes: exactly half fits
  CHECK(int8.at("fits.ifmap.64xR") == 1);    // 2048
  CHECK(int8.at("fits.ifmap.128xR") == 1);   // 4096
  CHECK(int8.at("fits.filter.32768") == 1);  // 32768
  CHECK(int8.at("fits.filter.65536") == 0);  // 65536
  CHECK(int8.at("fits.filter.512xR") == 1);  // 16384
  CHECK(int8.at("fits.filter.128xC") == 1);  // 8192
  CHECK(int8.at("fits.ofmap.16384") == 0);   // 65536 bytes of 32-bit sums
  CHECK(int8.at("fits.ofmap.64xC") == 1);    // 16384
  CHECK(int8.at("fits.ofmap.256xC") == 0);   // 65536
  CHECK(int8.at("fits.ofmap.512xC") == 0);   // 131072
  // The same array at 8 x 8: the strips shrink with it.
  const auto small = named_features(features, {0, 0, 0});
  CHECK(small.at("fits.ofmap.256xC") == 1);   // 8192
  CHECK(small.at("fits.ofmap.512xC") == 1);   // 16384
  CHECK(small.at("fits.filter.65536") == 0);  // whole matrices do not depend on the array
  // MixPE W4A8, groups of 32: 4-bit weights and a 16-bit scale per group, 4 + 20/32 bits each.
  const auto mixpe = named_features(features, {1, 1, 1});
  CHECK(mixpe.at("log2_activation_bits") == 3);
  CHECK(mixpe.at("log2_weight_bits") == Approx(std::log2(4.625)));
  CHECK(mixpe.at("fits.filter.65536") == 1);  // 65536 * 4.625 / 8 = 37888 bytes, where int8's 65536 do not fit
  CHECK(mixpe.at("fits.ofmap.256xC") == 0);   // outputs stay 32-bit
}

namespace {

// Parameter features, counting the designs it was asked about.
class CountingFeatures : public ParameterFeatures {
 public:
  using ParameterFeatures::ParameterFeatures;
  std::vector<double> of(const Design& design) const override {
    ++calls;
    return ParameterFeatures::of(design);
  }
  mutable size_t calls = 0;
};

}  // namespace

TEST_CASE("The model strategy's cost models see the features it is given", "[dse][features]") {
  const SpaceSpec spec = parse_space(two_gemm_space(), "footprints.yaml");
  StrategyOptions options;
  options.budget = 8;
  const auto features = std::make_shared<CountingFeatures>(spec.space);
  options.features = features;
  const std::unique_ptr<Strategy> strategy = make_strategy("model", spec.space, options);
  // Random designs first, until enough are usable to model; the modelled asks then score the space's other designs.
  for (int round = 0; round < 4; ++round) {
    std::vector<Observation> observations;
    for (const Design& design : strategy->ask(2)) {
      Observation observation;
      observation.design = design;
      observation.objectives = {static_cast<double>(design[1] + 1), static_cast<double>(design[2] + design[0] + 1)};
      observations.push_back(observation);
    }
    strategy->tell(observations);
  }
  CHECK(features->calls > 0);
  // Each design's features are computed once, however many asks score it.
  CHECK(features->calls <= spec.space.product_size());
}
