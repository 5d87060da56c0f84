// SPDX-License-Identifier: Apache-2.0
// What the PE kernels' tests share: how many steps to compare, and how a difference is reported.
#pragma once
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "models/pe/exact_mac.h"
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

inline std::string describe(const std::optional<KernelMismatch>& m) {
  if (!m) return "no difference";
  std::ostringstream text;
  text << std::hex << "a=" << m->a << " b=" << m->b << " acc=" << m->acc << " fast=" << m->fast
       << " reference=" << m->reference;
  return text.str();
}

// The low `bits` bits set.
inline uint64_t low_mask(int bits) { return bits >= 64 ? ~uint64_t{0} : (uint64_t{1} << bits) - 1; }

// A `bits`-bit integer word's edge patterns: 0, 1, 2, the most negative, the most positive and their neighbours,
// -1 (all ones) and -2.
inline std::vector<uint64_t> integer_edges(int bits) {
  const uint64_t mask = low_mask(bits), top = uint64_t{1} << (bits - 1);
  std::vector<uint64_t> words = {0, 1, 2, top, top - 1, top + 1, mask, mask - 1};
  for (uint64_t& word : words) word &= mask;
  return words;
}

// For a kind built on ExactMacCore (mac_int, mac_fixed): its mac_n (the fast kernel) and its mac() against
// ExactMacCore::mac, the bit-level reference, step by step; the first step where either differs.
template <typename Core>
std::optional<KernelMismatch> compare_with_exact_core(const Core& core, const std::vector<uint64_t>& a,
                                                      const std::vector<uint64_t>& b, const std::vector<uint64_t>& acc,
                                                      int64_t& compared) {
  std::vector<uint64_t> fast(a.size());
  core.mac_n(a.data(), b.data(), acc.data(), fast.data(), a.size());
  for (size_t i = 0; i < a.size(); ++i) {
    const uint64_t reference = core.pe::ExactMacCore::mac(a[i], b[i], acc[i]);
    const uint64_t host = core.mac(a[i], b[i], acc[i]);
    ++compared;
    if (fast[i] != reference) return KernelMismatch{a[i], b[i], acc[i], fast[i], reference};
    if (host != reference) return KernelMismatch{a[i], b[i], acc[i], host, reference};
  }
  return std::nullopt;
}

// Random steps for an ExactMacCore kind: each port word uniform, or (one in four) one of its integer_edges; compared
// in batches of 4096 by compare_with_exact_core. Returns the steps compared and the first difference.
template <typename Core, typename Rng>
std::optional<KernelMismatch> random_exact_core_steps(const Core& core, Rng& rng, int64_t steps, int64_t& compared) {
  const pe::PortWidths w = core.widths();
  const auto word = [&](int bits) {
    const std::vector<uint64_t> e = integer_edges(bits);
    return rng() % 4 == 0 ? e[rng() % e.size()] : rng() & low_mask(bits);
  };
  std::vector<uint64_t> a, b, acc;
  while (compared < steps) {
    const auto count = static_cast<size_t>(std::min<int64_t>(4096, steps - compared));
    a.resize(count), b.resize(count), acc.resize(count);
    for (size_t i = 0; i < count; ++i) a[i] = word(w.a_bits), b[i] = word(w.b_bits), acc[i] = word(w.acc_bits);
    if (std::optional<KernelMismatch> m = compare_with_exact_core(core, a, b, acc, compared)) return m;
  }
  return std::nullopt;
}

}  // namespace pesim::test
