// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "models/pe/pe.h"
#include "rtl/rtl_pe.h"

namespace pesim::cost {

// A stimulus that cannot be made: a bad option, .npy file or vector file (the message names it).
class StimulusError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Where the operand stream that drives a PE's gate netlist comes from.
struct StimulusOptions {
  std::string vector_file;              // --activity: port words "a b c" per line (pesim cosim's vector format)
  std::string zoo;                      // --workload MODEL:PHASE:LAYER: a zoo layer's GEMM shape
  std::string gemm;                     // --gemm MxKxN
  std::vector<std::string> npy;         // --npy A.npy B.npy
  std::string distribution = "normal";  // normal, laplace, uniform, outliers
  double scale = 1.0;
  uint64_t seed = 1;
  int64_t operations = 4096;  // --vectors: operations driven (after reset)
  int pe_row = 16;            // weight-stationary: rows of the column above this PE (its partial sum's products)
  int64_t batch = 1, sequence_length = 2048;
};

// Per-cycle port values (reset cycles first) and what they carry.
struct PortStimulus {
  std::vector<rtl::PeInputs> cycles;
  int64_t reset_cycles = 0;
  int64_t operations = 0;  // valid operations
  double macs = 0;         // multiply-accumulates they carry (lanes per operation; MixPE's DEQUANT carries none)
  std::string dataflow;    // "weight-stationary ..." / "output-stationary ..." / "vector file"
  std::string source;      // the values' origin
};

// The PE's operand stream as a systolic array feeds it:
// - weight-stationary (every kind but MixPE): the PE holds one weight word b (lanes packed) for the M rows of A
//   streamed past it, then the next column's, then the next fold's; a is A[m, k] and c the partial sum of the
//   `pe_row` rows above it (a chain of the core's mac() from zero_acc()), as in a column of a WS array.
// - output-stationary (MixPE, whose group sum lives in the PE): a and b stream along K, c is the PE's previous
//   output, and after every G MAC operations a DEQUANT operation (the group's activation sum A on a, its scale and
//   zero point on b); weights quantized per group (min-max), activations per token (int8) or to fp16.
// Real values come from --npy, or from the distribution in the --gemm / --workload shape. Formats that saturate
// instead of overflowing to infinity (integers, fixed point, e4m3) take the values scaled per tensor so that the
// largest magnitude lands near the format's top, as quantized inference does; IEEE-like formats take them as they
// are. An operation is offered every initiation interval; in between, in_valid is 0 and the ports hold.
// Throws StimulusError naming the option, or the file, line and field at fault.
PortStimulus make_port_stimulus(const pe::PeInstance& pe, const StimulusOptions& options);

}  // namespace pesim::cost
