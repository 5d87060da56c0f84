// SPDX-License-Identifier: Apache-2.0
#include "models/pe/mixpe/mixpe_kernel.h"

#include <bit>
#include <cmath>

#include "models/pe/host_float.h"
#include "models/pe/mixpe/mixpe_bits.h"
#include "models/pe/mixpe/mixpe_core.h"

namespace pesim::pe {

namespace {

using Layout = MixPeKernel::Layout;

using mixpe_bits::low_bits;
using mixpe_bits::sign_extend;

inline int64_t weight_value(const Layout& l, uint64_t word) {
  return l.w_signed ? sign_extend(word, l.w_bits) : static_cast<int64_t>(low_bits(word, l.w_bits));
}

inline float binary32(uint64_t word) { return std::bit_cast<float>(static_cast<uint32_t>(word)); }

// fp16 to binary32, exactly (every fp16 value is a binary32 value; a NaN stays a NaN).
inline float fp16_value(uint64_t word) {
  const auto sign = static_cast<uint32_t>((word >> 15) & 1) << 31;
  const auto exponent = static_cast<int>((word >> 10) & 0x1f);
  const auto fraction = static_cast<uint32_t>(word & 0x3ff);
  if (exponent == 0x1f) return std::bit_cast<float>(sign | 0x7f800000u | (fraction << 13));
  if (exponent != 0)
    return std::bit_cast<float>(sign | static_cast<uint32_t>(exponent - 15 + 127) << 23 | fraction << 13);
  const float magnitude = static_cast<float>(fraction) * 0x1p-24f;  // subnormal or zero: exact (a normal float)
  return sign != 0 ? -magnitude : magnitude;
}

// One step, the FMA passed in so the loop below can be compiled for the host's instruction.
template <typename Fma>
inline uint64_t step(const Layout& l, uint64_t a, uint64_t b, uint64_t acc, Fma fma) {
  const uint64_t y = static_cast<uint32_t>(acc >> l.sum_bits);
  const uint64_t sum = low_bits(acc, l.sum_bits);
  const bool dequant = ((b >> (16 + l.w_bits)) & 1) != 0;
  if (!dequant) {
    const int64_t q = weight_value(l, b);
    uint64_t new_sum = 0;
    if (l.act_fp16) {
      new_sum = binary32_word(fma(fp16_value(a & 0xffff), static_cast<float>(q), binary32(sum)));
    } else {
      new_sum = low_bits(static_cast<uint64_t>(sign_extend(sum, l.sum_bits) + sign_extend(a, 8) * q), l.sum_bits);
    }
    return (y << l.sum_bits) | new_sum;
  }
  const int64_t z = weight_value(l, b);
  const float s = fp16_value((b >> l.w_bits) & 0xffff);
  float d = 0;
  if (l.act_fp16) {
    d = fma(static_cast<float>(-z), binary32(a), binary32(sum));
  } else {
    d = static_cast<float>(sign_extend(sum, l.sum_bits) - z * sign_extend(a, l.a_port_bits));
  }
  return static_cast<uint64_t>(binary32_word(fma(s, d, binary32(y)))) << l.sum_bits;
}

void run_generic(const Layout& l, const uint64_t* a, const uint64_t* b, const uint64_t* acc_in, uint64_t* acc_out,
                 size_t n) {
  for (size_t i = 0; i < n; ++i) {
    acc_out[i] = step(l, a[i], b[i], acc_in[i], [](float x, float y, float z) { return std::fma(x, y, z); });
  }
}

#if defined(__x86_64__)
__attribute__((target("fma"))) void run_fma(const Layout& l, const uint64_t* a, const uint64_t* b,
                                            const uint64_t* acc_in, uint64_t* acc_out, size_t n) {
  struct HostFma {
    __attribute__((target("fma"))) float operator()(float x, float y, float z) const { return __builtin_fmaf(x, y, z); }
  };
  for (size_t i = 0; i < n; ++i) acc_out[i] = step(l, a[i], b[i], acc_in[i], HostFma{});
}
#endif

}  // namespace

std::optional<MixPeKernel> MixPeKernel::make(const MixPeConfig& config) {
  if (!is_binary32(config.out_format) || config.w_bits > 11) return std::nullopt;
  if (!config.act_fp16 && config.sum_bits() > 24) return std::nullopt;
  return MixPeKernel(Layout{config.w_bits, config.sum_bits(), config.a_port_bits(), config.w_signed, config.act_fp16});
}

void MixPeKernel::run(const MixPeCore& core, const uint64_t* a, const uint64_t* b, const uint64_t* acc_in,
                      uint64_t* acc_out, size_t n) const {
  if (!host_float_environment_is_default()) {
    for (size_t i = 0; i < n; ++i) acc_out[i] = core.mac(a[i], b[i], acc_in[i]);
    return;
  }
#if defined(__x86_64__)
  static const bool has_fma = __builtin_cpu_supports("fma");
  if (has_fma) return run_fma(m_layout, a, b, acc_in, acc_out, n);
#endif
  run_generic(m_layout, a, b, acc_in, acc_out, n);
}

}  // namespace pesim::pe
