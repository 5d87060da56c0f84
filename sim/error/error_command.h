// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace pesim::error {

// `pesim error`: numerical error of GEMMs against the exact result (MPFR).
// Without a PE: chains of one-rounding fused multiply-adds for every pair of input and accumulator formats.
// With a PE (`pesim error KIND --set ... --gemm MxKxN`): chains of that PE's mac steps, as a systolic column runs
// them, on synthetic operands or on .npy tensors.
struct ErrorRequest {
  std::string pe;                        // PE kind; empty for the format table
  std::vector<std::string> settings;     // --set for the PE
  std::string gemm;                      // "MxKxN", overrides --m/--k/--n
  std::vector<std::string> npy;          // A.npy B.npy
  std::vector<std::string> scale_files;  // mixpe: S.npy Z.npy, per-group scales and zero points (groups x N)
  std::string zoo;                       // MODEL:PHASE:LAYER, a layer of the built-in zoo (PE mode)
  int64_t batch = 1;                     // zoo: sequences (or images) per pass
  int64_t sequence_length = 2048;        // zoo: tokens per sequence in prefill
  std::string sample_outputs = "64x64";  // zoo: rows x columns of Y computed (every output is a full K chain)
  int m = 64, n = 64, k = 256;
  std::vector<std::string> input_formats{"bf16", "fp16", "e5m2", "e4m3"};
  std::vector<std::string> accumulator_formats{"fp32", "bf16", "fp16"};
  std::string distribution = "normal";
  double scale = 1.0;  // standard deviation of the operand values
  uint64_t seed = 1;
  std::string output_format = "text";  // text | json
};

void add_error_subcommand(CLI::App& app, ErrorRequest& request);
int run_error(const ErrorRequest& request, std::ostream& out, std::ostream& err);
// PE mode of run_error (pe_error_command.cpp). Exit status 2 for bad parameters or input files.
int run_pe_error(const ErrorRequest& request, std::ostream& out, std::ostream& err);
// PE mode for mixpe (mixpe_error.cpp): B is quantized per group; MixPE and the dequantize-in-the-loop baseline
// against the exact mpGEMM of the quantized operands and against the real GEMM.
int run_mixpe_error(const ErrorRequest& request, std::ostream& out, std::ostream& err);

}  // namespace pesim::error
