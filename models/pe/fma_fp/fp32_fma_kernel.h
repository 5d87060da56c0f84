// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "models/num/float_format.h"

namespace pesim::pe {

// How the AVX2 path turns operand words into binary32 lanes: bf16 words shifted left by 16 bits, fp16 words by the
// F16C conversion (exact), or any format through the operand table. make() picks a decoder only after checking it
// against the table on every word.
enum class OperandDecoder { table, bf16_shift, fp16_convert };

// The fast path of fma_fp with norm=exact and an fp32 accumulator: n steps acc_out[i] = mac(a[i], b[i], acc_in[i])
// on the host's binary32 fused multiply-add. It is the same function as FmaFpCore::mac() (the numeric core's
// fma_mixed(in, a, b, fp32, acc, fp32, RNE)), bit for bit, because:
// - Operands: every word of the operand format converts exactly to a binary32 value (its precision and exponent
//   range, subnormals included, lie within binary32's). make() checks this word by word against the numeric core's
//   decoding and refuses a format where one does not; NaN words become NaNs, infinities infinities.
// - One rounding: IEEE 754 fusedMultiplyAdd forms a * b + c exactly (the product of two binary32 values is exact in
//   the fused operation, whatever its exponent) and rounds once to binary32, ties to even; so does fma_mixed. Both
//   give an exact zero sum the sign IEEE 754 prescribes (+0 unless both addends are -0), and overflow gives infinity.
//   The numeric core is held to the host's fmaf on millions of vectors (tests/num/test_host_fma.cpp).
// - NaN: the host propagates an operand's payload, the core returns the canonical quiet NaN 0x7fc00000: every NaN
//   result is replaced by it (0 * inf and inf - inf give NaN on both).
// - Environment: the host must round to nearest-even and keep subnormals (x86 MXCSR FTZ and DAZ clear, the default;
//   pesim never changes them). run() reads the environment on every call and, if it differs, computes the steps with
//   the reference function it was given instead.
// Exception flags are not part of a PE's result and are not compared.
class Fp32FmaKernel {
 public:
  using ReferenceMac = uint64_t (*)(const void* context, uint64_t a, uint64_t b, uint64_t acc);

  // The kernel for operands in `in` and accumulator `acc`, or nothing when it would not be the same function.
  static std::optional<Fp32FmaKernel> make(const num::FloatFormat& in, const num::FloatFormat& acc);

  // acc_out may be acc_in (in-place accumulation). `reference(context, ...)` is called instead when the host's
  // floating-point environment is not the default.
  void run(const uint64_t* a, const uint64_t* b, const uint64_t* acc_in, uint64_t* acc_out, size_t n,
           ReferenceMac reference, const void* context) const;

  // Whether the calling thread's floating-point environment is the one the argument above needs.
  static bool host_environment_is_default();
  OperandDecoder decoder() const { return m_decoder; }

 private:
  Fp32FmaKernel(std::vector<float> operand_values, OperandDecoder decoder)
      : m_operand_values(std::move(operand_values)), m_operand_mask(m_operand_values.size() - 1), m_decoder(decoder) {}
  std::vector<float> m_operand_values;  // indexed by operand word
  uint64_t m_operand_mask;
  OperandDecoder m_decoder;
};

}  // namespace pesim::pe
