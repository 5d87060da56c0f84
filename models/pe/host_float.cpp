// SPDX-License-Identifier: Apache-2.0
#include "models/pe/host_float.h"

#include <cfenv>

#if defined(__x86_64__)
#include <xmmintrin.h>
#endif

namespace pesim::pe {

bool is_binary32(const num::FloatFormat& f) {
  const num::FloatFormat fp32 = num::FloatFormat::fp32();
  return f.exp_bits == fp32.exp_bits && f.man_bits == fp32.man_bits && f.bias == fp32.bias && f.has_inf && f.has_nan &&
         f.has_subnormal && !f.saturate;
}

bool host_float_environment_is_default() {
#if defined(__x86_64__)
  // The kernels compute in SSE/AVX registers, which MXCSR alone governs (fesetround sets it too); the x87 control
  // word that fegetround reads does not apply to them. One register read: this runs on every kernel call.
  constexpr unsigned kFlushToZero = 1u << 15, kDenormalsAreZero = 1u << 6, kRoundingControl = 3u << 13;
  return (_mm_getcsr() & (kFlushToZero | kDenormalsAreZero | kRoundingControl)) == 0;
#else
  return std::fegetround() == FE_TONEAREST;
#endif
}

}  // namespace pesim::pe
