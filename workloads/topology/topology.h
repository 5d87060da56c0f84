// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace pesim::workloads {

// One layer of a workload as the array sees it: a convolution (lowered to a GEMM, im2col style) or a GEMM.
struct ConvShape {
  int64_t ifmap_h = 1, ifmap_w = 1;
  int64_t filter_h = 1, filter_w = 1;
  int64_t channels = 1, filters = 1;
  int64_t stride_h = 1, stride_w = 1;
};

struct LayerSpec {
  std::string name;
  std::string origin;  // "FILE:LINE" or "zoo MODEL:PHASE"
  bool is_gemm = false;
  ConvShape conv;               // when !is_gemm
  int64_t m = 0, n = 0, k = 0;  // when is_gemm: Y (M x N) = X (M x K) * W (K x N)
  int64_t repeat = 1;           // times the workload runs this layer (e.g. once per transformer block)
};

// How a strided convolution's output size is counted: the usual floor((H - F) / S) + 1, or SCALE-Sim v2's
// ceil((H - F + S) / S), one larger whenever S does not divide H - F.
enum class OutputSizeRule : uint8_t { Floor, ScaleSim };

// The layer as a GEMM: M output pixels (rows of the lowered input), N filters, K = Fh * Fw * C.
struct GemmDims {
  int64_t m = 0, n = 0, k = 0;
  int64_t macs() const { return m * n * k; }
};
GemmDims gemm_dims(const LayerSpec& layer, OutputSizeRule rule);

// SCALE-Sim v2 topology CSV: a header line, then `name, IFMAP H, IFMAP W, Filter H, Filter W, Channels, Num Filter,
// Stride,` per convolution (an optional 9th field is the horizontal stride) or `name, M, N, K,` per GEMM (the mnk
// format), each row usually ending with a comma; blank lines are skipped. Rows are told apart by their field count.
// A layer whose name contains "DP" (depthwise) runs as one single-channel layer repeated once per channel, which is
// how SCALE-Sim runs it (it prints one report row per channel). Dimensions are positive integers up to 2^24.
// Throws TopologyError naming the file, line and field on malformed input (a missing or extra column, a value that
// is not a positive integer, a filter larger than its input).
class TopologyError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};
std::vector<LayerSpec> read_scalesim_topology(const std::string& path);

}  // namespace pesim::workloads
