// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "workloads/topology/topology.h"

namespace pesim::workloads {

// The built-in convolutional networks, as SCALE-Sim-style layers (input sizes include the padding, so a layer's
// output follows from H, F and S alone): ResNet-50 (He et al., CVPR 2016; the v1.5 variant with the stride on the
// 3x3 convolution, projection shortcuts as their own 1x1 layers, the classifier as a GEMM) and MobileNet v1
// (Howard et al., 2017; width 1.0, 224x224; a depthwise layer "..._DP" is one single-channel 3x3 convolution
// repeated once per channel, as SCALE-Sim runs them). Pooling and element-wise layers carry no MACs and are not
// listed. Each layer repeats `batch` times more (images are independent).
const std::vector<std::string>& cnn_names();  // "resnet50", "mobilenet_v1"
// Throws std::invalid_argument naming the known networks.
std::vector<LayerSpec> cnn_layers(const std::string& name, int64_t batch);

}  // namespace pesim::workloads
