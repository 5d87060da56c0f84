// SPDX-License-Identifier: Apache-2.0
// Random numbers that are the same on every platform, for everything in pesim that is seeded (the DSE's strategies and
// cost models, printed-MLP training, data-set splits). std::mt19937_64's output sequence is fixed by the standard,
// but std::*_distribution and std::shuffle are not, so pesim draws through these helpers instead: a seed then gives
// the same result with any standard library.
#pragma once
#include <cmath>
#include <cstdint>
#include <numbers>
#include <random>
#include <stdexcept>
#include <utility>
#include <vector>

namespace pesim::num {

class SeededRandom {
 public:
  explicit SeededRandom(uint64_t seed) : m_engine(seed) {}

  // Uniform in [0, 1), from the top 53 bits of one draw.
  double uniform() { return static_cast<double>(m_engine() >> 11) * 0x1.0p-53; }
  double uniform(double low, double high) { return low + (high - low) * uniform(); }

  // Standard normal, by Box-Muller (one of the pair; two uniform draws).
  double normal() {
    const double radius = std::sqrt(-2.0 * std::log(1.0 - uniform()));
    return radius * std::cos(2.0 * std::numbers::pi * uniform());
  }

  // Uniform in [0, count), without modulo bias (rejection of the incomplete last block). Throws
  // std::invalid_argument for count 0.
  uint64_t index(uint64_t count) {
    if (count == 0) throw std::invalid_argument("SeededRandom::index: an empty range");
    const uint64_t limit = UINT64_MAX - UINT64_MAX % count;
    uint64_t draw = m_engine();
    while (draw >= limit) draw = m_engine();
    return draw % count;
  }

  // Fisher-Yates shuffle.
  template <typename T>
  void shuffle(std::vector<T>& values) {
    for (size_t i = values.size(); i > 1; --i) std::swap(values[i - 1], values[index(i)]);
  }

  // 0, 1, ..., count - 1 in a random order.
  std::vector<size_t> permutation(size_t count) {
    std::vector<size_t> order(count);
    for (size_t i = 0; i < count; ++i) order[i] = i;
    shuffle(order);
    return order;
  }

  // A seed for an independent child stream (restarts, bags).
  uint64_t next_seed() { return m_engine(); }

 private:
  std::mt19937_64 m_engine;
};

}  // namespace pesim::num

namespace pesim::dse {
using num::SeededRandom;
}  // namespace pesim::dse
