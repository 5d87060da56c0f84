// SPDX-License-Identifier: Apache-2.0
#include "workloads/zoo/cnn_zoo.h"

#include <stdexcept>

namespace pesim::workloads {

namespace {

LayerSpec conv(const std::string& name, int64_t in, int64_t filter, int64_t channels, int64_t filters, int64_t stride) {
  LayerSpec layer;
  layer.name = name;
  layer.origin = "zoo";
  layer.conv = {in, in, filter, filter, channels, filters, stride, stride};
  return layer;
}

// The classifier of one image: a GEMM of 1 x K by K x N.
LayerSpec classifier(int64_t inputs, int64_t classes) {
  LayerSpec fc;
  fc.name = "fc";
  fc.origin = "zoo";
  fc.is_gemm = true;
  fc.m = 1;
  fc.n = classes;
  fc.k = inputs;
  return fc;
}

// One bottleneck block: 1x1 reduce, 3x3 (stride here, padded input), 1x1 expand, and a projection shortcut when
// the block changes the size.
void bottleneck(std::vector<LayerSpec>& layers, const std::string& name, int64_t in_size, int64_t in_channels,
                int64_t width, int64_t stride, bool project) {
  const int64_t out_size = in_size / stride;
  layers.push_back(conv(name + "_1x1a", in_size, 1, in_channels, width, 1));
  layers.push_back(conv(name + "_3x3", in_size + 2, 3, width, width, stride));
  layers.push_back(conv(name + "_1x1b", out_size, 1, width, 4 * width, 1));
  if (project) layers.push_back(conv(name + "_proj", in_size, 1, in_channels, 4 * width, stride));
}

std::vector<LayerSpec> resnet50() {
  std::vector<LayerSpec> layers{conv("conv1", 230, 7, 3, 64, 2)};
  const struct { int64_t blocks, width, stride; } stages[] = {{3, 64, 1}, {4, 128, 2}, {6, 256, 2}, {3, 512, 2}};
  int64_t size = 56, channels = 64;  // after the 3x3 stride-2 max pool
  int stage_number = 2;
  for (const auto& stage : stages) {
    for (int64_t b = 0; b < stage.blocks; ++b) {
      const int64_t stride = b == 0 ? stage.stride : 1;
      bottleneck(layers, "conv" + std::to_string(stage_number) + "_" + std::to_string(b + 1), size, channels,
                 stage.width, stride, b == 0);
      size /= stride;
      channels = 4 * stage.width;
    }
    ++stage_number;
  }
  layers.push_back(classifier(2048, 1000));
  return layers;
}

std::vector<LayerSpec> mobilenet_v1() {
  std::vector<LayerSpec> layers{conv("conv1", 226, 3, 3, 32, 2)};
  const struct {
    int64_t out_channels, stride;
  } blocks[] = {{64, 1},  {128, 2}, {128, 1}, {256, 2}, {256, 1},  {512, 2}, {512, 1},
                {512, 1}, {512, 1}, {512, 1}, {512, 1}, {1024, 2}, {1024, 1}};
  int64_t size = 112, channels = 32;
  for (size_t b = 0; b < std::size(blocks); ++b) {
    const std::string name = "block" + std::to_string(b + 1);
    // Depthwise: one 3x3 filter per channel, i.e. `channels` independent single-channel convolutions.
    LayerSpec depthwise = conv(name + "_DP", size + 2, 3, 1, 1, blocks[b].stride);
    depthwise.repeat = channels;
    layers.push_back(depthwise);
    size /= blocks[b].stride;
    layers.push_back(conv(name + "_pw", size, 1, channels, blocks[b].out_channels, 1));
    channels = blocks[b].out_channels;
  }
  layers.push_back(classifier(1024, 1000));
  return layers;
}

}  // namespace

const std::vector<std::string>& cnn_names() {
  static const std::vector<std::string> names{"resnet50", "mobilenet_v1"};
  return names;
}

std::vector<LayerSpec> cnn_layers(const std::string& name, int64_t batch) {
  std::vector<LayerSpec> layers;
  if (name == "resnet50") {
    layers = resnet50();
  } else if (name == "mobilenet_v1") {
    layers = mobilenet_v1();
  } else {
    throw std::invalid_argument("unknown network '" + name + "' (known: resnet50, mobilenet_v1)");
  }
  for (LayerSpec& layer : layers) layer.repeat *= batch;
  return layers;
}

}  // namespace pesim::workloads
