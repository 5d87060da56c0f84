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

class MacIntCore final : public ExactMacCore {
 public:
  explicit MacIntCore(const MacIntConfig& config) : ExactMacCore(config.a_format, config.b_format, config.acc_format) {}
};

}  // namespace pesim::pe
