// SPDX-License-Identifier: Apache-2.0
#pragma once
#include "models/num/int_format.h"
#include "models/pe/exact_mac.h"

namespace pesim::pe {

// mac_int: the plain INTa x INTb -> INTacc multiply-accumulate PE. The product and the sum are exact; the sum wraps
// into the accumulator's width (two's complement), or saturates when acc saturates.
struct MacIntConfig {
  num::IntFormat a_format = num::IntFormat::make(8, true);
  num::IntFormat b_format = num::IntFormat::make(8, true);
  num::IntFormat acc_format = num::IntFormat::make(32, true);
};

// The same arithmetic as ExactMacCore's (which the tests hold it to), on host integers: an array engine calls mac()
// once per PE per cycle, and the generic exact-value path costs tens of nanoseconds a call.
class MacIntCore final : public ExactMacCore {
 public:
  explicit MacIntCore(const MacIntConfig& config);
  uint64_t mac(uint64_t a, uint64_t b, uint64_t acc) const override;
  void mac_n(const uint64_t* a, const uint64_t* b, const uint64_t* acc_in, uint64_t* acc_out, size_t n) const override;

 private:
  struct Operand {
    int bits;
    bool is_signed;
    int64_t value(uint64_t word) const {  // sign- or zero-extended
      const int unused = 64 - bits;
      return is_signed ? static_cast<int64_t>(word << unused) >> unused : static_cast<int64_t>(word & mask());
    }
    uint64_t mask() const { return ~uint64_t{0} >> (64 - bits); }
  };
  Operand m_a, m_b, m_acc;
  bool m_saturate;
  bool m_fits_int64;  // every product and sum fits 63 bits: no 128-bit arithmetic needed
  __int128 m_acc_min, m_acc_max;
};

}  // namespace pesim::pe
