// SPDX-License-Identifier: Apache-2.0
#include "sim/error/group_quantization.h"

#include <fmt/format.h>

#include <cmath>
#include <stdexcept>
#include <utility>

#include "models/num/arith.h"
#include "workloads/tensors/npy.h"

namespace pesim::error {

namespace {

const num::FloatFormat kFp16 = num::FloatFormat::fp16();

}  // namespace

GroupQuantizedWeights quantize_with(const std::vector<double>& w, int k, int n, int group_size, int w_bits,
                                    bool w_signed, const std::string& scale_path, const std::string& zero_path) {
  GroupQuantizedWeights g = GroupQuantizedWeights::shaped(k, n, group_size, w_bits, w_signed);
  const workloads::Tensor2d scales = workloads::read_npy(scale_path);
  const workloads::Tensor2d zeros = workloads::read_npy(zero_path);
  for (const auto& [tensor, path] : {std::pair{&scales, &scale_path}, std::pair{&zeros, &zero_path}}) {
    if (tensor->rows != g.groups() || tensor->cols != n) {
      throw std::runtime_error(fmt::format("{}: shape {}x{}, expected {}x{} (groups of {} along K={}, N={})", *path,
                                           tensor->rows, tensor->cols, g.groups(), n, group_size, k, n));
    }
  }
  for (size_t i = 0; i < g.scale.size(); ++i) {
    g.scale[i] = num::from_double(kFp16, scales.values[i], {}).bits;
    const double s = pe::fp16_value(g.scale[i]);
    if (!(scales.values[i] > 0) || !std::isfinite(s) || s == 0) {
      throw std::runtime_error(
          fmt::format("{}: element {} (row {}, column {}): scale {} is not a positive value that "
                      "fp16 holds (6.0e-8 .. 65504)",
                      scale_path, i, i / n, i % n, scales.values[i]));
    }
    const double z = zeros.values[i];
    if (z != std::nearbyint(z) || z < static_cast<double>(g.q_min()) || z > static_cast<double>(g.q_max())) {
      throw std::runtime_error(
          fmt::format("{}: element {} (row {}, column {}): zero point {} is not an integer in [{}, {}]", zero_path, i,
                      i / n, i % n, z, g.q_min(), g.q_max()));
    }
    g.zero_point[i] = static_cast<int64_t>(z);
  }
  g.quantize(w);
  return g;
}

}  // namespace pesim::error
