// SPDX-License-Identifier: Apache-2.0
#include "models/pe/mac_int/mac_int_core.h"

namespace pesim::pe {

namespace {

// The wrapping MAC in 32-bit lanes, for accumulators of at most 32 bits and operands of at most 32. Only the result's
// low acc_bits are kept, and those depend only on the operands and the partial sum modulo 2^32: (c + a * b) mod 2^32
// is computed exactly by 32-bit unsigned arithmetic from a, b sign- or zero-extended to 32 bits and c's low 32 bits,
// so masking it to acc_bits gives what the 64-bit loop gives. In 32-bit lanes the loop vectorizes (AVX2: 8 products
// per instruction; 64-bit multiplies do not).
struct NarrowOperands {
  unsigned a_shift, b_shift;  // 32 - bits
  bool a_signed, b_signed;
  uint32_t acc_mask;
};

inline uint32_t extend32(uint64_t word, unsigned shift, bool is_signed) {
  const uint32_t low = static_cast<uint32_t>(word) << shift;
  return is_signed ? static_cast<uint32_t>(static_cast<int32_t>(low) >> shift) : low >> shift;
}

inline void narrow_loop(const NarrowOperands& o, const uint64_t* a, const uint64_t* b, const uint64_t* acc_in,
                        uint64_t* acc_out, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    const uint32_t product = extend32(a[i], o.a_shift, o.a_signed) * extend32(b[i], o.b_shift, o.b_signed);
    acc_out[i] = (static_cast<uint32_t>(acc_in[i]) + product) & o.acc_mask;
  }
}

void run_narrow_generic(const NarrowOperands& o, const uint64_t* a, const uint64_t* b, const uint64_t* acc_in,
                        uint64_t* acc_out, size_t n) {
  narrow_loop(o, a, b, acc_in, acc_out, n);
}

#if defined(__x86_64__)
__attribute__((target("avx2"))) void run_narrow_avx2(const NarrowOperands& o, const uint64_t* a, const uint64_t* b,
                                                     const uint64_t* acc_in, uint64_t* acc_out, size_t n) {
  narrow_loop(o, a, b, acc_in, acc_out, n);
}
#endif

void run_narrow(const NarrowOperands& o, const uint64_t* a, const uint64_t* b, const uint64_t* acc_in,
                uint64_t* acc_out, size_t n) {
#if defined(__x86_64__)
  static const bool has_avx2 = __builtin_cpu_supports("avx2");
  if (has_avx2) return run_narrow_avx2(o, a, b, acc_in, acc_out, n);
#endif
  run_narrow_generic(o, a, b, acc_in, acc_out, n);
}

}  // namespace

MacIntCore::MacIntCore(const MacIntConfig& config)
    : ExactMacCore(config.a_format, config.b_format, config.acc_format),
      m_a{config.a_format.width_bits, config.a_format.is_signed},
      m_b{config.b_format.width_bits, config.b_format.is_signed},
      m_acc{config.acc_format.width_bits, config.acc_format.is_signed},
      m_saturate(config.acc_format.saturate),
      m_fits_int64(m_a.bits + !m_a.is_signed + m_b.bits + !m_b.is_signed <= 61 && m_acc.bits <= 61) {
  const int bits = m_acc.bits;
  m_acc_min = m_acc.is_signed ? -(static_cast<__int128>(1) << (bits - 1)) : 0;
  m_acc_max = m_acc.is_signed ? (static_cast<__int128>(1) << (bits - 1)) - 1 : (static_cast<__int128>(1) << bits) - 1;
}

void MacIntCore::mac_n(const uint64_t* a, const uint64_t* b, const uint64_t* acc_in, uint64_t* acc_out,
                       size_t n) const {
  if (m_saturate || kernel_path() == KernelPath::reference) return ExactMacCore::mac_n(a, b, acc_in, acc_out, n);
  if (n == 1) {  // one step (a clocked single PE): mac(), the same host-integer function without the batch set-up
    acc_out[0] = mac(a[0], b[0], acc_in[0]);
    return;
  }
  if (m_acc.bits <= 32 && m_a.bits <= 32 && m_b.bits <= 32) {
    const NarrowOperands o{32u - static_cast<unsigned>(m_a.bits), 32u - static_cast<unsigned>(m_b.bits), m_a.is_signed,
                           m_b.is_signed, static_cast<uint32_t>(m_acc.mask())};
    return run_narrow(o, a, b, acc_in, acc_out, n);
  }
  if (!m_fits_int64) return ExactMacCore::mac_n(a, b, acc_in, acc_out, n);
  const Operand oa = m_a, ob = m_b, oc = m_acc;
  const uint64_t mask = oc.mask();
  for (size_t i = 0; i < n; ++i) {
    acc_out[i] = static_cast<uint64_t>(oc.value(acc_in[i]) + oa.value(a[i]) * ob.value(b[i])) & mask;
  }
}

uint64_t MacIntCore::mac(uint64_t a, uint64_t b, uint64_t acc) const {
  if (m_fits_int64 && !m_saturate) {
    return static_cast<uint64_t>(m_acc.value(acc) + m_a.value(a) * m_b.value(b)) & m_acc.mask();
  }
  __int128 sum = static_cast<__int128>(m_acc.value(acc)) +
                 static_cast<__int128>(m_a.value(a)) * static_cast<__int128>(m_b.value(b));
  if (m_saturate) sum = sum < m_acc_min ? m_acc_min : (sum > m_acc_max ? m_acc_max : sum);
  return static_cast<uint64_t>(sum) & m_acc.mask();
}

}  // namespace pesim::pe
