// SPDX-License-Identifier: Apache-2.0
// What the PE kernels' tests share: how many steps to compare, and how a difference is reported.
#pragma once
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <vector>

#include "models/pe/pe.h"

namespace pesim::test {

// The steps a kernel test compares: PESIM_KERNEL_STEPS if set, else the test's own count (10^6 unit, 10^8 long).
inline int64_t kernel_steps(int64_t default_steps) {
  const char* text = std::getenv("PESIM_KERNEL_STEPS");
  return text != nullptr ? std::atoll(text) : default_steps;
}

// The first step where a fast kernel and its reference path differ.
struct KernelMismatch {
  uint64_t a = 0, b = 0, acc = 0, fast = 0, reference = 0;
};

// Runs the core's mac_n (its fast kernel) on the batch and compares every step with mac() (its reference path);
// returns the first difference. `compared` counts the steps compared.
inline std::optional<KernelMismatch> compare_with_reference(const pe::IPeCore& core, const std::vector<uint64_t>& a,
                                                            const std::vector<uint64_t>& b,
                                                            const std::vector<uint64_t>& acc, int64_t& compared) {
  std::vector<uint64_t> fast(a.size());
  core.mac_n(a.data(), b.data(), acc.data(), fast.data(), a.size());
  for (size_t i = 0; i < a.size(); ++i) {
    const uint64_t reference = core.mac(a[i], b[i], acc[i]);
    ++compared;
    if (fast[i] != reference) return KernelMismatch{a[i], b[i], acc[i], fast[i], reference};
  }
  return std::nullopt;
}

}  // namespace pesim::test
