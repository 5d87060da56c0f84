// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <string>

#include "workloads/graph/operator_graph.h"

namespace pesim::workloads {

// pesim's own workload file, YAML (or JSON, which yaml-cpp reads the same way):
//
//   name: my-block        # optional, for reports
//   repeat: 32            # optional: every op runs this many times more (e.g. transformer blocks)
//   ops:
//     - {name: norm, type: rmsnorm, elements: 262144}
//     - {name: qkv, type: gemm, m: 64, n: 12288, k: 4096, after: [norm]}
//     - name: c1
//       type: conv        # SCALE-Sim's fields; stride sets both strides, depthwise runs one channel per repeat
//       ifmap_h: 58
//       ifmap_w: 58
//       filter_h: 3
//       filter_w: 3
//       channels: 64
//       filters: 64
//       stride: 1
//       repeat: 2
//
// Op types: gemm (m, n, k), conv (ifmap_h, ifmap_w, filter_h, filter_w, channels, filters, stride or stride_h and
// stride_w, depthwise), and the vector ops of vector_kinds() (elements). Every op has a unique name and may have
// repeat (default 1) and after (a name or a list of names it reads; they may come later in the file). Dimensions
// are positive integers up to 2^24, elements up to 2^48, repeats up to 2^32.
//
// Throws WorkloadError naming FILE:LINE and the key for any mistake: a YAML syntax error, an unknown key (with the
// nearest valid one suggested), a missing key, a zero, negative or non-integer value, a filter larger than its input,
// a duplicate name, an unknown name in `after` and a dependency cycle (naming its ops).
class WorkloadError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};
OperatorGraph read_workload_file(const std::string& path);

}  // namespace pesim::workloads
