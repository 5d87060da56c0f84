// SPDX-License-Identifier: Apache-2.0
// The model zoo's shapes against the models' published parameter counts (worked by hand).
#include <catch2/catch.hpp>

#include "workloads/topology/topology.h"
#include "workloads/zoo/cnn_zoo.h"
#include "workloads/zoo/model_zoo.h"

using pesim::workloads::Phase;

namespace {

int64_t weights_per_pass(const std::string& model) {
  int64_t weights = 0;
  for (const auto& layer : pesim::workloads::zoo_layers(pesim::workloads::find_model(model), Phase::Prefill, 1, 1)) {
    weights += layer.k * layer.n * layer.count;
  }
  return weights;
}

}  // namespace

TEST_CASE("zoo linear-layer weights add up to the models' published sizes", "[zoo]") {
  // LLaMA-2-7B: 32 * (4 * 4096^2 + 3 * 4096 * 11008); with 2 * 32000 * 4096 embedding/head weights and the norms,
  // the published 6.74B.
  CHECK(weights_per_pass("llama2-7b") == 6476005376);
  // LLaMA-2-13B: 40 * (4 * 5120^2 + 3 * 5120 * 13824) = 12.7B of the published 13.0B.
  CHECK(weights_per_pass("llama2-13b") == 12687769600);
  // OPT-6.7B: 32 * (4 * 4096^2 + 2 * 4096 * 16384).
  CHECK(weights_per_pass("opt-6.7b") == 6442450944);
  // ViT-B/16: 12 * (768 * 2304 + 768^2 + 2 * 768 * 3072) = 84.9M of the published 86M.
  CHECK(weights_per_pass("vit-b16") == 84934656);
  // ViT-H/14: 32 * (1280 * 3840 + 1280^2 + 2 * 1280 * 5120) = 629M of the published 632M.
  CHECK(weights_per_pass("vit-h14") == 629145600);
}

TEST_CASE("zoo M follows the phase, batch and sequence length", "[zoo]") {
  const auto& llama = pesim::workloads::find_model("llama2-7b");
  const auto prefill = pesim::workloads::zoo_layers(llama, Phase::Prefill, 2, 1024);
  CHECK(prefill.front().m == 2048);
  CHECK(prefill.back().name == "down_proj");
  CHECK(prefill.back().k == 11008);
  CHECK(pesim::workloads::zoo_layers(llama, Phase::Decode, 64, 1024).front().m == 64);
  const auto& vit = pesim::workloads::find_model("vit-h14");
  CHECK(pesim::workloads::zoo_layers(vit, Phase::Prefill, 4, 999).front().m == 4 * 257);
  CHECK_THROWS_WITH(pesim::workloads::zoo_layers(vit, Phase::Decode, 1, 1), Catch::Contains("prefill"));
  CHECK_THROWS_WITH(pesim::workloads::find_model("llama3"), Catch::Contains("known: llama2-7b"));
}

TEST_CASE("CNN zoo: multiply-accumulates per image match the networks' papers", "[zoo]") {
  const auto macs = [](const std::string& name) {
    int64_t total = 0;
    for (const auto& layer : pesim::workloads::cnn_layers(name, 1)) {
      total += pesim::workloads::gemm_dims(layer, pesim::workloads::OutputSizeRule::Floor).macs() * layer.repeat;
    }
    return static_cast<double>(total);
  };
  // ResNet-50: about 4.1 billion (He et al. report 3.8 GFLOPs for v1, the stride on the 1x1; v1.5 moves it to the
  // 3x3, about 4.1); MobileNet v1: 569 million mult-adds (Howard et al., Table 1).
  CHECK(macs("resnet50") == Approx(4.1e9).epsilon(0.01));
  CHECK(macs("mobilenet_v1") == Approx(569e6).epsilon(0.005));
  CHECK(pesim::workloads::cnn_layers("resnet50", 8).front().repeat == 8);
  CHECK_THROWS_AS(pesim::workloads::cnn_layers("resnet51", 1), std::invalid_argument);
}
