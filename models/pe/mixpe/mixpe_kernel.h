// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>

namespace pesim::pe {

struct MixPeConfig;
class MixPeCore;

// MixPE's fast path: n steps acc_out[i] = MixPeCore::mac(a[i], b[i], acc_in[i]) on host integers and the host's
// binary32 fused multiply-add, for the configurations where that is the same function:
// - The output y is binary32 (out_format fp32); an fp16 y would be rounded twice by the host.
// - W4A8 (act=int8): the MAC is S + a * q in integers, wrapped to S's sum_bits, as the core does. The DEQUANT forms
//   D = S - z * A exactly in integers; the core then rounds y + s * D once with D held exactly in a float format of
//   max(23, sum_bits) fraction bits. When sum_bits <= 24 every such D is an integer of magnitude at most 2^24, exact
//   in binary32, and s (an fp16 word) is exact in binary32, so fmaf(s, D, y) is that one rounding.
// - W4A16 (act=fp16): the MAC is fma_mixed(a, q, S) into fp32: a (fp16) and q (an integer of at most 11 bits) are
//   exact in binary32, so it is fmaf(a, q, S). The DEQUANT is D = fma(-z, A, S) in fp32 (-z exact; z = 0 gives +0 in
//   both), then fmaf(s, D, y).
// - NaN results are the canonical NaN, and the host's environment is checked on every call (host_float.h); when it is
//   not the default, the steps are taken by mac().
class MixPeKernel {
 public:
  // The kernel for `core`'s configuration, or nothing where it would not be the same function.
  static std::optional<MixPeKernel> make(const MixPeConfig& config);

  void run(const MixPeCore& core, const uint64_t* a, const uint64_t* b, const uint64_t* acc_in, uint64_t* acc_out,
           size_t n) const;

  struct Layout {
    int w_bits, sum_bits, a_port_bits;
    bool w_signed, act_fp16;
  };

 private:
  explicit MixPeKernel(const Layout& layout) : m_layout(layout) {}
  Layout m_layout;
};

}  // namespace pesim::pe
