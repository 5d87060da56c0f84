// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <array>
#include <cstdint>
#include <vector>

#include "models/pe/pe.h"

namespace pesim::error {

// Operand words of Y = A * B for one PE kind: A (M x K) and B (K x N) row-major, in the PE's a and b port words.
struct PeGemmOperands {
  int m = 0, n = 0, k = 0;
  std::vector<uint64_t> a_words, b_words;
};

// Real values rounded to nearest into the PE's a (is_a) or b operand words.
std::vector<uint64_t> quantize_operands(const std::vector<double>& values, bool is_a, const pe::IPeCore& core);

// The PE's result words of Y: each output is a chain of K mac() steps in K order from zero_acc(), then finish(),
// as one column of a systolic array computes it.
std::vector<uint64_t> pe_chain_gemm(const pe::IPeCore& core, const PeGemmOperands& ops);
// One output of pe_chain_gemm: row i, column j.
uint64_t pe_chain_output(const pe::IPeCore& core, const PeGemmOperands& ops, int64_t i, int64_t j);

// Which outputs of an M x N result a value check compares (row-major indices, ascending): every one (`full`), none, or
// (`sample`) min(M x N, sample_size) distinct outputs drawn with `seed`, the same for the same arguments.
enum class CheckedOutputs { none, sample, full };
constexpr size_t kDefaultSampledOutputs = 256;
std::vector<size_t> checked_outputs(CheckedOutputs which, int64_t m, int64_t n, uint64_t seed,
                                    size_t sample_size = kDefaultSampledOutputs);

// ULP-error buckets: 0, (0, 1/2], (1/2, 1], (1, 2], (2, 4], (4, 16], (16, 256], > 256 ULPs of the result format.
constexpr std::array<double, 7> kUlpBucketBounds{0.0, 0.5, 1.0, 2.0, 4.0, 16.0, 256.0};
constexpr size_t kUlpBuckets = kUlpBucketBounds.size() + 1;

struct PeErrorStats {
  double max_abs_error = 0, mean_abs_error = 0;
  double max_rel_error = 0, mean_rel_error = 0;  // over outputs whose exact value is non-zero
  std::array<int64_t, kUlpBuckets> ulp_histogram{};
  int64_t nonfinite_outputs = 0;
  int64_t outputs = 0;
  int64_t nonzero_outputs = 0;  // outputs whose exact value is non-zero (the relative errors' population)
  // sqrt(sum of squared errors / sum of squared exact values): the error relative to the outputs' RMS, which
  // outputs near zero do not dominate.
  double rms_rel_error = 0;
  double sum_squared_error = 0, sum_squared_exact = 0;

  // One finite output: |result - exact|, |exact|, and the result format's ULP at |exact|. Sums until finish().
  void add(double abs_error, double abs_exact, double ulp);
  void add_nonfinite() { ++outputs, ++nonfinite_outputs; }
  void finish();  // sums to means
};

// The operand values of Y = A * B as a PE computes with them (A M x K, B K x N, row-major), each exact in a double.
struct GemmValues {
  int64_t m = 0, n = 0, k = 0;
  std::vector<double> a, b;
};

// Errors of the result words against the exact Y of these values (summed exactly with MPFR).
PeErrorStats measure_value_errors(const pe::IPeCore& core, const GemmValues& values, const std::vector<uint64_t>& y);
// The same over the listed outputs only (row-major indices into Y). The exact sums come from 128-bit integers where
// the values allow it (`fast`: every quantized operand format up to fp16; the same sums, proven in pe_error.cpp and
// tested against MPFR), else from MPFR (`reference`: always).
enum class ExactSumPath { fast, reference };
PeErrorStats measure_value_errors(const pe::IPeCore& core, const GemmValues& values, const std::vector<uint64_t>& y,
                                  const std::vector<size_t>& outputs, ExactSumPath path = ExactSumPath::fast);
// Whether the fast path's 128-bit integers hold these values' sums (else it falls back to MPFR).
bool exact_sums_fit_integers(const GemmValues& values);

// Errors of the result words against the exact real Y of the same operand values (summed exactly with MPFR).
PeErrorStats measure_pe_errors(const pe::IPeCore& core, const PeGemmOperands& ops, const std::vector<uint64_t>& y);

// The PE's arithmetic error on an m x k by k x n GEMM: operands drawn from N(0, 1) with `seed` (A's row by row, then
// B's) and rounded into the PE's operand words, each output a K-order chain (pe_chain_gemm), against the exact
// product of the rounded operands (measure_pe_errors). The error of the datapath (accumulation, normalization), not
// of the operands' formats: exact integer arithmetic scores 0. A kind with its own GEMM mapping (IPeCore::map_gemm,
// MixPE's group schedule) runs that instead, against the exact product of its quantized operand values.
PeErrorStats sampled_chain_errors(const pe::IPeCore& core, int m, int k, int n, uint64_t seed);

}  // namespace pesim::error
