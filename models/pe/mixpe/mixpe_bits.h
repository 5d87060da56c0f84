// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <cstdint>

namespace pesim::pe::mixpe_bits {

// Field helpers of MixPE's port words, shared by its core and its fast kernel.
inline uint64_t low_bits(uint64_t word, int bits) { return bits >= 64 ? word : word & ((uint64_t{1} << bits) - 1); }

// The low `bits` of `word` as a two's-complement integer.
inline int64_t sign_extend(uint64_t word, int bits) {
  const uint64_t sign = uint64_t{1} << (bits - 1);
  return static_cast<int64_t>((low_bits(word, bits) ^ sign) - sign);
}

}  // namespace pesim::pe::mixpe_bits
