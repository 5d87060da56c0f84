// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "models/num/exact_value.h"
#include "models/params/param.h"
#include "models/pe/gemm_mapping.h"

namespace pesim::pe {

// Widths of a PE's ports, in bits. Every PE kind has the same ports: operands a and b, the partial sum coming in
// (c) and going out (acc), and the result word that the array-edge unit makes of a finished partial sum.
// A multi-lane PE (e.g. a bit-fusion unit running low-precision operands) packs `lanes` operands into each of a and
// b, lane i in bits [i * a_bits / lanes, (i + 1) * a_bits / lanes), and adds their dot product in one operation.
struct PortWidths {
  int a_bits = 0;
  int b_bits = 0;
  int acc_bits = 0;
  int result_bits = 0;
  int lanes = 1;  // products per operation
};

// Cycle behaviour shared by the SystemC model and the RTL: a result leaves latency_cycles after its operands
// entered; a new operation can enter every initiation_interval_cycles.
struct PeTiming {
  int latency_cycles = 1;
  int initiation_interval_cycles = 1;
  // Operations issued per multiply-accumulate on a long reduction: 1, or more where the PE needs extra operations
  // (MixPE: one dequantization per group of G MACs, (G + 1) / G).
  double operations_per_mac = 1.0;
};

// Throughput on a long reduction: cycles per multiply-accumulate (an operation carries `lanes` products).
double cycles_per_mac(const PeTiming& timing, const PortWidths& widths);

// The functional core of a PE kind: pure, bit-accurate, stateless functions on raw bit patterns (at most 64 bits
// per port). It knows nothing of clocks, SystemC, files or the database.
class IPeCore {
 public:
  virtual ~IPeCore() = default;

  virtual PortWidths widths() const = 0;
  // One step of the datapath: the partial sum `acc` plus a * b, in the PE's partial-sum word.
  virtual uint64_t mac(uint64_t a, uint64_t b, uint64_t acc) const = 0;
  // n independent steps, acc_out[i] = mac(a[i], b[i], acc_in[i]) (a row of an array in one call; kinds override it
  // with a loop the compiler can inline). acc_out may be acc_in itself (in-place accumulation), but may not overlap
  // it or the operands otherwise.
  virtual void mac_n(const uint64_t* a, const uint64_t* b, const uint64_t* acc_in, uint64_t* acc_out, size_t n) const {
    for (size_t i = 0; i < n; ++i) acc_out[i] = mac(a[i], b[i], acc_in[i]);
  }
  // Which path mac_n() takes: the kind's fast kernel where it has one (the default), or `reference`, mac() step by
  // step. A fast kernel is the same function as mac(), proven in its header and held to it by the tests.
  enum class KernelPath { fast, reference };
  void set_kernel_path(KernelPath path) { m_kernel_path = path; }
  KernelPath kernel_path() const { return m_kernel_path; }

  // The array-edge unit: a finished partial sum to the result word (the identity for most kinds).
  virtual uint64_t finish(uint64_t acc) const = 0;
  // Whether finish() returns its argument for every word (lets a clocked model skip the call).
  virtual bool finish_is_identity() const { return false; }
  // The partial sum an accumulation chain starts from (+0).
  virtual uint64_t zero_acc() const = 0;
  // The partial sum of opposite sign (stimulus for cancellation; wraps or saturates like the format does).
  virtual uint64_t negate_acc(uint64_t acc) const = 0;

  // Numeric views for error analysis: a real value to the nearest operand word (round to nearest), and words
  // back to their exact values.
  virtual uint64_t quantize_a(double value) const = 0;
  virtual uint64_t quantize_b(double value) const = 0;
  virtual num::ExactValue a_value(uint64_t a) const = 0;
  virtual num::ExactValue b_value(uint64_t b) const = 0;
  virtual num::ExactValue result_value(uint64_t result) const = 0;
  // Unit in the last place of the result format at the result's magnitude (for ULP-error histograms).
  virtual double result_ulp(double magnitude) const = 0;

  // The kind's own GEMM mapping (GemmMapping), or nothing: then each operation is one product (or `lanes` packed
  // products) of operands rounded to nearest by quantize_a/quantize_b, in K order, and callers map it themselves.
  virtual std::optional<GemmMapping> map_gemm(const std::vector<double>& /*a*/, const std::vector<double>& /*b*/,
                                              int64_t /*m*/, int64_t /*n*/, int64_t /*k*/) const {
    return std::nullopt;
  }

 private:
  KernelPath m_kernel_path = KernelPath::fast;
};

// How the build's Verilated RTL of this configuration is found: the Verilog top module and its parameters.
struct RtlBinding {
  std::string top_module;
  std::map<std::string, int64_t> parameters;
  // Extra parameters when the PE is synthesized for its cost alone (e.g. without a unit that an array shares
  // between PEs); not part of the verilated configuration.
  std::map<std::string, int64_t> cost_parameters;
  std::string folder;  // the folder under rtl/ holding top_module's sources; empty: rtl/<top_module>/

  const std::string& rtl_folder() const { return folder.empty() ? top_module : folder; }
};

// One PE operation's work for a shared unit: the values on the unit's input ports, and the value its output port
// must then show (the functional core's).
struct UnitOperation {
  std::vector<std::pair<std::string, uint64_t>> inputs;
  std::string output_port;
  uint64_t output = 0;
};

// A unit the PE needs but an array shares between PEs, so it is costed on its own (MixPE's dequantization unit,
// which each PE uses once per group of G MACs). The PE's cost_parameters leave it out of the PE.
struct SharedUnit {
  std::string name;
  std::string shared_by;  // who shares one unit, e.g. "the PEs of an array row (one DEQUANT each per G cycles)"
  RtlBinding rtl;
  // The unit's part of the PE operation (a, b, acc), or nothing when that operation does not use the unit. Drives the
  // unit's gate netlist with the PE's own operand stream (its dynamic energy); empty: no stimulus, the fallback.
  std::function<std::optional<UnitOperation>(uint64_t a, uint64_t b, uint64_t acc)> operation;
  // Clock edges from an operation's inputs to its output (registered inputs and output: 2).
  int latency_cycles = 2;
};

// Bits per element as an array's memories hold the PE's operands and results (0: the port width per lane). A W4A8
// PE's weights take w bits plus its share of the per-group scale and zero point, not its b port's width.
struct MemoryBits {
  double activation_bits = 0, weight_bits = 0, output_bits = 0;
};

// One configured PE: kind, every parameter's value (defaults filled in), its core, timing and RTL binding.
struct PeInstance {
  std::string kind;
  std::map<std::string, std::string> params;  // canonical: every declared parameter, sorted by name
  std::unique_ptr<IPeCore> core;
  PeTiming timing;
  RtlBinding rtl;
  std::vector<SharedUnit> shared_units;
  MemoryBits memory;

  std::string params_text() const;  // "k=v,k2=v2" in canonical order, accepted back by --set
};

}  // namespace pesim::pe
