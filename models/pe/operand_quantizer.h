// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <cstdint>
#include <optional>
#include <vector>

#include "models/pe/pe.h"

namespace pesim::pe {

// A PE port's quantization (IPeCore::quantize_a / quantize_b) and word values (a_value / b_value as doubles) for
// ports of at most 16 bits, by table instead of the numeric core's per-value encoding: the same words and values.
//
// Why it is the same function: quantize_x rounds a real value to the nearest operand word (IPeCore's contract).
// The table holds every word's value; between two adjacent distinct finite values `below` < v < `above`, the nearest
// is `below` when v is under their midpoint and `above` when over it (the midpoint of two adjacent values of a format
// of at most 16 significant bits is exact in a double). Everything else goes to the core itself: ties (the format's
// tie rule decides), values equal to a table value (+0 and -0, or other words sharing a value), values at or beyond
// the smallest and largest finite values (saturation and overflow are the format's business), and NaN. The tests
// hold it to the core on every midpoint and either side of every value for each kind's ports.
class OperandQuantizer {
 public:
  enum class Port { a, b };

  // Nothing when the port's words are wider than 16 bits (`word_bits`: the width quantize_x returns).
  static std::optional<OperandQuantizer> make(const IPeCore& core, Port port, int word_bits);

  // `core` is the one the table was made from or one of the same configuration (it quantizes what the table leaves).
  uint64_t quantize(double value, const IPeCore& core) const;
  double value(uint64_t word) const { return m_values[word & m_mask]; }

 private:
  OperandQuantizer(const IPeCore& core, Port port, int word_bits);
  uint64_t reference(double value, const IPeCore& core) const;

  Port m_port;
  uint64_t m_mask;
  std::vector<double> m_values;          // by word
  std::vector<double> m_sorted;          // the distinct finite values, ascending
  std::vector<uint64_t> m_word;          // the word of each sorted value
  std::vector<uint8_t> m_shared;         // 1 where several words have that value
  std::vector<uint32_t> m_bucket_start;  // by the top 16 bits of a value's order key: its first sorted index
};

}  // namespace pesim::pe
