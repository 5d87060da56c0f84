// SPDX-License-Identifier: Apache-2.0
#include "models/pe/fma_fp/fp32_fma_kernel.h"

#include <bit>
#include <cfenv>
#include <cmath>

#include "models/num/exact_value.h"

#if defined(__x86_64__)
#include <xmmintrin.h>
#endif

namespace pesim::pe {

namespace {

constexpr uint32_t kCanonicalNan = 0x7fc00000u;
constexpr int kMaxOperandBits = 16;  // the operand table's size limit (2^16 floats)

bool is_binary32(const num::FloatFormat& f) {
  const num::FloatFormat fp32 = num::FloatFormat::fp32();
  return f.exp_bits == fp32.exp_bits && f.man_bits == fp32.man_bits && f.bias == fp32.bias && f.has_inf && f.has_nan &&
         f.has_subnormal && !f.saturate;
}

// Each operand word's value as a binary32, or nothing if one is not exactly representable.
std::optional<std::vector<float>> operand_values(const num::FloatFormat& in) {
  if (in.width_bits() > kMaxOperandBits) return std::nullopt;
  std::vector<float> values(size_t{1} << in.width_bits());
  for (uint64_t word = 0; word < values.size(); ++word) {
    const num::ExactValue v = num::decode_float(in, word, num::FpEnv{});
    if (v.is_nan()) {
      values[word] = std::bit_cast<float>(kCanonicalNan);
      continue;
    }
    const double exact = num::to_double(v);  // in-formats of at most 16 bits are exact in a double
    const auto single = static_cast<float>(exact);
    if (static_cast<double>(single) != exact || std::signbit(single) != v.negative) return std::nullopt;
    values[word] = single;
  }
  return values;
}

uint64_t word_of(float r) { return std::isnan(r) ? kCanonicalNan : std::bit_cast<uint32_t>(r); }

// Operand words index `values` (2^w entries) after masking to the format's w bits, as the datapath reads its ports.
void run_generic(const float* values, uint64_t mask, const uint64_t* a, const uint64_t* b, const uint64_t* acc_in,
                 uint64_t* acc_out, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    const float c = std::bit_cast<float>(static_cast<uint32_t>(acc_in[i]));
    acc_out[i] = word_of(std::fma(values[a[i] & mask], values[b[i] & mask], c));
  }
}

#if defined(__x86_64__)
// The same loop, compiled for AVX2 and FMA so that the compiler can use the hardware's fused multiply-add (and vector
// gathers) instead of a call to the C library's fmaf.
__attribute__((target("avx2,fma"))) void run_avx2(const float* values, uint64_t mask, const uint64_t* a,
                                                  const uint64_t* b, const uint64_t* acc_in, uint64_t* acc_out,
                                                  size_t n) {
  for (size_t i = 0; i < n; ++i) {
    const float c = std::bit_cast<float>(static_cast<uint32_t>(acc_in[i]));
    const float r = __builtin_fmaf(values[a[i] & mask], values[b[i] & mask], c);
    acc_out[i] = r != r ? kCanonicalNan : std::bit_cast<uint32_t>(r);
  }
}

bool host_has_avx2_fma() {
  static const bool has = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  return has;
}
#endif

}  // namespace

std::optional<Fp32FmaKernel> Fp32FmaKernel::make(const num::FloatFormat& in, const num::FloatFormat& acc) {
  if (!is_binary32(acc)) return std::nullopt;
  std::optional<std::vector<float>> values = operand_values(in);
  if (!values) return std::nullopt;
  return Fp32FmaKernel(std::move(*values));
}

bool Fp32FmaKernel::host_environment_is_default() {
#if defined(__x86_64__)
  constexpr unsigned kFlushToZero = 1u << 15, kDenormalsAreZero = 1u << 6, kRoundingControl = 3u << 13;
  if ((_mm_getcsr() & (kFlushToZero | kDenormalsAreZero | kRoundingControl)) != 0) return false;
#endif
  return std::fegetround() == FE_TONEAREST;
}

void Fp32FmaKernel::run(const uint64_t* a, const uint64_t* b, const uint64_t* acc_in, uint64_t* acc_out, size_t n,
                        ReferenceMac reference, const void* context) const {
  if (!host_environment_is_default()) {
    for (size_t i = 0; i < n; ++i) acc_out[i] = reference(context, a[i], b[i], acc_in[i]);
    return;
  }
#if defined(__x86_64__)
  if (host_has_avx2_fma()) return run_avx2(m_operand_values.data(), m_operand_mask, a, b, acc_in, acc_out, n);
#endif
  run_generic(m_operand_values.data(), m_operand_mask, a, b, acc_in, acc_out, n);
}

}  // namespace pesim::pe
