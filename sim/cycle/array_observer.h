// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <cstdint>
#include <vector>

namespace pesim::cycle {

struct Fold;
struct OutputFold;

// An output the array produced on one clock edge. ws/is: the partial sum of streamed row `row` in array column
// `col`, written from the bottom row into the output buffer; os: the partial sum PE (row, col) holds after its
// chain's last step.
struct EdgeOutput {
  int64_t row = 0, col = 0;
  uint64_t word = 0;
  bool operator==(const EdgeOutput&) const = default;
};

// Watches the cycle engine edge by edge (an RTL array in lockstep, a trace writer). The engine calls fold_loaded()
// when a fold starts and edge() after each of its clock edges, from its clock process, with the outputs of that edge.
class IArrayObserver {
 public:
  virtual ~IArrayObserver() = default;
  virtual void fold_loaded(const Fold& fold) = 0;
  virtual void fold_loaded(const OutputFold& fold) = 0;
  virtual void edge(int64_t fold_cycle, const std::vector<EdgeOutput>& outputs) = 0;
};

}  // namespace pesim::cycle
