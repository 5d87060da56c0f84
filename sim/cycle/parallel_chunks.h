// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <algorithm>
#include <cstddef>
#include <thread>
#include <vector>

namespace pesim::cycle {

// Calls fn(first, last) on contiguous chunks covering [0, count), at most `threads` at once (the caller's thread
// runs the first chunk), and returns when all are done. For coarse work (milliseconds: a layer's operands), where
// starting a thread costs little; a chunk has at least `min_chunk` items. fn must not throw, and chunks must write
// disjoint data: the result is then the same for every thread count.
template <typename Fn>
void parallel_chunks(size_t count, int threads, size_t min_chunk, const Fn& fn) {
  const size_t most = std::max<size_t>(1, count / std::max<size_t>(min_chunk, 1));
  const size_t chunks = std::min(most, static_cast<size_t>(std::max(threads, 1)));
  const size_t per_chunk = (count + chunks - 1) / std::max<size_t>(chunks, 1);
  std::vector<std::jthread> helpers;
  for (size_t c = 1; c < chunks; ++c) {
    helpers.emplace_back(
        [&fn, c, per_chunk, count] { fn(std::min(count, c * per_chunk), std::min(count, (c + 1) * per_chunk)); });
  }
  fn(size_t{0}, std::min(count, per_chunk));
}  // the helpers join here

}  // namespace pesim::cycle
