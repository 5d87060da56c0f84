// SPDX-License-Identifier: Apache-2.0
#include "models/pe/fma_fp/fp32_fma_kernel.h"

#include <bit>
#include <cmath>

#include "models/num/exact_value.h"
#include "models/pe/host_float.h"

#if defined(__x86_64__)
#include <cpuid.h>
#include <immintrin.h>
#endif

namespace pesim::pe {

namespace {

constexpr uint32_t kCanonicalNan = kCanonicalNanWord;
constexpr int kMaxOperandBits = 16;  // the operand table's size limit (2^16 floats)

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

// Operand words index `values` (2^w entries) after masking to the format's w bits, as the datapath reads its ports.
void run_generic(const float* values, uint64_t mask, const uint64_t* a, const uint64_t* b, const uint64_t* acc_in,
                 uint64_t* acc_out, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    const float c = std::bit_cast<float>(static_cast<uint32_t>(acc_in[i]));
    acc_out[i] = binary32_word(std::fma(values[a[i] & mask], values[b[i] & mask], c));
  }
}

#if defined(__x86_64__)
// The same function, four steps per iteration with AVX2 and FMA: the operand words are decoded to binary32 lanes (see
// OperandDecoder), the accumulators' low 32 bits are packed into binary32 lanes, one vfmadd rounds each step once, NaN
// lanes become the canonical NaN by a blend, and the results are zero-extended back into 64-bit words. The last n % 4
// steps run_generic does.
__attribute__((target("avx2"))) inline __m256i load4(const uint64_t* words) {
  return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(words));
}

// The low 32 bits of four 64-bit lanes.
__attribute__((target("avx2"))) inline __m128i low_halves(__m256i words) {
  return _mm256_castsi256_si128(_mm256_permutevar8x32_epi32(words, _mm256_setr_epi32(0, 2, 4, 6, 0, 2, 4, 6)));
}

template <OperandDecoder decoder>
__attribute__((target("avx2,f16c"))) inline __m128 decode4(const float* values, uint64_t mask, const uint64_t* words) {
  const __m128i w = low_halves(_mm256_and_si256(load4(words), _mm256_set1_epi64x(static_cast<long long>(mask))));
  if constexpr (decoder == OperandDecoder::bf16_shift) {
    return _mm_castsi128_ps(_mm_slli_epi32(w, 16));
  } else if constexpr (decoder == OperandDecoder::fp16_convert) {
    return _mm_cvtph_ps(_mm_packus_epi32(w, w));
  } else {  // scalar loads: AMD's vgather is slower than four of them
    return _mm_setr_ps(values[_mm_extract_epi32(w, 0)], values[_mm_extract_epi32(w, 1)],
                       values[_mm_extract_epi32(w, 2)], values[_mm_extract_epi32(w, 3)]);
  }
}

template <OperandDecoder decoder>
__attribute__((target("avx2,fma,f16c"))) void run_avx2(const float* values, uint64_t mask, const uint64_t* a,
                                                       const uint64_t* b, const uint64_t* acc_in, uint64_t* acc_out,
                                                       size_t n) {
  const __m128 canonical_nan = _mm_castsi128_ps(_mm_set1_epi32(static_cast<int>(kCanonicalNan)));
  size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    const __m128 x = decode4<decoder>(values, mask, a + i);
    const __m128 y = decode4<decoder>(values, mask, b + i);
    const __m128 c = _mm_castsi128_ps(low_halves(load4(acc_in + i)));
    __m128 r = _mm_fmadd_ps(x, y, c);
    r = _mm_blendv_ps(r, canonical_nan, _mm_cmpunord_ps(r, r));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(acc_out + i), _mm256_cvtepu32_epi64(_mm_castps_si128(r)));
  }
  run_generic(values, mask, a + i, b + i, acc_in + i, acc_out + i, n - i);
}

// F16C from CPUID leaf 1 (ECX bit 29): clang's __builtin_cpu_supports does not know "f16c".
bool host_has_f16c() {
  unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
  return __get_cpuid(1, &eax, &ebx, &ecx, &edx) != 0 && (ecx & (1u << 29)) != 0;
}

bool host_has_avx2_fma() {
  static const bool has = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && host_has_f16c();
  return has;
}
#endif

// A decoder agrees with the table when it gives every word the same binary32 (any NaN for a NaN word: the result is
// then NaN, made canonical).
template <typename Decode>
bool agrees_with_table(const std::vector<float>& values, Decode decode) {
  for (uint32_t word = 0; word < values.size(); ++word) {
    const float decoded = decode(word);
    const bool same = std::isnan(values[word])
                          ? std::isnan(decoded)
                          : std::bit_cast<uint32_t>(decoded) == std::bit_cast<uint32_t>(values[word]);
    if (!same) return false;
  }
  return true;
}

#if defined(__x86_64__)
__attribute__((target("f16c"))) float f16c_decode(uint32_t word) {
  return _cvtsh_ss(static_cast<unsigned short>(word));
}
#endif

OperandDecoder fastest_decoder(const std::vector<float>& values) {
  if (values.size() != size_t{1} << 16) return OperandDecoder::table;
  if (agrees_with_table(values, [](uint32_t word) { return std::bit_cast<float>(word << 16); })) {
    return OperandDecoder::bf16_shift;
  }
#if defined(__x86_64__)
  if (host_has_avx2_fma() && agrees_with_table(values, f16c_decode)) return OperandDecoder::fp16_convert;
#endif
  return OperandDecoder::table;
}

}  // namespace

std::optional<Fp32FmaKernel> Fp32FmaKernel::make(const num::FloatFormat& in, const num::FloatFormat& acc) {
  if (!is_binary32(acc)) return std::nullopt;
  std::optional<std::vector<float>> values = operand_values(in);
  if (!values) return std::nullopt;
  const OperandDecoder decoder = fastest_decoder(*values);
  return Fp32FmaKernel(std::move(*values), decoder);
}

bool Fp32FmaKernel::host_environment_is_default() { return host_float_environment_is_default(); }

void Fp32FmaKernel::run(const uint64_t* a, const uint64_t* b, const uint64_t* acc_in, uint64_t* acc_out, size_t n,
                        ReferenceMac reference, const void* context) const {
  if (!host_environment_is_default()) {
    for (size_t i = 0; i < n; ++i) acc_out[i] = reference(context, a[i], b[i], acc_in[i]);
    return;
  }
#if defined(__x86_64__)
  if (host_has_avx2_fma()) {
    const float* values = m_operand_values.data();
    switch (m_decoder) {
      case OperandDecoder::bf16_shift:
        return run_avx2<OperandDecoder::bf16_shift>(values, m_operand_mask, a, b, acc_in, acc_out, n);
      case OperandDecoder::fp16_convert:
        return run_avx2<OperandDecoder::fp16_convert>(values, m_operand_mask, a, b, acc_in, acc_out, n);
      case OperandDecoder::table:
        return run_avx2<OperandDecoder::table>(values, m_operand_mask, a, b, acc_in, acc_out, n);
    }
  }
#endif
  run_generic(m_operand_values.data(), m_operand_mask, a, b, acc_in, acc_out, n);
}

}  // namespace pesim::pe
