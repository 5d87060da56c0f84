// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "models/pe/pe.h"
#include "rtl/rtl_pe.h"

namespace pesim::cosim {

// One stimulus stream for the model and the RTL. Two cycles of reset, then either random operands with edge cases
// mixed in, or the lines of a vector file. Deterministic given the seed (or the file) and the observed outputs, so a
// run can be replayed exactly (for the VCD around a mismatch).
//
// Random operands are offered on about 15 of 16 cycles, also while a multi-cycle datapath is busy (it must ignore
// them).
// Random operands: half uniform bit patterns, half edge patterns of the port width (0, 1, all ones, sign bit only,
// largest positive, ...), which for floating-point ports are the zeros, NaNs, infinities, extremes and subnormals.
// The partial sum c is also fed back from the PE's own output (accumulation chains) or set to the negated product
// with its low bits perturbed (deep cancellation, where normalization matters).
class Stimulus {
 public:
  static constexpr uint64_t kResetCycles = 2;

  Stimulus(const pe::PeInstance& pe, uint64_t seed);
  // Vector file: one "a b c" line of hex port words per operation, driven one per initiation interval; '#' starts a
  // comment. Throws std::runtime_error naming the file, line and field on malformed input.
  Stimulus(const pe::PeInstance& pe, const std::string& vector_path);

  // The inputs of cycle `cycle` (0-based rising edges), given the outputs observed after the previous edge.
  rtl::PeInputs next(uint64_t cycle, const rtl::PeOutputs& observed);
  bool exhausted(uint64_t cycle) const;  // vector mode: every line driven and drained

 private:
  uint64_t random_word(int bits);
  uint64_t edge_word(int bits);
  uint64_t operand(int bits);
  uint64_t partial_sum(uint64_t a, uint64_t b, const rtl::PeOutputs& observed);

  const pe::IPeCore& m_core;
  pe::PortWidths m_widths;
  pe::PeTiming m_timing;
  std::mt19937_64 m_rng;
  std::vector<rtl::PeInputs> m_vectors;  // vector mode
  bool m_from_file = false;
};

}  // namespace pesim::cosim
