// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <bit>
#include <cstdint>

#include "models/num/float_format.h"

namespace pesim::pe {

// What the PE kinds' fast kernels need to use the host's binary32 arithmetic as the numeric core's: a format check,
// the environment check, and the numeric core's NaN.

// `f` is IEEE binary32 with infinities, NaN and subnormals, not saturating.
bool is_binary32(const num::FloatFormat& f);

// The calling thread rounds to nearest-even and keeps subnormals (x86 MXCSR FTZ and DAZ clear, the default; pesim
// never changes them). A kernel checks this on every call and takes its reference path otherwise.
bool host_float_environment_is_default();

// The numeric core returns one NaN, the canonical quiet NaN: a host result's word with its NaNs replaced by it.
constexpr uint32_t kCanonicalNanWord = 0x7fc00000u;
inline uint32_t binary32_word(float r) { return r != r ? kCanonicalNanWord : std::bit_cast<uint32_t>(r); }

}  // namespace pesim::pe
