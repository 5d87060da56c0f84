// SPDX-License-Identifier: Apache-2.0
#include "models/pe/mac_int/mac_int_core.h"

namespace pesim::pe {

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
  if (!m_fits_int64 || m_saturate || kernel_path() == KernelPath::reference) {
    return ExactMacCore::mac_n(a, b, acc_in, acc_out, n);
  }
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
